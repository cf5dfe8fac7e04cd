"""What flows back from the organisation to the school: status, outcome per the organisation's choice,
and practical alerts within the parents' consent. And the one route without consent: a safety concern
to the CLB."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import AccessLogEntry, Alert, DataItem, LegalGround, Referral, State
from referrals.workflow import SCHOOL, ConcernRouteOnly, transition
from tests.factories import OrganisationFactory, member
from tests.referrals.conftest import DETAILS
from welfare.models import FeedbackLevel, OrganisationType


def step(client, url, to, **extra):
    return client.post(url, {"to": to, **extra})


@pytest.fixture
def sent(client, referral, consent, coordinator):
    client.force_login(coordinator)
    step(client, referral.get_absolute_url(), "sent")
    referral.refresh_from_db()
    assert referral.state == State.SENT
    return referral


def close_from_organisation(client, referral, welfare_worker, outcome="got_help"):
    client.force_login(welfare_worker)
    for target in ("accepted", "in_contact"):
        step(client, referral.get_incoming_url(), target)
    step(client, referral.get_incoming_url(), "closed", outcome=outcome)
    referral.refresh_from_db()
    assert referral.state == State.CLOSED


class TestFeedbackLevel:
    def test_status_only_keeps_no_outcome_from_the_organisation(self, client, sent, welfare_worker, coordinator):
        client.force_login(welfare_worker)
        step(client, sent.get_incoming_url(), "accepted")
        assert 'name="outcome"' not in client.get(sent.get_incoming_url()).content.decode()
        close_from_organisation(client, sent, welfare_worker, outcome="not_helped")
        assert sent.organisation_outcome == "" and sent.outcome == ""
        client.force_login(coordinator)
        page = client.get(sent.get_absolute_url()).content.decode()
        assert 'id="organisation-outcome"' not in page
        assert "Vraag de ouders: was het wat ze verwachtten?" in page

    def test_outcome_level_shows_the_organisations_outcome_to_the_school(
        self, client, sent, welfare_worker, coordinator, organisation
    ):
        organisation.feedback_level = FeedbackLevel.OUTCOME
        organisation.save()
        close_from_organisation(client, sent, welfare_worker, outcome="partly")
        assert sent.organisation_outcome == "partly"
        client.force_login(coordinator)
        page = client.get(sent.get_absolute_url()).content.decode()
        assert '<dd class="col-sm-8" id="organisation-outcome">Gedeeltelijk</dd>' in page

    def test_outcome_level_needs_an_outcome_to_close(self, client, sent, welfare_worker, organisation):
        organisation.feedback_level = FeedbackLevel.OUTCOME
        organisation.save()
        client.force_login(welfare_worker)
        step(client, sent.get_incoming_url(), "accepted")
        step(client, sent.get_incoming_url(), "closed")
        sent.refresh_from_db()
        assert sent.state == State.ACCEPTED

    def test_the_school_records_the_check_in_once(self, client, sent, welfare_worker, coordinator):
        close_from_organisation(client, sent, welfare_worker)
        client.force_login(coordinator)
        client.post(sent.get_absolute_url(), {"check_in": "1", "outcome": "bogus"})
        sent.refresh_from_db()
        assert sent.outcome == ""
        client.post(sent.get_absolute_url(), {"check_in": "1", "outcome": "partly"})
        client.post(sent.get_absolute_url(), {"check_in": "1", "outcome": "got_help"})
        sent.refresh_from_db()
        assert sent.outcome == "partly"


class TestAlerts:
    @pytest.fixture
    def alerts_allowed(self, consent):
        consent.data_items = [*consent.data_items, DataItem.ALERTS]
        consent.save()
        return consent

    def test_the_organisation_alerts_the_school_within_consent(
        self, client, alerts_allowed, sent, welfare_worker, coordinator, django_capture_on_commit_callbacks
    ):
        client.force_login(welfare_worker)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(sent.get_incoming_url(), {"kind": "unpaid_bill", "note": "Factuur maart"})
        assert response.status_code == 302
        alert = Alert.objects.get(referral=sent)
        assert (alert.kind, alert.raised_by) == ("unpaid_bill", welfare_worker)
        # The reference person hears of it, without a family detail in the message.
        [message] = mail.outbox
        assert message.to == [coordinator.email]
        for detail in (*DETAILS.values(), "G-1", "Factuur maart"):
            assert detail not in message.body and detail not in message.subject
        client.force_login(coordinator)
        page = client.get(sent.get_absolute_url()).content.decode()
        assert "Factuur maart" in page
        followups = client.get(reverse("referrals:followups")).content.decode()
        assert "1 melding" in followups
        client.post(sent.get_absolute_url(), {"alert": alert.pk})
        alert.refresh_from_db()
        assert alert.handled_by == coordinator
        assert AuditEvent.objects.filter(action=Action.ALERT_HANDLED).exists()

    def test_no_alert_without_consent_for_it(self, client, sent, welfare_worker):
        client.force_login(welfare_worker)
        assert 'name="kind"' not in client.get(sent.get_incoming_url()).content.decode()
        client.post(sent.get_incoming_url(), {"kind": "papers"})
        assert not Alert.objects.exists()

    def test_no_alert_after_consent_is_withdrawn(self, client, alerts_allowed, sent, welfare_worker, coordinator):
        client.force_login(coordinator)
        url = reverse(
            "referrals:withdraw_consent",
            kwargs={"school_id": sent.school.public_id, "family_id": sent.family.pk, "consent_id": alerts_allowed.pk},
        )
        client.post(url, {"method": "conversation"})
        client.force_login(welfare_worker)
        client.post(sent.get_incoming_url(), {"kind": "papers"})
        assert not Alert.objects.exists()

    @pytest.mark.parametrize(
        ("data", "field"), [({"kind": "gossip"}, "kind"), ({"kind": "papers", "note": "x" * 201}, "note")]
    )
    def test_bad_alert_input_is_refused(self, client, alerts_allowed, sent, welfare_worker, data, field):
        client.force_login(welfare_worker)
        response = client.post(sent.get_incoming_url(), data)
        assert response.status_code == 400
        assert field in response.context["alert_form"].errors
        assert not Alert.objects.exists()

    def test_the_other_school_never_sees_the_alert(self, client, alerts_allowed, sent, other_school, welfare_worker):
        Alert.objects.create(referral=sent, kind="papers", raised_by=welfare_worker)
        outsider = member(Role.CARE_COORDINATOR, other_school)
        client.force_login(outsider)
        url = reverse("referrals:referral", kwargs={"school_id": other_school.public_id, "referral_id": sent.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"alert": 1}).status_code == 404


class TestSafetyConcern:
    @pytest.fixture
    def clb(self, municipality):
        return OrganisationFactory(
            name="CLB Testregio",
            organisation_type=OrganisationType.objects.get(slug="clb"),
            municipalities=[municipality],
        )

    def new_url(self, family):
        return reverse("referrals:new_referral", kwargs={"school_id": family.school.public_id, "family_id": family.pk})

    def data(self, organisation, need, coordinator, **extra):
        return {
            "need": need.pk,
            "organisation": organisation.pk,
            "intensity": "school_contacted",
            "reference_person": coordinator.pk,
            "concern": "on",
            "legal_ground": LegalGround.CHILD_SAFETY,
            "legal_reason": "Het kind vertelde over geweld thuis; de ouders zijn de vermoedelijke plegers.",
            **extra,
        }

    def test_a_concern_goes_to_the_clb_without_consent_and_is_flagged(self, client, family, clb, need, coordinator):
        client.force_login(coordinator)
        response = client.post(self.new_url(family), self.data(clb, need, coordinator))
        assert response.status_code == 302
        referral = Referral.objects.get(concern=True)
        step(client, referral.get_absolute_url(), "sent")
        referral.refresh_from_db()
        assert referral.state == State.SENT and referral.consent is None
        event = AuditEvent.objects.get(action=Action.SHARED_WITHOUT_CONSENT)
        assert event.details["legal_ground"] == LegalGround.CHILD_SAFETY
        clb_worker = member(Role.WELFARE_WORKER, clb)
        client.force_login(clb_worker)
        page = client.get(referral.get_incoming_url()).content.decode()
        assert "Samira Testouder" in page and "verontrusting" in page.lower()
        assert AccessLogEntry.objects.filter(user=clb_worker, family_reference="G-1").exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"legal_ground": ""}, "legal_ground"),
            ({"legal_reason": "Dringend."}, "legal_reason"),
            ({"legal_ground": "because"}, "legal_ground"),
        ],
    )
    def test_a_concern_needs_a_ground_and_a_written_reason(self, client, family, clb, need, coordinator, change, field):
        client.force_login(coordinator)
        response = client.post(self.new_url(family), self.data(clb, need, coordinator, **change))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not Referral.objects.exists()

    def test_a_concern_only_goes_to_the_clb(self, client, family, organisation, need, coordinator):
        client.force_login(coordinator)
        response = client.post(self.new_url(family), self.data(organisation, need, coordinator))
        assert response.status_code == 400
        assert "organisation" in response.context["form"].errors

    def test_the_service_layer_refuses_a_concern_to_another_organisation(
        self, rf, family, organisation, need, coordinator
    ):
        referral = Referral.objects.create(
            school=family.school,
            family=family,
            need=need,
            organisation=organisation,
            reference_person=coordinator,
            concern=True,
            legal_ground=LegalGround.VITAL_INTEREST,
            legal_reason="Een reden die lang genoeg is om te noteren.",
        )
        request = rf.post("/")
        request.user = coordinator
        with pytest.raises(ConcernRouteOnly):
            transition(request=request, referral=referral, to=State.SENT, side=SCHOOL)
        referral.refresh_from_db()
        assert referral.state == State.DRAFT

    def test_without_the_concern_box_ground_and_reason_are_dropped(
        self, client, family, organisation, need, coordinator
    ):
        client.force_login(coordinator)
        data = self.data(organisation, need, coordinator)
        del data["concern"]
        assert client.post(self.new_url(family), data).status_code == 302
        referral = Referral.objects.get()
        assert (referral.concern, referral.legal_ground, referral.legal_reason) == (False, "", "")
        step(client, referral.get_absolute_url(), "sent")
        referral.refresh_from_db()
        assert referral.state == State.DRAFT  # no consent, no concern: nothing is sent
