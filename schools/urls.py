from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("<uuid:school_id>/", views.home, name="home"),
]
