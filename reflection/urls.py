from django.urls import path

import accounts.urls  # noqa: F401 - registers the tenantkind converter used below
from reflection import views

app_name = "reflection"
base = "reflection/<tenantkind:kind>/<uuid:tenant_id>/"
urlpatterns = [
    path(base, views.rounds, name="rounds"),
    path(base + "new/", views.new_round, name="new_round"),
    path(base + "<uuid:round_id>/", views.round_detail, name="round"),
    path(base + "<uuid:round_id>/answer/<slug:section_slug>/", views.answer, name="answer"),
    path(base + "<uuid:round_id>/hand-in/", views.hand_in_answers, name="hand_in"),
    path(base + "<uuid:round_id>/team/", views.team_view, name="team"),
    path(base + "<uuid:round_id>/next-phase/", views.advance, name="advance"),
    path(base + "<uuid:round_id>/map/", views.apply_map_view, name="apply_map"),
    path(base + "<uuid:round_id>/actions/", views.actions, name="actions"),
]
