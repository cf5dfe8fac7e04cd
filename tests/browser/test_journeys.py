import re

import pytest
from django.core import mail
from playwright.sync_api import expect

DEMO_PASSWORD = "demo-brugwijzer-2026"


def next_code(email):
    """The code the account's authenticator app shows, one not used yet (each works once); None
    for an account without an app."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import totp_code

    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is None:
        return None
    now = int(time.time() - device.t0) // device.step
    return totp_code(device, offset=max(0, device.last_t + 1 - now))


def log_in(page, base_url, email):
    """Log in to a demo account: its password, then the code of its (pre-enrolled) authenticator app."""
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name="Aanmelden bij Brugwijzer")).to_be_visible()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    code = next_code(email)
    if code is not None:
        expect(page.get_by_role("heading", name="Vul je code in")).to_be_visible()
        page.get_by_role("textbox", name="Code").fill(code)
        page.get_by_role("button", name="Bevestigen").click()


def account_menu(page):
    """Opens the header's account menu (places, language, log out) and returns it."""
    menu = page.locator(".user-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_care_coordinator_logs_in_switches_language_and_school(browser, live_server, demo, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    log_in(page, live_server.url, "zorg@zeppelin.example")
    expect(page.locator("html")).to_have_attribute("lang", "nl-be")
    expect(page.get_by_text("Mijn school", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Zeppelin")

    account_menu(page).get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("My school", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Zeppelin")

    account_menu(page).get_by_role("button", name=re.compile("Gemeentelijke Basisschool Kanaalkant")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeentelijke Basisschool Kanaalkant")
    expect(page.locator(".user-menu summary")).to_contain_text("Kanaalkant")
    context.close()


def test_director_invites_a_teacher_who_joins_the_school(browser, live_server, demo):
    director = browser.new_context().new_page()
    log_in(director, live_server.url, "directie@zeppelin.example")
    director.get_by_role("link", name="Iemand uitnodigen").click()
    director.get_by_label("E-mailadres").fill("nieuwe.juf@zeppelin.example")
    director.get_by_label("Rol").select_option(label="Leerkracht")
    director.get_by_role("button", name="Uitnodiging versturen").click()
    expect(director.get_by_text("nieuwe.juf@zeppelin.example").first).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)

    teacher = browser.new_context().new_page()
    teacher.goto(link)
    teacher.get_by_label("Volledige naam").fill("Jana Nieuw")
    teacher.get_by_label(re.compile(r"^\s*Wachtwoord")).fill("mijn-eigen-wachtwoord-7")
    teacher.get_by_label("Bevestiging wachtwoord").fill("mijn-eigen-wachtwoord-7")
    teacher.get_by_role("button", name="Mijn account aanmaken").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Basisschool De Zeppelin")
    expect(teacher.get_by_role("main")).to_contain_text("Leerkracht")

    # The same link does not work a second time.
    other = browser.new_context().new_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text(re.compile("werkt niet meer"))
