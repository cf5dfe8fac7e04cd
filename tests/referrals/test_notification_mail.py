"""Notifications after a referral changes: a clean subject whatever the names hold, and a mail that
cannot be sent is kept and sent again by the daily command, never lost while the change stands."""

import logging
from datetime import date
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from referrals.models import Referral, State, UnsentMail
from welfare.models import WelfareOrganisation


@pytest.fixture
def sent(client, referral, consent, coordinator):
    client.force_login(coordinator)
    client.post(referral.get_absolute_url(), {"to": "sent"})
    referral.refresh_from_db()
    assert referral.state == State.SENT
    mail.outbox.clear()
    return referral


@pytest.fixture
def broken_mail(monkeypatch):
    def refuse(self, messages):
        raise SMTPException("the mail server is away")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    return monkeypatch


def receive(client, referral, welfare_worker, capture):
    client.force_login(welfare_worker)
    with capture(execute=True):
        response = client.post(referral.get_incoming_url(), {"to": "received"})
    assert response.status_code == 302
    return Referral.objects.get(pk=referral.pk)


def test_an_organisation_name_with_a_line_break_still_notifies_the_school_with_a_clean_subject(
    client, sent, organisation, welfare_worker, coordinator, django_capture_on_commit_callbacks
):
    # Stored directly, as a row from before the forms refused it may be.
    WelfareOrganisation.objects.filter(pk=organisation.pk).update(name="CAW\r\nBrugwaarde\x1b")
    referral = receive(client, sent, welfare_worker, django_capture_on_commit_callbacks)
    assert referral.state == State.RECEIVED
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert "CAW Brugwaarde" in message.subject
    assert not any(char in message.subject for char in "\r\n\x1b")


def test_a_mail_that_fails_is_kept_and_sent_by_the_daily_command(
    client, sent, welfare_worker, coordinator, broken_mail, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR):
        referral = receive(client, sent, welfare_worker, django_capture_on_commit_callbacks)
    assert referral.state == State.RECEIVED
    assert mail.outbox == []
    [kept] = UnsentMail.objects.all()
    assert kept.to == coordinator.email
    assert sent.get_absolute_url() in kept.body
    failure = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "brugwijzer.mail"]
    assert failure and coordinator.email not in failure[0].getMessage()
    assert str(kept.pk) in failure[0].getMessage()

    # Still failing the next day: kept, and tried once more.
    call_command("referral_reminders", stdout=StringIO())
    assert UnsentMail.objects.get().attempts == 2

    broken_mail.undo()
    out = StringIO()
    call_command("referral_reminders", stdout=out)
    assert not UnsentMail.objects.exists()
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == ([kept.to], kept.subject, kept.body)
    assert "sent 1 kept mail" in out.getvalue()


def test_a_kept_mail_is_given_up_after_a_week_of_tries(coordinator, broken_mail, caplog):
    UnsentMail.objects.create(to=coordinator.email, subject="s", body="b", what="test", attempts=7)
    with caplog.at_level(logging.ERROR):
        call_command("referral_reminders", stdout=StringIO())
    assert not UnsentMail.objects.exists()
    assert any("given up" in r.getMessage() for r in caplog.records)


def test_a_reminder_that_fails_is_kept_and_does_not_stop_the_others(
    school, family, consent, organisation, need, coordinator, director, broken_mail
):
    for person in (coordinator, director):
        Referral.objects.create(
            school=school,
            family=family,
            need=need,
            organisation=organisation,
            reference_person=person,
            consent=consent,
            state=State.ACCEPTED,
            next_follow_up=date(2000, 1, 1),
        )
    call_command("referral_reminders", stdout=StringIO())
    assert Referral.objects.filter(last_reminded_on__isnull=True).count() == 0
    assert sorted(UnsentMail.objects.values_list("to", flat=True)) == sorted([coordinator.email, director.email])
