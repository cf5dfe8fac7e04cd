"""How often password-reset mails may be sent: a few for one address and a few more asked from one
client address within an hour (settings BRUGWIJZER_RESET_MAILS_*). A throttled request looks
exactly like any other and sends nothing, so the limit neither floods a mailbox nor tells whether
an account exists.

django-axes counts failed logins only, so the counts live in Django's cache: shared by every app
server with REDIS_URL, per process without it (the limit then holds per worker, which still
bounds what a client can send).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _count(kind: str, value: str) -> int:
    """Add one to the requests of this kind for this value in the current window; return the total.

    Keys are hashes, so the cache holds no email address or client address."""
    key = "reset-throttle:" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
    window = int(settings.BRUGWIJZER_RESET_WINDOW.total_seconds())
    cache.add(key, 0, timeout=window)  # the window starts at the first request and does not move
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls: this request opens a new window
        cache.add(key, 1, timeout=window)
        return 1


def may_send_reset_mail(*, email: str, client: str | None) -> bool:
    """Count this request against the address asked for and the client asking; False once either
    is over its limit. Every request counts, whether an account has this address or not."""
    for_address = _count("address", email)
    from_client = _count("client", client or "unknown")
    return (
        for_address <= settings.BRUGWIJZER_RESET_MAILS_PER_ADDRESS
        and from_client <= settings.BRUGWIJZER_RESET_MAILS_PER_CLIENT
    )
