"""The parent survey: one answer per printed code, four languages, and only safe totals for the team."""

import html
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
    assert again.status_code == 410
    assert ParentResponse.objects.count() == 1
    assert client.get(answer_url(code)).status_code == 410


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
    assert client.get(answer_url(code)).status_code == 410


def test_results_stay_hidden_below_five_answers(client, survey, teacher):
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:4]:
        answer(client, code, welcome="4")
    client.force_login(teacher)  # the whole school team may look, as totals only
    response = client.get(results_url(survey))
    assert response.status_code == 200
    assert not response.context["results"]["shown"]
    assert "Voelt u zich welkom op school?" not in response.content.decode()
    client.logout()
    answer(client, codes[4], welcome="4")
    client.force_login(teacher)
    results = client.get(results_url(survey)).context["results"]
    assert results["shown"] and results["total"] == 5
    [welcome] = [q for q in results["questions"] if q["code"] == "welcome"]
    assert welcome["visible"] and dict(welcome["cells"])[4] == "5"


def test_small_cells_and_the_one_that_would_give_them_away_are_hidden(client, survey, teacher):
    codes = [c.code for c in survey.codes.all()]
    for code in codes[:7]:
        answer(client, code, welcome="5")
    answer(client, codes[7], welcome="2")
    client.force_login(teacher)
    results = client.get(results_url(survey)).context["results"]
    [welcome] = [q for q in results["questions"] if q["code"] == "welcome"]
    cells = dict(welcome["cells"])
    # 1 parent chose 2: hidden; then 7 for 5 would betray it (8 - 7), so it is hidden as well.
    assert cells[2] == "< 5" and cells[5] == "< 5"
    assert cells[1] == cells[3] == cells[4] == "0"


def test_outsiders_do_not_see_the_results(client, survey, other_school, welfare_worker):
    for person in (member(Role.DIRECTOR, other_school), welfare_worker):
        client.force_login(person)
        assert client.get(results_url(survey)).status_code == 404
    client.force_login(member(Role.TEACHER, survey.school))
    codes = reverse("reflection:parent_codes", kwargs={"school_id": survey.school.public_id, "survey_id": survey.pk})
    assert client.get(codes).status_code == 403


@pytest.mark.parametrize("cells", [[0, 1, 0, 6, 3], [2, 2, 2, 0, 9], [5, 5, 1, 0, 0], [0, 0, 0, 0, 8]])
def test_no_hidden_cell_can_be_worked_out_from_the_total(cells):
    shown = parents._suppress(cells, exclusive=True)
    total = sum(cells)
    hidden = [i for i, value in enumerate(shown) if value.startswith("<")]
    known = sum(int(value) for value in shown if not value.startswith("<"))
    assert all(0 < cells[i] < parents.K or len(hidden) > 1 for i in hidden)
    assert len(hidden) != 1  # one hidden cell would be total minus the others
    assert known + sum(cells[i] for i in hidden) == total


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
    assert sorted(statuses) == [200, 410]
    assert ParentResponse.objects.count() == 1
