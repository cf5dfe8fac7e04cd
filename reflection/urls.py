from django.urls import path

import accounts.urls  # noqa: F401 - registers the tenantkind converter used below
from reflection import views

app_name = "reflection"
base = "reflection/<tenantkind:kind>/<uuid:tenant_id>/"
urlpatterns = [
    path(base, views.rounds, name="rounds"),
    path(base + "new/", views.new_round, name="new_round"),
    path(base + "compare/<slug:questionnaire>/", views.compare_rounds, name="compare"),
    path(base + "<uuid:round_id>/", views.round_detail, name="round"),
    path(base + "<uuid:round_id>/answer/<slug:section_slug>/", views.answer, name="answer"),
    path(base + "<uuid:round_id>/hand-in/", views.hand_in_answers, name="hand_in"),
    path(base + "<uuid:round_id>/questions/", views.add_question, name="add_question"),
    path(base + "<uuid:round_id>/team/", views.team_view, name="team"),
    path(base + "<uuid:round_id>/report/", views.report, name="report"),
    path(base + "<uuid:round_id>/export.csv", views.export, name="export"),
    path(base + "<uuid:round_id>/next-phase/", views.advance, name="advance"),
    path(base + "<uuid:round_id>/map/", views.apply_map_view, name="apply_map"),
    path(base + "<uuid:round_id>/actions/", views.actions, name="actions"),
    # The parent survey: the school's pages, then the parents' pages (no account).
    path("schools/<uuid:school_id>/parent-surveys/", views.parent_surveys, name="parent_surveys"),
    path("schools/<uuid:school_id>/parent-surveys/<uuid:survey_id>/", views.parent_survey, name="parent_survey"),
    path("schools/<uuid:school_id>/parent-surveys/<uuid:survey_id>/codes/", views.parent_codes, name="parent_codes"),
    path("ouders/", views.parent_entry, name="parent_entry"),
    path("ouders/<str:code>/", views.parent_language, name="parent_language"),
    path("ouders/<str:code>/<str:language>/", views.parent_answer, name="parent_answer"),
]
