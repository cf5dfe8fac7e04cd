"""The parent survey: one answer per printed code, four languages, and only safe totals for the team."""

import html
import itertools
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reflection import parents
from reflection.models import ParentCode, ParentQuestionnaire, ParentResponse, ParentSurvey
from tests.factories import member


@pytest.fixture
def survey(school, director):
    made = ParentSurvey.objects.create(
        school=school,
        questionnaire=ParentQuestionnaire.objects.get(number=1),
        title="Bevraging ouders",
        closes_on=timezone.localdate() + timedelta(days=20),
        started_by=director,
    )
    parents.make_codes(made, 12)
    return made


def answer_url(code, language="nl"):
    return reverse("reflection:parent_answer", kwargs={"code": code, "language": language})


def results_url(survey):
    return survey.get_absolute_url()


def close(survey):
    ParentSurvey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()


def welcome_cells(client, survey):
    results = client.get(results_url(survey)).context["results"]
    [welcome] = [q for q in results["questions"] if q["code"] == "welcome"]
    return dict(welcome["cells"])


def answer(client, code, language="nl", **data):
    return client.post(answer_url(code, language), data)


def test_the_director_starts_a_survey_with_codes(client, school, director):
    client.force_login(director)
    url = reverse("reflection:parent_surveys", kwargs={"school_id": school.public_id})
    response = client.post(
        url, {"title": "Ouders 2026", "closes_on": (timezone.localdate() + timedelta(days=14)).isoformat(), "codes": 30}
    )
    assert response.status_code == 302
    survey = ParentSurvey.objects.get(title="Ouders 2026")
    assert survey.codes.count() == 30
    assert len({c.code for c in survey.codes.all()}) == 30
    cards = client.get(
        reverse("reflection:parent_codes", kwargs={"school_id": school.public_id, "survey_id": survey.pk})
    )
    assert cards.content.decode().count("<svg") == 30  # a QR code per card


@pytest.mark.parametrize(
    ("data", "field"),
    [({"codes": "0"}, "codes"), ({"codes": "5000"}, "codes"), ({"closes_on": "2020-01-01"}, "closes_on")],
)
def test_bad_survey_settings_are_refused(client, school, director, data, field):
    client.force_login(director)
    url = reverse("reflection:parent_surveys", kwargs={"school_id": school.public_id})
    base = {"title": "Ouders", "closes_on": (timezone.localdate() + timedelta(days=14)).isoformat(), "codes": 10}
    response = client.post(url, {**base, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ParentSurvey.objects.exists()


def test_a_parent_answers_without_an_account_and_a_code_answers_once(client, survey):
    code = survey.codes.first().code
    assert client.get(reverse("reflection:parent_language", kwargs={"code": code})).status_code == 200
    page = client.get(answer_url(code, "nl")).content.decode()
    assert "Voelt u zich welkom op school?" in page and "face-5.svg" in page
    assert answer(client, code, welcome="5", needs=["material_admin"]).status_code == 200
    [stored] = ParentResponse.objects.all()
    assert stored.answers == {"welcome": 5, "needs": ["material_admin"]}
    # The answer carries no trace of the code that gave it.
    assert {f.name for f in ParentResponse._meta.get_fields()} == {"id", "survey", "language", "answers"}
    again = answer(client, code, welcome="1")
    assert again.status_code == 404  # as for any code that cannot be used
    assert ParentResponse.objects.count() == 1
    assert client.get(answer_url(code)).status_code == 404


def test_the_code_can_be_typed_in_any_case_and_with_the_dash(client, survey):
    code = survey.codes.first().code
    typed = parents.pretty(code).lower()
    response = client.get(reverse("reflection:parent_entry"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("reflection:parent_language", kwargs={"code": code})
    assert client.get(reverse("reflection:parent_entry"), {"code": "NOPE-NOPE"}).status_code == 404


@pytest.mark.parametrize(
    ("language", "text", "direction"),
    [
        ("en", "Do you feel welcome at school?", "ltr"),
        ("fr", "Est-ce que l'école vous accueille bien ?", "ltr"),
        ("ar", "هل تشعرون بالترحيب في المدرسة؟", "rtl"),
    ],
)
def test_four_languages_and_arabic_right_to_left(client, survey, language, text, direction):
    page = client.get(answer_url(survey.codes.first().code, language)).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert html.escape(text) in page
    if direction == "rtl":
        assert "bootstrap.rtl.min.css" in page


def test_open_questions_are_not_asked(client, survey):
    page = client.get(answer_url(survey.codes.first().code)).content.decode()
    assert "Vertel het hier" not in page  # the data holds it; aggregates-only results would never use it


@pytest.mark.parametrize("data", [{"welcome": "9"}, {"welcome": "ok"}, {"needs": ["not-a-need"]}])
def test_bad_answers_keep_the_code_usable(client, survey, data):
    code = survey.codes.first().code
    response = answer(client, code, **data)
    assert response.status_code == 400
    assert not ParentResponse.objects.exists()
    assert not ParentCode.objects.get(code=code).used


def test_unknown_language_code_or_a_closed_survey(client, survey):
    code = survey.codes.first().code
    assert client.get(answer_url(code, "xx")).status_code == 404
    assert client.get(answer_url("ZZZZZZZZZZ")).status_code == 404
    ParentSurvey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert client.get(answer_url(code)).status_code == 404


@pytest.mark.parametrize(("answered", "shown"), [(4, False), (5, True)])
def test_results_stay_hidden_below_five_answers(client, survey, teacher, answered, shown):
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:answered]:
        answer(client, code, welcome="4")
    close(survey)
    client.force_login(teacher)  # the whole school team may look, as totals only
    response = client.get(results_url(survey))
    assert response.status_code == 200
    assert response.context["results"]["shown"] is shown
    assert ("Voelt u zich welkom op school?" in response.content.decode()) is shown
    if shown:
        assert welcome_cells(client, survey)[4] == "5"


def test_outsiders_do_not_see_the_results(client, survey, other_school, welfare_worker):
    for person in (member(Role.DIRECTOR, other_school), welfare_worker):
        client.force_login(person)
        assert client.get(results_url(survey)).status_code == 404
    client.force_login(member(Role.TEACHER, survey.school))
    codes = reverse("reflection:parent_codes", kwargs={"school_id": survey.school.public_id, "survey_id": survey.pk})
    assert client.get(codes).status_code == 403


def readings(texts, total, k=5):
    """Every breakdown a reader who knows the total (the used codes tell it) finds consistent with
    the published texts: a number is itself, "< k" is 1..k-1, the hidden mark is anything."""
    options = []
    for text in texts:
        if text == f"< {k}":
            options.append(range(1, k))
        elif text == "×":
            options.append(range(total + 1))
        else:
            options.append([int(text)])
    return [combo for combo in itertools.product(*options) if sum(combo) == total]


@pytest.mark.parametrize(
    "cells",
    [
        # One face per parent and those who skipped the question.
        [0, 1, 0, 6, 3, 0],
        [2, 2, 2, 0, 9, 0],
        [5, 5, 1, 0, 0, 0],
        [0, 0, 0, 0, 8, 0],
        [1, 6, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 1],
        [4, 4, 0, 0, 0, 0],
        # One option: those who ticked it and those who did not.
        [1, 7],
        [7, 1],
        [4, 4],
        [3, 3],
    ],
)
def test_no_hidden_count_can_be_worked_out_from_the_total_everybody_knows(cells):
    total = sum(cells)
    texts = [cell.text for cell in parents.publish(cells, 5)]
    possible = readings(texts, total)
    assert tuple(cells) in possible
    for index, text in enumerate(texts):
        if not text.isdigit():
            assert len({combo[index] for combo in possible}) > 1, (cells, texts, index)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks across connections need PostgreSQL")
def test_two_submissions_with_one_code_at_the_same_moment_store_one_answer(lookups, municipality):
    from tests.factories import SchoolFactory

    school = SchoolFactory(municipality=municipality)
    made = ParentSurvey.objects.create(
        school=school,
        questionnaire=ParentQuestionnaire.objects.get(number=1),
        title="Gelijktijdig",
        closes_on=timezone.localdate() + timedelta(days=3),
        started_by=member(Role.DIRECTOR, school),
    )
    [code] = parents.make_codes(made, 1)
    start = threading.Barrier(2)
    statuses = []

    def send():
        browser = Client()
        start.wait()
        try:
            statuses.append(browser.post(answer_url(code.code), {"welcome": "3"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 404]
    assert ParentResponse.objects.count() == 1


# What the team sees: only after the survey closed, through the project's disclosure control. ----


def test_an_open_survey_shows_the_team_no_totals_per_answer(client, survey, teacher):
    # Comparing the totals before and after one parent hands in would tell which face they chose.
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:8]:
        answer(client, code, welcome="4")
    client.force_login(teacher)
    page = client.get(results_url(survey)).content.decode()
    assert "Voelt u zich welkom op school?" not in page
    assert "De resultaten verschijnen wanneer de bevraging afgesloten is" in page
    assert "8 ouders antwoordden" in page  # how many answered is no secret: the used codes tell it too
    close(survey)
    page = client.get(results_url(survey)).content.decode()
    assert "Voelt u zich welkom op school?" in page
    assert welcome_cells(client, survey)[4] == "8"


def test_after_closing_a_count_hidden_only_to_protect_a_small_one_is_marked_hidden(client, survey, teacher):
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:6]:
        answer(client, code, welcome="5")
    answer(client, codes[6], welcome="1")
    close(survey)
    client.force_login(teacher)
    cells = welcome_cells(client, survey)
    # 1 parent chose face 1: "< 5". The 6 for face 5 would give it away (7 - 6): hidden, and it is
    # not itself below 5, so it carries the hidden mark with an explanation, never a false "< 5".
    assert cells[1] == "< 5"
    assert cells[5] == "×"
    page = client.get(results_url(survey)).content.decode()
    assert "× verbergt een aantal" in page


@pytest.mark.parametrize(("k", "shown"), [(5, True), (7, False)])
def test_the_survey_follows_the_configured_disclosure_threshold(client, survey, teacher, settings, k, shown):
    settings.BRUGWIJZER_DISCLOSURE_K = k
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:6]:
        answer(client, code, welcome="4")
    close(survey)
    client.force_login(teacher)
    response = client.get(results_url(survey))
    page = response.content.decode()
    assert ("Voelt u zich welkom op school?" in page) is shown
    assert (f"Minder dan {k} ouders antwoordden" in page) is not shown
    assert response.context["results"]["k"] == k


# Trying codes: every refusal looks the same, and one client cannot keep trying. -----------------


def test_unknown_used_and_closed_codes_get_the_same_answer(client, survey, school, director):
    used = survey.codes.first().code
    answer(client, used, welcome="3")
    closed = ParentSurvey.objects.create(
        school=school,
        questionnaire=survey.questionnaire,
        title="Vorig jaar",
        closes_on=timezone.localdate() - timedelta(days=1),
        started_by=director,
    )
    [old] = parents.make_codes(closed, 1)
    unknown = "ABCDEABCDE"
    for code in (used, old.code, unknown):
        assert code != survey.codes.last().code

    def seen(request):
        return [(r.status_code, r.content) for r in request]

    def answers_for(code):
        return seen(
            [
                client.get(reverse("reflection:parent_entry"), {"code": code}),
                client.get(reverse("reflection:parent_language", kwargs={"code": code})),
                client.get(answer_url(code, "fr")),
                client.post(answer_url(code, "nl"), {"welcome": "2"}),
            ]
        )

    first = answers_for(unknown)
    assert [status for status, _ in first] == [404] * 4
    assert answers_for(used) == first
    assert answers_for(old.code) == first
    assert ParentResponse.objects.count() == 1


def test_a_client_trying_too_many_codes_is_refused_while_other_parents_get_in(client, survey):
    valid = [c.code for c in survey.codes.all()]
    guesser = {"REMOTE_ADDR": "203.0.113.9"}
    pages = [
        lambda code: client.get(reverse("reflection:parent_entry"), {"code": code}, **guesser),
        lambda code: client.get(reverse("reflection:parent_language", kwargs={"code": code}), **guesser),
        lambda code: client.post(answer_url(code), {"welcome": "1"}, **guesser),
    ]
    for attempt in range(parents.GUESS_LIMIT):
        assert pages[attempt % 3](f"WRONG{attempt:05d}").status_code == 404
    refused = pages[0]("WRONGWRONG")
    assert refused.status_code == 429
    assert "te veel codes geprobeerd" in refused.content.decode()
    # Once refused, even a real code does not get through: a hit would betray it.
    assert pages[1](valid[0]).status_code == 429
    assert pages[2](valid[0]).status_code == 429
    assert not ParentResponse.objects.exists()
    # A parent elsewhere with a real code answers as usual.
    elsewhere = {"REMOTE_ADDR": "198.51.100.20"}
    assert client.get(reverse("reflection:parent_language", kwargs={"code": valid[0]}), **elsewhere).status_code == 200
    assert client.post(answer_url(valid[0]), {"welcome": "4"}, **elsewhere).status_code == 200
    assert ParentResponse.objects.count() == 1


def test_a_parent_who_mistypes_a_few_times_still_gets_in(client, survey):
    code = survey.codes.first().code
    for typo in ("ABCDE-12345", code[:-1], code[1:]):
        assert client.get(reverse("reflection:parent_entry"), {"code": typo}).status_code == 404
    assert client.get(reverse("reflection:parent_entry"), {"code": code}).status_code == 302
    assert answer(client, code, welcome="5").status_code == 200


def test_a_parent_who_opened_the_questions_before_their_address_was_refused_still_hands_in(client, survey):
    # Families at a parents' evening share the school's address with whoever is trying codes there.
    shared = {"REMOTE_ADDR": "192.0.2.44"}
    code = survey.codes.first().code
    ticket = client.get(answer_url(code), **shared).context["ticket"]
    for attempt in range(parents.GUESS_LIMIT):
        client.get(reverse("reflection:parent_language", kwargs={"code": f"WRONG{attempt:05d}"}), **shared)
    assert client.get(answer_url(code), **shared).status_code == 429
    # A ticket for another code, or a made-up one, does not open the door.
    other = survey.codes.last().code
    assert client.post(answer_url(other), {"welcome": "2", "ticket": ticket}, **shared).status_code == 429
    assert client.post(answer_url(other), {"welcome": "2", "ticket": "made-up"}, **shared).status_code == 429
    handed_in = client.post(answer_url(code), {"welcome": "4", "ticket": ticket}, **shared)
    assert handed_in.status_code == 200
    assert ParentResponse.objects.get().answers == {"welcome": 4}
