"""A round from start to action plan: who sees what, when, and what the answers change."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reflection.models import ActionPoint, Answer, Participant, Phase, Round
from schools.models import PartnerRelation, RelationStatus
from tests.downloads import csv_rows
from tests.factories import OrganisationFactory, member
from tests.reflection.conftest import url


def answer_first(client, round_, **data):
    return client.post(url("answer", round_, section_slug="needs"), data)


def hand_in(client, round_):
    return client.post(url("hand_in", round_))


def test_the_director_starts_a_round_with_chosen_participants(client, school, director, teachers, version):
    client.force_login(director)
    new = reverse("reflection:new_round", kwargs={"kind": "school", "tenant_id": school.public_id})
    page = client.get(new)
    assert "Testronde" in page.content.decode()
    today = timezone.localdate()
    response = client.post(
        new,
        {
            "version": version.pk,
            "title": "Voorjaar",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(),
            "anonymous": "on",
            "participants": [t.pk for t in teachers],
        },
    )
    assert response.status_code == 302
    found = Round.objects.get(title="Voorjaar")
    assert found.school == school and found.anonymous
    assert set(found.participants.values_list("user", flat=True)) == {t.pk for t in teachers}


def test_the_period_must_end_after_it_starts(client, school, director, version, teachers):
    client.force_login(director)
    new = reverse("reflection:new_round", kwargs={"kind": "school", "tenant_id": school.public_id})
    today = timezone.localdate()
    response = client.post(
        new,
        {
            "version": version.pk,
            "title": "Fout",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "participants": [teachers[0].pk],
        },
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not Round.objects.filter(title="Fout").exists()


def test_a_teacher_cannot_start_a_round(client, school, teachers):
    client.force_login(teachers[0])
    new = reverse("reflection:new_round", kwargs={"kind": "school", "tenant_id": school.public_id})
    assert client.get(new).status_code == 403


def test_answers_are_saved_as_you_go_and_can_be_resumed(client, round_, teachers, need, organisation):
    client.force_login(teachers[0])
    response = answer_first(
        client,
        round_,
        scale="4",
        needs=[need.code],
        open="We zien veel open schoolrekeningen.",
        **{f"grid__{need.code}__do": "Afbetalingsplan", f"grid__{need.code}__org": str(organisation.pk)},
        **{f"map__{organisation.pk}": RelationStatus.CLOSE},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(round=round_, user=teachers[0])
    stored = {a.question.code: a.value for a in participant.answers.select_related("question")}
    assert stored["scale"] == 4 and stored["needs"] == [need.code]
    assert stored["grid"] == {need.code: {"do": "Afbetalingsplan", "org": str(organisation.pk), "limit": ""}}
    assert stored["map"] == {str(organisation.pk): RelationStatus.CLOSE}
    page = client.get(url("answer", round_, section_slug="needs")).content.decode()
    assert "We zien veel open schoolrekeningen." in page and "Afbetalingsplan" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scale": "7"}, "scale"),
        ({"scale": "veel"}, "scale"),
        ({"needs": ["not_a_need"]}, "needs"),
        ({"open": "x" * 2001}, "open"),
    ],
)
def test_bad_answers_get_a_clear_error_and_lose_nothing(client, round_, teachers, data, field):
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3")
    response = answer_first(client, round_, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Answer.objects.get(question__code="scale").value == 3


def test_a_tampered_section_or_question_is_refused(client, round_, teachers):
    client.force_login(teachers[0])
    assert client.post(url("answer", round_, section_slug="not-there"), {"scale": "3"}).status_code == 404
    # An unknown field is no question of this round: nothing is stored for it.
    assert answer_first(client, round_, scale="2", **{"999": "x", "scale2": "5"}).status_code == 302
    assert list(Answer.objects.values_list("question__code", flat=True)) == ["scale"]


def test_handing_in_needs_the_required_answers(client, round_, teachers):
    client.force_login(teachers[0])
    hand_in(client, round_)
    participant = Participant.objects.get(round=round_, user=teachers[0])
    assert participant.submitted_at is None
    answer_first(client, round_, scale="5")
    hand_in(client, round_)
    participant.refresh_from_db()
    assert participant.submitted_at is not None
    # Handed in: the answers are fixed.
    answer_first(client, round_, scale="1")
    assert Answer.objects.get(question__code="scale").value == 5


def test_in_an_anonymous_round_the_team_view_waits_for_the_team_phase(client, round_, teachers, director):
    """Watching the totals grow one hand-in at a time would show what each person answered."""
    team = url("team", round_)
    client.force_login(teachers[0])
    answer_first(client, round_, scale="5")
    hand_in(client, round_)
    assert client.get(team).status_code == 403
    client.force_login(director)  # facilitates but does not take part
    assert client.get(team).status_code == 403
    client.post(url("advance", round_), {"to": Phase.TEAM})
    assert client.get(team).status_code == 200
    client.force_login(teachers[1])  # did not answer, but the discussion has started
    assert client.get(team).status_code == 200


def test_in_a_named_round_you_may_look_once_you_handed_in(client, round_, teachers):
    Round.objects.filter(pk=round_.pk).update(anonymous=False)
    team = url("team", round_)
    client.force_login(teachers[0])
    assert client.get(team).status_code == 403
    answer_first(client, round_, scale="5")
    hand_in(client, round_)
    assert client.get(team).status_code == 200
    client.force_login(teachers[1])
    assert client.get(team).status_code == 403


def test_no_answers_after_the_team_phase_started_or_the_period_ended(client, round_, teachers, director):
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    client.force_login(teachers[1])
    answer_first(client, round_, scale="1")
    hand_in(client, round_)
    assert not Answer.objects.exists()
    assert Participant.objects.get(round=round_, user=teachers[1]).submitted_at is None
    Round.objects.filter(pk=round_.pk).update(phase=Phase.ANSWERING, ends_on=timezone.localdate() - timedelta(days=1),
                                              starts_on=timezone.localdate() - timedelta(days=9))  # fmt: skip
    answer_first(client, round_, scale="1")
    assert not Answer.objects.exists()


def test_an_anonymous_round_hides_results_fewer_than_three_people_gave(client, round_, teachers, director):
    for person in teachers[:2]:
        client.force_login(person)
        answer_first(client, round_, scale="4")
        hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    [block, _second] = client.get(url("team", round_)).context["blocks"]
    _question, summary = block["questions"][0]
    assert summary == {"n": 2, "hidden": True, "minimum": 3}


def test_an_anonymous_round_needs_three_participants(client, school, director, teachers, version):
    client.force_login(director)
    new = reverse("reflection:new_round", kwargs={"kind": "school", "tenant_id": school.public_id})
    today = timezone.localdate()
    data = {
        "version": version.pk,
        "title": "Klein",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=5)).isoformat(),
        "participants": [t.pk for t in teachers[:2]],
    }
    response = client.post(new, {**data, "anonymous": "on"})
    assert response.status_code == 400 and "participants" in response.context["form"].errors
    assert client.post(new, data).status_code == 302  # a named round of two is fine


def test_a_named_round_shows_who_wrote_what(client, round_, teachers, director):
    Round.objects.filter(pk=round_.pk).update(anonymous=False)
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3", open="Meer tijd voor oudergesprekken.")
    hand_in(client, round_)
    Round.objects.filter(pk=round_.pk).update(phase=Phase.TEAM)
    client.force_login(director)
    page = client.get(url("team", round_)).content.decode()
    assert "Meer tijd voor oudergesprekken." in page and teachers[0].full_name in page


def test_the_team_view_shows_distribution_and_median(client, round_, teachers, director):
    for person, value in zip(teachers, ("2", "5", "4"), strict=True):
        client.force_login(person)
        answer_first(client, round_, scale=value)
        hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    response = client.get(url("team", round_))
    [block, _second] = response.context["blocks"]
    question, summary = block["questions"][0]
    assert question.code == "scale"
    assert summary["counts"] == [0, 1, 0, 1, 1] and summary["median"] == 4


def test_outsiders_get_404_and_members_outside_the_round_403(client, round_, other_school, school):
    pages = [
        round_.get_absolute_url(),
        url("team", round_),
        url("actions", round_),
        url("answer", round_, section_slug="needs"),
    ]
    for person in (member(Role.DIRECTOR, other_school), member(Role.WELFARE_WORKER, OrganisationFactory())):
        client.force_login(person)
        for page in pages:
            assert client.get(page).status_code == 404, page
    client.force_login(member(Role.TEACHER, school))
    for page in pages:
        assert client.get(page).status_code == 403, page


def test_the_map_exercise_updates_this_schools_map_only(
    client, round_, teachers, director, organisation, other_organisation, other_school
):
    PartnerRelation.objects.create(school=other_school, organisation=organisation, status=RelationStatus.TO_EXPLORE)
    Round.objects.filter(pk=round_.pk).update(anonymous=False)  # one answer: an anonymous round would hide it
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3", **{f"map__{organisation.pk}": RelationStatus.CLOSE})
    hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    page = client.get(url("team", round_)).content.decode()
    assert organisation.name in page
    client.post(
        url("apply_map", round_),
        # The second organisation does not serve the school's municipality: it is ignored.
        {f"org-{organisation.pk}": RelationStatus.CLOSE, f"org-{other_organisation.pk}": RelationStatus.CLOSE},
    )
    mine = PartnerRelation.objects.get(school=round_.school, organisation=organisation)
    assert mine.status == RelationStatus.CLOSE and mine.updated_by == director
    assert not PartnerRelation.objects.filter(school=round_.school, organisation=other_organisation).exists()
    theirs = PartnerRelation.objects.get(school=other_school, organisation=organisation)
    assert theirs.status == RelationStatus.TO_EXPLORE


def test_the_team_view_names_the_status_on_the_map_not_its_code(client, round_, teachers, director, organisation):
    PartnerRelation.objects.create(school=round_.school, organisation=organisation, status=RelationStatus.TO_EXPLORE)
    Round.objects.filter(pk=round_.pk).update(anonymous=False)
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3", **{f"map__{organisation.pk}": RelationStatus.NONE_YET})
    hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    page = client.get(url("team", round_)).content.decode()
    assert re.search(r'<td class="small"[^>]*>Te verkennen</td>', page)  # on the map now
    assert ">to_explore<" not in page and ">none_yet<" not in page


def test_only_someone_who_may_edit_the_map_applies_it(client, round_, teachers):
    client.force_login(teachers[0])
    assert client.post(url("apply_map", round_), {}).status_code == 403


def test_conclusions_and_an_action_that_shows_on_the_school_home(client, round_, director, teachers, need):
    Round.objects.filter(pk=round_.pk).update(phase=Phase.TEAM)
    client.force_login(director)
    section = round_.version.sections.get(slug="needs")
    client.post(
        url("team", round_), {"section": section.pk, f"s{section.pk}-conclusion": "We maken de kosten bespreekbaar."}
    )
    assert "We maken de kosten bespreekbaar." in client.get(url("team", round_)).content.decode()
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url("actions", round_),
        {"what": "Kostenbeleid herbekijken", "owner": teachers[0].pk, "due_on": due.isoformat(), "need": need.pk},
    )
    assert response.status_code == 302
    home = client.get(round_.school.get_absolute_url()).content.decode()
    assert "Kostenbeleid herbekijken" in home
    # The owner moves it on; done actions leave the home page.
    point = ActionPoint.objects.get()
    client.force_login(teachers[0])
    client.post(url("actions", round_), {"action": point.pk, "status": "done"})
    point.refresh_from_db()
    assert point.status == "done"
    client.force_login(director)
    assert "Kostenbeleid herbekijken" not in client.get(round_.school.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"what": ""}, "what"), ({"due_on": "2020-01-01"}, "due_on"), ({"owner": "999999"}, "owner")],
)
def test_bad_actions_are_refused(client, round_, director, teachers, data, field):
    client.force_login(director)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url("actions", round_), {"what": "Iets", "owner": teachers[0].pk, "due_on": due, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ActionPoint.objects.exists()


def test_closing_freezes_the_round(client, round_, director, teachers):
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3")
    client.force_login(director)
    for phase in (Phase.TEAM, Phase.ACTIONS, Phase.CLOSED):
        client.post(url("advance", round_), {"to": phase})
    round_.refresh_from_db()
    assert round_.phase == Phase.CLOSED and round_.closed_at
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(url("actions", round_), {"what": "Te laat", "owner": teachers[0].pk, "due_on": due})
    assert not ActionPoint.objects.exists()
    client.force_login(teachers[0])
    answer_first(client, round_, scale="1")
    assert Answer.objects.get(question__code="scale").value == 3


def test_a_phase_cannot_be_skipped(client, round_, director):
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.CLOSED})
    round_.refresh_from_db()
    assert round_.phase == Phase.ANSWERING


def test_the_team_view_costs_the_same_queries_for_two_or_eight_participants(client, round_, school, director, teachers):
    Round.objects.filter(pk=round_.pk).update(phase=Phase.TEAM)

    def answer_as(person):
        client.force_login(person)
        answer_first(client, round_, scale="4", open=f"Antwoord van {person.full_name}")
        hand_in(client, round_)

    def cost():
        client.force_login(director)
        client.get(url("team", round_))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("team", round_)).status_code == 200
        return len(queries)

    for person in teachers:
        answer_as(person)
    before = cost()
    for index in range(6):
        person = member(Role.TEACHER, school, full_name=f"Extra {index}")
        Participant.objects.create(round=round_, user=person)
        answer_as(person)
    assert cost() == before
    # The four every signed-in page pays, then the round (with its hand-in count), the participant,
    # sections, questions, the context for the summaries and the answers: at most 15.
    assert before <= 15, before


def test_a_new_version_leaves_earlier_answers_with_their_version(client, round_, teachers, version):
    client.force_login(teachers[0])
    answer_first(client, round_, scale="4")
    draft = version.new_draft()
    changed = draft.sections.get(slug="needs").questions.get(code="scale")
    changed.text_nl = "Hoe goed kennen we het aanbod in de buurt?"
    changed.save()  # a draft can change
    draft.publish()
    from reflection.models import QuestionnaireVersion

    assert list(QuestionnaireVersion.objects.for_audience("school").filter(questionnaire=version.questionnaire)) == [
        draft
    ]
    answer = Answer.objects.get()
    assert answer.question.section.version == version
    assert answer.question.text_nl == "Hoe goed kennen we het aanbod?" and answer.value == 4
    round_.refresh_from_db()
    assert round_.version == version


def test_administrators_keep_the_bank_in_the_admin(client, version):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:reflection_questionnaireversion_change", args=[version.pk])).status_code == 200
    response = client.post(
        reverse("admin:reflection_questionnaireversion_changelist"),
        {"action": "make_new_version", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    assert version.questionnaire.versions.filter(number=2, published_at__isnull=True).exists()


def test_the_report_and_the_csv_carry_results_but_never_names(client, round_, teachers, director):
    Round.objects.filter(pk=round_.pk).update(anonymous=False)  # even a named round exports without names
    for person, text in zip(teachers[:2], ("Meer overleg met het CLB.", "Een vaste contactpersoon."), strict=True):
        client.force_login(person)
        answer_first(client, round_, scale="3", open=text)
        hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    section = round_.version.sections.get(slug="needs")
    client.post(url("team", round_), {"section": section.pk, f"s{section.pk}-conclusion": "Samen met het CLB."})
    report = client.get(url("report", round_)).content.decode()
    assert "Samen met het CLB." in report and "Meer overleg met het CLB." in report
    response = client.get(url("export", round_))
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == ["section", "question_code", "question", "kind", "answer", "count"]
    assert ["needs", "scale", "Hoe goed kennen we het aanbod?", "scale", "3", "2"] in rows
    texts = [row[4] for row in rows if row[1] == "open"]
    assert texts == ["Een vaste contactpersoon.", "Meer overleg met het CLB."]
    body = response.content.decode()
    for person in teachers:
        assert person.full_name not in body and person.email not in body


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x","klik")', "+32 470", "-1+1", "@SUM(A1)"])
def test_open_answers_that_look_like_formulas_are_inert_in_the_csv(client, round_, teachers, director, typed):
    Round.objects.filter(pk=round_.pk).update(anonymous=False)
    client.force_login(teachers[0])
    answer_first(client, round_, scale="3", open=typed)
    hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    rows = csv_rows(client.get(url("export", round_)))
    assert [row[4] for row in rows if row[1] == "open"] == ["'" + typed]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_csv_export_reads_from_the_replica_after_checking_access_on_the_primary(
    client, lookups, replica_alias, round_, director
):
    from django.db import connections

    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[replica_alias]) as on_replica,
    ):
        response = client.get(url("export", round_))

    assert response.status_code == 200
    assert any('"reflection_round"' in query["sql"] for query in on_replica.captured_queries)
    assert any('"accounts_membership"' in query["sql"] for query in on_primary.captured_queries)
    assert not any('"reflection_' in query["sql"] for query in on_primary.captured_queries)


def test_the_report_and_export_wait_like_the_team_view(client, round_, teachers):
    client.force_login(teachers[0])
    assert client.get(url("report", round_)).status_code == 403
    assert client.get(url("export", round_)).status_code == 403


def test_actions_go_on_after_closing_and_their_owner_may_open_them(client, round_, director, school):
    owner = member(Role.ADMIN_STAFF, school, full_name="Olga Onthaal")  # not in the round
    point = ActionPoint.objects.create(
        round=round_, what="Schoolfactuur gespreid", owner=owner, due_on=timezone.localdate(), created_by=director
    )
    Round.objects.filter(pk=round_.pk).update(phase=Phase.CLOSED)
    client.force_login(owner)
    assert client.get(url("actions", round_)).status_code == 200
    client.post(url("actions", round_), {"action": point.pk, "status": "done"})
    point.refresh_from_db()
    assert point.status == "done"
    assert client.get(url("team", round_)).status_code == 403  # owning an action opens the plan, nothing else
    client.post(url("actions", round_), {"action": "²", "status": "done"})  # a tampered id is a 404, not a 500
    assert client.post(url("actions", round_), {"action": "²", "status": "done"}).status_code == 404


def test_change_over_time_puts_rounds_side_by_side(client, round_, version, school, director, teachers):
    today = timezone.localdate()
    earlier = Round(
        version=version,
        title="Vorig jaar",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=380),
        started_by=director,
        phase=Phase.CLOSED,
    )
    earlier.set_tenant(school)
    earlier.save()
    from reflection.models import Question

    scale = Question.objects.get(section__version=version, code="scale")
    yesno = Question.objects.get(section__version=version, code="yesno")
    for person, (old, new) in zip(teachers, ((2, 4), (2, 5), (3, 4)), strict=True):
        done = timezone.now()
        past = Participant.objects.create(round=earlier, user=person, submitted_at=done)
        Answer.objects.create(participant=past, question=scale, value=old)
        Answer.objects.create(participant=past, question=yesno, value="no")
        now = Participant.objects.get(round=round_, user=person)
        now.submitted_at = done
        now.save()
        Answer.objects.create(participant=now, question=scale, value=new)
        Answer.objects.create(participant=now, question=yesno, value="yes")
    Round.objects.filter(pk=round_.pk).update(phase=Phase.TEAM)
    client.force_login(director)
    rounds = client.get(reverse("reflection:rounds", kwargs={"kind": "school", "tenant_id": school.public_id}))
    compare_url = reverse(
        "reflection:compare", kwargs={"kind": "school", "tenant_id": school.public_id, "questionnaire": "test-team"}
    )
    assert compare_url in rounds.content.decode()
    response = client.get(compare_url)
    result = response.context["result"]
    assert [r.title for r in result["rounds"]] == ["Vorig jaar", "Reflectie 2026"]
    [needs_row] = [row for row in result["sections"] if row["section"].slug == "needs"]
    assert needs_row["scores"] == [2.3, 4.3]
    [yes_no] = result["choices"]
    assert dict(yes_no["options"]) == {"Ja": [0, 3], "Nee": [3, 0]}
    assert "<svg" in response.content.decode() and "<table" in response.content.decode()


def test_change_over_time_is_not_for_outsiders(client, round_, other_school):
    client.force_login(member(Role.DIRECTOR, other_school))
    compare_url = reverse(
        "reflection:compare",
        kwargs={"kind": "school", "tenant_id": round_.school.public_id, "questionnaire": "test-team"},
    )
    assert client.get(compare_url).status_code == 404


def test_a_welfare_organisation_runs_its_own_questionnaire(client, organisation, intake_coordinator, welfare_worker):
    """The bank's welfare-partner questionnaire, for the organisation's team; schools' sets are not offered."""
    client.force_login(intake_coordinator)
    new = reverse("reflection:new_round", kwargs={"kind": "organisation", "tenant_id": organisation.pk})
    form = client.get(new).context["form"]
    slugs = {v.questionnaire.slug for v in form.fields["version"].queryset}
    assert slugs == {"welfare-partners", "bridge-figures"}
    version = next(v for v in form.fields["version"].queryset if v.questionnaire.slug == "welfare-partners")
    today = timezone.localdate()
    response = client.post(
        new,
        {
            "version": version.pk,
            "title": "Scholen als partner",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=7)).isoformat(),
            "participants": [welfare_worker.pk, intake_coordinator.pk],
        },
    )
    assert response.status_code == 302
    found = Round.objects.get(title="Scholen als partner")
    assert found.organisation == organisation and found.school is None
    client.force_login(welfare_worker)
    first = found.version.sections.order_by("order").first()
    assert client.get(url_for(found, "answer", section_slug=first.slug)).status_code == 200


def url_for(found, name, **extra):
    kwargs = {"kind": "organisation", "tenant_id": found.organisation.pk, "round_id": found.pk, **extra}
    return reverse(f"reflection:{name}", kwargs=kwargs)


def test_small_groups_stay_hidden_in_the_export_and_the_comparison(client, round_, version, school, director, teachers):
    """An anonymous round with two answers: the CSV and change over time show no count or average."""
    for person in teachers[:2]:
        client.force_login(person)
        answer_first(client, round_, scale="5", needs=["material_admin"])
        hand_in(client, round_)
    client.force_login(director)
    client.post(url("advance", round_), {"to": Phase.TEAM})
    response = client.get(url("export", round_))
    assert response.status_code == 200
    rows = csv_rows(response)
    scale_rows = [row for row in rows if row[1] == "scale"]
    assert scale_rows == [
        ["needs", "scale", "Hoe goed kennen we het aanbod?", "scale", "hidden: fewer than 3 people answered", ""]
    ]
    today = timezone.localdate()
    earlier = Round(
        version=version,
        title="Vorig jaar",
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=290),
        started_by=director,
        phase=Phase.CLOSED,
    )
    earlier.set_tenant(school)
    earlier.save()
    compare_url = reverse(
        "reflection:compare", kwargs={"kind": "school", "tenant_id": school.public_id, "questionnaire": "test-team"}
    )
    result = client.get(compare_url).context["result"]
    # The only answers come from two people in an anonymous round: no average, no choice counts.
    assert result["sections"] == [] and result["choices"] == []
