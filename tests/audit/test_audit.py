import pytest
from django.urls import reverse

from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import record
from tests.factories import UserFactory


def test_an_event_records_who_what_where_and_from_which_address(rf, coordinator, school):
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    request.user = coordinator
    event = record(action=Action.INVITATION_SENT, request=request, obj=school, tenant=school, role="teacher")
    event.refresh_from_db()
    assert event.actor == coordinator
    assert event.actor_label == coordinator.email
    assert event.object_type == "schools.school"
    assert event.object_id == str(school.public_id)
    assert event.school == school
    assert event.ip_address == "192.0.2.10"
    assert event.details == {"role": "teacher"}


def test_events_cannot_be_changed_or_deleted(coordinator):
    event = record(action=Action.LOGIN, actor=coordinator)
    event.action = Action.LOGOUT
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get().action == Action.LOGIN


def test_platform_administrators_browse_the_log_read_only(client, coordinator):
    event = record(action=Action.LOGIN, actor=coordinator)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert coordinator.email in listing.content.decode()
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_staff_pages_are_closed_to_school_staff(client, director):
    client.force_login(director)
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 403  # not a redirect to the login, which would send them back here
