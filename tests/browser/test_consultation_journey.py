"""The care coordinator plans a care meeting with the CAW worker and records the agreements; the
CAW worker sees the meeting and the agreement assigned to them, never the care team's notes."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.browser.test_referral_journey import field, menu

NOTES = "Moeder vertelt over spanningen thuis sinds de verhuis."
FOR_CAW = "Huisbezoek plannen met het gezin"
FOR_SCHOOL = "Klasleerkracht bespreekt het huiswerk met moeder"


def test_care_meeting_with_the_caw_worker(browser, live_server, demo):
    day = timezone.localdate() + timedelta(days=10)
    school = browser.new_context().new_page()
    log_in(school, live_server.url, "zorg@zeppelin.example")
    menu(school, "Gezinnen")
    school.get_by_role("link", name="ZEP-2026-02").click()
    school.get_by_role("link", name="Een overleg plannen").click()
    field(school, "Soort overleg").select_option(label="Zorgoverleg")
    field(school, "Datum").fill(day.isoformat())
    field(school, "Uur").fill("14:00")
    field(school, "Plaats").fill("Lokaal 12")
    field(school, "Notities van het zorgteam").fill(NOTES)
    school.get_by_role("button", name="Het overleg plannen").click()
    expect(school.get_by_role("status")).to_contain_text("gepland")

    # The CAW worker joins: the parents' consent names the CAW.
    field(school, "Organisatie").select_option(label="CAW Brugwaarde-Kanaalhoek")
    field(school, "Persoon").select_option(label="Nadia Janssens")
    field(school, "Rol in het overleg").fill("Maatschappelijk werker")
    school.get_by_role("button", name="Toevoegen").click()
    expect(school.get_by_role("status")).to_contain_text("toegevoegd")
    expect(school.get_by_role("main")).to_contain_text("gedekt door de toestemming van de ouders")

    # The agreements: one for the CAW, one for the care team.
    field(school, "Afspraak of actie").fill(FOR_CAW)
    field(school, "Wie neemt het op").select_option(index=1)
    school.get_by_role("button", name="Noteren").click()
    expect(school.get_by_role("status")).to_contain_text("genoteerd")
    field(school, "Afspraak of actie").fill(FOR_SCHOOL)
    school.get_by_role("button", name="Noteren").click()
    expect(school.get_by_role("main")).to_contain_text(FOR_SCHOOL)
    expect(school.get_by_role("main")).to_contain_text(NOTES)

    # The CAW worker sees the meeting and their agreement, not the notes or the school's agreement.
    worker = browser.new_context().new_page()
    log_in(worker, live_server.url, "welzijn@caw-brugwaarde.example")
    menu(worker, "Overleg")
    expect(worker.get_by_role("heading", level=1)).to_have_text("Overleg waaraan wij deelnemen")
    worker.get_by_role("row").filter(has_text="Lokaal 12").get_by_role("link").click()
    main = worker.get_by_role("main")
    expect(main).to_contain_text("Zorgoverleg")
    expect(main).to_contain_text("Lokaal 12")
    expect(main).to_contain_text(FOR_CAW)
    expect(main).not_to_contain_text(FOR_SCHOOL)
    expect(main).not_to_contain_text(NOTES)
