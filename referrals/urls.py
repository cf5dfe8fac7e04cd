from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("<uuid:school_id>/signals/", views.signals, name="signals"),
    path("<uuid:school_id>/signals/new/", views.new_signal, name="new_signal"),
    path("<uuid:school_id>/signals/<uuid:signal_id>/", views.signal, name="signal"),
]
