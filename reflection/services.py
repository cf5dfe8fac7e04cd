"""Saving answers, handing them in, the team view's summaries and applying the map exercise."""

from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import Action
from audit.services import record
from reflection.forms import ANONYMOUS_MIN, LIMITS, OTHER, YES_NO_UNKNOWN, options_for
from reflection.models import Answer, Participant, Phase, Question, QuestionKind, Round, SectionNote, scale_summary
from schools.models import PartnerRelation, RelationStatus
from schools.services import save_relation
from welfare.models import NeedCategory, OrganisationType, WelfareOrganisation


class RoundClosed(Exception):
    """A closed round is frozen: nothing in it changes any more."""


def questions_of(round_: Round):
    """The bank's questions of the round's version plus the round's own ones, in order."""
    return (
        Question.objects.filter(section__version_id=round_.version_id)
        .filter(Q(round__isnull=True) | Q(round=round_))
        .select_related("section")
        .order_by("section__order", "order", "id")
    )


def context_for(round_: Round) -> dict:
    """Lookups that per-need grids and the map exercise need: fetched once per page."""
    school = round_.school
    organisations = (
        list(WelfareOrganisation.objects.serving(school.municipality).order_by("name")) if school is not None else []
    )
    return {
        "needs": list(NeedCategory.objects.all()),
        "types": list(OrganisationType.objects.order_by("cluster", "name_nl")),
        "organisations": organisations,
    }


@transaction.atomic
def save_answers(*, participant: Participant, values: dict, questions) -> int:
    if not answering_open(participant.round) or participant.submitted_at is not None:
        raise RoundClosed
    by_code = {q.code: q for q in questions}
    stored = 0
    for code, value in values.items():
        question = by_code[code]
        if value is None:
            Answer.objects.filter(participant=participant, question=question).delete()
            continue
        Answer.objects.update_or_create(participant=participant, question=question, defaults={"value": value})
        stored += 1
    return stored


def missing_required(participant: Participant, questions) -> list[Question]:
    answered = set(participant.answers.values_list("question_id", flat=True))
    return [q for q in questions if q.required and q.pk not in answered]


def hand_in(*, participant: Participant) -> None:
    if not answering_open(participant.round):
        raise RoundClosed
    participant.submitted_at = timezone.now()
    participant.save(update_fields=["submitted_at"])


# In an anonymous round a result is shown only when at least this many people answered it.


def answering_open(round_: Round) -> bool:
    """Answers are given during the answering phase and period only: once the team discussion has
    started, a late answer could be written after reading the others, and would stand out."""
    return round_.phase == Phase.ANSWERING and round_.starts_on <= timezone.localdate() <= round_.ends_on


def may_see_team_view(round_: Round, participant: Participant | None, facilitator: bool) -> bool:
    """Nobody is swayed by the others before answering. In a named round a participant may look once
    they handed in; in an anonymous round everybody waits for the team phase, because watching the
    totals grow one hand-in at a time would show what each person answered."""
    if round_.phase != Phase.ANSWERING:
        return facilitator or participant is not None
    return not round_.anonymous and participant is not None and participant.submitted_at is not None


def summarise(round_: Round, questions, context) -> dict:
    """Per question what the team view shows. Only handed-in answers count. In an anonymous round no
    name is attached to anything, and open answers are sorted by their text, not by who wrote them."""
    answers = list(
        Answer.objects.filter(participant__round=round_, participant__submitted_at__isnull=False).select_related(
            "participant__user"
        )
    )
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    names = {o.pk: o.name for o in context["organisations"]}
    relations = {}
    if round_.school is not None:
        relations = dict(PartnerRelation.objects.filter(school=round_.school).values_list("organisation_id", "status"))
    result = {}
    for question in questions:
        given = by_question.get(question.pk, [])
        if round_.anonymous and 0 < len(given) < ANONYMOUS_MIN:
            result[question.pk] = {"n": len(given), "hidden": True, "minimum": ANONYMOUS_MIN}
            continue
        result[question.pk] = _summary(question, given, round_.anonymous, context, names, relations)
    return result


def _texts(answers, anonymous, pick):
    items = [(pick(a), None if anonymous else str(a.participant.user)) for a in answers]
    items = [(text, who) for text, who in items if text]
    return sorted(items, key=lambda item: item[0].casefold()) if anonymous else items


def _counted(choices, values):
    counts = Counter(values)
    return [(label, counts.get(value, 0)) for value, label in choices]


def _summary(question, answers, anonymous, context, names, relations):
    kind = question.kind
    values = [a.value for a in answers]
    summary = {"n": len(answers)}
    if kind == QuestionKind.SCALE:
        summary |= scale_summary([v for v in values if isinstance(v, int)])
    elif kind in (QuestionKind.YES_NO, QuestionKind.YES_NO_UNKNOWN):
        summary["counts"] = _counted(YES_NO_UNKNOWN[: 2 if kind == QuestionKind.YES_NO else 3], values)
    elif kind == QuestionKind.CHOICE:
        summary["counts"] = _counted(options_for(question, context), values)
    elif kind == QuestionKind.MULTI:
        summary["counts"] = _counted(options_for(question, context), [item for v in values for item in v])
    elif kind == QuestionKind.SENTENCE:
        summary["counts"] = _counted(options_for(question, context), [v.get("choice") for v in values])
        summary["other"] = _texts(
            [a for a in answers if a.value.get("choice") == OTHER], anonymous, lambda a: a.value["other"]
        )
    elif kind == QuestionKind.TEXT:
        summary["texts"] = _texts(answers, anonymous, lambda a: a.value)
    elif kind == QuestionKind.PER_NEED_GRID:
        rows = []
        for need in context["needs"]:
            cells = [v.get(need.code, {}) for v in values]
            rows.append(
                {
                    "need": need,
                    "do": sorted({c["do"] for c in cells if c.get("do")}, key=str.casefold),
                    "organisations": Counter(
                        names.get(_uuid(c.get("org")), "") for c in cells if c.get("org")
                    ).most_common(),
                    "limits": _counted(LIMITS[1:], [c.get("limit") for c in cells]),
                }
            )
        summary["rows"] = rows
    elif kind == QuestionKind.MAP_EXERCISE:
        rows = []
        for organisation in context["organisations"]:
            picked = [v.get(str(organisation.pk)) for v in values if v.get(str(organisation.pk))]
            if picked or organisation.pk in relations:
                rows.append(
                    {
                        "organisation": organisation,
                        "counts": _counted(RelationStatus.choices, picked),
                        "most": Counter(picked).most_common(1)[0][0] if picked else "",
                        # The status itself, so the page shows its label and not the stored code.
                        "current": RelationStatus(relations.get(organisation.pk, RelationStatus.UNKNOWN)),
                    }
                )
        summary["rows"] = rows
    return summary


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def apply_map(*, request, round_: Round, statuses: dict) -> int:
    """Write the statuses the team agreed on to this round's school's Ken je buurt map (only that
    school's, only organisations serving its municipality). Returns how many relations changed."""
    if round_.is_closed:
        raise RoundClosed
    school = round_.school
    allowed = {o.pk: o for o in WelfareOrganisation.objects.serving(school.municipality)}
    current = {r.organisation_id: r for r in PartnerRelation.objects.filter(school=school)}
    changed = 0
    for organisation_id, status in statuses.items():
        if organisation_id not in allowed or status not in RelationStatus.values:
            continue
        relation = current.get(organisation_id) or PartnerRelation(school=school, organisation=allowed[organisation_id])
        previous = "" if relation._state.adding else relation.status
        if previous == status:
            continue
        relation.status = status
        save_relation(relation=relation, user=request.user, previous_status=previous)
        changed += 1
    record(action=Action.REFLECTION_MAP_APPLIED, request=request, obj=round_, tenant=school, changed=changed)
    return changed


def save_note(*, request, round_: Round, section, form) -> SectionNote:
    if round_.is_closed:
        raise RoundClosed
    note, _created = SectionNote.objects.update_or_create(
        round=round_,
        section=section,
        defaults={**form.cleaned_data, "updated_by": request.user},
    )
    return note


def compare(rounds: list[Round]) -> dict:
    """Section scores (the mean of the scale answers) and choice counts per round, side by side.
    Questions are matched across versions by section slug and question code. In an anonymous round
    a cell fewer than ANONYMOUS_MIN people gave stays empty, as in its team view."""
    rounds = sorted(rounds, key=lambda r: r.starts_on)
    rows = (
        Answer.objects.filter(participant__round__in=rounds, participant__submitted_at__isnull=False)
        .values_list(
            "participant__round_id", "participant_id", "question__section__slug", "question__code", "question__kind",
            "value",
        )
        .order_by()
    )  # fmt: skip
    scales: dict[tuple, list] = {}
    choices: dict[tuple, Counter] = {}
    people: dict[tuple, set] = {}
    for round_id, participant_id, section, code, kind, value in rows:
        people.setdefault((section, round_id), set()).add(participant_id)
        people.setdefault((code, round_id), set()).add(participant_id)
        if kind == QuestionKind.SCALE and isinstance(value, int):
            scales.setdefault((section, round_id), []).append(value)
        elif kind in (QuestionKind.CHOICE, QuestionKind.YES_NO, QuestionKind.YES_NO_UNKNOWN):
            choices.setdefault((code, round_id), Counter())[value] += 1
        elif kind == QuestionKind.MULTI:
            choices.setdefault((code, round_id), Counter()).update(value)
    newest = rounds[-1].version
    context = {"needs": list(NeedCategory.objects.all()), "types": list(OrganisationType.objects.all())}
    sections = list(newest.sections.order_by("order"))
    section_rows = []

    def too_few(key, round_):
        return round_.anonymous and len(people.get((key, round_.pk), ())) < ANONYMOUS_MIN

    for section in sections:
        scores = []
        for round_ in rounds:
            values = [] if too_few(section.slug, round_) else scales.get((section.slug, round_.pk), [])
            scores.append(round(sum(values) / len(values), 1) if values else None)
        if any(score is not None for score in scores):
            section_rows.append({"section": section, "scores": scores})
    choice_rows = []
    for question in Question.objects.filter(section__version=newest, round__isnull=True).order_by(
        "section__order", "order"
    ):
        if question.kind not in (
            QuestionKind.CHOICE,
            QuestionKind.MULTI,
            QuestionKind.YES_NO,
            QuestionKind.YES_NO_UNKNOWN,
        ):
            continue
        counted = [None if too_few(question.code, r) else choices.get((question.code, r.pk), Counter()) for r in rounds]
        if not any(counted):
            continue
        if question.kind == QuestionKind.YES_NO:
            labels = YES_NO_UNKNOWN[:2]
        elif question.kind == QuestionKind.YES_NO_UNKNOWN:
            labels = YES_NO_UNKNOWN
        else:
            labels = options_for(question, context)
        choice_rows.append(
            {
                "question": question,
                "options": [
                    (label, [None if c is None else c.get(value, 0) for c in counted]) for value, label in labels
                ],
            }
        )
    return {"rounds": rounds, "sections": section_rows, "choices": choice_rows, "chart": _chart(rounds, section_rows)}


def _chart(rounds, section_rows):
    """Geometry of a grouped horizontal bar chart (scores 1 to 5) for a server-rendered SVG."""
    bar, gap, label_width, width = 14, 10, 0, 300
    y, bars, labels = 0, [], []
    for row in section_rows:
        labels.append({"y": y + 11, "text": row["section"].title})
        y += 16
        for index, score in enumerate(row["scores"]):
            if score is not None:
                bars.append(
                    {"x": label_width, "y": y, "w": round(score / 5 * width), "h": bar, "score": score, "series": index}
                )
            y += bar + 2
        y += gap
    return {"bars": bars, "labels": labels, "height": y, "width": width + 60}
