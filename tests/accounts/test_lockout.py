"""Login throttling (django-axes): five wrong passwords for one account from one address lock that
combination for 15 minutes, with a clear page and an audit event for each refused attempt."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, member

LOGIN = "accounts:login"


WRONG = "wrong-password-1"


def attempt(client, user, password=WRONG, **extra):
    return client.post(reverse(LOGIN), {"username": user.email, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, teacher, school):
    for _ in range(4):
        assert attempt(client, teacher).status_code == 200
    fifth = attempt(client, teacher)
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Aanmelden is gepauzeerd" in page and "15 minuten" in page and "Probeer opnieuw na" in page

    sixth = attempt(client, teacher, password=PASSWORD)
    assert sixth.status_code == 429
    assert client.get(school.get_absolute_url()).status_code == 302  # not logged in
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 6
    locked = AuditEvent.objects.filter(action=Action.LOGIN_LOCKED_OUT)
    assert locked.count() == 2
    assert {event.details["email"] for event in locked} == {teacher.email}
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_the_lock_counts_every_spelling_of_the_address_as_one_account(client, teacher):
    for variant in [teacher.email, teacher.email.upper(), f" {teacher.email} ", teacher.email.title()]:
        client.post(reverse(LOGIN), {"username": variant, "password": "wrong-password-1"})
    assert attempt(client, teacher).status_code == 429


def test_the_lock_holds_for_one_address_only(client, teacher):
    for _ in range(5):
        attempt(client, teacher)
    assert attempt(client, teacher, password=PASSWORD).status_code == 429
    elsewhere = attempt(client, teacher, password=PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_after_fifteen_minutes_the_right_password_works_again(client, teacher, school):
    for _ in range(5):
        attempt(client, teacher)
    # Fourteen minutes later: still locked. Attempts during the lock do not prolong it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, teacher, password=PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    response = attempt(client, teacher, password=PASSWORD)
    assert response.status_code == 302
    assert client.get(school.get_absolute_url()).status_code == 200


def test_a_successful_login_clears_the_count(client, teacher):
    for _ in range(4):
        attempt(client, teacher)
    assert attempt(client, teacher, password=PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert attempt(client, teacher).status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()


def test_the_lockout_page_is_english_for_english_speakers(client, teacher):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = attempt(client, teacher)
    assert "Logging in is paused" in response.content.decode()


def test_no_password_is_kept_by_the_lockout(client, teacher):
    for _ in range(5):
        attempt(client, teacher, password="my-secret-attempt-77")
    stored = " ".join(f"{a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    assert "my-secret-attempt-77" not in stored
    assert "my-secret-attempt-77" not in str(list(AuditEvent.objects.values_list("details", flat=True)))


# Look-alike spellings of one address. Django's login form folds them (NFKC) before it looks the
# account up, so each of them logs in to `fien.directie@kanaalkant.example`; the lock must count
# them as that same account.
CANONICAL = "fien.directie@kanaalkant.example"
LOOK_ALIKES = [
    "f\uff49en.directie@kanaalkant.example",  # a full-width i
    "fien.d\uff49rectie@kanaalkant.example",  # the same, further on
    "\ufb01en.directie@kanaalkant.example",  # the "fi" ligature
    "fien.directie\uff20kanaalkant.example",  # a full-width @
    "\U0001d41f\U0001d422\U0001d41e\U0001d427.directie@kanaalkant.example",  # mathematical bold letters
    "\uff26ien.Directie@Kanaalkant.EXAMPLE",  # full-width capital and mixed case
    "  FIEN.DIRECTIE@KANAALKANT.EXAMPLE \u3000",  # capitals, spaces and an ideographic space around
]


@pytest.fixture
def fien(school):
    return member(Role.ADMIN_STAFF, school, email=CANONICAL)


def login_as(client, username, password=WRONG):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


@pytest.mark.parametrize("spelling", LOOK_ALIKES)
def test_a_locked_account_stays_locked_under_a_look_alike_spelling(client, fien, school, spelling):
    for _ in range(5):
        login_as(client, CANONICAL)
    response = login_as(client, spelling, password=PASSWORD)
    assert response.status_code == 429
    assert "Aanmelden is gepauzeerd" in response.content.decode()
    assert client.get(school.get_absolute_url()).status_code == 302  # not logged in
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED_OUT).latest("at").details == {"email": CANONICAL}


def test_wrong_passwords_under_look_alike_spellings_add_up_to_one_lock(client, fien):
    for spelling in LOOK_ALIKES[:5]:
        assert login_as(client, spelling).status_code in {200, 429}
    assert login_as(client, CANONICAL, password=PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == CANONICAL


def test_the_audit_log_names_the_account_in_its_one_spelling(client, fien):
    for spelling in LOOK_ALIKES:
        login_as(client, spelling)
    emails = {
        event.details["email"]
        for event in AuditEvent.objects.filter(action__in=[Action.LOGIN_FAILED, Action.LOGIN_LOCKED_OUT])
    }
    assert emails == {CANONICAL}


def test_a_look_alike_spelling_logs_in_to_the_account_when_it_is_not_locked(client, fien, school):
    assert login_as(client, LOOK_ALIKES[0], password=PASSWORD).status_code == 302
    assert client.get(school.get_absolute_url()).status_code == 200
