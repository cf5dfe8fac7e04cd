from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reflection.models import Participant, Question, Questionnaire, QuestionnaireVersion, Round, Section
from tests.factories import member


@pytest.fixture
def version(db):
    """A small questionnaire with one question of every kind, published."""
    questionnaire = Questionnaire.objects.create(slug="test-team", audiences=["school"])
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, title_nl="Testronde", title_en="Test round"
    )
    first = Section.objects.create(
        version=version, order=0, slug="needs", block="R1a", title_nl="Noden", title_en="Needs"
    )
    second = Section.objects.create(version=version, order=1, slug="role", block="R4", title_nl="Rol", title_en="Role")
    common = {"text_en": "English"}
    Question.objects.create(
        section=first, order=0, code="scale", kind="scale", text_nl="Hoe goed kennen we het aanbod?",
        low_nl="Slecht", low_en="Poorly", high_nl="Goed", high_en="Well", required=True, **common,
    )  # fmt: skip
    Question.objects.create(
        section=first, order=1, code="needs", kind="multi", source="need_categories",
        text_nl="Welke noden komen binnen?", **common,
    )  # fmt: skip
    Question.objects.create(section=first, order=2, code="open", kind="text", text_nl="Wat valt je op?", **common)
    Question.objects.create(section=first, order=3, code="grid", kind="per_need_grid", text_nl="Per nood", **common)
    Question.objects.create(section=first, order=4, code="map", kind="map_exercise", text_nl="Ken je buurt", **common)
    Question.objects.create(
        section=second, order=0, code="sentence", kind="sentence", text_nl="Welzijn is voor ons ...",
        options=[{"value": "core", "nl": "de kern", "en": "core"}, {"value": "extra", "nl": "extra", "en": "extra"}],
        **common,
    )  # fmt: skip
    Question.objects.create(section=second, order=1, code="yesno", kind="yes_no", text_nl="Vragen we het?", **common)
    version.publish()
    return version


@pytest.fixture
def teachers(school):
    return [
        member(Role.TEACHER, school, full_name=name)
        for name in ("Anna Leerkracht", "Bart Leerkracht", "Chris Leerkracht")
    ]


@pytest.fixture
def round_(version, school, director, teachers):
    today = timezone.localdate()
    found = Round(version=version, title="Reflectie 2026", ends_on=today + timedelta(days=14), started_by=director)
    found.set_tenant(school)
    found.save()
    for person in teachers:
        Participant.objects.create(round=found, user=person)
    return found


def url(name, round_, **extra):
    kwargs = {"kind": "school", "tenant_id": round_.school.public_id, "round_id": round_.pk, **extra}
    return reverse(f"reflection:{name}", kwargs=kwargs)
