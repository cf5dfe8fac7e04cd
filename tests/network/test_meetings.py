"""Network meetings: agendas that open with what came of earlier points, actions that carry over
until they are closed, minutes and agendas mailed to the members, signals to policy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import Action, AuditEvent
from network.models import ActionStatus, Meeting, Network, NetworkAction, PolicySignal, PolicySignalStatus
from tests.factories import member
from welfare.models import NeedCategory


@pytest.fixture
def network(municipality, school, organisation, local_official):
    found = Network.objects.create(
        municipality=municipality, name="Netwerk Kinderarmoede Test", coordinator=local_official
    )
    found.schools.add(school)
    found.organisations.add(organisation)
    return found


def url(name, municipality, **kwargs):
    return reverse(f"network:{name}", kwargs={"municipality_id": municipality.public_id, **kwargs})


def plan(client, municipality, network, day):
    response = client.post(
        url("network", municipality, network_id=network.public_id),
        {"held_on": day.isoformat(), "place": "Sociaal Huis"},
    )
    assert response.status_code == 302
    return Meeting.objects.get(network=network, held_on=day)


def test_official_creates_a_network_with_members(client, municipality, school, organisation, local_official):
    client.force_login(local_official)
    response = client.post(
        url("networks", municipality),
        {
            "name": "LOP Test",
            "kind": "lop",
            "coordinator": local_official.pk,
            "schools": [school.pk],
            "organisations": [organisation.pk],
        },
    )
    assert response.status_code == 302
    created = Network.objects.get(name="LOP Test")
    assert list(created.schools.all()) == [school]
    assert created.municipality == municipality


def test_a_network_cannot_take_a_school_of_another_municipality(client, municipality, other_school, local_official):
    client.force_login(local_official)
    response = client.post(
        url("networks", municipality),
        {"name": "X", "kind": "lop", "coordinator": local_official.pk, "schools": [other_school.pk]},
    )
    assert response.status_code == 400
    assert not Network.objects.filter(name="X").exists()


def test_open_actions_carry_over_to_every_next_agenda_until_closed(
    client, municipality, network, organisation, local_official
):
    client.force_login(local_official)
    today = timezone.localdate()
    first = plan(client, municipality, network, today - datetime.timedelta(days=60))
    response = client.post(
        url("meeting", municipality, meeting_id=first.public_id),
        {
            "form": "action",
            "action-what": "Zomeraanbod bundelen",
            "action-owner_organisation": organisation.pk,
            "action-due_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    action = NetworkAction.objects.get(what="Zomeraanbod bundelen")
    second = plan(client, municipality, network, today - datetime.timedelta(days=30))
    third = plan(client, municipality, network, today + datetime.timedelta(days=10))
    assert (
        "Zomeraanbod bundelen" in client.get(url("meeting", municipality, meeting_id=second.public_id)).content.decode()
    )
    assert (
        "Zomeraanbod bundelen" in client.get(url("meeting", municipality, meeting_id=third.public_id)).content.decode()
    )
    # Closed now: it no longer comes back on the coming meeting, but the history still shows it.
    response = client.post(url("action_status", municipality, action_id=action.pk), {"status": ActionStatus.DONE})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.closed_on == today
    later = plan(client, municipality, network, today + datetime.timedelta(days=40))
    assert (
        "Zomeraanbod bundelen"
        not in client.get(url("meeting", municipality, meeting_id=later.public_id)).content.decode()
    )
    assert (
        "Zomeraanbod bundelen" in client.get(url("meeting", municipality, meeting_id=second.public_id)).content.decode()
    )


def test_items_that_ask_for_feedback_open_the_next_agenda(client, municipality, network, local_official):
    client.force_login(local_official)
    today = timezone.localdate()
    first = plan(client, municipality, network, today)
    client.post(
        url("meeting", municipality, meeting_id=first.public_id),
        {
            "form": "item",
            "item-kind": "need_signal",
            "item-title": "Tandzorg voor jonge kinderen",
            "item-needs_feedback": "on",
        },
    )
    second = plan(client, municipality, network, today + datetime.timedelta(days=30))
    content = client.get(url("meeting", municipality, meeting_id=second.public_id)).content.decode()
    assert "Tandzorg voor jonge kinderen" in content


def test_agenda_and_minutes_are_mailed_to_the_members(
    client,
    municipality,
    network,
    local_official,
    director,
    intake_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    teacher = member(Role.TEACHER, network.schools.get())
    client.force_login(local_official)
    meeting = plan(client, municipality, network, timezone.localdate())
    client.post(
        url("meeting", municipality, meeting_id=meeting.public_id),
        {"form": "minutes", "minutes-minutes": "Afspraken over het zomeraanbod."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting", municipality, meeting_id=meeting.public_id), {"form": "minutes_mail"})
    addresses = {address for mail in mailoutbox for address in mail.to}
    assert {director.email, intake_coordinator.email, local_official.email} <= addresses
    assert teacher.email not in addresses
    assert all("Afspraken over het zomeraanbod." in mail.body for mail in mailoutbox)
    assert AuditEvent.objects.filter(action=Action.NETWORK_MAIL_SENT).exists()


def test_another_municipality_gets_404_on_networks_meetings_and_signals(
    client, municipality, other_municipality, network
):
    meeting = Meeting.objects.create(network=network, held_on=timezone.localdate())
    client.force_login(member(Role.LOCAL_OFFICIAL, other_municipality))
    for target in [
        url("network", other_municipality, network_id=network.public_id),
        url("meeting", other_municipality, meeting_id=meeting.public_id),
        url("network", municipality, network_id=network.public_id),
    ]:
        assert client.get(target).status_code == 404


def test_a_school_director_cannot_open_the_networks_pages(client, municipality, director):
    client.force_login(director)
    assert client.get(url("networks", municipality)).status_code == 404


def test_an_unmet_need_becomes_a_signal_on_the_agenda_and_then_policy(client, municipality, network, local_official):
    client.force_login(local_official)
    need = NeedCategory.objects.get(code="hygiene_health")
    response = client.post(
        url("signals", municipality),
        {
            "signal-need": need.pk,
            "signal-kind": "no_offer",
            "signal-description": "Geen tandarts die kinderen zonder afspraak ziet.",
        },
    )
    assert response.status_code == 302
    signal = PolicySignal.objects.get()
    meeting = plan(client, municipality, network, timezone.localdate() + datetime.timedelta(days=7))
    response = client.post(url("signal_agenda", municipality, signal_id=signal.public_id), {"meeting": meeting.pk})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == PolicySignalStatus.ON_AGENDA
    assert meeting.items.get().policy_signal == signal
    # Taken up without a decision text: refused, nothing saved.
    response = client.post(
        url("signal_decide", municipality, signal_id=signal.public_id),
        {"status": "taken_up", "decided_on": "2026-12-01"},
    )
    assert response.status_code == 400
    signal.refresh_from_db()
    assert signal.status == PolicySignalStatus.ON_AGENDA
    response = client.post(
        url("signal_decide", municipality, signal_id=signal.public_id),
        {"status": "taken_up", "decided_on": "2026-12-01", "decision": "Opgenomen in het lokaal armoedeplan 2027."},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == PolicySignalStatus.TAKEN_UP
    assert AuditEvent.objects.filter(action=Action.POLICY_SIGNAL_DECIDED).exists()


def test_a_bad_status_is_a_400_and_changes_nothing(client, municipality, network, local_official):
    meeting = Meeting.objects.create(network=network, held_on=timezone.localdate())
    action = NetworkAction.objects.create(network=network, decided_at=meeting, what="Iets", due_on=timezone.localdate())
    client.force_login(local_official)
    assert client.post(url("action_status", municipality, action_id=action.pk), {"status": "bogus"}).status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
