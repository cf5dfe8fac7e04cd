from django.urls import path

from welfare import views

app_name = "welfare"
urlpatterns = [
    path("organisations/<uuid:organisation_id>/", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("directory/<uuid:organisation_id>/", views.organisation, name="organisation"),
    path("directory/<uuid:organisation_id>/edit/", views.edit_organisation, name="edit_organisation"),
    path("directory/<uuid:organisation_id>/services/new/", views.edit_service, name="add_service"),
    path("directory/<uuid:organisation_id>/services/<uuid:service_id>/", views.edit_service, name="edit_service"),
]
