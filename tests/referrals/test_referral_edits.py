"""Changing a referral after it exists: versioned, so nobody's edit is silently overwritten."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import Family, Referral, State
from tests.factories import OrganisationFactory, SchoolFactory, ServiceFactory, member
from welfare.models import NeedCategory

TODAY = timezone.localdate


def edit_url(referral):
    return reverse(
        "referrals:edit_referral", kwargs={"school_id": referral.school.public_id, "referral_id": referral.pk}
    )


def new_url(family):
    return reverse("referrals:new_referral", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


def edit_data(referral, version, **changes):
    return {
        "intensity": referral.intensity,
        "reference_person": referral.reference_person_id,
        "note": referral.note,
        "version": version,
        **changes,
    }


def test_the_coordinator_changes_the_handover(client, referral, coordinator):
    client.force_login(coordinator)
    day = TODAY() + timedelta(days=3)
    response = client.post(
        edit_url(referral),
        edit_data(referral, 1, handover_on=day.isoformat(), handover_place="Onthaal CAW", intensity="accompanied"),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.handover_on, referral.handover_place, referral.intensity) == (day, "Onthaal CAW", "accompanied")
    assert referral.version == 2
    event = AuditEvent.objects.get(action=Action.REFERRAL_CHANGED)
    assert event.details["fields"] == ["handover_on", "handover_place", "intensity"]


def test_a_stale_form_gets_a_conflict_with_the_current_values(client, referral, coordinator, director):
    client.force_login(coordinator)
    stale = client.get(edit_url(referral)).context["form"]["version"].value()
    client.force_login(director)
    assert client.post(edit_url(referral), edit_data(referral, stale, note="Eerst bellen")).status_code == 302
    client.force_login(coordinator)
    second = client.post(edit_url(referral), edit_data(referral, stale, note="Mama komt zelf"))
    assert second.status_code == 409
    assert second.context["conflict"]
    assert "Eerst bellen" in second.content.decode()
    referral.refresh_from_db()
    assert (referral.note, referral.version) == ("Eerst bellen", 2)


def test_a_finished_referral_cannot_be_changed(client, referral, coordinator):
    Referral.objects.filter(pk=referral.pk).update(state=State.ENTERED_IN_ERROR)
    client.force_login(coordinator)
    assert client.get(edit_url(referral)).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "teacher", "welfare_worker", "local_official"])
def test_nobody_outside_the_care_team_edits(client, referral, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(referral)).status_code in (403, 404)
    assert client.post(edit_url(referral), edit_data(referral, 1, note="x")).status_code in (403, 404)
    referral.refresh_from_db()
    assert referral.note == ""


def test_another_schools_coordinator_gets_404(client, referral, other_school):
    client.force_login(member(Role.CARE_COORDINATOR, other_school))
    url = reverse("referrals:edit_referral", kwargs={"school_id": other_school.public_id, "referral_id": referral.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"next_follow_up": "2020-01-01"}, "next_follow_up"),
        ({"handover_on": "2099-05-10", "next_follow_up": "2099-05-01"}, "next_follow_up"),
        ({"note": "x" * 301}, "note"),
        ({"handover_place": "x" * 151}, "handover_place"),
        ({"reference_person": "999999"}, "reference_person"),
        ({"intensity": "lukewarm"}, "intensity"),
        ({"handover_on": "31/02/2027"}, "handover_on"),
    ],
)
def test_bad_edits_are_refused_and_lose_nothing(client, referral, coordinator, changes, field):
    Referral.objects.filter(pk=referral.pk).update(note="Bewaard")
    referral.refresh_from_db()
    client.force_login(coordinator)
    response = client.post(edit_url(referral), edit_data(referral, 1, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    referral.refresh_from_db()
    assert (referral.note, referral.version) == ("Bewaard", 1)


def test_a_service_of_another_organisation_is_refused(client, referral, coordinator, other_organisation):
    client.force_login(coordinator)
    service = ServiceFactory(organisation=other_organisation)
    response = client.post(edit_url(referral), edit_data(referral, 1, service=service.pk))
    assert response.status_code == 400


class TestNewReferralBadInput:
    def data(self, organisation, need, coordinator, /, **changes):
        return {
            "need": need.pk,
            "organisation": organisation.pk,
            "intensity": "school_contacted",
            "reference_person": coordinator.pk,
            **changes,
        }

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"organisation": str(uuid.uuid4())}, "organisation"),
            ({"organisation": "not-a-uuid"}, "organisation"),
            ({"need": "999999"}, "need"),
            ({"note": "x" * 301}, "note"),
            ({"handover_on": "2020-01-01"}, "handover_on"),
            ({"handover_on": "2099-05-10", "next_follow_up": "2099-05-01"}, "next_follow_up"),
            ({"handover_attendees": "x" * 151}, "handover_attendees"),
        ],
    )
    def test_a_clear_error_and_nothing_saved(self, client, family, organisation, need, coordinator, changes, field):
        client.force_login(coordinator)
        response = client.post(new_url(family), self.data(organisation, need, coordinator, **changes))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not Referral.objects.exists()

    def test_an_organisation_outside_the_municipality_is_refused(
        self, client, family, other_organisation, need, coordinator
    ):
        client.force_login(coordinator)
        response = client.post(new_url(family), self.data(other_organisation, need, coordinator))
        assert response.status_code == 400
        assert "organisation" in response.context["form"].errors

    def test_an_unknown_family_is_404(self, client, school, organisation, need, coordinator):
        client.force_login(coordinator)
        url = reverse("referrals:new_referral", kwargs={"school_id": school.public_id, "family_id": uuid.uuid4()})
        assert client.post(url, self.data(organisation, need, coordinator)).status_code == 404


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks across connections need PostgreSQL")
def test_two_concurrent_edits_one_wins_the_other_gets_the_conflict(lookups, municipality):
    """Two people press save at the same moment on the same version: the database serialises them."""
    school = SchoolFactory(municipality=municipality)
    organisation = OrganisationFactory(municipalities=[municipality])
    first_person = member(Role.CARE_COORDINATOR, school)
    second_person = member(Role.DIRECTOR, school)
    family = Family.objects.create(school=school, reference="G-9")
    referral = Referral.objects.create(
        school=school,
        family=family,
        need=NeedCategory.objects.first(),
        organisation=organisation,
        reference_person=first_person,
    )
    start = threading.Barrier(2)
    results = {}

    def save(person, note):
        browser = Client()
        browser.force_login(person)
        start.wait()
        try:
            results[note] = browser.post(edit_url(referral), edit_data(referral, 1, note=note)).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(first_person, "Versie van Cas")),
        threading.Thread(target=save, args=(second_person, "Versie van de directie")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [302, 409]
    [winner] = [note for note, status in results.items() if status == 302]
    referral.refresh_from_db()
    assert (referral.note, referral.version) == (winner, 2)


def test_planning_a_follow_up_makes_an_open_edit_form_stale(client, referral, coordinator, director):
    client.force_login(coordinator)
    stale = client.get(edit_url(referral)).context["form"]["version"].value()
    client.force_login(director)
    day = TODAY() + timedelta(days=5)
    client.post(referral.get_absolute_url(), {"follow_up": "1", "next_follow_up": day.isoformat()})
    client.force_login(coordinator)
    response = client.post(edit_url(referral), edit_data(referral, stale, note="Nieuwe notitie"))
    assert response.status_code == 409
    referral.refresh_from_db()
    assert (referral.next_follow_up, referral.note) == (day, "")


def test_an_edit_writes_only_what_it_changed(client, referral, coordinator):
    Referral.objects.filter(pk=referral.pk).update(next_follow_up=TODAY() - timedelta(days=3))
    referral.refresh_from_db()
    client.force_login(coordinator)
    # An overdue follow-up date left as it is does not block the edit, and stays as it was.
    data = edit_data(referral, 1, note="Mama belt zelf", next_follow_up=referral.next_follow_up.isoformat())
    assert client.post(edit_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.note, referral.next_follow_up) == ("Mama belt zelf", TODAY() - timedelta(days=3))
    assert AuditEvent.objects.get(action=Action.REFERRAL_CHANGED).details["fields"] == ["note"]


def test_a_referral_that_ended_meanwhile_is_not_edited(client, referral, coordinator):
    client.force_login(coordinator)
    client.get(edit_url(referral))
    Referral.objects.filter(pk=referral.pk).update(state=State.WITHDRAWN)
    # The form was open; the referral has ended since: the edit page is gone and nothing changes.
    assert client.post(edit_url(referral), edit_data(referral, 1, note="Te laat")).status_code == 404
    referral.refresh_from_db()
    assert referral.note == ""
