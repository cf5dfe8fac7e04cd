"""Behind a load balancer the lockout and the audit log count the person's address, not the balancer's."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from brugwijzer.addresses import client_address
from tests.factories import PASSWORD

BALANCER = "10.0.0.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", BALANCER),  # no proxies configured: the header is anyone's, ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the client wrote the first one itself
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", BALANCER),  # fewer hops than proxies: not through them
        (1, "not-an-address", BALANCER),
        (1, "", BALANCER),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_is_the_one_the_outermost_proxy_saw(rf, settings, proxies, forwarded, expected):
    settings.BRUGWIJZER_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def _wrong(client, user, address):
    return client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "wrong-password-1"},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_balancer_a_lockout_holds_for_the_attackers_address_only(client, settings, teacher):
    settings.BRUGWIJZER_PROXY_COUNT = 1
    for _ in range(5):
        _wrong(client, teacher, "198.51.100.7")
    assert _wrong(client, teacher, "198.51.100.7").status_code == 429
    own = client.post(
        reverse("accounts:login"),
        {"username": teacher.email, "password": PASSWORD},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert own.status_code == 302  # the teacher, elsewhere, still gets in
    addresses = set(AuditEvent.objects.filter(action=Action.LOGIN_FAILED).values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.7"}
    assert AuditEvent.objects.get(action=Action.LOGIN).ip_address == "192.0.2.44"
