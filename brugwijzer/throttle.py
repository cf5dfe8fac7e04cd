"""Counters of requests per address or per client in a fixed window, for the throttles that
django-axes (which counts failed logins only) does not cover: password-reset mails and wrong
parent-survey codes.

The counts live in Django's cache: shared by every app server with REDIS_URL, per process without
it (a limit then holds per worker, which still bounds what one client can do). Keys are keyed
hashes, so the cache never holds an email address or a client's address itself.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _key(kind: str, value: str) -> str:
    return f"throttle:{kind}:" + salted_hmac("brugwijzer.throttle", f"{kind}:{value}", algorithm="sha256").hexdigest()


def count(kind: str, value: str) -> int:
    """How many times `value` was counted under `kind` in its current window."""
    return cache.get(_key(kind, value), 0)


def add_one(kind: str, value: str, *, window: int) -> int:
    """Count one more for `value` under `kind` and return the total. The window (seconds) starts
    at the first count and does not move with later ones."""
    key = _key(kind, value)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls: this one opens a new window
        cache.set(key, 1, timeout=window)
        return 1
