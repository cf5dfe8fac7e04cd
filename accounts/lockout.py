"""Login throttling with django-axes: five wrong passwords for one account from one address lock
that combination for AXES_COOLOFF_TIME. Axes calls the two functions here (see settings)."""

from django.conf import settings
from django.shortcuts import render

from accounts.models import User, UserManager
from audit.models import Action
from audit.services import record


def username_from(request, credentials=None) -> str | None:
    """The account an attempt is about, as we store it: `Zorg@School.example`, and the same with a
    full-width letter, count for `zorg@school.example`, the account they log in to.

    Django's login form hands the backends the address under the user model's field name
    (`email`); the login page posts it as `username`.
    """
    credentials = credentials or {}
    value = credentials.get(User.USERNAME_FIELD) or credentials.get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    if not value:
        return None
    return UserManager.normalise_email(str(value).replace("\x00", ""))[:254]


def locked_until(request, username):
    from axes.models import AccessAttempt

    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=getattr(request, "axes_ip_address", None))
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time + settings.AXES_COOLOFF_TIME if attempt else None


def lockout_response(request, original_response=None, credentials=None):
    """The page for a refused login while the account is locked for this address: a 429 that says until when."""
    username = username_from(request, credentials) or ""
    until = locked_until(request, username)
    record(action=Action.LOGIN_LOCKED_OUT, request=request, email=username)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"until": until, "minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
