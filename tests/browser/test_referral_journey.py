import re

from playwright.sync_api import expect

from tests.browser.test_journeys import log_in

NEED = "Financiële, materiële en administratieve noden"
ORGANISATION = "CAW Brugwaarde-Kanaalhoek"


def field(page, label):
    """A form field by its whole label; crispy adds an asterisk to required ones."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def menu(page, name):
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def test_signal_to_referral_to_answer_and_withdrawal(browser, live_server, demo):
    school = browser.new_context().new_page()
    log_in(school, live_server.url, "zorg@zeppelin.example")

    # A signal, in half a minute.
    menu(school, "Signalen")
    school.get_by_role("link", name="Signaal noteren").click()
    school.get_by_label(NEED).check()
    school.get_by_label("Hoe het de school bereikte").select_option(label="Een ouder vroeg hulp")
    school.get_by_label("Korte notitie").fill("Factuur van de sportdag staat open.")
    school.get_by_role("button", name="Opslaan", exact=True).click()
    expect(school.get_by_role("status")).to_contain_text("genoteerd")

    # The family's record, then the parents' consent.
    menu(school, "Gezinnen")
    school.get_by_role("link", name="Nieuwe gezinsfiche").click()
    school.get_by_label("Code").fill("ZEP-TEST-1")
    school.get_by_label("Ouder of voogd").fill("Testouder Eva")
    school.get_by_label("Telefoon").fill("0470 55 66 77")
    school.get_by_role("button", name="Opslaan").click()
    expect(school.get_by_role("heading", level=1)).to_have_text("Gezin ZEP-TEST-1")
    school.get_by_role("link", name="Toestemming noteren").click()
    school.get_by_label("Gegeven door").fill("moeder")
    field(school, "Hoe").select_option(label="In een gesprek")
    school.get_by_label(ORGANISATION).check()
    school.get_by_label(NEED).check()
    school.get_by_label("Contactgegevens (naam").check()
    school.get_by_label("De nood waarvoor de hulp dient").check()
    school.get_by_role("button", name="Toestemming noteren").click()
    expect(school.get_by_role("status")).to_contain_text("toestemming")

    # From the signal to a referral, sent under that consent.
    menu(school, "Signalen")
    school.locator("table").last.get_by_role("link").first.click()
    school.get_by_label("Gezin", exact=True).select_option(label="ZEP-TEST-1")
    school.get_by_role("button", name="Doorverwijzing starten").click()
    field(school, "Organisatie").select_option(label=ORGANISATION)
    school.get_by_role("button", name="Als ontwerp opslaan").click()
    school.get_by_role("button", name="Verstuurd").click()
    expect(school.locator("p.lead")).to_have_text("Verstuurd")
    referral_url = school.url

    # The welfare worker answers and sees the contact details the consent allows.
    worker = browser.new_context().new_page()
    log_in(worker, live_server.url, "welzijn@caw-brugwaarde.example")
    menu(worker, "Doorverwijzingen")
    worker.get_by_role("link", name="Basisschool De Zeppelin").first.click()
    expect(worker.get_by_role("main")).to_contain_text("Testouder Eva")
    worker.get_by_role("button", name="Aanvaard").click()
    worker.get_by_role("button", name="In contact met het gezin").click()
    expect(worker.locator("p.lead")).to_have_text("In contact met het gezin")
    incoming_url = worker.url

    # The coordinator sees the new state.
    school.goto(referral_url)
    expect(school.locator("p.lead")).to_have_text("In contact met het gezin")

    # The parents withdraw their consent: the worker no longer sees the details.
    school.get_by_role("link", name=re.compile("Gezin ZEP-TEST-1")).click()
    school.get_by_role("button", name="De ouders trekken deze toestemming in").click()
    expect(school.get_by_role("status")).to_contain_text("ingetrokken")
    worker.goto(incoming_url)
    expect(worker.get_by_role("main")).not_to_contain_text("Testouder Eva")
    expect(worker.get_by_role("main")).not_to_contain_text("0470 55 66 77")
