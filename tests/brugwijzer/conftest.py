import io
import json
import logging

import pytest

from brugwijzer.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def log_lines():
    """Everything logged during the test, through the formatter and filter the settings use."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
