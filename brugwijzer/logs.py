"""Structured logs: one JSON object per line, with a request id and without personal data.

Only a fixed set of fields leaves the process (time, level, logger, message, request id, the
HTTP status Django attaches to its request warnings, and for an exception its type and stack).
Everything else a record carries is dropped: Django's `django.request` and `django.security`
records carry the whole request object as an extra, whose text holds the query string, and
exception messages can quote the data that failed (a database error quotes the duplicate value).
Messages themselves must never contain names, email addresses or free text: log ids.
"""

import logging
import re
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id_var: ContextVar[str] = ContextVar("brugwijzer_request_id", default="-")

# What a load balancer may hand us as X-Request-ID; anything else is replaced by our own id so a
# header can neither inject text into the logs nor smuggle personal data into them.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


# Paths whose last part is a key: a school's calendar feed (calendar apps cannot log in).
_SECRET_PATH = re.compile(r"^(/schools/calendar/)[^/]+(\.ics)$")


def loggable_path(path: str | None) -> str | None:
    """The path as the access log may keep it: a calendar feed's token is left out."""
    return _SECRET_PATH.sub(r"\1…\2", path) if path else path


def new_request_id(offered: str | None = None) -> str:
    if offered and _VALID_REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request being served ("-" outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger's formatter limited to the fields we allow out."""

    ALLOWED = ("time", "level", "logger", "message", "request_id", "status_code")
    # Fields of gunicorn's access records (see GunicornLogger in gunicorn.conf.py).
    ACCESS = ("method", "path", "status", "bytes", "duration_ms")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__("{asctime}{levelname}{name}{message}", *args, style="{", **kwargs)

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        allowed = self.ALLOWED + (self.ACCESS if record.name == "gunicorn.access" else ())
        for key in list(log_data):
            if key not in allowed:
                del log_data[key]
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            # The type and where it happened, never the message: it may quote personal data.
            log_data["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            log_data["stack"] = "".join(traceback.format_tb(tb))

    def formatException(self, ei):
        # The parent would write the formatted exception, message included, as "exc_info";
        # add_fields writes the safe parts instead.
        return ""
