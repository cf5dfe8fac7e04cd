"""Reflection rounds for a school, a welfare organisation or a municipality.

Who sees what: the round's facilitators (the tenant's lead: director, intake coordinator, local
official) start and steer rounds; participants answer and, once allowed, read the team view.
Anybody else in the tenant gets 403, anybody outside it 404.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import kind_of, tenant_view
from accounts.roles import Capability
from audit.models import Action
from audit.services import record
from reflection.forms import ActionPointForm, RoundForm, SectionForm, SectionNoteForm, members_of
from reflection.models import (
    ActionStatus,
    Answer,
    Participant,
    Phase,
    QuestionKind,
    QuestionnaireVersion,
    Round,
    Section,
)
from reflection.services import (
    RoundClosed,
    apply_map,
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


def _round(access, round_id, request):
    """The round of this tenant, with the visitor's part in it; 404 outside the tenant, 403 for a
    member who neither takes part nor facilitates."""
    found = get_object_or_404(Round.objects.for_tenant(access.tenant).select_related("version"), pk=round_id)
    facilitator = access.can(Capability.RUN_REFLECTION)
    participant = Participant.objects.filter(round=found, user=request.user).first()
    if participant is None and not facilitator:
        raise PermissionDenied
    return found, participant, facilitator


def _sections(version):
    return list(Section.objects.filter(version=version).order_by("order", "id"))


@tenant_view(Capability.VIEW_HOME)
def rounds(request, access):
    tenant = access.tenant
    facilitator = access.can(Capability.RUN_REFLECTION)
    visible = Round.objects.for_tenant(tenant).select_related("version")
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
            "facilitator": facilitator,
        },
    )


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
    handed_in = sum(1 for p in people if p.submitted_at)
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
            "handed_in": handed_in,
            "team_view_open": may_see_team_view(found, participant, facilitator),
            "next_phase": NEXT_PHASE.get(Phase(found.phase)),
            "actions": found.actions.select_related("owner", "need", "organisation"),
        },
    )


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
    locked = found.phase == Phase.CLOSED or participant.submitted_at is not None
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
    if found.is_closed or participant.submitted_at:
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
    summaries = summarise(found, questions, context)
    blocks = [
        {
            "section": section,
            "questions": [(q, summaries[q.pk]) for q in questions if q.section_id == section.pk],
            "note": notes.get(section.pk),
            "form": SectionNoteForm(instance=notes.get(section.pk), prefix=f"s{section.pk}"),
        }
        for section in sections
    ]
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
            "handed_in": found.participants.filter(submitted_at__isnull=False).count(),
        },
    )


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
        messages.success(request, _("Ken je buurt is updated: %(count)s relation(s) changed.") % {"count": changed})
    return redirect("reflection:team", **_kwargs(access, found))


@tenant_view(Capability.VIEW_HOME)
def actions(request, access, round_id):
    found, _participant, facilitator = _round(access, round_id, request)
    form = ActionPointForm(request.POST if "what" in request.POST else None, tenant=access.tenant)
    status = 200
    if request.method == "POST":
        if found.is_closed:
            messages.error(request, _("The round is closed."))
            return redirect("reflection:actions", **_kwargs(access, found))
        if "status" in request.POST:
            action_id = request.POST.get("action", "")
            point = get_object_or_404(found.actions, pk=int(action_id) if action_id.isdigit() else 0)
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
