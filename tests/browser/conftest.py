"""Browser tests: Playwright drives the system's Chromium (Debian's package), never a download.

Without a Chromium they are skipped with a notice; with BRUGWIJZER_REQUIRE_BROWSER=1 (CI)
a missing browser fails the run instead.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        message = "No Chromium on this machine: browser tests need Debian's chromium (apt-get install chromium)."
        if os.environ.get("BRUGWIJZER_REQUIRE_BROWSER"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# Playwright's sync API runs an event loop in the test thread, which makes Django refuse the
# ORM calls the tests and their fixtures make themselves (loading data, flushing it). Those calls
# are synchronous and safe; Brugwijzer has no async views for this check to protect.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(lookups):
    """The demo data, committed so the live server sees it (on top of the migrations' lookup rows)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
