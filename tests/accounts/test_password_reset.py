"""Password-reset mails: the account is found under any spelling of its address, and the mails are
throttled per address and per client without telling anyone whether an account exists."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from audit.models import Action, AuditEvent
from tests.factories import member

RESET = "accounts:password_reset"
PER_ADDRESS = settings.BRUGWIJZER_RESET_MAILS_PER_ADDRESS
PER_CLIENT = settings.BRUGWIJZER_RESET_MAILS_PER_CLIENT


def ask(client, email, **extra):
    return client.post(reverse(RESET), {"email": email}, **extra)


def test_a_look_alike_spelling_of_the_address_sends_the_mail_to_the_address_of_the_account(client, teacher):
    lookalike = " " + teacher.email.upper().replace("P", "\uff30", 1).replace("@", "\uff20")
    response = ask(client, lookalike)
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[teacher.email]]


def test_asking_once_or_twice_sends_the_mail_each_time(client, teacher):
    assert ask(client, teacher.email).status_code == 302
    assert ask(client, teacher.email).status_code == 302
    assert len(mail.outbox) == 2


def test_many_requests_for_one_address_send_only_a_few_mails(client, teacher):
    for _ in range(10):
        assert ask(client, teacher.email).status_code == 302
    assert len(mail.outbox) == PER_ADDRESS == 3
    # Not from elsewhere either, nor under another spelling of the address.
    ask(client, teacher.email.upper(), REMOTE_ADDR="192.0.2.9")
    assert len(mail.outbox) == PER_ADDRESS


def test_one_client_asking_for_many_addresses_is_capped(client, school):
    people = [member(Role.TEACHER, school) for _ in range(PER_CLIENT + 5)]
    for person in people:
        assert ask(client, person.email).status_code == 302
    assert len(mail.outbox) == PER_CLIENT == 10
    # Someone else, at another address, still gets their mail.
    ask(client, people[-1].email, REMOTE_ADDR="192.0.2.9")
    assert mail.outbox[-1].to == [people[-1].email]
    assert len(mail.outbox) == PER_CLIENT + 1


def test_behind_the_proxies_each_client_is_counted_on_its_own(client, school, settings):
    settings.BRUGWIJZER_PROXY_COUNT = 1
    people = [member(Role.TEACHER, school) for _ in range(PER_CLIENT + 2)]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for person in people[:-1]:
        # What a client writes into the header itself does not make it someone else.
        ask(client, person.email, HTTP_X_FORWARDED_FOR=f"203.0.113.{len(mail.outbox)}, 198.51.100.1", **proxy)
    assert len(mail.outbox) == PER_CLIENT
    ask(client, people[-1].email, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert mail.outbox[-1].to == [people[-1].email]


@pytest.mark.parametrize("which", ["known", "unknown"])
def test_a_throttled_request_gets_the_very_same_answer_and_no_mail(client, teacher, which):
    email = teacher.email if which == "known" else "niemand@test.example"
    usual = ask(client, email)
    for _ in range(PER_ADDRESS):
        throttled = ask(client, email)
    assert len(mail.outbox) == (PER_ADDRESS if which == "known" else 0)
    assert throttled.status_code == usual.status_code == 302
    assert throttled["Location"] == usual["Location"] == reverse("accounts:password_reset_done")
    assert throttled.content == usual.content
    assert sorted(throttled.cookies) == sorted(usual.cookies)
    page = client.get(throttled["Location"])
    assert page.status_code == 200
    assert "Kijk in je mailbox" in page.content.decode()
    # The audit log, for administrators only, tells throttled requests apart.
    events = AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REQUESTED)
    assert [event.details for event in events.order_by("id")] == [{}] * PER_ADDRESS + [{"throttled": True}]
