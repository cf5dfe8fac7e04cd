"""Changing school (issue #9, part 8): a summary and the open referrals go to the new school only
with the parents' consent, and the new school reads them only once it accepted."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import Family, HandoverState, Referral, SchoolHandover, State
from referrals.services import remove_personal_details
from tests.factories import SchoolFactory, member

SUMMARY = "Lina leest graag; thuis is er weinig ruimte om huiswerk te maken."


@pytest.fixture
def new_school(municipality):
    return SchoolFactory(name="Basisschool Het Nieuwe Nest", municipality=municipality)


@pytest.fixture
def new_coordinator(new_school):
    return member(Role.CARE_COORDINATOR, new_school, full_name="Nele Nieuw")


@pytest.fixture
def open_referral(referral, consent):
    Referral.objects.filter(pk=referral.pk).update(state=State.IN_CONTACT, consent=consent)
    referral.refresh_from_db()
    return referral


def new_url(family):
    return reverse("referrals:new_handover", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


def page(school, handover):
    return reverse("referrals:handover", kwargs={"school_id": school.public_id, "handover_id": handover.pk})


def start(client, coordinator, family, new_school, referral=None, **changes):
    data = {
        "to_school": new_school.pk,
        "summary": SUMMARY,
        "given_by": "moeder",
        "consent_method": "conversation",
        "parents_agree": "on",
        **({"referrals": [referral.pk]} if referral else {}),
        **changes,
    }
    client.force_login(coordinator)
    return client.post(new_url(family), data)


def test_a_hand_over_without_the_parents_consent_is_impossible(client, coordinator, family, new_school):
    for missing in ({"given_by": ""}, {"consent_method": ""}, {"parents_agree": ""}):
        response = start(client, coordinator, family, new_school, **missing)
        assert response.status_code == 400
    assert not SchoolHandover.objects.exists()
    # Nor directly in the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolHandover.objects.create(
            family=family,
            from_school=family.school,
            to_school=new_school,
            summary="x",
            given_by="",
            consent_method="conversation",
            created_by=coordinator,
        )


def test_until_it_is_accepted_the_new_school_sees_only_that_a_hand_over_waits(
    client, coordinator, family, new_school, new_coordinator, open_referral, organisation
):
    assert start(client, coordinator, family, new_school, open_referral).status_code == 302
    handover = SchoolHandover.objects.get()
    assert handover.state == HandoverState.WAITING
    assert AuditEvent.objects.filter(action=Action.HANDOVER_STARTED, object_id=str(handover.pk)).exists()

    client.force_login(new_coordinator)
    listing = client.get(reverse("referrals:handovers", kwargs={"school_id": new_school.public_id}))
    assert "Basisschool Het Anker" in listing.content.decode()
    html = client.get(page(new_school, handover)).content.decode()
    for hidden in (SUMMARY, family.reference, organisation.name, "Samira Testouder"):
        assert hidden not in html
        assert hidden not in listing.content.decode()


def test_an_accepted_hand_over_gives_the_new_school_the_summary_and_nothing_else(
    client, coordinator, family, new_school, new_coordinator, open_referral, organisation, need
):
    start(client, coordinator, family, new_school, open_referral)
    handover = SchoolHandover.objects.get()
    client.force_login(new_coordinator)
    response = client.post(page(new_school, handover), {"accept": "1", "reference": "NN-1"})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED and handover.decided_by == new_coordinator

    # Its own record: the reference it chose, nothing copied from the old school.
    record = Family.objects.get(school=new_school)
    assert record == handover.new_family and record.reference == "NN-1"
    assert not record.has_personal_details and record.language is None
    assert not record.consents.exists() and not record.referrals.exists()

    html = client.get(page(new_school, handover)).content.decode()
    assert SUMMARY in html
    assert organisation.name in html and str(need) in html
    for hidden in (family.reference, "Samira Testouder", "0470 12 34 56"):
        assert hidden not in html
    # The old school's family, consent and referral stay out of reach.
    old = {"school_id": family.school.public_id}
    assert client.get(reverse("referrals:family", kwargs={**old, "family_id": family.pk})).status_code == 404
    assert client.get(reverse("referrals:referral", kwargs={**old, "referral_id": open_referral.pk})).status_code == 404


def test_after_the_decision_the_old_school_no_longer_reads_the_summary(
    client, coordinator, family, new_school, new_coordinator
):
    start(client, coordinator, family, new_school)
    handover = SchoolHandover.objects.get()
    assert SUMMARY in client.get(page(family.school, handover)).content.decode()
    client.force_login(new_coordinator)
    client.post(page(new_school, handover), {"accept": "1", "reference": "NN-1"})
    client.force_login(coordinator)
    response = client.get(page(family.school, handover))
    assert SUMMARY not in response.content.decode()
    assert response.context["handover"].state == HandoverState.ACCEPTED and not response.context["shows_content"]


def test_declining_or_cancelling_passes_nothing_on(client, coordinator, family, new_school, new_coordinator):
    start(client, coordinator, family, new_school)
    handover = SchoolHandover.objects.get()
    client.force_login(new_coordinator)
    assert client.post(page(new_school, handover), {"decline": "1"}).status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.DECLINED and handover.summary == ""
    assert not Family.objects.filter(school=new_school).exists()
    # Decided once: accepting afterwards changes nothing.
    client.post(page(new_school, handover), {"accept": "1", "reference": "NN-1"})
    assert not Family.objects.filter(school=new_school).exists()

    start(client, coordinator, family, new_school)
    second = SchoolHandover.objects.get(state=HandoverState.WAITING)
    assert client.post(page(family.school, second), {"cancel": "1"}).status_code == 302
    second.refresh_from_db()
    assert second.state == HandoverState.CANCELLED and second.summary == ""


def test_the_new_school_must_choose_a_reference_of_its_own(client, coordinator, family, new_school, new_coordinator):
    Family.objects.create(school=new_school, reference="NN-1")
    start(client, coordinator, family, new_school)
    handover = SchoolHandover.objects.get()
    client.force_login(new_coordinator)
    assert client.post(page(new_school, handover), {"accept": "1", "reference": "nn-1"}).status_code == 400
    handover.refresh_from_db()
    assert handover.state == HandoverState.WAITING


def test_the_retention_purge_clears_a_received_summary(client, coordinator, family, new_school, new_coordinator):
    start(client, coordinator, family, new_school)
    handover = SchoolHandover.objects.get()
    client.force_login(new_coordinator)
    client.post(page(new_school, handover), {"accept": "1", "reference": "NN-1"})
    remove_personal_details(Family.objects.get(school=new_school))
    handover.refresh_from_db()
    assert SUMMARY not in handover.summary


# --- Every new page: anonymous, stranger, wrong role, allowed ----------------------------------------


def test_hand_over_pages_refuse_anonymous_strangers_and_wrong_roles(
    client, coordinator, family, new_school, teacher, stranger
):
    start(client, coordinator, family, new_school)
    handover = SchoolHandover.objects.get()
    client.logout()
    school = family.school
    urls = [new_url(family), reverse("referrals:handovers", kwargs={"school_id": school.public_id})]
    urls.append(page(school, handover))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for person, status in ((stranger, 404), (teacher, 403)):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == status
            assert client.post(url, {"cancel": "1"}).status_code == status
    # A care coordinator of a third school does not find the hand-over under their own school either.
    third = member(Role.CARE_COORDINATOR, SchoolFactory())
    client.force_login(third)
    assert client.get(page(third.memberships.get().school, handover)).status_code == 404
    handover.refresh_from_db()
    assert handover.state == HandoverState.WAITING


def test_the_hand_over_list_query_count_is_constant(
    client, coordinator, family, new_school, new_coordinator, django_assert_num_queries
):
    def add(index):
        other = Family.objects.create(school=family.school, reference=f"H-{index}")
        start(client, coordinator, other, new_school)

    add(0)
    url = reverse("referrals:handovers", kwargs={"school_id": new_school.public_id})
    client.force_login(new_coordinator)
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for index in range(1, 4):
        add(index)
    client.force_login(new_coordinator)
    client.get(url)  # the first page after logging in also stores the session
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["incoming"]) == 4


def test_erasing_the_family_calls_off_a_waiting_hand_over(client, coordinator, director, family, new_school):
    start(client, coordinator, family, new_school)
    client.force_login(director)
    url = reverse("referrals:erase_family", kwargs={"school_id": family.school.public_id, "family_id": family.pk})
    assert client.post(url, {"reason": "parents_asked", "reference": family.reference}).status_code == 302
    handover = SchoolHandover.objects.get()
    assert handover.state == HandoverState.CANCELLED and handover.summary == ""
