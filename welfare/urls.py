from django.urls import path

from welfare import views

app_name = "welfare"
urlpatterns = [
    path("<uuid:organisation_id>/", views.home, name="home"),
]
