from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, User, UserManager
from accounts.roles import roles_for


class EmailAddressField(forms.EmailField):
    """An email address in its one spelling (UserManager.normalise_email), made before it is
    validated: `Nieuw@School.example`, or with a full-width letter, is `nieuw@school.example`,
    never a second address."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value or (self.max_length is not None and len(value) > self.max_length):
            return value  # too long is refused anyway; no need to normalise it first
        return UserManager.normalise_email(value)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email address and password do not match. Check both and try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})


class PasswordResetForm(DjangoPasswordResetForm):
    email = EmailAddressField(
        label=DjangoPasswordResetForm.base_fields["email"].label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        """The account with exactly this address (already in its one spelling); the mail goes to
        the address the account holds."""
        users = User.objects.filter(email=UserManager.normalise_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())


class InvitationForm(forms.Form):
    email = EmailAddressField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["role"].choices = [(role.value, role.label) for role in roles_for(access.kind)]

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        if not email or not role:
            return cleaned
        tenant = self.access.tenant
        if Membership.objects.active().for_tenant(tenant).filter(user__email=email, role=role).exists():
            raise forms.ValidationError(_("This person already has that role here."))
        if Invitation.objects.pending().for_tenant(tenant).filter(email=email, role=role).exists():
            raise forms.ValidationError(
                _("An invitation for this person and role is still open. Revoke it first to send a new one.")
            )
        return cleaned


class AcceptInvitationForm(BaseUserCreationForm):
    """A new account for the invited email address: a name and a password."""

    class Meta:
        model = User
        fields = ["full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["full_name"].widget.attrs.update(autocomplete="name", autofocus=True)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class ConfirmPasswordForm(forms.Form):
    """Asks for the current password before a change to how someone logs in."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password
