"""Error pages show no stack trace or data, and carry the incident id that the log line carries too.
Requests that log (errors, 404s, refused forms) leave no personal data in the logs."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

CANARY_GUARDIAN = "Kanarie Zangvogel"
CANARY_CHILD = "Pietje Kwetter"
CANARY_NOTE = "woont bij oma Zangvogel"
CANARIES = [CANARY_GUARDIAN, CANARY_CHILD, CANARY_NOTE, "Zangvogel", "Kwetter"]

pytestmark = [pytest.mark.urls("tests.brugwijzer.failing_urls"), pytest.mark.django_db]


def the_log_line_of(lines, response):
    (line,) = [line for line in lines if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    return line


def test_a_crash_shows_the_incident_id_and_no_stack_trace(log_lines, settings):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/tests/crash/", {"name": CANARY_GUARDIAN})
    page = response.content.decode()
    assert response.status_code == 500
    assert response["X-Request-ID"] in page
    assert "Traceback" not in page and "ValueError" not in page and CANARY_GUARDIAN not in page
    line = the_log_line_of(log_lines(), response)
    assert line["exc_type"] == "builtins.ValueError" and "crash" in line["stack"]
    assert CANARY_GUARDIAN not in json.dumps(line)


@pytest.mark.parametrize(("path", "status"), [("/tests/refuse/", 403), ("/tests/malformed/", 400), ("/nowhere/", 404)])
def test_403_400_and_404_pages_carry_the_incident_id(client, log_lines, path, status):
    response = client.get(path, {"name": CANARY_GUARDIAN})
    page = response.content.decode()
    assert response.status_code == status
    assert response["X-Request-ID"] in page and CANARY_GUARDIAN not in page
    the_log_line_of(log_lines(), response)


def test_family_data_sent_in_failing_requests_never_reaches_the_log(client, log_lines, school, coordinator, teacher):
    client.force_login(coordinator)
    new_family = reverse("referrals:new_family", kwargs={"school_id": school.public_id})
    refused = client.post(
        new_family,
        {"reference": "", "guardian_name": CANARY_GUARDIAN, "child_first_name": CANARY_CHILD, "email": "x"},
    )
    assert refused.status_code == 400
    signal_form = reverse("referrals:new_signal", kwargs={"school_id": school.public_id})
    assert client.post(signal_form, {"note": CANARY_NOTE, "channel": "nonsense"}).status_code == 400
    missing = reverse("referrals:family", kwargs={"school_id": school.public_id, "family_id": uuid.uuid4()})
    assert client.get(missing, {"q": CANARY_GUARDIAN}).status_code == 404
    crashing = Client(raise_request_exception=False)
    assert crashing.post("/tests/crash/?name=" + CANARY_CHILD, {"note": CANARY_NOTE}).status_code == 500
    client.force_login(teacher)
    families = reverse("referrals:families", kwargs={"school_id": school.public_id})
    assert client.get(families, {"name": CANARY_CHILD}).status_code == 403
    lines = log_lines()
    assert len([line for line in lines if line["logger"] == "django.request"]) >= 4
    output = json.dumps(lines)
    assert [canary for canary in CANARIES if canary in output] == []
