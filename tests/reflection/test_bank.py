"""The question bank that ships with the migrations covers the book's whole reflection framework."""

import re
from pathlib import Path

import pytest

from reflection.models import Immutable, Question, QuestionKind, Questionnaire

# Every item of the framework's tables (REFLECTION_FRAMEWORK.md sections 2 to 9), except the parent
# survey (R1a.10), which has its own instrument.
FRAMEWORK = [
    "R1a.1",
    "R1a.2",
    "R1a.3",
    "R1a.4",
    "R1a.5",
    "R1a.6",
    "R1a.7",
    "R1a.8",
    "R1a.9",
    "R1a.11",
    "R1b.1",
    "R1b.2",
    "R1b.3",
    "R1b.4",
    "R1b.5",
    "R1b.6",
    "R1b.7",
    "R1b.8",
    "R2.P1a",
    "R2.P1b",
    "R2.P1c",
    "R2.P1d",
    "R2.P1e",
    "R2.P1f",
    "R2.P1g",
    "R2.P2a",
    "R2.P2b",
    "R2.P2c",
    "R2.P2d",
    "R2.P2e",
    "R2.P2f",
    "R2.P2g",
    "R2.P3",
    "R2.D1.s1",
    "R2.D1.s2",
    "R2.D1.s3",
    "R2.D1.w1",
    "R2.D1.w2",
    "R2.D2.s1",
    "R2.D2.s2",
    "R2.D2.s3",
    "R2.D2.s4",
    "R2.D2.s5",
    "R2.D2.s6",
    "R2.D2.w1",
    "R2.D2.w2",
    "R2.D2.w3",
    "R2.D2.w4",
    "R2.D3.s1",
    "R2.D3.s2",
    "R2.D3.s3",
    "R2.D3.w1",
    "R2.D3.w2",
    "R2.D4.s1",
    "R2.D4.s2",
    "R2.D4.s3",
    "R2.D4.s4",
    "R2.D4.s5",
    "R2.D4.w1",
    "R2.D4.w2",
    "R2.D4.w3",
    "R3.1.1",
    "R3.1.2",
    "R3.1.3",
    "R3.1.4",
    "R3.1.5",
    "R3.1.6",
    "R3.1.7",
    "R3.1.8",
    "R3.2.1",
    "R3.2.2",
    "R3.2.3",
    "R3.2.4",
    "R3.2.5",
    "R3.2.6",
    "R3.3.1",
    "R3.3.2",
    "R3.3.3",
    "R3.3.4",
    "R3.3.5",
    "R3.4.1",
    "R3.4.2",
    "R3.4.3",
    "R3.4.4",
    "R3.4.5",
    "R3.4.6",
    "R3.4.7",
    "R3.5.1",
    "R3.5.2",
    "R3.5.3",
    "R3.5.4",
    "R3.5.5",
    "R3.5.6",
    "R3.5.7",
    "R3.5.8",
    "R4.A1",
    "R4.A2",
    "R4.A3",
    "R4.A4",
    "R4.B1",
    "R4.B2",
    "R4.B3",
    "R4.B4",
    "R4.B5",
    "R4.B6",
    "R4.B7",
    "R4.B8",
    "R4.B9",
    "R4.B10",
    "R4.B11",
    "R4.B12",
    "R4.B13",
    "R4.B14",
    "R4.C1",
    "R4.C2",
    "R4.C3",
    "R4.C4",
    "R4.C5",
    "R4.C6",
    "R4.C7",
    "R4.C8",
    "R4.D1",
    "R4.D2",
    "R4.D3",
    "R4.D4",
    "R4.D5",
    "R4.D6",
    "R4.D7",
    "R4.D8",
    "R5.1",
    "R5.2",
    "R5.3",
    "R5.4",
    "R5.5",
    "R5.6",
    "R5.7",
    "R6.1",
    "R6.2",
    "R6.3",
    "R6.4",
    "R6.5",
    "R6.6",
    "R6.7",
    "R6.8",
    "R6.9",
    "R6.10",
]
SHARED = Path(__file__).resolve().parents[3] / "shared" / "REFLECTION_FRAMEWORK.md"
AUDIENCE = {"R1a": "school-team", "R1b": "welfare-partners", "R5": "bridge-figures", "R6": "local-government"}


def covered(slug=None) -> set[str]:
    versions = [q.current() for q in Questionnaire.objects.all() if slug is None or q.slug == slug]
    ids = set()
    for version in versions:
        for section in version.sections.all():
            ids |= set(section.discussion_covers)
            for question in section.questions.all():
                ids |= set(question.covers)
    return ids


def test_a_fresh_install_has_a_published_questionnaire_for_every_audience(db):
    current = {q.slug: q.current() for q in Questionnaire.objects.all()}
    assert set(current) == {"school-team", "welfare-partners", "local-government", "bridge-figures"}
    assert all(version is not None and version.is_published for version in current.values())
    assert Questionnaire.objects.get(slug="school-team").audiences == ["school"]
    assert "municipality" in Questionnaire.objects.get(slug="local-government").audiences


def test_every_item_of_the_framework_has_a_question(db):
    assert sorted(set(FRAMEWORK) - covered()) == []


@pytest.mark.parametrize(("prefix", "slug"), sorted(AUDIENCE.items()))
def test_each_block_sits_with_its_audience(db, prefix, slug):
    assert {i for i in FRAMEWORK if i.startswith(prefix + ".")} <= covered(slug)


def test_questions_for_both_sides_are_asked_on_both_sides(db):
    both = {"R3.3.1", "R3.4.1", "R3.5.1", "R3.5.7"}
    assert both <= covered("school-team") and both <= covered("welfare-partners")


@pytest.mark.skipif(not SHARED.exists(), reason="the framework file sits beside the clone on a developer's machine")
def test_the_list_above_matches_the_framework_file():
    text = SHARED.read_text(encoding="utf-8")
    body = text[text.index("## 2. R1a") : text.index("## 10. Optional")]
    found = re.findall(r"^\|\s*(R\d[a-z]?\.[A-Za-z0-9.]+)\s*\|", body, flags=re.MULTILINE)
    assert [i for i in found if i != "R1a.10"] == FRAMEWORK


def test_every_question_can_be_answered(db):
    """Each kind has what it needs: scale ends, options or a source, both languages."""
    for question in Question.objects.all():
        assert question.text_nl and question.text_en, question.code
        if question.kind == QuestionKind.SCALE:
            assert all([question.low_nl, question.low_en, question.high_nl, question.high_en]), question.code
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI, QuestionKind.SENTENCE):
            assert question.source or all(o["nl"] and o["en"] and o["value"] for o in question.options), question.code


def test_the_sentence_completion_offers_the_eight_endings(db):
    [question] = [q for q in Question.objects.filter(kind=QuestionKind.SENTENCE) if "R4.A1" in q.covers]
    assert len(question.options) == 8


def test_a_published_version_cannot_change(db):
    version = Questionnaire.objects.get(slug="school-team").current()
    version.title_nl = "Anders"
    with pytest.raises(Immutable):
        version.save()
    question = Question.objects.filter(section__version=version).first()
    question.text_nl = "Anders"
    with pytest.raises(Immutable):
        question.save()
    with pytest.raises(Immutable):
        question.delete()
