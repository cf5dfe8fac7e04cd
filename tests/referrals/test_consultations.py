"""Case consultations and mediation (issue #9 parts 2 and 3): the care team holds everything,
notes included; an outside participant sees the logistics and its own agreements, and only while
an active consent of the family names its organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import (
    CaseMeetingType,
    Consent,
    Consultation,
    ConsultationAgreement,
    ConsultationParticipant,
    DataItem,
    Family,
)
from schools.years import end_of_school_year
from tests.factories import OrganisationFactory, member

NOTES = "Vertrouwelijk: schulden bij de huisbaas"
THEIRS = "Budgetplan opmaken met de ouders"
OURS = "Klasleerkracht volgt huiswerk op"


@pytest.fixture
def consultation(school, family, consent, organisation, coordinator, welfare_worker):
    meeting = Consultation.objects.create(
        school=school,
        family=family,
        kind=CaseMeetingType.CARE_MEETING,
        held_on=timezone.localdate() + timedelta(days=5),
        place="Vergaderzaal",
        notes=NOTES,
        organised_by=coordinator,
    )
    worker = ConsultationParticipant.objects.create(
        consultation=meeting,
        organisation=organisation,
        worker=welfare_worker,
        role="maatschappelijk werker",
        consent=consent,
    )
    own = ConsultationParticipant.objects.create(consultation=meeting, worker=coordinator, role="zorgcoördinator")
    ConsultationAgreement.objects.create(consultation=meeting, what=THEIRS, owner=worker)
    ConsultationAgreement.objects.create(consultation=meeting, what=OURS, owner=own)
    return meeting


def school_url(name, consultation):
    return reverse(name, kwargs={"school_id": consultation.school.public_id, "consultation_id": consultation.pk})


def partner_url(organisation, consultation=None):
    if consultation is None:
        return reverse("referrals:joined_consultations", kwargs={"organisation_id": organisation.pk})
    return reverse(
        "referrals:joined_consultation", kwargs={"organisation_id": organisation.pk, "consultation_id": consultation.pk}
    )


def new_url(family):
    return reverse("referrals:new_consultation", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


# Planning and the care team's page -----------------------------------------------------------


def test_planning_a_consultation_is_for_the_care_team(client, family, coordinator, teacher, stranger):
    url = new_url(family)
    assert "/login/" in client.get(url)["Location"]
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "care_meeting", "held_on": "2030-01-01"}).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "care_meeting", "held_on": "2030-01-10", "starts_at": "09:30", "place": "Zaal", "notes": "n"},
    )
    made = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.family == family and made.organised_by == coordinator and not made.parents_present
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_PLANNED, object_id=str(made.pk)).exists()


def test_a_next_date_before_the_meeting_is_a_form_error(client, family, coordinator):
    client.force_login(coordinator)
    response = client.post(new_url(family), {"kind": "mdo", "held_on": "2030-01-10", "next_on": "2030-01-01"})
    assert response.status_code == 400
    assert "next_on" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_the_care_team_page_shows_everything_to_the_care_team_only(
    client, consultation, coordinator, director, teacher, stranger
):
    url = school_url("referrals:consultation", consultation)
    assert "/login/" in client.get(url)["Location"]
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert client.get(url).status_code == 403
    for person in (coordinator, director):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert NOTES in page and THEIRS in page and OURS in page


def test_editing_records_notes_and_next_date_and_is_audited(client, consultation, coordinator, teacher, stranger):
    url = school_url("referrals:edit_consultation", consultation)
    data = {
        "kind": "care_meeting",
        "held_on": consultation.held_on.isoformat(),
        "parents_present": "on",
        "notes": "Nieuwe notitie",
        "next_on": (consultation.held_on + timedelta(days=30)).isoformat(),
    }
    assert "/login/" in client.post(url, data)["Location"]
    client.force_login(stranger)
    assert client.post(url, data).status_code == 404
    client.force_login(teacher)
    assert client.post(url, data).status_code == 403
    consultation.refresh_from_db()
    assert consultation.notes == NOTES
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.notes == "Nieuwe notitie" and consultation.next_on == consultation.held_on + timedelta(days=30)
    event = AuditEvent.objects.get(action=Action.CONSULTATION_CHANGED)
    assert "notes" in event.details["fields"] and "Nieuwe" not in str(event.details)


def participant_data(organisation=None, worker=None, role="maatschappelijk werker", **extra):
    return {
        "step": "participant",
        "participant-organisation": organisation.pk if organisation else "",
        "participant-worker": worker.pk if worker else "",
        "participant-role": role,
        **extra,
    }


def test_an_organisation_named_in_an_active_consent_can_be_added_and_its_worker_is_mailed(
    client, consultation, coordinator, organisation, intake_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            school_url("referrals:consultation", consultation), participant_data(organisation, intake_coordinator)
        )
    assert response.status_code == 302
    added = consultation.participants.get(worker=intake_coordinator)
    assert added.consent == consultation.family.consents.get()
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_PARTICIPANT_ADDED).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [intake_coordinator.email]
    mail = mailoutbox[0].subject + mailoutbox[0].body
    assert partner_url(organisation, consultation) in mail
    assert consultation.family.reference not in mail and "Samira" not in mail and NOTES not in mail


@pytest.mark.parametrize("state", ["none", "withdrawn", "expired"])
def test_an_organisation_without_a_valid_consent_is_a_clear_form_error(
    client, consultation, coordinator, consent, municipality, state
):
    other = OrganisationFactory(name="OCMW Testregio", municipalities=[municipality])
    if state == "withdrawn":
        consent.organisations.add(other)
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now(), withdrawn_by=coordinator)
    elif state == "expired":
        consent.organisations.add(other)
        Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    client.force_login(coordinator)
    before = ConsultationParticipant.objects.count()
    response = client.post(school_url("referrals:consultation", consultation), participant_data(other))
    assert response.status_code == 400
    assert "Geen geldige toestemming van de ouders noemt deze organisatie" in str(
        response.context["participant_form"].errors["organisation"]
    )
    assert ConsultationParticipant.objects.count() == before


def test_a_worker_must_work_at_the_organisation_chosen(client, consultation, coordinator, organisation, teacher):
    client.force_login(coordinator)
    response = client.post(school_url("referrals:consultation", consultation), participant_data(organisation, teacher))
    assert response.status_code == 400
    assert "worker" in response.context["participant_form"].errors


def test_agreements_are_recorded_and_marked_done_with_an_audit_trail(client, consultation, coordinator, teacher):
    url = school_url("referrals:consultation", consultation)
    data = {"step": "agreement", "agreement-what": "Afspraak met OCMW", "agreement-due_on": "2030-02-01"}
    client.force_login(teacher)
    assert client.post(url, data).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, data).status_code == 302
    made = consultation.agreements.get(what="Afspraak met OCMW")
    assert made.owner is None
    assert client.post(url, {"step": "done", "agreement": made.pk}).status_code == 302
    made.refresh_from_db()
    assert made.done_on == timezone.localdate()
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_AGREEMENT_RECORDED).count() == 1
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_AGREEMENT_DONE).count() == 1


# The outside participant's side --------------------------------------------------------------


def test_an_outside_participant_sees_logistics_and_only_its_own_agreements(
    client, consultation, welfare_worker, intake_coordinator, organisation
):
    for person in (welfare_worker, intake_coordinator):  # via the organisation, not only the named worker
        client.force_login(person)
        listing = client.get(partner_url(organisation)).content.decode()
        assert partner_url(organisation, consultation) in listing
        response = client.get(partner_url(organisation, consultation))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Vergaderzaal" in page and "maatschappelijk werker" in page and "zorgcoördinator" in page
        assert THEIRS in page
        assert OURS not in page and NOTES not in page and NOTES not in listing


def test_a_partner_whose_consent_ended_is_not_shown_to_the_other_partners(
    client, consultation, consent, coordinator, welfare_worker, organisation, municipality
):
    ocmw = OrganisationFactory(name="OCMW Testregio", municipalities=[municipality])
    other = Consent.objects.create(
        family=consultation.family,
        given_by="vader",
        method="conversation",
        recorded_by=coordinator,
        data_items=[DataItem.NEED],
        valid_until=end_of_school_year(timezone.localdate()),
    )
    other.organisations.add(ocmw)
    ConsultationParticipant.objects.create(consultation=consultation, organisation=ocmw, role="OCMW", consent=other)
    client.force_login(welfare_worker)
    assert "OCMW Testregio" in client.get(partner_url(organisation, consultation)).content.decode()
    Consent.objects.filter(pk=other.pk).update(withdrawn_at=timezone.now(), withdrawn_by=coordinator)
    assert "OCMW Testregio" not in client.get(partner_url(organisation, consultation)).content.decode()


def test_the_partner_sees_family_details_only_as_the_consent_allows(
    client, consultation, consent, welfare_worker, organisation
):
    client.force_login(welfare_worker)
    assert "Samira Testouder" in client.get(partner_url(organisation, consultation)).content.decode()
    Consent.objects.filter(pk=consent.pk).update(data_items=[DataItem.NEED])
    page = client.get(partner_url(organisation, consultation)).content.decode()
    assert "Samira Testouder" not in page and consultation.family.reference not in page


def test_the_partner_pages_are_closed_to_strangers_and_to_the_school(
    client, consultation, organisation, other_organisation, coordinator, director
):
    assert "/login/" in client.get(partner_url(organisation, consultation))["Location"]
    outsider = member(Role.WELFARE_WORKER, other_organisation, full_name="Olaf Elders")
    client.force_login(outsider)
    assert client.get(partner_url(organisation)).status_code == 404
    assert client.get(partner_url(other_organisation, consultation)).status_code == 404
    assert "Vergaderzaal" not in client.get(partner_url(other_organisation)).content.decode()
    for person in (coordinator, director):  # a school role opens no organisation's pages
        client.force_login(person)
        assert client.get(partner_url(organisation, consultation)).status_code == 404


def test_withdrawing_the_consent_removes_the_partners_access(
    client, consultation, consent, coordinator, welfare_worker, organisation
):
    client.force_login(coordinator)
    withdraw = reverse(
        "referrals:withdraw_consent",
        kwargs={
            "school_id": consultation.school.public_id,
            "family_id": consultation.family_id,
            "consent_id": consent.pk,
        },
    )
    assert client.post(withdraw, {"method": "conversation"}).status_code == 302
    client.force_login(welfare_worker)
    assert client.get(partner_url(organisation, consultation)).status_code == 404
    assert "Vergaderzaal" not in client.get(partner_url(organisation)).content.decode()
    # The care team still sees the participant, marked as no longer covered.
    client.force_login(coordinator)
    assert (
        "geen geldige toestemming: deze partner ziet niets"
        in client.get(school_url("referrals:consultation", consultation)).content.decode()
    )


def test_an_expired_consent_closes_the_page_too(client, consultation, consent, welfare_worker, organisation):
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    client.force_login(welfare_worker)
    assert client.get(partner_url(organisation, consultation)).status_code == 404


def test_removing_the_participant_removes_access_and_gives_its_agreements_to_the_care_team(
    client, consultation, coordinator, welfare_worker, organisation
):
    outside = consultation.participants.get(organisation=organisation)
    client.force_login(coordinator)
    url = school_url("referrals:consultation", consultation)
    assert client.post(url, {"step": "remove", "participant": outside.pk}).status_code == 302
    assert consultation.agreements.get(what=THEIRS).owner is None
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_PARTICIPANT_REMOVED).exists()
    client.force_login(welfare_worker)
    assert client.get(partner_url(organisation, consultation)).status_code == 404


# Mediation -----------------------------------------------------------------------------------


def test_a_mediation_opens_to_the_mediating_worker_only(
    client, consultation, coordinator, welfare_worker, intake_coordinator, organisation
):
    Consultation.objects.filter(pk=consultation.pk).update(kind=CaseMeetingType.MEDIATION)
    client.force_login(welfare_worker)
    assert client.get(partner_url(organisation, consultation)).status_code == 404  # not yet the mediator
    ConsultationParticipant.objects.filter(worker=welfare_worker).update(mediator=True)
    response = client.get(partner_url(organisation, consultation))
    assert response.status_code == 200 and NOTES not in response.content.decode()
    client.force_login(intake_coordinator)  # a colleague of the same organisation
    assert client.get(partner_url(organisation, consultation)).status_code == 404
    assert "Vergaderzaal" not in client.get(partner_url(organisation)).content.decode()


def test_the_mediator_is_added_only_as_a_named_outside_person_and_only_once(
    client, consultation, coordinator, organisation, welfare_worker, intake_coordinator
):
    Consultation.objects.filter(pk=consultation.pk).update(kind=CaseMeetingType.MEDIATION)
    url = school_url("referrals:consultation", consultation)
    client.force_login(coordinator)
    response = client.post(url, participant_data(None, coordinator, "zorg", **{"participant-mediator": "on"}))
    assert response.status_code == 400 and "mediator" in response.context["participant_form"].errors
    ok = client.post(
        url, participant_data(organisation, intake_coordinator, "bemiddelaar", **{"participant-mediator": "on"})
    )
    assert ok.status_code == 302
    again = client.post(url, participant_data(organisation, welfare_worker, "tweede", **{"participant-mediator": "on"}))
    assert again.status_code == 400
    assert consultation.participants.filter(mediator=True).count() == 1


# Export and erasure --------------------------------------------------------------------------


def test_the_family_export_holds_the_consultations_fully(client, consultation, director):
    client.force_login(director)
    url = reverse(
        "referrals:family_export",
        kwargs={"school_id": consultation.school.public_id, "family_id": consultation.family_id},
    )
    held = client.get(url, {"format": "json"}).json()["consultations"]
    assert held[0]["notes"] == NOTES
    assert {a["what"] for a in held[0]["agreements"]} == {THEIRS, OURS}
    page = client.get(url).content.decode()
    assert NOTES in page and OURS in page


def test_the_retention_purge_clears_the_consultation_notes(consultation):
    from referrals.services import remove_personal_details

    remove_personal_details(consultation.family)
    consultation.refresh_from_db()
    assert consultation.notes == "" and consultation.place == ""


def test_erasing_the_family_clears_the_consultation_notes(client, consultation, director):
    from referrals.services import erase_family

    class Request:
        user = director
        META = {}

    erase_family(request=Request(), family=consultation.family, reason="parents_asked")
    consultation.refresh_from_db()
    assert consultation.notes == "" and consultation.place == ""
    assert not consultation.agreements.filter(what=THEIRS).exists()


# Query counts --------------------------------------------------------------------------------


def add_consultations(school, family, organisation, consent, coordinator, worker, n):
    for index in range(n):
        meeting = Consultation.objects.create(
            school=school,
            family=family,
            kind=CaseMeetingType.MDO,
            held_on=timezone.localdate() + timedelta(days=index),
            organised_by=coordinator,
        )
        part = ConsultationParticipant.objects.create(
            consultation=meeting, organisation=organisation, worker=worker, role="r", consent=consent
        )
        ConsultationAgreement.objects.create(consultation=meeting, what="a", owner=part)


def test_partner_list_query_count_is_constant(
    client, school, family, consent, organisation, coordinator, welfare_worker, django_assert_num_queries
):
    add_consultations(school, family, organisation, consent, coordinator, welfare_worker, 1)
    client.force_login(welfare_worker)
    url = partner_url(organisation)
    client.get(url)
    with django_assert_num_queries(5):  # +1: django-otp loads the session's verified device
        client.get(url)
    add_consultations(school, family, organisation, consent, coordinator, welfare_worker, 4)
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count("/consultations/") >= 5


def test_family_page_query_count_is_constant(
    client, school, family, consent, organisation, coordinator, welfare_worker, django_assert_num_queries
):
    add_consultations(school, family, organisation, consent, coordinator, welfare_worker, 1)
    client.force_login(coordinator)
    url = family.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(14) as first:
        client.get(url)
    add_consultations(school, family, organisation, consent, coordinator, welfare_worker, 4)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_consultation_pages_query_counts_are_constant(
    client, consultation, consent, organisation, coordinator, welfare_worker, django_assert_num_queries
):
    def grow():
        for index in range(3):
            part = ConsultationParticipant.objects.create(
                consultation=consultation, organisation=organisation, role=f"r{index}", consent=consent
            )
            ConsultationAgreement.objects.create(consultation=consultation, what=f"a{index}", owner=part)

    care, partner = school_url("referrals:consultation", consultation), partner_url(organisation, consultation)
    # The care team's page writes the access register (2 queries); the partner's page does too here,
    # because the consent shares contact details (+1 for the consents it reads).
    counts = {care: 13, partner: 10}
    for grown in (False, True):
        if grown:
            grow()
        for person, url in ((coordinator, care), (welfare_worker, partner)):
            client.force_login(person)
            client.get(url)
            with django_assert_num_queries(counts[url]):
                client.get(url)


def test_other_families_consultations_never_leak_into_a_partner_list(
    client, school, consent, organisation, coordinator, welfare_worker, need
):
    quiet = Family.objects.create(school=school, reference="G-2")
    no_consent = Consultation.objects.create(
        school=school,
        family=quiet,
        kind=CaseMeetingType.MDO,
        held_on=timezone.localdate(),
        place="Elders",
        organised_by=coordinator,
    )
    # Planted around the form: a participant under another family's consent.
    ConsultationParticipant.objects.create(
        consultation=no_consent, organisation=organisation, role="r", consent=consent
    )
    client.force_login(welfare_worker)
    assert "Elders" not in client.get(partner_url(organisation)).content.decode()
    assert client.get(partner_url(organisation, no_consent)).status_code == 404
    assert end_of_school_year(timezone.localdate())  # the fixture consent is valid today
