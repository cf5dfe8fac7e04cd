from django.urls import path

from network import views

app_name = "network"
urlpatterns = [
    path("<uuid:municipality_id>/", views.home, name="home"),
]
