from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("<uuid:school_id>/", views.home, name="home"),
    path("<uuid:school_id>/map/", views.kaart_view, name="map"),
    path("<uuid:school_id>/map/needs/", views.focus, name="focus"),
    path("<uuid:school_id>/map/<uuid:organisation_id>/", views.relation, name="relation"),
]
