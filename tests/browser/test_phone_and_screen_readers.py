"""Every key page of every demo role, at laptop (1366 x 768) and phone (390 x 844) size: no critical
or serious axe-core violation, and on a phone nothing wider than the screen (no sideways
scrolling, no table running off it), chart labels of at least 12 px and checkbox and radio
borders that stand out (3:1)."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# What a phone must not do, measured in the page: each check returns what is wrong, if anything.
PHONE_CHECKS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
  }
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  for (const table of document.querySelectorAll("table")) {
    const right = table.getBoundingClientRect().right;
    if (visible(table) && right > width + 1) {
      const heading = table.querySelector("th")?.textContent.trim() ?? "";
      problems.push(`a table (${heading}…) runs ${Math.round(right - width)}px off the screen`);
    }
  }
  for (const text of document.querySelectorAll("svg text")) {
    if (!visible(text) || !text.textContent.trim()) continue;
    const svg = text.ownerSVGElement;
    const box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (size < 12) {
      problems.push(`chart label "${text.textContent.trim()}" is ${size.toFixed(1)}px`);
      break;
    }
  }
  return problems;
}"""

# Checkboxes and radio buttons: their border against the page, at least 3:1 (WCAG 1.4.11).
BORDER_CHECK = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const problems = [];
  for (const input of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    if (input.getClientRects().length === 0) continue;
    const style = getComputedStyle(input);
    if (style.appearance === "auto") continue;  // drawn by the browser, not by our styles
    const [a, b] = [luminance(style.borderTopColor), luminance("rgb(255, 255, 255)")].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 3) {
      problems.push(`the border of ${input.name || input.id} has a contrast of ${ratio.toFixed(2)}:1`);
      break;
    }
  }
  return problems;
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.impact} ${v.id}: ${v.help}\\n` + v.nodes.map((n) => `      ${n.target.join(" ")}`).join("\\n"));
}"""


def key_pages(email):
    """The pages each role works with most, read from the demo data."""
    from accounts.models import User
    from network.models import Meeting, Network
    from referrals.models import BridgeShare, Family, Referral, Signal
    from reflection.models import Phase, Round
    from schools.models import School
    from welfare.models import WelfareOrganisation

    zeppelin = School.objects.get(institution_number="990001")
    school = {"school_id": zeppelin.public_id}
    municipality = {"municipality_id": zeppelin.municipality.public_id}
    caw = WelfareOrganisation.objects.get(name="CAW Brugwaarde-Kanaalhoek")
    bridge_service = WelfareOrganisation.objects.get(name="Brugfigurenwerking Brugwaarde")
    directory = [reverse("welfare:directory"), reverse("welfare:organisation", kwargs={"organisation_id": caw.pk})]
    rounds = Round.objects.for_tenant(zeppelin)
    closed = rounds.filter(phase=Phase.CLOSED).first()
    answering = rounds.filter(phase=Phase.ANSWERING).first()
    in_round = {"kind": "school", "tenant_id": zeppelin.public_id}
    answer = [
        reverse("reflection:answer", kwargs={**in_round, "round_id": answering.pk, "section_slug": slug})
        for slug in ("needs", "agreements-parents")
    ]
    bridge_figure = User.objects.get(email="brugfiguur@brugwaarde.example")
    return {
        "directie@zeppelin.example": [
            "/",
            reverse("schools:map", kwargs=school),
            reverse("reflection:rounds", kwargs=in_round),
            answering.get_absolute_url(),
            reverse("reflection:team", kwargs={**in_round, "round_id": closed.pk}),
            reverse("reflection:actions", kwargs={**in_round, "round_id": closed.pk}),
            reverse("accounts:team", kwargs=in_round),
        ],
        "zorg@zeppelin.example": [
            "/",
            reverse("referrals:signals", kwargs=school),
            Signal.objects.filter(school=zeppelin).first().get_absolute_url(),
            reverse("referrals:families", kwargs=school),
            Family.objects.filter(school=zeppelin).first().get_absolute_url(),
            reverse("referrals:referrals", kwargs=school),
            Referral.objects.filter(school=zeppelin).first().get_absolute_url(),
            reverse("referrals:followups"),
            reverse("schools:map", kwargs=school),
            *directory,
        ],
        "leerkracht@zeppelin.example": ["/", *answer, reverse("accounts:security")],
        "brugfiguur@brugwaarde.example": [
            "/",
            reverse("referrals:bridge_caseload"),
            BridgeShare.objects.filter(bridge_figure=bridge_figure).first().get_absolute_url(),
        ],
        "welzijn@caw-brugwaarde.example": [
            "/",
            reverse("referrals:incoming", kwargs={"organisation_id": caw.public_id}),
            Referral.objects.filter(organisation=caw).first().get_incoming_url(),
            *directory,
        ],
        "coordinatie@brugfiguren-brugwaarde.example": [
            "/",
            reverse("referrals:bridge_workload", kwargs={"organisation_id": bridge_service.public_id}),
        ],
        "regisseur@brugwaarde.example": [
            "/",
            reverse("network:dashboard", kwargs=municipality),
            reverse("network:networks", kwargs=municipality),
            Network.objects.filter(municipality=zeppelin.municipality).first().get_absolute_url(),
            Meeting.objects.filter(network__municipality=zeppelin.municipality).first().get_absolute_url(),
            reverse("network:signals", kwargs=municipality),
            reverse("network:engagements", kwargs=municipality),
        ],
    }[email]


def problems_on(page, url, phone):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    problems = page.evaluate(BORDER_CHECK)
    if phone:
        problems += page.evaluate(PHONE_CHECKS)
    page.add_script_tag(path=str(AXE))
    problems += page.evaluate(AXE_RUN)
    return problems


@pytest.mark.parametrize(
    "email",
    [
        "directie@zeppelin.example",
        "zorg@zeppelin.example",
        "leerkracht@zeppelin.example",
        "brugfiguur@brugwaarde.example",
        "welzijn@caw-brugwaarde.example",
        "coordinatie@brugfiguren-brugwaarde.example",
        "regisseur@brugwaarde.example",
    ],
)
def test_key_pages_work_on_a_phone_and_with_a_screen_reader(browser, live_server, demo, email):
    started = time.monotonic()
    # axe-core is injected as a script, which the Content-Security-Policy would block.
    laptop = browser.new_context(viewport=LAPTOP, bypass_csp=True)
    page = laptop.new_page()
    log_in(page, live_server.url, email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    phone = browser.new_context(viewport=PHONE, bypass_csp=True, storage_state=laptop.storage_state())
    found = {}
    for size, context in (("laptop", laptop), ("phone", phone)):
        page = context.pages[0] if context.pages else context.new_page()
        for path in key_pages(email):
            problems = problems_on(page, live_server.url + path, phone=size == "phone")
            if problems:
                found[f"{size} {path}"] = problems
        context.close()
    report = "\n".join(f"{where}\n" + "\n".join(f"    {p}" for p in problems) for where, problems in found.items())
    assert not found, f"{email}:\n{report}"
    print(f"{email}: {time.monotonic() - started:.1f}s")


def test_on_a_phone_the_header_is_one_row_and_its_menus_open_without_javascript(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "zorg@zeppelin.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisschool De Zeppelin")
    height = page.locator("header").bounding_box()["height"]
    assert height <= 80, f"the header takes {height}px of the phone's 844"
    # The main menu is folded: its links appear when the Menu button is pressed.
    expect(page.get_by_role("link", name="Sociale kaart")).to_be_hidden()
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Sociale kaart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart")
    # The account menu holds the places, the language and logging out.
    expect(page.get_by_role("button", name="Afmelden")).to_be_hidden()
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Brugwijzer")).to_be_visible()
    context.close()
