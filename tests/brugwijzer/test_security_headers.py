"""Headers and session limits every page gets (issue: security hardening, sessions and headers)."""

import time

from django.urls import reverse

from brugwijzer.middleware import SessionLifetimeMiddleware


def test_every_page_has_a_strict_content_security_policy(client, coordinator, school):
    client.force_login(coordinator)
    policy = client.get(school.get_absolute_url()).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"  # no inline code
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    login = client.get(reverse("accounts:login"))
    assert "Content-Security-Policy" in login.headers


def test_signed_in_pages_are_never_stored(client, coordinator, school):
    assert "no-store" not in client.get(reverse("welfare:hsds_profile")).headers.get("Cache-Control", "")
    client.force_login(coordinator)
    response = client.get(school.get_absolute_url())
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_session_ends_after_thirty_idle_minutes(client, coordinator, school):
    client.force_login(coordinator)
    response = client.get(school.get_absolute_url())
    assert int(response.cookies["sessionid"]["max-age"]) == 30 * 60
    # Still active a few minutes later: the session is renewed, so the thirty minutes start again.
    session = client.session
    session[SessionLifetimeMiddleware.TOUCHED] = int(time.time()) - 5 * 60
    session.save()
    renewed = client.get(school.get_absolute_url())
    assert int(renewed.cookies["sessionid"]["max-age"]) == 30 * 60
    assert client.session[SessionLifetimeMiddleware.TOUCHED] > int(time.time()) - 5


def test_a_session_ends_twelve_hours_after_login_however_busy(client, coordinator, school):
    client.force_login(coordinator)
    assert client.get(school.get_absolute_url()).status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get(school.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(school.get_absolute_url()).status_code == 302  # really logged out
