"""Demo reflection: one finished round with answers, conclusions and actions, and one open round."""

from datetime import date, timedelta

from django.utils import timezone

from reflection import parents
from reflection.forms import OTHER, YES_NO_UNKNOWN, options_for
from reflection.models import (
    ActionPoint,
    ActionStatus,
    Answer,
    ParentQuestionnaire,
    ParentSurvey,
    Participant,
    Phase,
    QuestionKind,
    QuestionnaireVersion,
    Round,
    SectionNote,
)
from reflection.services import context_for, questions_of
from schools.models import RelationStatus
from welfare.models import NeedCategory

TEXTS = [
    "Veel ouders vragen uitstel voor de schoolrekening.",
    "We weten te weinig wat het OCMW precies doet.",
    "Een vaste contactpersoon bij het CAW zou helpen.",
    "Oudercontacten lopen beter met een tolk erbij.",
    "Het zorgteam wordt snel betrokken, de klasleraar minder.",
]


def _value(question, index, context):
    """A plausible answer of participant `index`: varied, deterministic."""
    kind = question.kind
    if kind == QuestionKind.SCALE:
        return 1 + (index * 2 + question.order) % 5
    if kind in (QuestionKind.YES_NO, QuestionKind.YES_NO_UNKNOWN):
        return YES_NO_UNKNOWN[(index + question.order) % (2 if kind == QuestionKind.YES_NO else 3)][0]
    options = (
        [value for value, _label in options_for(question)]
        if kind
        in (
            QuestionKind.CHOICE,
            QuestionKind.MULTI,
            QuestionKind.SENTENCE,
        )
        else []
    )
    if kind == QuestionKind.CHOICE and options:
        return options[(index + question.order) % len(options)]
    if kind == QuestionKind.MULTI and options:
        return sorted({options[index % len(options)], options[(index + 2) % len(options)]})
    if kind == QuestionKind.SENTENCE and options:
        if index == 3:
            return {"choice": OTHER, "other": "een zaak van het hele team, niet alleen van de zorg"}
        return {"choice": options[(index * 3) % len(options)], "other": ""}
    if kind == QuestionKind.TEXT:
        return TEXTS[(index + question.order) % len(TEXTS)]
    if kind == QuestionKind.PER_NEED_GRID:
        need = context["needs"][index % len(context["needs"])]
        organisation = (
            context["organisations"][index % len(context["organisations"])] if context["organisations"] else None
        )
        return {
            need.code: {
                "do": "Gesprek met de ouders, dan doorverwijzen",
                "org": str(organisation.pk) if organisation else "",
                "limit": "",
            }
        }
    if kind == QuestionKind.MAP_EXERCISE:
        statuses = [RelationStatus.CLOSE, RelationStatus.TO_EXPLORE, RelationStatus.NONE_YET]
        return {str(o.pk): statuses[(index + i) % 3] for i, o in enumerate(context["organisations"][:6])}
    return None


def _answer_all(round_, people, handed_in):
    questions = list(questions_of(round_))
    context = context_for(round_)
    for index, person in enumerate(people):
        participant = Participant.objects.create(round=round_, user=person, submitted_at=handed_in)
        Answer.objects.bulk_create(
            Answer(participant=participant, question=q, value=value)
            for q in questions
            if (value := _value(q, index, context)) is not None
        )


def seed_parent_survey(school, director):
    """Last term's survey, closed, which eight parents answered, so the team sees totals (with a
    small group hidden); and this term's, open, with codes to print and try."""
    questionnaire = ParentQuestionnaire.objects.order_by("-number").first()
    if questionnaire is None or school.parent_surveys.exists():
        return
    survey = ParentSurvey.objects.create(
        school=school,
        questionnaire=questionnaire,
        title="Wat vonden de ouders vorig trimester?",
        closes_on=timezone.localdate() + timedelta(days=1),
        started_by=director,
    )
    codes = parents.make_codes(survey, 10)
    for index, code in enumerate(codes[:8]):
        answers = {"welcome": 5 if index < 6 else 3, "letters": 4 if index % 2 else 2, "needs": ["material_admin"]}
        parents.submit(code=code.code, language=["nl", "ar", "fr", "en"][index % 4], answers=answers)
    # Results are shown once a survey has closed.
    ParentSurvey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=14))
    current = ParentSurvey.objects.create(
        school=school,
        questionnaire=questionnaire,
        title="Wat vinden de ouders van onze school?",
        closes_on=timezone.localdate() + timedelta(days=30),
        started_by=director,
    )
    parents.make_codes(current, 40)


def seed(school, director, members):
    """Idempotent: does nothing when the school already has rounds."""
    if Round.objects.for_tenant(school).exists():
        return
    version = QuestionnaireVersion.objects.for_audience("school").filter(questionnaire__slug="school-team").first()
    if version is None:
        return
    today = timezone.localdate()
    last_year = date(today.year - 1, 3, 1)
    finished = Round(
        version=version,
        title="Reflectie met het team, voorjaar " + str(last_year.year),
        starts_on=last_year,
        ends_on=last_year + timedelta(days=21),
        anonymous=True,
        phase=Phase.CLOSED,
        started_by=director,
        closed_at=timezone.now() - timedelta(days=200),
    )
    finished.set_tenant(school)
    finished.save()
    _answer_all(finished, [director, *members], timezone.now() - timedelta(days=250))
    sections = list(version.sections.order_by("order")[:2])
    for section, conclusion in zip(
        sections,
        [
            "Geldzorgen komen het vaakst binnen, meestal onrechtstreeks. We spreken af wie ze opvangt.",
            "We kennen het OCMW en het CLB goed, het CAW en het buurtwerk nauwelijks.",
        ],
        strict=False,
    ):
        SectionNote.objects.create(
            round=finished, section=section, notes="Besproken op de personeelsvergadering.", conclusion=conclusion,
            updated_by=director,
        )  # fmt: skip
    needs = {n.code: n for n in NeedCategory.objects.all()}
    owner = members[0] if members else director
    for what, who, due, status, need in [
        (
            "Kennismaking met het CAW op een personeelsvergadering",
            director,
            today + timedelta(days=20),
            ActionStatus.OPEN,
            "parenting_family",
        ),
        (
            "Kostenbeleid herbekijken: minder betalende uitstappen",
            owner,
            today + timedelta(days=45),
            ActionStatus.DOING,
            "material_admin",
        ),
        (
            "Oudercafé starten met het Huis van het Kind",
            director,
            today - timedelta(days=60),
            ActionStatus.DONE,
            "parenting_family",
        ),
    ]:
        ActionPoint.objects.create(
            round=finished, what=what, owner=who, due_on=due, status=status, need=needs.get(need), created_by=director
        )
    current = Round(
        version=version,
        title="Reflectie met het team, " + str(today.year),
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=18),
        anonymous=True,
        phase=Phase.ANSWERING,
        started_by=director,
    )
    current.set_tenant(school)
    current.save()
    _answer_all(current, members[:1], timezone.now() - timedelta(days=1))
    Participant.objects.bulk_create(Participant(round=current, user=person) for person in [director, *members[1:]])
