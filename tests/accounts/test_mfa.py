"""Two-factor login: who needs it, the set-up on first login, the code step, recovery codes, and
what the audit log keeps. These tests log in without the second factor (`unverified_login` or the
login form) to prove that the code step holds."""

import re

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.roles import CAPABILITIES, FAMILY_DATA_CAPABILITIES, Role, roles_requiring_mfa
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SchoolFactory, UserFactory, confirmed_authenticator, member, totp_code


def log_in_with_password(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def codes_on(response) -> list[str]:
    return re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", response.content.decode())


def set_up_app(client, user):
    """Go through set-up like a person with a phone: read the secret, answer with the app's code."""
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return device, client.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})


# Who needs it ------------------------------------------------------------------------------


def test_the_roles_that_need_a_second_factor_are_those_with_family_data(db):
    # The list: director, care coordinator, bridge figure, CLB worker, welfare workers.
    assert roles_requiring_mfa() == {
        Role.DIRECTOR,
        Role.CARE_COORDINATOR,
        Role.BRIDGE_FIGURE,
        Role.CLB_WORKER,
        Role.WELFARE_WORKER,
        Role.WELFARE_INTAKE,
    }
    for capability in FAMILY_DATA_CAPABILITIES:
        assert CAPABILITIES[capability] <= roles_requiring_mfa()
    # Teachers, administrative staff and officials see counts and the directory, never a family's
    # record. The school's CLB worker has no screen on family data either, but takes up every
    # safety concern by function: a second factor all the same.
    for role in {Role.TEACHER, Role.ADMIN_STAFF, Role.LOCAL_OFFICIAL}:
        assert role not in roles_requiring_mfa()
    assert member(Role.CLB_WORKER, SchoolFactory()).needs_second_factor


def test_platform_administrators_and_family_roles_need_it_teachers_do_not(school, teacher, coordinator):
    assert coordinator.needs_second_factor
    assert not teacher.needs_second_factor
    assert UserFactory(is_staff=True).needs_second_factor
    assert member(Role.BRIDGE_FIGURE, school).needs_second_factor


def test_an_ended_membership_no_longer_asks_for_it(school):
    from django.utils import timezone

    user = member(Role.CARE_COORDINATOR, school)
    user.memberships.update(starts_on=timezone.localdate().replace(year=2020), ends_on=timezone.localdate())
    assert not user.needs_second_factor


# Enforcement -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.DIRECTOR, Role.CARE_COORDINATOR, Role.BRIDGE_FIGURE, Role.WELFARE_WORKER, Role.WELFARE_INTAKE]
)
def test_every_family_role_is_held_at_set_up_until_it_has_an_app(client, unverified_login, school, organisation, role):
    tenant = organisation if role in (Role.WELFARE_WORKER, Role.WELFARE_INTAKE) else school
    user = member(role, tenant)
    unverified_login(client, user)
    response = client.get(tenant.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == mfa.step_url("accounts:mfa_setup", tenant.get_absolute_url())


def test_someone_with_an_app_is_held_at_the_code_step_on_a_family_page(client, unverified_login, coordinator, school):
    confirmed_authenticator(coordinator)
    unverified_login(client, coordinator)
    families = reverse("referrals:families", kwargs={"school_id": school.public_id})
    response = client.get(families)
    assert response["Location"] == mfa.step_url("accounts:mfa_verify", families)


def test_a_teacher_works_without_a_second_factor(client, unverified_login, teacher, school):
    unverified_login(client, teacher)
    assert client.get(school.get_absolute_url()).status_code == 200


def test_a_teacher_who_set_up_an_app_is_asked_for_its_code(client, unverified_login, teacher, school):
    confirmed_authenticator(teacher)
    unverified_login(client, teacher)
    assert client.get(school.get_absolute_url())["Location"].startswith(reverse("accounts:mfa_verify"))


def test_an_administrator_is_held_at_set_up_before_the_admin_site(client, unverified_login, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    unverified_login(client, admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:mfa_setup"))


def test_the_admin_login_page_sends_everybody_to_our_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"


def test_public_pages_and_logout_work_before_the_code(client, unverified_login, coordinator):
    confirmed_authenticator(coordinator)
    unverified_login(client, coordinator)
    assert client.get(reverse("privacy")).status_code == 200
    assert client.post(reverse("accounts:set_language"), {"language": "en"}).status_code == 302
    response = client.get(reverse("accounts:mfa_verify"))
    assert response.status_code == 200
    assert "Cas Coördinator" in response.content.decode()
    assert "switch_context" not in response.content.decode()  # no places or menu before the code
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AUTH_SESSION_KEY not in client.session


# Set-up on first login ---------------------------------------------------------------------


def test_first_login_sets_up_the_app_and_shows_recovery_codes_once(client, coordinator, school):
    response = log_in_with_password(client, coordinator)
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))

    page = client.get(response["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    html = page.content.decode()
    assert "<svg" in html and mfa.secret_text(device) in html
    assert "<script>" not in html and " style=" not in html  # nothing inline: fits the strict CSP

    wrong = client.post(response["Location"], {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "komt niet overeen" in wrong.content.decode()
    assert client.get(school.get_absolute_url()).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(response["Location"], {"code": totp_code(device)})
    assert done.status_code == 200
    codes = codes_on(done)
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    assert "Bewaar deze herstelcodes nu" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed

    # The session is verified now; the codes are not shown again and are stored only as hashes.
    assert client.get(school.get_absolute_url()).status_code == 200
    assert codes_on(client.get(reverse("accounts:security"))) == []
    stored = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert stored == {mfa.recovery_digest(code) for code in codes}
    assert not stored & set(codes)
    actions = list(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert Action.MFA_ENROLLED in actions and Action.RECOVERY_CODES_GENERATED in actions


def test_set_up_keeps_the_same_secret_until_confirmed(client, unverified_login, coordinator):
    unverified_login(client, coordinator)
    first = client.get(reverse("accounts:mfa_setup"))
    second = client.get(reverse("accounts:mfa_setup"))
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    secret = mfa.secret_text(TOTPDevice.objects.get(user=coordinator))
    assert secret in first.content.decode() and secret in second.content.decode()


def test_set_up_is_not_a_way_around_an_existing_app(client, unverified_login, coordinator):
    confirmed_authenticator(coordinator)
    unverified_login(client, coordinator)
    assert client.get(reverse("accounts:mfa_setup"))["Location"].startswith(reverse("accounts:mfa_verify"))
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


# The code step -----------------------------------------------------------------------------


def test_the_code_step_goes_on_to_the_page_asked_for_under_a_new_session_key(client, coordinator, school):
    device = confirmed_authenticator(coordinator)
    families = reverse("referrals:families", kwargs={"school_id": school.public_id})
    response = client.post(
        reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD, "next": families}
    )
    assert response["Location"] == mfa.step_url("accounts:mfa_verify", families)
    before = client.session.session_key
    response = client.post(response["Location"], {"code": totp_code(device), "next": families})
    assert response["Location"] == families
    assert client.session.session_key != before
    assert client.get(families).status_code == 200
    event = AuditEvent.objects.get(action=Action.MFA_VERIFIED)
    assert event.actor == coordinator and event.details == {"method": "app"}


def test_the_code_step_does_not_send_people_to_another_site(client, unverified_login, coordinator):
    device = confirmed_authenticator(coordinator)
    unverified_login(client, coordinator)
    response = client.post(reverse("accounts:mfa_verify"), {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_a_wrong_code_is_refused_audited_and_then_throttled(client, unverified_login, coordinator, school):
    device = confirmed_authenticator(coordinator)
    unverified_login(client, coordinator)
    response = client.post(reverse("accounts:mfa_verify"), {"code": "12345x"})
    assert response.status_code == 400
    assert "Die code klopt niet" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.MFA_FAILED, actor=coordinator).count() == 1
    # django-otp makes the next attempt wait (1 s, 2 s, 4 s … after each wrong code in a row).
    response = client.post(reverse("accounts:mfa_verify"), {"code": "000000"})
    response = client.post(reverse("accounts:mfa_verify"), {"code": totp_code(device)})
    assert response.status_code == 400
    assert "Wacht tot" in response.content.decode()
    assert client.get(school.get_absolute_url()).status_code == 302


def test_a_recovery_code_works_once(client, unverified_login, coordinator, school):
    confirmed_authenticator(coordinator)
    codes = mfa.replace_recovery_codes(coordinator)
    unverified_login(client, coordinator)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[3].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == school.get_absolute_url()
    assert "nog 9 codes" in response.content.decode()
    assert mfa.recovery_codes_left(coordinator) == 9
    used = AuditEvent.objects.get(action=Action.RECOVERY_CODE_USED)
    assert used.details == {"left": 9}
    assert AuditEvent.objects.get(action=Action.MFA_VERIFIED).details == {"method": "recovery_code"}

    client.post(reverse("accounts:logout"))
    unverified_login(client, coordinator)
    device = StaticToken.objects.filter(device__user=coordinator).first().device
    device.throttle_reset()
    again = client.post(reverse("accounts:mfa_verify"), {"code": codes[3]})
    assert again.status_code == 400
    assert AUTH_SESSION_KEY in client.session and client.get(school.get_absolute_url()).status_code == 302


# Managing the app and the codes --------------------------------------------------------------


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(client, coordinator):
    confirmed_authenticator(coordinator)
    old = mfa.replace_recovery_codes(coordinator)
    client.force_login(coordinator)
    refused = client.post(reverse("accounts:recovery_codes"), {"password": "not-my-password"})
    assert refused.status_code == 400
    assert "niet je huidige wachtwoord" in refused.content.decode()
    response = client.post(reverse("accounts:recovery_codes"), {"password": PASSWORD})
    new = codes_on(response)
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert stored == {mfa.recovery_digest(code) for code in new}
    assert AuditEvent.objects.filter(action=Action.RECOVERY_CODES_GENERATED, actor=coordinator).count() == 1


def test_removing_the_app_needs_the_password_and_leads_to_a_new_set_up(client, coordinator, school):
    confirmed_authenticator(coordinator)
    client.force_login(coordinator)
    assert client.post(reverse("accounts:mfa_remove"), {"password": "nope"}).status_code == 400
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    response = client.post(reverse("accounts:mfa_remove"), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa_setup")
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    assert client.get(school.get_absolute_url())["Location"].startswith(reverse("accounts:mfa_setup"))
    assert AuditEvent.objects.filter(action=Action.MFA_RESET, actor=coordinator).exists()


def test_a_teacher_may_set_up_and_remove_an_app(client, teacher):
    client.force_login(teacher)
    assert "Authenticator-app instellen" in client.get(reverse("accounts:security")).content.decode()
    _device, response = set_up_app(client, teacher)
    assert len(codes_on(response)) == 10
    response = client.post(reverse("accounts:mfa_remove"), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:security")
    assert not TOTPDevice.objects.filter(user=teacher).exists()


def test_the_security_page_counts_the_codes_left(client, coordinator):
    confirmed_authenticator(coordinator)
    mfa.replace_recovery_codes(coordinator)
    client.force_login(coordinator)
    assert "nog 10 herstelcodes" in client.get(reverse("accounts:security")).content.decode()


# Nothing secret in the audit log -------------------------------------------------------------


def test_the_audit_log_holds_no_secret_code_or_password(client, coordinator, caplog):
    caplog.set_level("DEBUG")
    log_in_with_password(client, coordinator)
    device, response = set_up_app(client, coordinator)
    codes = codes_on(response)
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, coordinator)
    client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    everything = (
        " ".join(f"{event.details} {event.object_id} {event.actor_label}" for event in AuditEvent.objects.all())
        + caplog.text
    )
    for secret in [PASSWORD, device.key, mfa.secret_text(device).replace(" ", ""), *codes]:
        assert secret not in everything


def test_an_administrator_removes_a_lost_app_without_ever_seeing_its_secret(client, coordinator):
    admin = UserFactory(is_staff=True, is_superuser=True)
    device = confirmed_authenticator(coordinator)
    client.force_login(admin)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and str(coordinator) in listing.content.decode()
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert device.key not in page.content.decode() and mfa.secret_text(device) not in page.content.decode()
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.get(action=Action.MFA_RESET)
    assert event.actor == admin and event.object_id == str(coordinator.pk)
    assert event.details == {"by_administrator": True}
