from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.access import SESSION_KEY
from accounts.models import Invitation, Membership, User
from audit.models import Action
from audit.services import record
from brugwijzer.mail import send_after_commit


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
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_after_commit(subject=subject, body=body, to=email, what=f"accounts/invitation {invitation.pk}")
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


def _verified(request, device) -> None:
    """Mark the session as verified with `device`, under a new session key (a step up in trust)."""
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def enrol_authenticator(*, request, device: TOTPDevice) -> list[str]:
    """Confirm the app being set up, replace any older one, and make the first recovery codes.

    Returns the codes, to be shown once; only their hashes are stored. The audit events say that
    it happened, never the secret or a code.
    """
    user = request.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = mfa.replace_recovery_codes(user)
    _verified(request, device)
    record(action=Action.MFA_ENROLLED, request=request, obj=user)
    record(action=Action.RECOVERY_CODES_GENERATED, request=request, obj=user, count=len(codes))
    return codes


@transaction.atomic
def confirm_second_factor(*, request, check: mfa.CodeCheck) -> None:
    """The code step passed: with the app, or with a recovery code (which is used up by now)."""
    _verified(request, check.device)
    if check.recovery:
        record(
            action=Action.RECOVERY_CODE_USED,
            request=request,
            obj=request.user,
            left=mfa.recovery_codes_left(request.user),
        )
    record(action=Action.MFA_VERIFIED, request=request, method="recovery_code" if check.recovery else "app")


@transaction.atomic
def regenerate_recovery_codes(*, request) -> list[str]:
    codes = mfa.replace_recovery_codes(request.user)
    record(action=Action.RECOVERY_CODES_GENERATED, request=request, obj=request.user, count=len(codes))
    return codes


@transaction.atomic
def remove_authenticator(*, request) -> None:
    """Remove the app and the recovery codes. Someone who needs a second factor sets up a new app
    before going on (the middleware sends them to set-up); for others this switches it off."""
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.cycle_key()
    record(action=Action.MFA_RESET, request=request, obj=user)
