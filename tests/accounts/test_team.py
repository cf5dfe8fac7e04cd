import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Membership
from accounts.roles import Role
from audit.models import Action, AuditEvent
from tests.factories import member


def team_url(tenant, kind="school", name="team"):
    return reverse(f"accounts:{name}", kwargs={"kind": kind, "tenant_id": tenant.public_id})


class TestTeamPage:
    def test_anonymous_is_sent_to_login(self, client, school):
        response = client.get(team_url(school))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_stranger_gets_404(self, client, school, stranger):
        client.force_login(stranger)
        assert client.get(team_url(school)).status_code == 404

    def test_kind_must_match_the_tenant(self, client, school, director):
        client.force_login(director)
        assert client.get(team_url(school, kind="organisation")).status_code == 404

    def test_teacher_sees_colleagues_but_no_invitations(self, client, school, teacher, director):
        Invitation.objects.create(
            email="pending@test.example",
            role=Role.TEACHER,
            school=school,
            invited_by=director,
            token_hash="x" * 64,
            expires_at="2999-01-01T00:00:00Z",
        )
        client.force_login(teacher)
        response = client.get(team_url(school))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Dina Directeur" in content
        assert "pending@test.example" not in content
        assert "Iemand uitnodigen" not in content

    def test_director_sees_open_invitations(self, client, school, director):
        Invitation.objects.create(
            email="pending@test.example",
            role=Role.TEACHER,
            school=school,
            invited_by=director,
            token_hash="y" * 64,
            expires_at="2999-01-01T00:00:00Z",
        )
        client.force_login(director)
        assert "pending@test.example" in client.get(team_url(school)).content.decode()

    def test_team_page_query_count_is_constant(self, client, school, director, django_assert_num_queries):
        client.force_login(director)
        client.get(team_url(school))
        # session, user, memberships, team members, open invitations
        with django_assert_num_queries(6):  # +1: django-otp loads the session's verified device
            client.get(team_url(school))
        for _ in range(4):
            member(Role.TEACHER, school)
        with django_assert_num_queries(6):  # +1: django-otp loads the session's verified device
            client.get(team_url(school))


class TestInvite:
    def test_teacher_may_not_invite(self, client, school, teacher):
        client.force_login(teacher)
        assert client.get(team_url(school, name="invite")).status_code == 403
        response = client.post(team_url(school, name="invite"), {"email": "x@test.example", "role": "teacher"})
        assert response.status_code == 403
        assert not Invitation.objects.exists()

    def test_stranger_gets_404(self, client, school, stranger):
        client.force_login(stranger)
        assert client.post(team_url(school, name="invite"), {"email": "x@test.example"}).status_code == 404

    def test_director_sends_an_invitation_by_email(self, client, school, director, django_capture_on_commit_callbacks):
        client.force_login(director)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                team_url(school, name="invite"), {"email": " Nieuwe.Collega@Test.example ", "role": "care_coordinator"}
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert invitation.email == "nieuwe.collega@test.example"
        assert invitation.school == school
        assert invitation.role == Role.CARE_COORDINATOR
        assert invitation.status == Invitation.Status.PENDING
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["nieuwe.collega@test.example"]
        assert school.name in message.subject
        link = re.search(r"http://testserver(/accounts/invitation/\S+/)", message.body).group(1)
        # Only a hash of the token is stored.
        assert link.split("/")[-2] not in invitation.token_hash
        assert AuditEvent.objects.filter(action=Action.INVITATION_SENT, school=school, actor=director).exists()

    def test_role_must_belong_to_the_kind_of_tenant(self, client, school, director):
        client.force_login(director)
        response = client.post(team_url(school, name="invite"), {"email": "x@test.example", "role": "local_official"})
        assert response.status_code == 400
        assert "role" in response.context["form"].errors
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("email", ["", "not-an-address", "a" * 300 + "@test.example"])
    def test_bad_email_gives_form_errors(self, client, school, director, email):
        client.force_login(director)
        response = client.post(team_url(school, name="invite"), {"email": email, "role": "teacher"})
        assert response.status_code == 400
        assert response.context["form"].errors["email"]
        assert len(mail.outbox) == 0

    def test_no_second_invitation_while_one_is_open(self, client, school, director):
        client.force_login(director)
        data = {"email": "twice@test.example", "role": "teacher"}
        client.post(team_url(school, name="invite"), data)
        response = client.post(team_url(school, name="invite"), data)
        assert response.status_code == 400
        assert "nog open" in response.content.decode()
        assert Invitation.objects.count() == 1

    def test_existing_member_with_the_role_cannot_be_invited_again(self, client, school, director, teacher):
        client.force_login(director)
        response = client.post(team_url(school, name="invite"), {"email": teacher.email, "role": "teacher"})
        assert response.status_code == 400
        assert not Invitation.objects.exists()

    def test_intake_coordinator_invites_for_the_organisation(self, client, organisation, intake_coordinator):
        client.force_login(intake_coordinator)
        response = client.post(
            team_url(organisation, kind="organisation", name="invite"),
            {"email": "collega@caw.example", "role": "welfare_worker"},
        )
        assert response.status_code == 302
        assert Invitation.objects.get().organisation == organisation

    def test_an_address_typed_with_look_alike_characters_is_invited_in_its_one_spelling(
        self, client, school, director, teacher, django_capture_on_commit_callbacks
    ):
        client.force_login(director)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                team_url(school, name="invite"), {"email": " Nieuw@\uff53chool.example", "role": "teacher"}
            )
        assert response.status_code == 302
        assert Invitation.objects.get().email == "nieuw@school.example"
        assert mail.outbox[0].to == ["nieuw@school.example"]
        # A colleague typed with a full-width letter is the colleague already here, not someone new.
        lookalike = teacher.email.replace("p", "\uff50", 1)
        response = client.post(team_url(school, name="invite"), {"email": lookalike, "role": "teacher"})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == ["Deze persoon heeft die rol hier al."]
        assert Invitation.objects.count() == 1


class TestRevokeAndEnd:
    def _invite(self, client, school):
        client.post(team_url(school, name="invite"), {"email": "later@test.example", "role": "teacher"})
        return Invitation.objects.get()

    def test_director_revokes_an_invitation(self, client, school, director):
        client.force_login(director)
        invitation = self._invite(client, school)
        url = reverse(
            "accounts:revoke_invitation",
            kwargs={"kind": "school", "tenant_id": school.public_id, "invitation_id": invitation.public_id},
        )
        assert client.post(url).status_code == 302
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.REVOKED

    def test_invitation_of_another_school_cannot_be_revoked(self, client, school, director, stranger, other_school):
        client.force_login(stranger)
        client.post(team_url(other_school, name="invite"), {"email": "theirs@test.example", "role": "teacher"})
        invitation = Invitation.objects.get()
        client.force_login(director)
        url = reverse(
            "accounts:revoke_invitation",
            kwargs={"kind": "school", "tenant_id": school.public_id, "invitation_id": invitation.public_id},
        )
        assert client.post(url).status_code == 404
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.PENDING

    def test_revoking_needs_post(self, client, school, director):
        client.force_login(director)
        invitation = self._invite(client, school)
        url = reverse(
            "accounts:revoke_invitation",
            kwargs={"kind": "school", "tenant_id": school.public_id, "invitation_id": invitation.public_id},
        )
        assert client.get(url).status_code == 405

    def test_director_confirms_then_ends_a_membership_and_access_stops(self, client, school, director, teacher):
        membership = Membership.objects.get(user=teacher)
        client.force_login(director)
        url = reverse(
            "accounts:end_membership",
            kwargs={"kind": "school", "tenant_id": school.public_id, "membership_id": membership.pk},
        )
        confirmation = client.get(url)
        assert confirmation.status_code == 200
        assert teacher.full_name in confirmation.content.decode()
        assert Membership.objects.active().filter(pk=membership.pk).exists()
        assert client.post(url).status_code == 302
        assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_ENDED, school=school).exists()
        client.force_login(teacher)
        assert client.get(reverse("schools:home", kwargs={"school_id": school.public_id})).status_code == 404

    def test_director_cannot_end_their_own_membership(self, client, school, director):
        client.force_login(director)
        membership = Membership.objects.get(user=director)
        url = reverse(
            "accounts:end_membership",
            kwargs={"kind": "school", "tenant_id": school.public_id, "membership_id": membership.pk},
        )
        client.post(url)
        assert Membership.objects.active().filter(pk=membership.pk).exists()

    def test_membership_of_another_school_cannot_be_ended(self, client, school, director, stranger):
        membership = Membership.objects.get(user=stranger)
        client.force_login(director)
        url = reverse(
            "accounts:end_membership",
            kwargs={"kind": "school", "tenant_id": school.public_id, "membership_id": membership.pk},
        )
        assert client.post(url).status_code == 404
        assert Membership.objects.active().filter(pk=membership.pk).exists()

    def test_teacher_cannot_end_memberships(self, client, school, director, teacher):
        client.force_login(teacher)
        membership = Membership.objects.get(user=director)
        url = reverse(
            "accounts:end_membership",
            kwargs={"kind": "school", "tenant_id": school.public_id, "membership_id": membership.pk},
        )
        assert client.post(url).status_code == 403
        assert Membership.objects.active().filter(pk=membership.pk).exists()
