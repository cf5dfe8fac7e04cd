from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("<uuid:school_id>/signals/", views.signals, name="signals"),
    path("<uuid:school_id>/signals/new/", views.new_signal, name="new_signal"),
    path("<uuid:school_id>/signals/<uuid:signal_id>/", views.signal, name="signal"),
    path("<uuid:school_id>/families/", views.families, name="families"),
    path("<uuid:school_id>/families/new/", views.edit_family, name="new_family"),
    path("<uuid:school_id>/families/<uuid:family_id>/", views.family, name="family"),
    path("<uuid:school_id>/families/<uuid:family_id>/edit/", views.edit_family, name="edit_family"),
]
