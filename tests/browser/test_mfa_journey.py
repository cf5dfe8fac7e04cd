"""The journey issue #7 asks for: a care coordinator's first login sets up the authenticator app
(the test computes the code from the secret on the page, as a phone would), logs out, logs in
again with a code; then five wrong passwords lock the account."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.test_journeys import account_menu

PASSWORD = "een-lang-wachtwoord-voor-cas-1"


def app_code(secret: str, steps_later: int = 0) -> str:
    """What an authenticator app shows for the secret typed in by hand."""
    clock = TOTP(b32decode(secret.replace(" ", "")))
    clock.time = time.time() + steps_later * 30
    return f"{clock.token():06d}"


def submit_password(page, base_url, email, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def test_first_login_sets_up_the_app_then_the_code_is_asked_and_wrong_passwords_lock(browser, live_server, lookups):
    from accounts.roles import Role
    from tests.factories import SchoolFactory, member

    school = SchoolFactory(name="Basisschool De Regenboog")
    user = member(Role.CARE_COORDINATOR, school, email="cas@regenboog.example", full_name="Cas Coördinator")
    user.set_password(PASSWORD)
    user.save()

    context = browser.new_context(java_script_enabled=False)  # every step works without JavaScript
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    submit_password(page, live_server.url, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel je authenticator-app in")
    expect(page.get_by_role("img", name="QR-code om de authenticator-app in te stellen")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()

    # Until set-up is done, the school's pages wait.
    page.goto(f"{live_server.url}{school.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel je authenticator-app in")

    page.get_by_role("textbox", name="Code").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Bevestigen en verdergaan").click()
    # The error summary comes first and has the focus; its link leads to the field, which says it too.
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Fout: "))
    summary.get_by_role("link", name="Code: Die code komt niet overeen").click()
    expect(page.get_by_role("textbox", name="Code")).to_be_focused()
    expect(page.get_by_role("strong").filter(has_text="Die code komt niet overeen")).to_be_visible()
    time.sleep(1.1)  # django-otp waits a second after a wrong code
    page.get_by_role("textbox", name="Code").fill(app_code(secret))
    page.get_by_role("button", name="Bevestigen en verdergaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewaar deze herstelcodes nu")
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Ik heb ze bewaard, verdergaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Regenboog")

    account_menu(page).get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Brugwijzer")).to_be_visible()

    submit_password(page, live_server.url, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul je code in")
    page.get_by_role("textbox", name="Code").fill(app_code(secret, steps_later=1))  # the set-up code works only once
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Regenboog")
    account_menu(page).get_by_role("button", name="Afmelden").click()

    for attempt in range(1, 6):
        submit_password(page, live_server.url, user.email, f"fout-wachtwoord-{attempt}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden is gepauzeerd")
    expect(page.get_by_role("main")).to_contain_text("15 minuten")
    # The right password does not help while the account is locked.
    submit_password(page, live_server.url, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden is gepauzeerd")
    assert blocked == []
    context.close()
