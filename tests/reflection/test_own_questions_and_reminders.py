from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reflection.models import ActionPoint, Answer, Participant, Phase, Question, Round
from tests.reflection.conftest import url


def add(client, round_, **data):
    section = round_.version.sections.get(slug="needs")
    return client.post(url("add_question", round_), {"section": section.pk, "kind": "text", **data})


def test_a_school_adds_its_own_question_to_its_round_only(client, round_, director, teachers, version, school):
    client.force_login(director)
    add(client, round_, text="Hoe vinden we de nieuwe ontbijtklas?")
    own = Question.objects.get(round=round_)
    assert own.section.version == version and own.code == "own-1"
    client.force_login(teachers[0])
    page = client.get(url("answer", round_, section_slug="needs")).content.decode()
    assert "Hoe vinden we de nieuwe ontbijtklas?" in page
    client.post(url("answer", round_, section_slug="needs"), {"scale": "3", "own-1": "Lekker en druk bezocht."})
    assert Answer.objects.get(question=own).value == "Lekker en druk bezocht."
    other = Round(
        version=version, title="Andere ronde", ends_on=timezone.localdate() + timedelta(days=5), started_by=director
    )
    other.set_tenant(school)
    other.save()
    Participant.objects.create(round=other, user=teachers[0])
    page = client.get(url("answer", other, section_slug="needs")).content.decode()
    assert "Hoe vinden we de nieuwe ontbijtklas?" not in page
    version.refresh_from_db()
    assert version.is_published  # the bank itself did not change


@pytest.mark.parametrize(
    ("data", "message"), [({"text": ""}, "verplicht"), ({"kind": "scale", "text": "Hoe?"}, "uiteinden")]
)
def test_bad_own_questions_are_refused(client, round_, director, data, message):
    client.force_login(director)
    response = add(client, round_, **data)
    assert response.status_code == 302
    assert not Question.objects.filter(round=round_).exists()
    page = client.get(round_.get_absolute_url()).content.decode()
    assert message in page.lower()


def test_no_own_questions_once_someone_handed_in_or_for_a_teacher(client, round_, director, teachers):
    client.force_login(teachers[0])
    assert add(client, round_, text="Mag ik?").status_code == 403
    client.post(url("answer", round_, section_slug="needs"), {"scale": "3"})
    client.post(url("hand_in", round_))
    client.force_login(director)
    add(client, round_, text="Te laat")
    assert not Question.objects.filter(round=round_).exists()


def test_reminders_for_due_actions_and_missing_answers_once_a_day(round_, director, teachers):
    today = timezone.localdate()
    Round.objects.filter(pk=round_.pk).update(ends_on=today + timedelta(days=2))
    ActionPoint.objects.create(
        round=round_, what="Oudercafé plannen", owner=teachers[0], due_on=today + timedelta(days=1), created_by=director
    )
    ActionPoint.objects.create(
        round=round_, what="Later", owner=teachers[1], due_on=today + timedelta(days=30), created_by=director
    )
    Participant.objects.filter(round=round_, user=teachers[2]).update(submitted_at=timezone.now())
    call_command("reflection_reminders", stdout=None)
    [actions] = [m for m in mail.outbox if "acties" in m.subject]
    assert actions.to == [teachers[0].email] and "Oudercafé plannen" in actions.body
    answers_to = {m.to[0] for m in mail.outbox if "Reflectie 2026" in m.subject}
    assert answers_to == {teachers[0].email, teachers[1].email}  # not the one who handed in
    sent = len(mail.outbox)
    call_command("reflection_reminders", stdout=None)
    assert len(mail.outbox) == sent


def test_no_answer_reminders_once_the_discussion_started(round_, teachers):
    Round.objects.filter(pk=round_.pk).update(ends_on=timezone.localdate() + timedelta(days=1), phase=Phase.TEAM)
    call_command("reflection_reminders", stdout=None)
    assert mail.outbox == []
