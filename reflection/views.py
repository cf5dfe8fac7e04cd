"""Reflection rounds for a school, a welfare organisation or a municipality.

Who sees what: the round's facilitators (the tenant's lead: director, intake coordinator, local
official) start and steer rounds; participants answer and, once allowed, read the team view.
Anybody else in the tenant gets 403, anybody outside it 404.
"""

import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import kind_of, tenant_view
from accounts.roles import Capability, TenantKind
from audit.models import Action
from audit.services import record
from brugwijzer.db import replica_reads
from brugwijzer.spreadsheets import csv_response
from reflection import parents
from reflection.forms import (
    ActionPointForm,
    OwnQuestionForm,
    ParentSurveyForm,
    RoundForm,
    SectionForm,
    SectionNoteForm,
    members_of,
)
from reflection.models import (
    ActionStatus,
    Answer,
    ParentQuestionnaire,
    ParentSurvey,
    Participant,
    Phase,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Round,
    Section,
)
from reflection.services import (
    RoundClosed,
    answering_open,
    apply_map,
    compare,
    context_for,
    hand_in,
    may_see_team_view,
    missing_required,
    questions_of,
    save_answers,
    save_note,
    summarise,
)
from schools.models import RelationStatus

NEXT_PHASE = {Phase.ANSWERING: Phase.TEAM, Phase.TEAM: Phase.ACTIONS, Phase.ACTIONS: Phase.CLOSED}


TENANT_FIELDS = ("school", "organisation", "municipality")


def _round(access, round_id, request, owners_too=False):
    """The round of this tenant, with the visitor's part in it; 404 outside the tenant, 403 for a
    member who neither takes part nor facilitates (nor, for the action plan, owns an action)."""
    found = get_object_or_404(
        Round.objects.for_tenant(access.tenant)
        .select_related("version", *TENANT_FIELDS)
        # How many handed in, which the round's pages show, in the same query.
        .annotate(handed_in=Count("participants", filter=Q(participants__submitted_at__isnull=False))),
        pk=round_id,
    )
    facilitator = access.can(Capability.RUN_REFLECTION)
    participant = Participant.objects.filter(round=found, user=request.user).first()
    owner = owners_too and found.actions.filter(owner=request.user).exists()
    if participant is None and not facilitator and not owner:
        raise PermissionDenied
    return found, participant, facilitator


def _sections(version):
    return list(Section.objects.filter(version=version).order_by("order", "id"))


@tenant_view(Capability.VIEW_HOME)
def rounds(request, access):
    tenant = access.tenant
    facilitator = access.can(Capability.RUN_REFLECTION)
    visible = Round.objects.for_tenant(tenant).select_related("version__questionnaire", *TENANT_FIELDS)
    if not facilitator:
        visible = visible.filter(participants__user=request.user)
    mine = dict(
        Participant.objects.filter(round__in=visible, user=request.user).values_list("round_id", "submitted_at")
    )
    return render(
        request,
        "reflection/rounds.html",
        {
            "access": access,
            "tenant": tenant,
            "kind": kind_of(tenant).value,
            "rounds": [(r, r.pk in mine, mine.get(r.pk)) for r in visible],
            "comparable": _comparable(visible),
            "facilitator": facilitator,
        },
    )


def _comparable(rounds):
    """Questionnaires run more than once: (slug, title) for the change-over-time page."""
    seen: dict[str, list] = {}
    for found in rounds:
        seen.setdefault(found.version.questionnaire.slug, []).append(found)
    return [(slug, items[0].version.title) for slug, items in seen.items() if len(items) > 1]


@tenant_view(Capability.RUN_REFLECTION)
def new_round(request, access):
    tenant = access.tenant
    kind = kind_of(tenant).value
    versions = QuestionnaireVersion.objects.for_audience(kind)
    form = RoundForm(request.POST or None, versions=versions, members=members_of(tenant))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            created = form.save(commit=False)
            created.set_tenant(tenant)
            created.started_by = request.user
            created.save()
            Participant.objects.bulk_create(
                Participant(round=created, user=user) for user in form.cleaned_data["participants"]
            )
            record(action=Action.REFLECTION_ROUND_STARTED, request=request, obj=created, tenant=tenant)
        messages.success(request, _("The round has started. Participants can answer now."))
        return redirect(created)
    return render(
        request,
        "reflection/round_form.html",
        {"access": access, "tenant": tenant, "kind": kind, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.VIEW_HOME)
def round_detail(request, access, round_id):
    found, participant, facilitator = _round(access, round_id, request)
    people = list(found.participants.select_related("user").order_by("user__full_name"))
    return render(
        request,
        "reflection/round.html",
        {
            "access": access,
            "round": found,
            "participant": participant,
            "facilitator": facilitator,
            "sections": _sections(found.version),
            "people": people,
            "handed_in": found.handed_in,
            "team_view_open": may_see_team_view(found, participant, facilitator),
            "next_phase": NEXT_PHASE.get(Phase(found.phase)),
            "actions": found.actions.select_related("owner", "need", "organisation"),
            "own_questions": found.own_questions.select_related("section"),
            "own_form": OwnQuestionForm(version=found.version) if facilitator and _may_add(found) else None,
        },
    )


def _may_add(found) -> bool:
    """Own questions join while answering has not begun, so everyone answers the same list."""
    return found.phase == Phase.ANSWERING and not found.handed_in  # counted by _round


@tenant_view(Capability.RUN_REFLECTION)
@require_POST
def add_question(request, access, round_id):
    found, _participant, _facilitator = _round(access, round_id, request)
    if not _may_add(found):
        messages.error(request, _("Questions can only be added before anyone handed in."))
        return redirect(found)
    form = OwnQuestionForm(request.POST, version=found.version)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(found)
    data = form.cleaned_data
    number = found.own_questions.count() + 1
    Question.objects.create(
        section=data["section"],
        round=found,
        order=1000 + number,
        code=f"own-{number}",
        kind=data["kind"],
        text_nl=data["text"],
        text_en=data["text"],
        low_nl=data["low"],
        low_en=data["low"],
        high_nl=data["high"],
        high_en=data["high"],
    )
    messages.success(request, _("Your question is added to this round."))
    return redirect(found)


@tenant_view(Capability.VIEW_HOME)
def answer(request, access, round_id, section_slug):
    """One section of the participant's own answers: saved as they go, resumable, handed in at the end."""
    found, participant, _facilitator = _round(access, round_id, request)
    if participant is None:
        raise PermissionDenied
    sections = _sections(found.version)
    section = next((s for s in sections if s.slug == section_slug), None)
    if section is None:
        raise Http404
    position = sections.index(section)
    questions = [q for q in questions_of(found) if q.section_id == section.pk]
    context = context_for(found)
    stored = {
        a.question.code: a.value
        for a in Answer.objects.filter(participant=participant, question__in=questions).select_related("question")
    }
    locked = not answering_open(found) or participant.submitted_at is not None
    form = SectionForm(
        request.POST if request.method == "POST" else None, questions=questions, context=context, stored=stored
    )
    status = 200
    if request.method == "POST":
        if locked:
            messages.error(request, _("Your answers are handed in or the round is closed: they no longer change."))
            return redirect(found)
        if form.is_valid():
            try:
                save_answers(participant=participant, values=form.values(), questions=questions)
            except RoundClosed:
                messages.error(request, _("The round is closed."))
                return redirect(found)
            messages.success(request, _("Saved."))
            if "next" in request.POST and position + 1 < len(sections):
                return redirect(
                    "reflection:answer",
                    kind=kind_of(access.tenant).value,
                    tenant_id=access.tenant.public_id,
                    round_id=found.pk,
                    section_slug=sections[position + 1].slug,
                )
            return redirect(request.path)
        status = 400
    return render(
        request,
        "reflection/answer.html",
        {
            "access": access,
            "round": found,
            "section": section,
            "form": form,
            "locked": locked,
            "previous": sections[position - 1] if position else None,
            "next": sections[position + 1] if position + 1 < len(sections) else None,
            "position": position + 1,
            "total": len(sections),
            "kind": kind_of(access.tenant).value,
        },
        status=status,
    )


@tenant_view(Capability.VIEW_HOME)
@require_POST
def hand_in_answers(request, access, round_id):
    found, participant, _facilitator = _round(access, round_id, request)
    if participant is None:
        raise PermissionDenied
    if not answering_open(found) or participant.submitted_at:
        messages.error(request, _("Your answers are handed in or the round is closed: they no longer change."))
        return redirect(found)
    missing = missing_required(participant, questions_of(found))
    if missing:
        messages.error(
            request,
            _("Some questions still need an answer: %(questions)s")
            % {"questions": "; ".join(q.label for q in missing)},
        )
        return redirect(found)
    hand_in(participant=participant)
    messages.success(request, _("Thank you. Your answers are handed in; the team view is open for you."))
    return redirect(found)


@tenant_view(Capability.VIEW_HOME)
def team_view(request, access, round_id):
    found, participant, facilitator = _round(access, round_id, request)
    if not may_see_team_view(found, participant, facilitator):
        raise PermissionDenied
    sections = _sections(found.version)
    questions = list(questions_of(found))
    context = context_for(found)
    notes = {n.section_id: n for n in found.notes.all()}
    if request.method == "POST":
        if not facilitator:
            raise PermissionDenied
        section = next((s for s in sections if str(s.pk) == request.POST.get("section")), None)
        if section is None:
            messages.error(request, _("Choose a section of this round."))
            return redirect("reflection:team", **_kwargs(access, found))
        form = SectionNoteForm(request.POST, instance=notes.get(section.pk), prefix=f"s{section.pk}")
        if form.is_valid():
            try:
                save_note(request=request, round_=found, section=section, form=form)
            except RoundClosed:
                messages.error(request, _("The round is closed."))
            else:
                messages.success(request, _("The team's notes are saved."))
            return redirect("reflection:team", **_kwargs(access, found))
        messages.error(request, _("The notes are too long."))
        return redirect("reflection:team", **_kwargs(access, found))
    blocks = _blocks(found, sections, questions, context, notes)
    return render(
        request,
        "reflection/team.html",
        {
            "access": access,
            "round": found,
            "blocks": blocks,
            "facilitator": facilitator,
            "can_apply_map": facilitator and found.school is not None and access.can(Capability.EDIT_MAP),
            "statuses": RelationStatus.choices,
            "kinds": QuestionKind,
            "handed_in": found.handed_in,
        },
    )


def _blocks(found, sections, questions, context, notes):
    summaries = summarise(found, questions, context)
    return [
        {
            "section": section,
            "questions": [(q, summaries[q.pk]) for q in questions if q.section_id == section.pk],
            "note": notes.get(section.pk),
            "form": SectionNoteForm(instance=notes.get(section.pk), prefix=f"s{section.pk}"),
        }
        for section in sections
    ]


def _round_results(request, access, round_id):
    found, participant, facilitator = _round(access, round_id, request)
    if not may_see_team_view(found, participant, facilitator):
        raise PermissionDenied
    sections = _sections(found.version)
    questions = list(questions_of(found))
    blocks = _blocks(found, sections, questions, context_for(found), {n.section_id: n for n in found.notes.all()})
    return found, blocks


@tenant_view(Capability.VIEW_HOME)
def report(request, access, round_id):
    """The round on paper: the team view without forms, the conclusions and the action plan."""
    found, blocks = _round_results(request, access, round_id)
    return render(
        request,
        "reflection/report.html",
        {
            "access": access,
            "round": found,
            "blocks": blocks,
            "actions": found.actions.select_related("owner", "need", "organisation"),
            "handed_in": found.handed_in,
            "statuses": RelationStatus.choices,
        },
    )


@tenant_view(Capability.VIEW_HOME)
@replica_reads
def export(request, access, round_id):
    """The results as CSV, anonymised: counts per answer and open answers sorted by their text,
    never a name or a row per person, whether or not the round is anonymous."""
    found, blocks = _round_results(request, access, round_id)
    rows = [["section", "question_code", "question", "kind", "answer", "count"]]
    for block in blocks:
        for question, summary in block["questions"]:
            for answer_label, count in _csv_rows(question, summary):
                rows.append([block["section"].slug, question.code, question.label, question.kind, answer_label, count])
    # Open answers are typed by people: csv_response makes a cell that looks like a formula inert.
    return csv_response(f"reflectie-{found.starts_on:%Y-%m-%d}", rows)


def _csv_rows(question, summary):
    if summary.get("hidden"):
        yield f"hidden: fewer than {summary['minimum']} people answered", ""
    elif question.kind == QuestionKind.SCALE:
        yield from ((str(point), count) for point, count in zip(range(1, 6), summary["counts"], strict=True))
    elif question.kind == QuestionKind.TEXT:
        yield from ((text, "") for text, _who in sorted(summary["texts"], key=lambda item: item[0].casefold()))
    elif question.kind == QuestionKind.PER_NEED_GRID:
        for row in summary["rows"]:
            for name, count in row["organisations"]:
                yield f"{row['need']}: {name}", count
            for label, count in row["limits"]:
                yield f"{row['need']}: {label}", count
    elif question.kind == QuestionKind.MAP_EXERCISE:
        for row in summary["rows"]:
            for label, count in row["counts"]:
                yield f"{row['organisation']}: {label}", count
    else:
        yield from summary.get("counts", [])
        yield from ((text, "") for text, _who in sorted(summary.get("other", []), key=lambda item: item[0].casefold()))


def _kwargs(access, found):
    return {"kind": kind_of(access.tenant).value, "tenant_id": access.tenant.public_id, "round_id": found.pk}


@tenant_view(Capability.RUN_REFLECTION)
@require_POST
def advance(request, access, round_id):
    found, _participant, _facilitator = _round(access, round_id, request)
    target = NEXT_PHASE.get(Phase(found.phase))
    if target is None or request.POST.get("to") != target:
        messages.error(request, _("That step is not possible from here."))
        return redirect(found)
    found.phase = target
    if target == Phase.CLOSED:
        found.closed_at = timezone.now()
    found.save(update_fields=["phase", "closed_at"])
    record(action=Action.REFLECTION_PHASE_CHANGED, request=request, obj=found, tenant=access.tenant, phase=target)
    messages.success(request, _("The round moved on to: %(phase)s.") % {"phase": found.get_phase_display()})
    return redirect(found)


@tenant_view(Capability.RUN_REFLECTION)
@require_POST
def apply_map_view(request, access, round_id):
    found, _participant, _facilitator = _round(access, round_id, request)
    if found.school is None or not access.can(Capability.EDIT_MAP):
        raise PermissionDenied
    statuses = {}
    for key, value in request.POST.items():
        if key.startswith("org-") and value:
            try:
                statuses[uuid.UUID(key[4:])] = value
            except ValueError:
                continue
    try:
        changed = apply_map(request=request, round_=found, statuses=statuses)
    except RoundClosed:
        messages.error(request, _("The round is closed."))
    else:
        messages.success(
            request,
            ngettext(
                "Ken je buurt is updated: %(count)s relation changed.",
                "Ken je buurt is updated: %(count)s relations changed.",
                changed,
            )
            % {"count": changed},
        )
    return redirect("reflection:team", **_kwargs(access, found))


@tenant_view(Capability.VIEW_HOME)
def actions(request, access, round_id):
    """The action plan. Closing the round freezes what was decided, not the follow-up: owners and
    facilitators keep moving actions on."""
    found, _participant, facilitator = _round(access, round_id, request, owners_too=True)
    form = ActionPointForm(request.POST if "what" in request.POST else None, tenant=access.tenant)
    status = 200
    if request.method == "POST":
        if "status" in request.POST:
            try:
                action_id = int(request.POST.get("action", ""))
            except ValueError:
                action_id = 0
            point = get_object_or_404(found.actions, pk=action_id)
            if not (facilitator or point.owner_id == request.user.pk):
                raise PermissionDenied
            if request.POST["status"] not in ActionStatus.values:
                messages.error(request, _("Choose one of the statuses offered."))
            else:
                point.status = request.POST["status"]
                point.save(update_fields=["status"])
                messages.success(request, _("The action is updated."))
            return redirect("reflection:actions", **_kwargs(access, found))
        if not facilitator:
            raise PermissionDenied
        if found.is_closed:
            messages.error(request, _("The round is closed: new actions belong in a new round."))
            return redirect("reflection:actions", **_kwargs(access, found))
        if form.is_valid():
            point = form.save(commit=False)
            point.round, point.created_by = found, request.user
            point.save()
            messages.success(request, _("The action is added."))
            return redirect("reflection:actions", **_kwargs(access, found))
        status = 400
    return render(
        request,
        "reflection/actions.html",
        {
            "access": access,
            "round": found,
            "form": form,
            "facilitator": facilitator,
            "actions": found.actions.select_related("owner", "need", "organisation"),
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


# The parent survey: the school's side ---------------------------------------------------------


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def parent_surveys(request, access):
    school = access.tenant
    form = None
    if access.can(Capability.RUN_REFLECTION):
        form = ParentSurveyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            survey = form.save(commit=False)
            survey.school, survey.started_by = school, request.user
            survey.questionnaire = ParentQuestionnaire.objects.order_by("-number").first()
            survey.save()
            parents.make_codes(survey, form.cleaned_data["codes"])
            messages.success(request, _("The parent survey is ready. Print the codes and hand them out."))
            return redirect(survey)
    elif request.method == "POST":
        raise PermissionDenied
    surveys = school.parent_surveys.annotate(
        answers=Count("responses", distinct=True), printed=Count("codes", distinct=True)
    )
    return render(
        request,
        "reflection/parent_surveys.html",
        {"access": access, "school": school, "surveys": surveys, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def parent_survey(request, access, survey_id):
    """The results, aggregated and with small groups hidden, for the whole school team."""
    survey = get_object_or_404(
        ParentSurvey.objects.filter(school=access.tenant).select_related("questionnaire"), pk=survey_id
    )
    if request.method == "POST":
        if not access.can(Capability.RUN_REFLECTION):
            raise PermissionDenied
        try:
            count = int(request.POST.get("codes", ""))
        except ValueError:
            count = 0
        if not 1 <= count <= parents.MAX_CODES:
            messages.error(request, _("Choose between 1 and %(max)s codes.") % {"max": parents.MAX_CODES})
        else:
            parents.make_codes(survey, count)
            messages.success(request, _("%(count)s more codes are ready to print.") % {"count": count})
        return redirect(survey)
    language = "en" if (translation.get_language() or "nl").startswith("en") else "nl"
    return render(
        request,
        "reflection/parent_survey.html",
        {
            "access": access,
            "survey": survey,
            "results": parents.results(survey, language),
            "can_run": access.can(Capability.RUN_REFLECTION),
            "used": survey.codes.filter(used=True).count(),
            "printed": survey.codes.count(),
        },
    )


@tenant_view(Capability.RUN_REFLECTION, TenantKind.SCHOOL)
def parent_codes(request, access, survey_id):
    """Cards to print and cut: a QR code, the address and the code, unused codes only."""
    survey = get_object_or_404(ParentSurvey.objects.filter(school=access.tenant), pk=survey_id)
    entry = request.build_absolute_uri(reverse("reflection:parent_entry"))
    cards = []
    for code in survey.codes.filter(used=False):
        link = request.build_absolute_uri(reverse("reflection:parent_language", kwargs={"code": code.code}))
        svg = segno.make(link, error="m").svg_inline(scale=3, omitsize=False)
        cards.append({"code": parents.pretty(code.code), "qr": mark_safe(svg)})  # noqa: S308 - segno's own SVG
    return render(
        request,
        "reflection/parent_codes.html",
        {"access": access, "survey": survey, "cards": cards, "entry": entry, "ui": parents.UI},
    )


# The parent survey: the parents' side, without an account -------------------------------------


def _parent_page(request, template, context, language="nl", status=200):
    return render(
        request,
        template,
        {**context, "lang": language, "dir": "rtl" if language in parents.RTL else "ltr"},
        status=status,
    )


def _parent_message(request, key, language="nl", status=200):
    """One sentence for the parent, in their language: thanks, a code that cannot be used, too many tries."""
    return _parent_page(request, "reflection/parent_message.html", {"message": parents.UI[key]}, language, status)


def _unusable(request, language="nl"):
    """Unknown, used and closed codes answer alike: someone trying codes learns nothing from it."""
    parents.count_wrong_guess(request)
    return _parent_message(request, "unusable", language, 404)


def _throttled(request, language="nl"):
    return _parent_message(request, "throttled", language, 429)


@login_not_required
def parent_entry(request):
    code = parents.normalise(request.GET.get("code", ""))
    if code:
        if parents.guessing_blocked(request):
            message, status = parents.UI["throttled"], 429
        elif parents.usable_code(code) is None:
            parents.count_wrong_guess(request)
            message, status = parents.UI["unusable"], 404
        else:
            return redirect("reflection:parent_language", code=code)
        return _parent_page(
            request, "reflection/parent_entry.html", {"message": message, "ui": parents.UI}, status=status
        )
    return _parent_page(request, "reflection/parent_entry.html", {"ui": parents.UI})


@login_not_required
def parent_language(request, code):
    if parents.guessing_blocked(request):
        return _throttled(request)
    found = parents.usable_code(parents.normalise(code))
    if found is None:
        return _unusable(request)
    return _parent_page(
        request,
        "reflection/parent_language.html",
        {
            "code": found.code,
            "languages": [(lang, parents.t("language_name", lang)) for lang in parents.LANGUAGES],
            "ui": parents.UI,
        },
    )


@login_not_required
def parent_answer(request, code, language):
    if language not in parents.LANGUAGES:
        raise Http404
    code = parents.normalise(code)
    # Answers from a page opened before this address was refused are still taken: nothing is lost.
    opened = request.method == "POST" and parents.has_ticket(request, code)
    if parents.guessing_blocked(request) and not opened:
        return _throttled(request, language)
    found = parents.usable_code(code)
    if found is None:
        return _unusable(request, language)
    survey = found.survey
    questions = parents.asked(survey.questionnaire)
    form = parents.ParentForm(request.POST or None, questions=questions, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            parents.submit(code=found.code, language=language, answers=form.answers())
        except parents.CodeUsed:
            return _unusable(request, language)
        return _parent_message(request, "thanks", language)
    content = survey.questionnaire.content
    items = []
    for question in questions:
        bound = form[question["code"]]
        scale = None
        if question["kind"] == "scale":
            scale = {
                "low": question["low"].get(language) or question["low"]["nl"],
                "high": question["high"].get(language) or question["high"]["nl"],
            }
        items.append({"field": bound, "scale": scale})
    return _parent_page(
        request,
        "reflection/parent_answer.html",
        {
            "form": form,
            "items": items,
            "title": content["title"].get(language) or content["title"]["nl"],
            "intro": content["intro"].get(language) or content["intro"]["nl"],
            "school": survey.school,
            "ui": {key: parents.t(key, language) for key in parents.UI},
            "code": found.code,
            "language": language,
            "ticket": parents.ticket(found.code),
        },
        language,
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.VIEW_HOME)
def compare_rounds(request, access, questionnaire):
    """Change over time: the rounds of one questionnaire side by side, among those whose team view
    the visitor may see."""
    facilitator = access.can(Capability.RUN_REFLECTION)
    candidates = list(
        Round.objects.for_tenant(access.tenant)
        .filter(version__questionnaire__slug=questionnaire)
        .select_related("version", *TENANT_FIELDS)
    )
    mine = {p.round_id: p for p in Participant.objects.filter(round__in=candidates, user=request.user)}
    rounds = [r for r in candidates if may_see_team_view(r, mine.get(r.pk), facilitator)]
    if not rounds:
        raise Http404
    return render(request, "reflection/compare.html", {"access": access, "result": compare(rounds)})
