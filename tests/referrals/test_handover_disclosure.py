"""The warm handover's place and date are family data: the receiving organisation sees them only
under a consent that covers the family's contact details, and never once sharing has stopped."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals.models import DataItem, Referral, State

PLACE = "bij het gezin thuis, Dorpsstraat 12"
DAY = date(2099, 5, 10)


@pytest.fixture
def planned(referral):
    Referral.objects.filter(pk=referral.pk).update(handover_on=DAY, handover_place=PLACE)
    referral.refresh_from_db()
    return referral


def send(client, referral, coordinator):
    client.force_login(coordinator)
    assert client.post(referral.get_absolute_url(), {"to": "sent"}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.SENT


def organisation_pages(client, referral, welfare_worker):
    client.force_login(welfare_worker)
    incoming = reverse("referrals:incoming", kwargs={"organisation_id": referral.organisation_id})
    return [client.get(url).content.decode() for url in (incoming, referral.get_incoming_url())]


def test_a_consent_covering_contact_details_shows_the_handover(client, planned, consent, coordinator, welfare_worker):
    send(client, planned, coordinator)
    _listing, page = organisation_pages(client, planned, welfare_worker)
    assert PLACE in page
    assert "2099" in page


def test_a_consent_without_contact_details_hides_the_handover(client, planned, consent, coordinator, welfare_worker):
    consent.data_items = [DataItem.NEED, DataItem.NOTE]
    consent.save()
    send(client, planned, coordinator)
    for page in organisation_pages(client, planned, welfare_worker):
        assert "Dorpsstraat" not in page
        assert "2099" not in page


def test_after_withdrawal_the_organisation_sees_no_handover_in_pages_or_mails(
    client, planned, consent, coordinator, welfare_worker, django_capture_on_commit_callbacks
):
    send(client, planned, coordinator)
    withdraw = reverse(
        "referrals:withdraw_consent",
        kwargs={"school_id": planned.school.public_id, "family_id": planned.family_id, "consent_id": consent.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(withdraw, {"method": "conversation"}).status_code == 302
    planned.refresh_from_db()
    assert planned.state == State.WITHDRAWN
    for page in organisation_pages(client, planned, welfare_worker):
        assert "Dorpsstraat" not in page
        assert "2099" not in page
    assert mail.outbox, "the organisation is told that the referral was withdrawn"
    for message in mail.outbox:
        assert "Dorpsstraat" not in message.subject + message.body
        assert "2099" not in message.subject + message.body


def test_an_expired_consent_hides_the_handover_of_a_referral_still_open(
    client, planned, consent, coordinator, welfare_worker
):
    send(client, planned, coordinator)
    consent.valid_until = timezone.localdate().replace(year=2000)
    consent.save()
    _listing, page = organisation_pages(client, planned, welfare_worker)
    assert "Dorpsstraat" not in page
    assert "2099" not in page
