"""Structured logs: JSON lines with a request id, and no personal data in them."""

import json
import logging

import pytest
from django.urls import reverse

from brugwijzer.logs import loggable_path, new_request_id

CANARY = "Canarina Vogelzang"
CANARY_EMAIL = "canarina.vogelzang@gezin.example"


def test_a_log_line_is_one_json_object_with_time_level_logger_and_message(log_lines):
    logging.getLogger("brugwijzer.example").warning("%s reminders sent", 3)

    (line,) = log_lines()
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert line["level"] == "WARNING"
    assert line["logger"] == "brugwijzer.example"
    assert line["message"] == "3 reminders sent"
    assert line["time"].endswith("+00:00")
    assert line["request_id"] == "-"


def test_an_exception_is_logged_with_its_type_and_stack_but_not_its_message(log_lines):
    try:
        raise ValueError(f"duplicate key value: {CANARY_EMAIL}")
    except ValueError:
        logging.getLogger("brugwijzer.example").exception("Saving failed")

    (line,) = log_lines()
    assert line["exc_type"] == "builtins.ValueError"
    assert "test_an_exception_is_logged" in line["stack"]
    assert CANARY_EMAIL not in json.dumps(line)


@pytest.mark.django_db
def test_requests_that_log_leave_no_name_email_query_string_or_form_data_behind(client, log_lines):
    # Django logs a 404 and a refused CSRF check (as warnings, with the request attached).
    client.get("/no-such-page/", {"q": CANARY, "email": CANARY_EMAIL})
    client.handler.enforce_csrf_checks = True
    client.post(reverse("accounts:login") + f"?next=/search/?q={CANARY}", {"username": CANARY_EMAIL, "note": CANARY})

    lines = log_lines()
    messages = [line["message"] for line in lines]
    assert "Not Found: /no-such-page/" in messages
    assert any(message.startswith("Forbidden (CSRF") for message in messages)
    output = json.dumps(lines)
    assert CANARY not in output
    assert CANARY.split()[0] not in output
    assert CANARY_EMAIL not in output
    assert "q=" not in output
    assert all(line["request_id"] != "-" for line in lines if line["logger"].startswith("django."))


@pytest.mark.django_db
def test_every_response_carries_its_request_id_and_the_log_lines_share_it(client, log_lines):
    response = client.get("/no-such-page/")
    request_id = response["X-Request-ID"]

    assert len(request_id) == 32
    assert [line["request_id"] for line in log_lines() if line["logger"] == "django.request"] == [request_id]
    assert client.get("/no-such-page/")["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_the_load_balancers_request_id_is_kept_when_it_is_a_plain_token(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})["X-Request-ID"] == "lb-7f3a9c2e-0001"
    replaced = client.get("/healthz", headers={"X-Request-ID": f"{CANARY} <script>"})["X-Request-ID"]
    assert CANARY not in replaced
    assert len(replaced) == 32


@pytest.mark.parametrize("offered", [None, "", "short", "x" * 129, "has space in it", "new\nline-injected"])
def test_an_unusable_request_id_is_replaced(offered):
    assert len(new_request_id(offered)) == 32


def test_the_access_log_keeps_no_calendar_feed_token():
    assert loggable_path("/schools/calendar/Xy_3-secret.ics") == "/schools/calendar/….ics"
    assert loggable_path("/schools/calendar/") == "/schools/calendar/"
    assert loggable_path("/healthz") == "/healthz"
    assert loggable_path(None) is None
