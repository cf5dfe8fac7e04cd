import re

from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, confirmed_authenticator, member, totp_code


def test_login_with_email_in_any_case_lands_in_the_school(client, teacher, school):
    response = client.post(reverse("accounts:login"), {"username": teacher.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == school.get_absolute_url()
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=teacher).exists()


def test_login_with_a_second_factor_lands_in_the_school_after_the_code(client, coordinator, school):
    device = confirmed_authenticator(coordinator)
    response = client.post(reverse("accounts:login"), {"username": coordinator.email.upper(), "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    response = client.post(response["Location"], {"code": totp_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == school.get_absolute_url()
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=coordinator).exists()
    assert AuditEvent.objects.filter(action=Action.MFA_VERIFIED, actor=coordinator).exists()


def test_wrong_password_explains_and_is_audited(client, coordinator):
    response = client.post(reverse("accounts:login"), {"username": coordinator.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "komen niet overeen" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"email": coordinator.email}
    assert event.actor is None


def test_logout_needs_post_and_is_audited(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=coordinator).exists()
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "nieuw-wachtwoord-2027", "new_password2": "nieuw-wachtwoord-2027"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("nieuw-wachtwoord-2027")
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=coordinator).exists()


def test_password_change_with_a_wrong_old_password_gives_an_error(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "nieuw-wachtwoord-2027", "new_password2": "nieuw-wachtwoord-2027"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]


def test_password_reset_by_email(client, coordinator):
    response = client.post(reverse("accounts:password_reset"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "hersteld-wachtwoord-31", "new_password2": "hersteld-wachtwoord-31"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("hersteld-wachtwoord-31")
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor=coordinator).exists()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@test.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_login_remembers_the_preferred_language(client, school):
    user = member(Role.TEACHER, school, preferred_language="en")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(school.get_absolute_url())
    assert "My school" in page.content.decode()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, coordinator, school):
    from django.test import Client

    other = Client()
    other.force_login(coordinator)
    assert other.get(school.get_absolute_url()).status_code == 200
    client.force_login(coordinator)
    before = client.session.session_key
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "nieuw-wachtwoord-2027", "new_password2": "nieuw-wachtwoord-2027"},
    )
    # This session goes on, under a new key and still verified; the other one is logged out.
    assert client.session.session_key != before
    assert client.get(school.get_absolute_url()).status_code == 200
    response = other.get(school.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_login_rotates_the_session_key_and_logout_destroys_the_session(client, teacher):
    from django.contrib.sessions.models import Session

    session = client.session
    session["probe"] = 1
    session.save()
    anonymous_key = session.session_key
    client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    logged_in_key = client.session.session_key
    assert logged_in_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=logged_in_key).exists()
