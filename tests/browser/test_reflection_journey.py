from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import DEMO_PASSWORD, log_in
from tests.browser.test_referral_journey import NEED, field, menu

QUESTIONNAIRE = "Reflectie voor het schoolteam"
ROUND = "Reflectie na de herfstvakantie"


def answer_alone(page, base_url, email, what_we_do):
    log_in(page, base_url, email)
    menu(page, "Reflectie")
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name="Welke noden komen binnen?").click()
    page.get_by_label(NEED).first.check()
    page.get_by_label("Wat we doen").first.fill(what_we_do)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bewaard")
    # Resumable: what was saved is there when the page comes back.
    expect(page.get_by_label("Wat we doen").first).to_have_value(what_we_do)
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name="Welzijn op school: hoe kijken we ernaar?").click()
    page.get_by_label("nodig, want een kind met zorgen thuis leert moeilijk.").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("button", name="Mijn antwoorden indienen").click()
    expect(page.get_by_role("status")).to_contain_text("ingediend")


def test_a_team_runs_a_reflection_round(browser, live_server, demo):
    from accounts.roles import Role
    from schools.models import School
    from tests.factories import member

    zeppelin = School.objects.get(institution_number="990001")
    second = member(Role.TEACHER, zeppelin, email="tweede@zeppelin.example", full_name="Tom Tweede")
    second.set_password(DEMO_PASSWORD)
    second.save()

    director = browser.new_context().new_page()
    blocked = []
    director.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    log_in(director, live_server.url, "directie@zeppelin.example")
    menu(director, "Reflectie")
    director.get_by_role("link", name="Een ronde starten").click()
    director.get_by_label(QUESTIONNAIRE).check()
    field(director, "Titel").fill(ROUND)
    field(director, "Antwoorden tot").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    # Two people cannot stay anonymous to each other: this round shows who wrote what.
    director.get_by_label("Antwoorden zijn anoniem voor het team").uncheck()
    director.get_by_label("Lotte Claeys").check()
    director.get_by_label("Tom Tweede").check()
    director.get_by_role("button", name="De ronde starten").click()
    expect(director.get_by_role("heading", level=1)).to_have_text(ROUND)

    for email, text in (
        ("leerkracht@zeppelin.example", "Afbetaling regelen"),
        ("tweede@zeppelin.example", "Bellen met het OCMW"),
    ):
        answer_alone(browser.new_context().new_page(), live_server.url, email, text)

    director.reload()
    expect(director.get_by_role("main")).to_contain_text("2 van 2 deelnemers dienden in")
    director.get_by_role("button", name="Verder naar: Gesprek met het team").click()
    director.get_by_role("link", name="Teamoverzicht").click()
    main = director.get_by_role("main")
    expect(main).to_contain_text("Afbetaling regelen")
    expect(main).to_contain_text("Bellen met het OCMW")
    field(director, "Conclusie").first.fill("Geldzorgen vangen we samen met het OCMW op.")
    director.get_by_role("button", name="Notities van het team bewaren").first.click()
    expect(director.get_by_role("main")).to_contain_text("Geldzorgen vangen we samen met het OCMW op.")

    director.get_by_role("link", name=ROUND).click()
    director.get_by_role("link", name="Actieplan").click()
    field(director, "Wat").fill("Afspraak met het OCMW over de schoolrekening")
    field(director, "Wie").select_option(label="Lotte Claeys")
    field(director, "Tegen wanneer").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    director.get_by_role("button", name="Actie toevoegen").click()
    menu(director, "Voorpagina")
    expect(director.get_by_role("main")).to_contain_text("Afspraak met het OCMW over de schoolrekening")
    assert blocked == []  # the strict Content-Security-Policy blocked nothing the pages need
