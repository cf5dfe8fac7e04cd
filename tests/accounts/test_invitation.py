import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.mfa import step_url
from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def make_invitation(director, school):
    def make(email="nieuw@test.example", role=Role.TEACHER, **fields):
        token, token_hash = Invitation.new_token()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            school=school,
            invited_by=director,
            token_hash=token_hash,
            expires_at=fields.pop("expires_at", timezone.now() + timedelta(days=7)),
            **fields,
        )
        return invitation, reverse("accounts:accept_invitation", kwargs={"token": token})

    return make


NEW_ACCOUNT = {"full_name": "Nele Nieuw", "password1": "een-lang-wachtwoord-88", "password2": "een-lang-wachtwoord-88"}


def test_new_person_creates_an_account_and_lands_in_the_school(client, make_invitation, school):
    invitation, url = make_invitation()
    assert client.get(url).status_code == 200
    response = client.post(url, NEW_ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == school.get_absolute_url()
    user = User.objects.get(email="nieuw@test.example")
    assert user.full_name == "Nele Nieuw"
    assert user.check_password("een-lang-wachtwoord-88")
    assert Membership.objects.active().get(user=user).school == school
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action=Action.INVITATION_ACCEPTED, actor=user, school=school).exists()
    # Logged in straight away.
    assert client.get(school.get_absolute_url()).status_code == 200


def test_reused_link_says_it_was_used(client, make_invitation):
    _, url = make_invitation()
    client.post(url, NEW_ACCOUNT)
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()
    response = client.post(url, {**NEW_ACCOUNT, "full_name": "Iemand Anders"})
    assert response.status_code == 410
    assert User.objects.filter(email="nieuw@test.example").count() == 1


def test_expired_link_says_it_expired(client, make_invitation):
    _, url = make_invitation(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(url, NEW_ACCOUNT)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not User.objects.filter(email="nieuw@test.example").exists()


def test_revoked_link_says_it_was_withdrawn(client, make_invitation):
    _, url = make_invitation(revoked_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 410
    assert "ingetrokken" in response.content.decode()


def test_unknown_link_gives_404_with_an_explanation(client, db):
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "herkennen deze link niet" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**NEW_ACCOUNT, "password2": "iets-heel-anders-99"}, "password2"),
        ({**NEW_ACCOUNT, "password1": "kort", "password2": "kort"}, "password2"),
        ({**NEW_ACCOUNT, "password1": "password1234", "password2": "password1234"}, "password2"),
        ({**NEW_ACCOUNT, "full_name": ""}, "full_name"),
        ({}, "full_name"),
    ],
)
def test_wrong_input_gives_form_errors_and_keeps_the_link_usable(client, make_invitation, data, field):
    invitation, url = make_invitation()
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not User.objects.filter(email="nieuw@test.example").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_existing_account_is_asked_to_log_in_first(client, make_invitation, school):
    UserFactory(email="bestaand@test.example")
    _, url = make_invitation(email="bestaand@test.example")
    response = client.get(url)
    assert response.status_code == 200
    assert f"{reverse('accounts:login')}?next={url}" in response.content.decode()


def test_existing_account_accepts_after_logging_in(client, make_invitation, school):
    user = UserFactory(email="bestaand@test.example")
    _, url = make_invitation(email="bestaand@test.example", role=Role.CLB_WORKER)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.active().get(user=user).role == Role.CLB_WORKER


def test_someone_logged_in_with_another_account_cannot_accept(client, make_invitation, teacher):
    invitation, url = make_invitation()
    client.force_login(teacher)
    response = client.post(url)
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_invited_director_sets_up_an_authenticator_app_before_entering_the_school(client, make_invitation, school):
    _, url = make_invitation(role=Role.DIRECTOR)
    response = client.post(url, NEW_ACCOUNT, follow=True)
    assert response.redirect_chain[-1][0] == step_url("accounts:mfa_setup", school.get_absolute_url())


def test_an_admin_invitation_to_a_look_alike_spelling_makes_an_account_in_the_one_spelling(
    client, school, django_capture_on_commit_callbacks
):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_invitation_add"),
            {"email": "Nieuw@\uff54est.example", "role": Role.TEACHER, "school": school.pk},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "nieuw@test.example"
    assert mail.outbox[-1].to == ["nieuw@test.example"]
    link = re.search(r"http://testserver(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    assert client.post(link, NEW_ACCOUNT).status_code == 302
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": "nieuw@test.example", "password": "een-lang-wachtwoord-88"}
    )
    assert login.status_code == 302
    assert client.get(school.get_absolute_url()).status_code == 200
