"""The right to erasure: the director erases one family's personal details everywhere, keeps the counts."""

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.services import record
from referrals.models import (
    AccessLogEntry,
    Alert,
    Channel,
    ErasureReason,
    Family,
    FamilyErasure,
    Referral,
    Signal,
    State,
)
from tests.referrals.conftest import DETAILS

NOTES = {
    "referral": "Mama Samira werkt bij de bakker",
    "alert": "Attest van Lina ontbreekt",
    "signal": "Lina komt zonder boterhammen",
    "place": "Bij Samira thuis",
    "attendees": "Samira en tante Fatma",
    "given_by": "Samira Testouder zelf",
}
CANARIES = [*DETAILS.values(), *NOTES.values(), "G-1"]


def erase_url(family):
    return reverse("referrals:erase_family", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


def everything_stored() -> str:
    """Every row of the apps that hold family data, serialised (encrypted fields come out decrypted)."""
    text = []
    for label in ("referrals", "audit"):
        for model in apps.get_app_config(label).get_models():
            text.append(serializers.serialize("json", model.objects.all()))
    return "".join(text)


@pytest.fixture
def closed_history(family, consent, referral, need, coordinator, welfare_worker, school):
    """A family with a finished referral carrying every kind of free text, an alert, a signal, an
    access-log entry and audit events about it."""
    signal = Signal.objects.create(
        school=school, need=need, channel=Channel.PARENT_REQUEST, note=NOTES["signal"], school_year="2026-2027"
    )
    consent.given_by = NOTES["given_by"]
    consent.save()
    Referral.objects.filter(pk=referral.pk).update(
        state=State.CLOSED,
        consent=consent,
        signal=signal,
        note=NOTES["referral"],
        handover_on=timezone.localdate(),
        handover_place=NOTES["place"],
        handover_attendees=NOTES["attendees"],
    )
    Alert.objects.create(referral=referral, kind="papers", note=NOTES["alert"], raised_by=welfare_worker)
    AccessLogEntry.objects.create(
        user=welfare_worker, family=family, family_reference=family.reference, school=school, action="view"
    )
    record(action=Action.CONSENT_RECORDED, actor=coordinator, obj=family, tenant=school, note=NOTES["given_by"])
    record(
        action=Action.SHARED_WITHOUT_CONSENT, actor=coordinator, obj=referral, tenant=school, reason=NOTES["referral"]
    )
    return family


def erase(client, family, **data):
    return client.post(erase_url(family), {"reason": ErasureReason.PARENTS_ASKED, "reference": "G-1", **data})


def test_erasure_leaves_no_trace_of_the_family_anywhere_in_the_database(client, director, closed_history):
    assert all(canary in everything_stored() for canary in CANARIES)
    client.force_login(director)
    response = erase(client, closed_history)
    assert response.status_code == 302
    stored = everything_stored()
    assert [canary for canary in CANARIES if canary in stored] == []


def test_erasure_keeps_the_counts_and_a_tombstone_without_personal_data(
    client, director, closed_history, referral, organisation, need
):
    client.force_login(director)
    erase(client, closed_history)
    kept = Referral.objects.get(pk=referral.pk)
    assert (kept.state, kept.need, kept.organisation, kept.created_at) == (
        State.CLOSED,
        need,
        organisation,
        referral.created_at,
    )
    assert Family.objects.filter(pk=closed_history.pk).exists()
    assert Signal.objects.count() == 1 and Alert.objects.count() == 1
    tombstone = FamilyErasure.objects.get()
    assert (tombstone.erased_by, tombstone.reason, tombstone.school) == (
        director,
        ErasureReason.PARENTS_ASKED,
        closed_history.school,
    )
    assert tombstone.audit_events_redacted == 2
    event = AuditEvent.objects.get(action=Action.FAMILY_ERASED)
    assert event.actor == director and event.details["reason"] == ErasureReason.PARENTS_ASKED
    # The redaction rewrote only the details: who did what, and when, stays.
    shared = AuditEvent.objects.get(action=Action.SHARED_WITHOUT_CONSENT)
    assert shared.details == {"redacted": True} and shared.actor_label and shared.object_id == str(referral.pk)


def test_a_wrong_reference_erases_nothing(client, director, closed_history):
    client.force_login(director)
    before = everything_stored()
    response = erase(client, closed_history, reference="G-2")
    assert response.status_code == 400
    assert everything_stored() == before
    assert not FamilyErasure.objects.exists()


def test_erasure_waits_while_a_referral_is_open_at_an_organisation(client, director, family, consent, referral):
    Referral.objects.filter(pk=referral.pk).update(state=State.IN_CONTACT, consent=consent)
    client.force_login(director)
    page = client.get(erase_url(family))
    assert page.status_code == 200 and page.context["blockers"] == [referral]
    assert 'name="reference"' not in page.content.decode()  # no form to confirm while it is open
    response = erase(client, family)
    assert response.status_code == 409
    family.refresh_from_db()
    assert family.guardian_name == DETAILS["guardian_name"] and not FamilyErasure.objects.exists()


def test_a_family_without_referrals_can_be_erased_once(client, director, family):
    client.force_login(director)
    assert erase(client, family).status_code == 302
    family.refresh_from_db()
    assert family.reference.startswith("gewist-") and not family.has_personal_details
    again = client.post(erase_url(family), {"reason": ErasureReason.PARENTS_ASKED, "reference": family.reference})
    assert again.status_code == 302 and FamilyErasure.objects.count() == 1


@pytest.mark.parametrize("who", ["coordinator", "teacher", "welfare_worker", "local_official"])
def test_only_the_director_erases(client, family, who, request):
    client.force_login(request.getfixturevalue(who))
    assert erase(client, family).status_code in (403, 404)
    family.refresh_from_db()
    assert family.guardian_name == DETAILS["guardian_name"]


def test_another_schools_director_gets_404(client, family, stranger):
    client.force_login(stranger)
    assert client.get(erase_url(family)).status_code == 404
    assert erase(client, family).status_code == 404
