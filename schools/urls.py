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
    path("clb/<uuid:organisation_id>/schools/", views.clb_schools, name="clb_schools"),
    path(
        "clb/<uuid:organisation_id>/schools/<uuid:school_id>/", views.clb_school_agreement, name="clb_school_agreement"
    ),
]
