from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.access import SESSION_KEY
from accounts.models import Invitation, Membership, User
from audit.models import Action
from audit.services import record


class InvitationUnavailable(Exception):
    """The invitation was accepted, revoked or expired in the meantime."""


@transaction.atomic
def send_invitation(*, request, tenant, email: str, role: str) -> Invitation:
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        email=email,
        role=role,
        invited_by=request.user,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=settings.BRUGWIJZER_INVITATION_DAYS),
    )
    invitation.set_tenant(tenant)
    invitation.save()
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", kwargs={"token": token}))
    context = {"invitation": invitation, "link": link, "days": settings.BRUGWIJZER_INVITATION_DAYS}
    # The invitee has no language preference yet: write in the inviter's language.
    with translation.override(request.user.preferred_language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    record(action=Action.INVITATION_SENT, request=request, obj=invitation, tenant=tenant, role=role)
    return invitation


@transaction.atomic
def revoke_invitation(*, request, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(action=Action.INVITATION_REVOKED, request=request, obj=invitation, tenant=invitation.tenant)


@transaction.atomic
def end_membership(*, request, membership: Membership) -> None:
    membership.ends_on = max(timezone.localdate(), membership.starts_on)
    membership.save(update_fields=["ends_on"])
    record(
        action=Action.MEMBERSHIP_ENDED,
        request=request,
        obj=membership.user,
        tenant=membership.tenant,
        role=membership.role,
    )


@transaction.atomic
def accept_invitation(*, request, invitation: Invitation, form=None) -> User:
    """Turn the invitation into a membership, creating the account from `form` when it is new.

    Locks the invitation row, so a link clicked twice at once still makes one membership.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationUnavailable
    if form is not None:
        user = form.save(commit=False)
        user.email = invitation.email
        user.preferred_language = translation.get_language() or user.preferred_language
        user.save()
    else:
        user = request.user
    membership = Membership(user=user, role=invitation.role)
    membership.set_tenant(invitation.tenant)
    if not Membership.objects.active().for_tenant(invitation.tenant).filter(user=user, role=invitation.role).exists():
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = f"{membership.tenant_kind}:{invitation.tenant.public_id}"
    record(action=Action.INVITATION_ACCEPTED, request=request, actor=user, obj=invitation, tenant=invitation.tenant)
    return user
