import re

from playwright.sync_api import expect

from tests.browser.test_journeys import log_in


def test_coordinator_finds_an_organisation_by_need_and_puts_it_on_the_map(browser, live_server, demo):
    page = browser.new_context().new_page()
    log_in(page, live_server.url, "zorg@zeppelin.example")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Sociale kaart").click()
    page.get_by_label("Nood").select_option(label="Drempels naar en binnen het onderwijs")
    page.get_by_role("button", name="Diensten tonen").click()
    results = page.locator("ol")
    expect(results).to_contain_text("Onderwijscentrum Brugwaarde")
    results.get_by_role("link", name="Onderwijscentrum Brugwaarde").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderwijscentrum Brugwaarde")

    form = page.locator("form").filter(has=page.get_by_label("Basisschool De Zeppelin en deze organisatie"))
    form.get_by_label("Basisschool De Zeppelin en deze organisatie").select_option(label="Te verkennen")
    form.get_by_role("button", name="Op onze kaart zetten").click()
    expect(page.get_by_role("status")).to_contain_text("Te verkennen")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Ken je buurt").click()
    row = page.get_by_role("row").filter(has_text="Onderwijscentrum Brugwaarde")
    expect(row.locator("td.status-to_explore")).to_have_text("Te verkennen")
    href = row.get_by_role("link", name="Onderwijscentrum Brugwaarde").get_attribute("href")
    mark = page.locator(f'a.kaart-mark[href="{href}"]')
    expect(mark).to_have_class(re.compile("kaart-to_explore"))
    # The to-explore ring, in the book's third colour.
    expect(mark.locator("polygon")).to_have_attribute("fill", "#f9a825")
    cx, cy = (float(v) for v in mark.locator("polygon").get_attribute("points").split(" ")[1].split(","))
    distance = ((cx - 15 - 400) ** 2 + (cy - 400) ** 2) ** 0.5
    assert abs(distance - 290) < 1
