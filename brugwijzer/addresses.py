"""The address of the person behind a request, for the login lockout and the audit log.

Behind a load balancer every request arrives from the balancer's address. Counting failed logins
per REMOTE_ADDR would then lock an account for everyone at once, and the audit log would show the
balancer. With `BRUGWIJZER_PROXY_COUNT` set to the number of proxies in front of the app, each of
which appends the address it saw to X-Forwarded-For, the address the outermost proxy saw is used.
Anything a client wrote into the header itself stands further left and is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.BRUGWIJZER_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # it did not come through the proxies: nothing in the header is theirs
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
