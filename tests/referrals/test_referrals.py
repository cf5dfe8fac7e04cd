import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from referrals.models import AccessLogEntry, Consent, DataItem, Family, Referral, State
from referrals.workflow import ORGANISATION, SCHOOL, TRANSITIONS
from schools.years import school_year_of
from tests.factories import member
from tests.referrals.conftest import DETAILS


def school_url(referral):
    return referral.get_absolute_url()


def org_url(referral):
    return referral.get_incoming_url()


def step(client, url, to, **extra):
    return client.post(url, {"to": to, **extra})


def test_coordinator_creates_a_draft_referral(client, school, family, coordinator, organisation, need):
    client.force_login(coordinator)
    url = reverse("referrals:new_referral", kwargs={"school_id": school.public_id, "family_id": family.pk})
    response = client.post(
        url,
        {
            "need": need.pk,
            "organisation": organisation.pk,
            "intensity": "accompanied",
            "reference_person": coordinator.pk,
        },
    )
    assert response.status_code == 302
    created = Referral.objects.get()
    assert (created.state, created.family, created.intensity) == (State.DRAFT, family, "accompanied")


def test_a_referral_cannot_be_sent_without_covering_consent(client, referral, coordinator, welfare_worker):
    client.force_login(coordinator)
    response = step(client, school_url(referral), "sent")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.DRAFT
    assert mail.outbox == []
    client.force_login(welfare_worker)
    assert client.get(org_url(referral)).status_code == 404


def test_consent_for_another_organisation_or_need_does_not_count(
    client, referral, consent, coordinator, other_organisation
):
    consent.organisations.set([other_organisation])
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    referral.refresh_from_db()
    assert referral.state == State.DRAFT


def test_sending_with_consent_tells_the_organisation_without_family_details(
    client, referral, consent, coordinator, welfare_worker, intake_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        step(client, school_url(referral), "sent")
    referral.refresh_from_db()
    assert referral.state == State.SENT
    assert referral.consent == consent
    assert {m.to[0] for m in mail.outbox} >= {welfare_worker.email, intake_coordinator.email}
    for message in mail.outbox:
        for detail in (*DETAILS.values(), "G-1"):
            assert detail not in message.body and detail not in message.subject
        assert referral.get_incoming_url() in message.body


def test_the_organisation_sees_what_consent_covers_and_the_look_is_logged(
    client, referral, consent, coordinator, welfare_worker
):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(welfare_worker)
    page = client.get(org_url(referral)).content.decode()
    assert "Samira Testouder" in page
    assert AccessLogEntry.objects.filter(user=welfare_worker, family_reference="G-1").exists()


def test_details_not_covered_by_consent_stay_hidden(client, referral, consent, coordinator, welfare_worker):
    consent.data_items = [DataItem.NEED]
    consent.save()
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(welfare_worker)
    page = client.get(org_url(referral)).content.decode()
    assert "Samira" not in page
    assert "0470" not in page


def test_the_whole_warm_referral_from_both_sides(
    client, referral, consent, coordinator, welfare_worker, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(welfare_worker)
    for target in ("received", "accepted", "in_contact", "on_hold", "in_contact"):
        with django_capture_on_commit_callbacks(execute=True):
            step(client, org_url(referral), target)
        referral.refresh_from_db()
        assert referral.state == target
    step(client, org_url(referral), "closed", outcome="got_help")
    referral.refresh_from_db()
    # The organisation gives status only (the default): its view on the outcome is not kept.
    assert (referral.state, referral.organisation_outcome) == (State.CLOSED, "")
    client.force_login(coordinator)
    client.post(school_url(referral), {"check_in": "1", "outcome": "got_help"})
    referral.refresh_from_db()
    assert referral.outcome == "got_help"
    # The reference person heard of each step the organisation made.
    assert any("in_contact" not in m.body and coordinator.email in m.to for m in mail.outbox)
    assert [e.to_state for e in referral.events.all()][-2:] == ["in_contact", "closed"]


def test_declining_needs_a_reason(client, referral, consent, coordinator, welfare_worker):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(welfare_worker)
    step(client, org_url(referral), "declined")
    referral.refresh_from_db()
    assert referral.state == State.SENT
    step(client, org_url(referral), "declined", decline_reason="no_capacity")
    referral.refresh_from_db()
    assert (referral.state, referral.decline_reason) == (State.DECLINED, "no_capacity")


@pytest.mark.parametrize(
    ("side", "target"),
    [
        (SCHOOL, "accepted"),
        (ORGANISATION, "withdrawn"),
        (SCHOOL, "in_contact"),
        (ORGANISATION, "sent"),
        (SCHOOL, "bogus"),
    ],
)
def test_each_side_makes_only_its_own_moves(client, referral, consent, coordinator, welfare_worker, side, target):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(coordinator if side == SCHOOL else welfare_worker)
    step(client, school_url(referral) if side == SCHOOL else org_url(referral), target)
    referral.refresh_from_db()
    assert referral.state == State.SENT


def test_the_transition_table_never_lets_the_organisation_send_or_withdraw():
    for (_frm, to), sides in TRANSITIONS.items():
        if to in (State.SENT, State.WITHDRAWN, State.ENTERED_IN_ERROR):
            assert sides == {SCHOOL}


def test_withdrawal_hides_the_details_on_the_very_next_request(
    client, school, family, referral, consent, coordinator, welfare_worker, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(welfare_worker)
    assert "Samira" in client.get(org_url(referral)).content.decode()
    client.force_login(coordinator)
    mail.outbox.clear()
    url = reverse(
        "referrals:withdraw_consent",
        kwargs={"school_id": school.public_id, "family_id": family.pk, "consent_id": consent.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"method": "conversation"}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.WITHDRAWN
    assert welfare_worker.email in {m.to[0] for m in mail.outbox}
    client.force_login(welfare_worker)
    page = client.get(org_url(referral)).content.decode()
    assert "Samira" not in page
    assert "0470" not in page


@pytest.mark.parametrize("who", ["stranger", "teacher", "local_official"])
def test_outsiders_never_reach_a_referral(client, referral, consent, coordinator, who, request):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    person = request.getfixturevalue(who)
    client.force_login(person)
    expected = 403 if who == "teacher" else 404
    assert client.get(school_url(referral)).status_code == expected
    assert client.get(org_url(referral)).status_code == 404


def test_another_organisation_gets_404(client, referral, consent, coordinator, other_organisation):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    client.force_login(member(Role.WELFARE_WORKER, other_organisation))
    url = reverse(
        "referrals:incoming_referral", kwargs={"organisation_id": other_organisation.pk, "referral_id": referral.pk}
    )
    assert client.get(url).status_code == 404
    assert client.get(org_url(referral)).status_code == 404


def test_drafts_do_not_reach_the_organisation(client, referral, welfare_worker):
    client.force_login(welfare_worker)
    listing = client.get(reverse("referrals:incoming", kwargs={"organisation_id": referral.organisation_id}))
    assert str(referral.pk) not in listing.content.decode()


def test_consent_form_refuses_bad_dates_and_unknown_organisations(client, school, family, coordinator, need):
    client.force_login(coordinator)
    url = reverse("referrals:new_consent", kwargs={"school_id": school.public_id, "family_id": family.pk})
    response = client.post(
        url,
        {
            "given_by": "vader",
            "method": "paper",
            "explanation_language": "nl-be",
            "organisations": ["00000000-0000-0000-0000-000000000000"],
            "needs": [need.pk],
            "data_items": ["contact_details"],
            "valid_until": "2001-01-01",
        },
    )
    assert response.status_code == 400
    assert {"organisations", "valid_until"} <= set(response.context["form"].errors)
    assert not Consent.objects.exists()


def test_referral_list_query_count_is_constant(
    client, school, family, coordinator, organisation, need, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("referrals:referrals", kwargs={"school_id": school.public_id})
    Referral.objects.create(
        school=school, family=family, need=need, organisation=organisation, reference_person=coordinator
    )
    client.get(url)
    with django_assert_num_queries(5):  # +1: django-otp loads the session's verified device
        client.get(url)
    for index in range(5):
        other = Family.objects.create(school=school, reference=f"G-{index + 10}")
        Referral.objects.create(
            school=school, family=other, need=need, organisation=organisation, reference_person=coordinator
        )
    with django_assert_num_queries(5):  # +1: django-otp loads the session's verified device
        client.get(url)


def test_a_signal_leads_to_a_referral_for_the_chosen_family(client, school, family, coordinator, need):
    from django.utils import timezone

    from referrals.models import Signal

    day = timezone.localdate()
    signal = Signal.objects.create(
        school=school,
        need=need,
        channel="parent_request",
        received_on=day,
        school_year=school_year_of(day),
        reported_by=coordinator,
    )
    client.force_login(coordinator)
    url = reverse("referrals:refer_signal", kwargs={"school_id": school.public_id, "signal_id": signal.pk})
    response = client.get(url, {"family": family.pk})
    assert response.status_code == 302
    form_page = client.get(response["Location"])
    assert form_page.context["form"].initial["need"] == need
    assert client.get(url, {"family": "nope"}).status_code == 302  # back to the signal, with a message
    assert client.get(url, {"family": "00000000-0000-0000-0000-000000000000"}).status_code == 404


def test_referral_pages_cost_the_same_queries_however_long_their_history(
    client, referral, consent, coordinator, welfare_worker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.models import Alert, ReferralEvent

    def cost(user, url):
        client.force_login(user)
        client.get(url)  # session and language settle on the first visit
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    before = cost(coordinator, school_url(referral)), cost(welfare_worker, org_url(referral))
    for index in range(6):
        ReferralEvent.objects.create(
            referral=referral, from_state="sent", to_state="received", by=welfare_worker, side="organisation"
        )
        Alert.objects.create(referral=referral, kind="delay", raised_by=welfare_worker, note=f"Melding {index}")
    after = cost(coordinator, school_url(referral)), cost(welfare_worker, org_url(referral))
    assert before == after


def test_referral_lists_show_the_newest_first(client, school, family, coordinator, organisation, need, consent):
    from datetime import timedelta

    from django.utils import timezone

    from referrals.models import Alert

    made = []
    for index in range(3):
        other = Family.objects.create(school=school, reference=f"N-{index}")
        made.append(
            Referral.objects.create(
                school=school, family=other, need=need, organisation=organisation, reference_person=coordinator
            )
        )
        Referral.objects.filter(pk=made[-1].pk).update(
            created_at=timezone.now() - timedelta(days=3 - index), state=State.SENT, consent=consent
        )
    Alert.objects.create(referral=made[0], kind="papers")  # an alert does not change the order
    newest_first = [r.pk for r in reversed(made)]
    assert [r.pk for r in Referral.objects.for_school(school).for_list()] == newest_first
    assert [r.pk for r in Referral.objects.for_organisation(organisation).for_list()] == newest_first
    assert [r.open_alerts for r in Referral.objects.for_school(school).for_list()] == [0, 0, 1]


def test_the_incoming_list_shows_the_need_only_while_consent_covers_it(
    client, referral, consent, coordinator, welfare_worker, need
):
    client.force_login(coordinator)
    step(client, school_url(referral), "sent")
    listing = reverse("referrals:incoming", kwargs={"organisation_id": referral.organisation_id})
    client.force_login(welfare_worker)
    assert need.name in client.get(listing).content.decode()
    consent.data_items = [DataItem.CONTACT_DETAILS]
    consent.save()
    assert need.name not in client.get(listing).content.decode()
