"""Every referral, family and signal URL, walked from the URL configuration: people outside the school
(another school's care team, another organisation's worker, the municipality) get 404, whether they
use the school's own address or put the school's object under their own tenant's address."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from referrals.models import (
    Alert,
    BridgeEmployment,
    BridgeShare,
    CaseMeetingType,
    Consultation,
    ConsultationParticipant,
    SchoolHandover,
    Signal,
    State,
)
from referrals.urls import urlpatterns
from tests.factories import SchoolFactory, member

# Pages about no object in particular: they only ever list the visitor's own items. A bridge
# figure's case is looked up in their own caseload (tests/referrals/test_bridge.py: another bridge
# figure gets 404, other roles 403).
PERSONAL = {"followups", "bridge_caseload", "bridge_case"}
NAMES = sorted(p.name for p in urlpatterns if p.name not in PERSONAL)
POST_ONLY = {"withdraw_consent", "bridge_end_share"}
OBJECT_KEYS = {"family_id", "referral_id", "signal_id", "consultation_id", "share_id", "handover_id"}
OBJECT_NAMES = sorted(p.name for p in urlpatterns if OBJECT_KEYS & set(p.pattern.converters) and p.name not in PERSONAL)


@pytest.fixture
def world(school, family, consent, referral, need, coordinator, welfare_worker):
    signal = Signal.objects.create(
        school=school, need=need, channel="parent_request", reported_by=coordinator, school_year="2026-2027"
    )
    referral.signal = signal
    referral.state = State.IN_CONTACT
    referral.consent = consent
    referral.save()
    Alert.objects.create(referral=referral, kind="papers", raised_by=welfare_worker)
    consultation = Consultation.objects.create(
        school=school, family=family, kind=CaseMeetingType.CARE_MEETING, held_on="2030-01-01", organised_by=coordinator
    )
    ConsultationParticipant.objects.create(
        consultation=consultation, organisation=referral.organisation, role="r", consent=consent
    )
    # The consent names the organisation: school A shared the family with its bridge figure.
    figure = member(Role.BRIDGE_FIGURE, school)
    BridgeEmployment.objects.create(user=figure, organisation=referral.organisation)
    share = BridgeShare.objects.create(
        family=family, bridge_figure=figure, service=referral.organisation, consent=consent, shared_by=coordinator
    )
    # A hand-over to a third school: neither outsiders' school nor organisation is part of it.
    handover = SchoolHandover.objects.create(
        family=family,
        from_school=school,
        to_school=SchoolFactory(municipality=school.municipality),
        summary="Samenvatting",
        given_by="moeder",
        consent_method="conversation",
        created_by=coordinator,
    )
    return {
        "share_id": share.pk,
        "handover_id": handover.pk,
        "school_id": school.public_id,
        "family_id": family.pk,
        "referral_id": referral.pk,
        "signal_id": signal.pk,
        "consultation_id": consultation.pk,
        "consent_id": consent.pk,
        "organisation_id": referral.organisation_id,
    }


def address(name, ids):
    wanted = next(p for p in urlpatterns if p.name == name).pattern.converters
    return reverse(f"referrals:{name}", kwargs={key: ids[key] for key in wanted})


def outsiders(other_school, other_organisation, local_official):
    return {
        "another school's coordinator": member(Role.CARE_COORDINATOR, other_school),
        "another school's director": member(Role.DIRECTOR, other_school),
        "another organisation's worker": member(Role.WELFARE_WORKER, other_organisation),
        "another organisation's intake": member(Role.WELFARE_INTAKE, other_organisation),
        "local official": local_official,
    }


def test_the_walk_covers_every_object_page():
    assert {"signal", "family", "referral", "incoming_referral", "edit_referral", "consent_sheet"} <= set(NAMES)
    assert {"consultation", "edit_consultation", "joined_consultation", "new_consultation"} <= set(OBJECT_NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_outsiders_get_404_on_the_schools_addresses(
    client, world, name, other_school, other_organisation, local_official
):
    url = address(name, world)
    for who, person in outsiders(other_school, other_organisation, local_official).items():
        client.force_login(person)
        assert client.get(url).status_code == 404, (who, url)
        assert client.post(url, {"to": "closed", "outcome": "got_help", "alert": "1"}).status_code == 404, (who, url)


@pytest.mark.parametrize("name", OBJECT_NAMES)
def test_the_schools_objects_under_another_tenants_address_are_404(
    client, world, name, other_school, other_organisation
):
    """A coordinator of school B asks for school A's referral under school B's address, and so on."""
    url = address(name, {**world, "school_id": other_school.public_id, "organisation_id": other_organisation.pk})
    # A director holds every capability a school page asks for, so only the object can refuse.
    for person in (member(Role.DIRECTOR, other_school), member(Role.WELFARE_INTAKE, other_organisation)):
        client.force_login(person)
        # A POST-only address answers a GET with 405 before it looks anything up: nothing leaks.
        assert client.get(url).status_code in ({404, 405} if name in POST_ONLY else {404}), (person, url)
        assert client.post(url, {"to": "closed", "outcome": "got_help", "alert": "1"}).status_code == 404, url
