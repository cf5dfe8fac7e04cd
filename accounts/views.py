from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import mfa
from accounts.access import SESSION_KEY, accesses_for, active_access, tenant_view
from accounts.forms import (
    AcceptInvitationForm,
    CodeForm,
    ConfirmPasswordForm,
    InvitationForm,
    LoginForm,
    PasswordResetForm,
)
from accounts.lockout import username_from
from accounts.middleware import second_factor_not_required
from accounts.models import Invitation, Language, Membership, User, hash_token
from accounts.roles import Capability
from accounts.services import (
    InvitationUnavailable,
    accept_invitation,
    confirm_second_factor,
    end_membership,
    enrol_authenticator,
    regenerate_recovery_codes,
    remove_authenticator,
    revoke_invitation,
    send_invitation,
)
from audit.models import Action
from audit.services import record
from brugwijzer import throttle
from brugwijzer.addresses import client_address


def _remember_language(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action=Action.LOGIN, request=self.request)
        step = mfa.step_for(self.request)
        if step is not None:
            response = redirect(mfa.step_url(step, self.get_success_url()))
        return _remember_language(response, self.request.user.preferred_language)

    def form_invalid(self, form):
        # The address in its one spelling, as the lockout counts it.
        record(action=Action.LOGIN_FAILED, request=self.request, email=username_from(self.request) or "")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record(action=Action.LOGOUT, request=request)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action=Action.PASSWORD_CHANGED, request=self.request)
        return response


def _next_url(request) -> str:
    """Where to go after the code step: the page asked for, if it is one of ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _wait_message(until) -> str:
    return _("Too many wrong codes in a row. Wait until %(time)s and try again.") % {
        "time": formats.time_format(timezone.localtime(until), "H:i:s")
    }


@second_factor_not_required
def mfa_verify(request):
    """The second step of logging in: a code from the app, or one of the recovery codes."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not mfa.has_authenticator(request.user):
        step = mfa.step_for(request)
        return redirect(mfa.step_url(step, next_url) if step else next_url)
    request.second_factor_pending = True
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(request.user, form.cleaned_data["code"])
        if check:
            confirm_second_factor(request=request, check=check)
            if check.recovery:
                left = mfa.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it no longer works. %(left)s codes are left. "
                        "Make new ones under Logging in, at the top of the page, before they run out."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
        record(action=Action.MFA_FAILED, request=request)
        form.add_error(
            "code",
            _wait_message(check.wait_until)
            if check.wait_until
            else _("That code is not right. Enter the code your app shows now, or one of your recovery codes."),
        )
    return render(
        request, "accounts/mfa_verify.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


@second_factor_not_required
def mfa_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the recovery codes once."""
    next_url = _next_url(request)
    if mfa.has_authenticator(request.user):
        if not request.user.is_verified():
            return redirect(mfa.step_url("accounts:mfa_verify", next_url))
        messages.info(request, _("Your authenticator app is already set up. To use another one, remove it here first."))
        return redirect("accounts:security")
    request.second_factor_pending = not request.user.is_verified() and mfa.needs_second_factor(request)
    device = mfa.pending_authenticator(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(request.user, form.cleaned_data["code"], device=device)
        if check:
            codes = enrol_authenticator(request=request, device=check.device)
            request.second_factor_pending = False
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url, "new_app": True})
        form.add_error(
            "code",
            _wait_message(check.wait_until)
            if check.wait_until
            else _("That code does not match. Check that the app shows Brugwijzer and enter the code it shows now."),
        )
    context = {
        "form": form,
        "next": next_url,
        "qr": mark_safe(mfa.qr_svg(device)),  # noqa: S308 - segno's own SVG, built from our own data
        "secret": mfa.secret_text(device),
        "required": mfa.needs_second_factor(request),
    }
    return render(request, "accounts/mfa_setup.html", context, status=400 if form.errors else 200)


def security(request, password_form=None, status=200):
    """How this person logs in: the app, the recovery codes left, and the forms to change them."""
    device = mfa.authenticator_for(request.user)
    context = {
        "device": device,
        "codes_left": mfa.recovery_codes_left(request.user) if device else 0,
        "required": mfa.needs_second_factor(request),
        "form": password_form or ConfirmPasswordForm(user=request.user),
    }
    return render(request, "accounts/security.html", context, status=status)


@require_POST
def new_recovery_codes(request):
    if not mfa.has_authenticator(request.user):
        return redirect("accounts:security")
    form = ConfirmPasswordForm(request.POST, user=request.user)
    if not form.is_valid():
        return security(request, password_form=form, status=400)
    codes = regenerate_recovery_codes(request=request)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})


@require_POST
def remove_app(request):
    if not mfa.has_authenticator(request.user):
        return redirect("accounts:security")
    form = ConfirmPasswordForm(request.POST, user=request.user)
    if not form.is_valid():
        return security(request, password_form=form, status=400)
    remove_authenticator(request=request)
    if mfa.needs_second_factor(request):
        messages.success(request, _("The old app no longer works. Set up your new app now."))
        return redirect("accounts:mfa_setup")
    messages.success(request, _("Your authenticator app and recovery codes were removed."))
    return redirect("accounts:security")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"

    def form_valid(self, form):
        if not self.may_send(email=form.cleaned_data["email"], client=client_address(self.request) or "unknown"):
            # The same answer as when a mail goes out (or no account has the address), and no mail.
            record(action=Action.PASSWORD_RESET_REQUESTED, request=self.request, throttled=True)
            return redirect(self.get_success_url())
        record(action=Action.PASSWORD_RESET_REQUESTED, request=self.request)
        return super().form_valid(form)

    @staticmethod
    def may_send(*, email: str, client: str) -> bool:
        """Count this request against the address asked for and the client asking; False once either
        is over its limit. Every request counts, whether an account has this address or not, so a
        throttled answer tells nothing about accounts either."""
        window = int(settings.BRUGWIJZER_RESET_WINDOW.total_seconds())
        for_address = throttle.add_one("reset-address", email, window=window)
        from_client = throttle.add_one("reset-client", client, window=window)
        return (
            for_address <= settings.BRUGWIJZER_RESET_MAILS_PER_ADDRESS
            and from_client <= settings.BRUGWIJZER_RESET_MAILS_PER_CLIENT
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action=Action.PASSWORD_RESET, request=self.request, actor=form.user)
        return response


def home(request):
    """Send people to the place they last worked in; explain when they have none yet."""
    access = active_access(request)
    if access is None:
        return render(request, "accounts/no_access.html")
    return redirect(access.tenant)


@require_POST
def switch_context(request):
    wanted = request.POST.get("context", "")
    access = next((a for a in accesses_for(request) if a.key == wanted), None)
    if access is None:
        messages.error(request, _("You do not work there (any more). Pick one of the places in the list."))
        return redirect("home")
    request.session[SESSION_KEY] = access.key
    return redirect(access.tenant)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in Language.values:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


@tenant_view(Capability.VIEW_TEAM)
def team(request, access):
    memberships = (
        Membership.objects.active().for_tenant(access.tenant).select_related("user").order_by("user__full_name", "id")
    )
    invitations = Invitation.objects.pending().for_tenant(access.tenant).select_related("invited_by")
    return render(
        request,
        "accounts/team.html",
        {
            "access": access,
            "memberships": memberships,
            "invitations": invitations if access.can(Capability.MANAGE_TEAM) else None,
            "can_manage": access.can(Capability.MANAGE_TEAM),
        },
    )


@tenant_view(Capability.MANAGE_TEAM)
def invite(request, access):
    form = InvitationForm(request.POST if request.method == "POST" else None, access=access)
    if request.method == "POST" and form.is_valid():
        invitation = send_invitation(
            request=request, tenant=access.tenant, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:team", kind=access.kind, tenant_id=access.tenant.public_id)
    return render(request, "accounts/invite.html", {"access": access, "form": form}, status=400 if form.errors else 200)


@tenant_view(Capability.MANAGE_TEAM)
@require_POST
def revoke(request, access, invitation_id):
    invitation = get_object_or_404(Invitation.objects.pending().for_tenant(access.tenant), public_id=invitation_id)
    revoke_invitation(request=request, invitation=invitation)
    messages.success(request, _("The invitation for %(email)s no longer works.") % {"email": invitation.email})
    return redirect("accounts:team", kind=access.kind, tenant_id=access.tenant.public_id)


@tenant_view(Capability.MANAGE_TEAM)
def end(request, access, membership_id):
    """Ask first (GET), then end the membership (POST): a colleague loses access at once."""
    membership = get_object_or_404(
        Membership.objects.active().for_tenant(access.tenant).select_related("user"), pk=membership_id
    )
    team_url = reverse("accounts:team", kwargs={"kind": access.kind, "tenant_id": access.tenant.public_id})
    if membership.user == request.user:
        messages.error(request, _("You cannot end your own membership. Ask another colleague who manages the team."))
        return redirect(team_url)
    if request.method != "POST":
        return render(request, "accounts/end_membership.html", {"access": access, "membership": membership})
    end_membership(request=request, membership=membership)
    messages.success(
        request,
        _("%(name)s no longer has the role %(role)s here.")
        % {"name": membership.user, "role": membership.get_role_display()},
    )
    return redirect(team_url)


@login_not_required
def accept(request, token):
    invitation = (
        Invitation.objects.select_related("school", "organisation", "municipality", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html", {"reason": "unknown"}, status=404)
    if invitation.status != Invitation.Status.PENDING:
        return render(request, "accounts/invitation_unusable.html", {"reason": invitation.status}, status=410)

    context = {"invitation": invitation}
    if request.user.is_authenticated and request.user.email != invitation.email:
        context["wrong_account"] = True
        return render(request, "accounts/accept_invitation.html", context, status=403)

    form = None
    if not request.user.is_authenticated:
        if User.objects.filter(email=invitation.email).exists():
            context["login_url"] = f"{reverse('accounts:login')}?next={request.path}"
            return render(request, "accounts/accept_invitation.html", context)
        form = AcceptInvitationForm(
            request.POST if request.method == "POST" else None, instance=User(email=invitation.email)
        )
        context["form"] = form

    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            accept_invitation(request=request, invitation=invitation, form=form)
        except InvitationUnavailable:
            return render(request, "accounts/invitation_unusable.html", {"reason": "used"}, status=410)
        messages.success(request, _("Welcome to Brugwijzer. You now work in %(place)s.") % {"place": invitation.tenant})
        return redirect(invitation.tenant)
    return render(request, "accounts/accept_invitation.html", context, status=400 if form and form.errors else 200)
