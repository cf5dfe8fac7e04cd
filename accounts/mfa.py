"""Second-factor login: an authenticator app (TOTP, django-otp) and single-use recovery codes.

A person who needs it (`User.needs_second_factor`) or who set it up anyway is asked for a code
after the password; `accounts.middleware.SecondFactorMiddleware` holds every other page back until
then. Recovery codes are stored as hashes in django-otp's static device, so the database never
holds a usable code; each works once.
"""

import hashlib
import secrets
from base64 import b32encode

import segno
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read back from paper


def authenticator_for(user, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(request) -> bool:
    """`User.needs_second_factor` for the signed-in person, from the memberships the request loads anyway."""
    from accounts.access import accesses_for
    from accounts.roles import roles_requiring_mfa

    user = request.user
    if user.is_staff or user.is_superuser:
        return True
    required = roles_requiring_mfa()
    return any(access.roles & required for access in accesses_for(request))


def step_for(request) -> str | None:
    """Where a signed-in person who has not given a code yet must go: the code, the set-up, or nowhere."""
    if has_authenticator(request.user):
        return "accounts:mfa_verify"
    if needs_second_factor(request):
        return "accounts:mfa_setup"
    return None


def step_url(step: str, next_url: str = "") -> str:
    url = reverse(step)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed device shown during set-up; the same secret until it is confirmed."""
    device = authenticator_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up QR code as inline SVG markup (no script, no style attribute: fits our CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: a hash, never the code. Spaces, dashes and case do not matter."""
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()[: StaticToken._meta.get_field("token").max_length]


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def replace_recovery_codes(user) -> list[str]:
    """Ten new codes; the old ones stop working. The codes are returned once, to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_digest(code)) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    def __init__(self, device=None, recovery=False, wait_until=None):
        self.device = device
        self.recovery = recovery
        self.wait_until = wait_until

    def __bool__(self):
        return self.device is not None


def check_code(user, code: str, device: TOTPDevice | None = None) -> CodeCheck:
    """Check a six-digit code from the app, or else a recovery code (which is then used up).

    `device` is the app being set up; otherwise the person's confirmed app. django-otp throttles
    each device after wrong codes; `wait_until` says until when.
    """
    code = "".join(code.split())
    totp = device or authenticator_for(user)
    if code.isdigit() and len(code) <= 8:  # an app's code; recovery codes are twelve letters and digits
        if totp is None:
            return CodeCheck()
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=totp.pk)
            allowed, info = locked.verify_is_allowed()
            if not allowed:
                return CodeCheck(wait_until=_wait_until(info))
            if locked.verify_token(code):
                return CodeCheck(device=locked)
            return CodeCheck()
    if device is not None:
        return CodeCheck()  # set-up is confirmed with the app, not with a recovery code
    recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
    if recovery is None:
        return CodeCheck()
    allowed, info = recovery.verify_is_allowed()
    if not allowed:
        return CodeCheck(wait_until=_wait_until(info))
    accepted = verify_token(user, recovery.persistent_id, recovery_digest(code))
    return CodeCheck(device=accepted, recovery=accepted is not None)


def _wait_until(info):
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return info.get("locked_until")
    return None
