from django.urls import path, register_converter

from network import views


class ExportFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "fmt")

app_name = "network"
urlpatterns = [
    path("<uuid:municipality_id>/", views.home, name="home"),
    path("<uuid:municipality_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<uuid:municipality_id>/dashboard/<slug:slug>.<fmt:fmt>", views.export, name="export"),
    path("<uuid:municipality_id>/regions/<uuid:region_id>/dashboard/", views.dashboard, name="region_dashboard"),
    path(
        "<uuid:municipality_id>/regions/<uuid:region_id>/dashboard/<slug:slug>.<fmt:fmt>",
        views.export,
        name="region_export",
    ),
]
urlpatterns += [
    path("<uuid:municipality_id>/networks/", views.networks, name="networks"),
    path("<uuid:municipality_id>/networks/<uuid:network_id>/", views.network, name="network"),
    path("<uuid:municipality_id>/meetings/<uuid:meeting_id>/", views.meeting, name="meeting"),
    path("<uuid:municipality_id>/actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("<uuid:municipality_id>/signals/", views.signals, name="signals"),
    path("<uuid:municipality_id>/signals/<uuid:signal_id>/agenda/", views.signal_agenda, name="signal_agenda"),
    path("<uuid:municipality_id>/signals/<uuid:signal_id>/decision/", views.signal_decide, name="signal_decide"),
    path("<uuid:municipality_id>/engagements/", views.engagements, name="engagements"),
    path("<uuid:municipality_id>/engagements/<uuid:engagement_id>/", views.engagement, name="engagement"),
]
