from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("<uuid:school_id>/", views.home, name="home"),
    path("<uuid:school_id>/map/", views.kaart_view, name="map"),
    path("<uuid:school_id>/map/needs/", views.focus, name="focus"),
    path("<uuid:school_id>/map/<uuid:organisation_id>/", views.relation, name="relation"),
    path("<uuid:school_id>/clb-agreement/", views.clb_agreement, name="clb_agreement"),
    path("<uuid:school_id>/engagements/", views.engagements, name="engagements"),
    path("<uuid:school_id>/calendar/", views.school_calendar, name="calendar"),
    path("<uuid:school_id>/calendar/new/", views.new_event, name="new_event"),
    path("<uuid:school_id>/calendar/<uuid:event_id>/", views.event, name="event"),
    path("<uuid:school_id>/calendar/<uuid:event_id>/attendance/", views.event_attendance, name="event_attendance"),
    path("<uuid:school_id>/calendar/<uuid:event_id>/delete/", views.delete_event, name="delete_event"),
    path("<uuid:school_id>/calendar/feed/renew/", views.renew_feed, name="renew_feed"),
    path("<uuid:school_id>/trainings/new/", views.new_training, name="new_training"),
    path("<uuid:school_id>/trainings/<uuid:training_id>/", views.training, name="training"),
    # Public: the unguessable token is the key (calendar apps cannot log in).
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("clb/<uuid:organisation_id>/schools/", views.clb_schools, name="clb_schools"),
    path(
        "clb/<uuid:organisation_id>/schools/<uuid:school_id>/", views.clb_school_agreement, name="clb_school_agreement"
    ),
]
