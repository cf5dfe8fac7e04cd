from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in


def test_director_plans_an_info_evening_and_subscribes_to_the_feed(browser, live_server, demo):
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, live_server.url, "directie@zeppelin.example")

    page.get_by_role("link", name="Open de schoolkalender").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schoolkalender")
    expect(page.get_by_role("table")).to_contain_text("CAW Brugwaarde-Kanaalhoek")

    page.get_by_role("link", name="Een datum of reeks toevoegen").click()
    page.locator("#id_kind").select_option(label="Infoavond voor ouders")
    page.locator("#id_organisation").select_option(label="OCMW Brugwaarde")
    page.locator("#id_place").fill("refter")
    page.locator("#id_starts_on").fill("2027-03-16")
    page.locator("#id_start_time").fill("19:00")
    page.locator("#id_end_time").fill("20:30")
    page.locator("#id_repeat").select_option(label="Eén keer")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De datum staat op de schoolkalender.")
    expect(page.get_by_role("table")).to_contain_text("Infoavond voor ouders")

    address = page.get_by_label("Kalenderadres").input_value()
    feed = Calendar.from_ical(page.request.get(address).body())
    summaries = {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    assert "Infoavond voor ouders · OCMW Brugwaarde" in summaries
    assert "Zitdag op school · CAW Brugwaarde-Kanaalhoek" in summaries
    assert "Hanne Verstraete" not in page.request.get(address).text()

    page.get_by_role("button", name="Een nieuw adres maken (het oude werkt dan niet meer)").click()
    assert page.request.get(address).status == 404
