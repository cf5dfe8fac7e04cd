"""Changing school (issue #9, part 8): the old school's care team hands a short summary and the
list of open referrals to the new school, with the parents' consent recorded on the hand-over.

Until the new school accepts, it sees only that a hand-over from which school is waiting. Once it
accepts, it opens its own family record (its own reference, nothing copied) and reads the summary
and the open referrals (organisation, need, state). The old school keeps its own record under the
usual retention rules (`purge_family_details`); after the decision it no longer sees the summary.
The referrals themselves stay with the old school and its consent: it closes or withdraws them.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import tenant_view
from accounts.roles import Capability, TenantKind
from referrals.forms import HandoverAcceptForm, HandoverForm
from referrals.models import Family, HandoverState, SchoolHandover, State
from referrals.services import HandoverDecided, accept_handover, cancel_handover, decline_handover, start_handover
from welfare.models import NeedCategory


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def new_handover(request, access, family_id):
    school = access.tenant
    family = get_object_or_404(Family.objects.for_school(school), pk=family_id)
    form = HandoverForm(request.POST if request.method == "POST" else None, school=school, family=family)
    if request.method == "POST" and form.is_valid():
        handover = start_handover(
            request=request,
            family=family,
            to_school=form.cleaned_data["to_school"],
            summary=form.cleaned_data["summary"],
            referrals=form.cleaned_data["referrals"],
            given_by=form.cleaned_data["given_by"],
            consent_method=form.cleaned_data["consent_method"],
        )
        messages.success(request, _("The hand-over waits for the new school's care team to accept it."))
        return redirect("referrals:handover", school_id=school.public_id, handover_id=handover.pk)
    return render(
        request,
        "referrals/handover_form.html",
        {"access": access, "school": school, "family": family, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def handovers(request, access):
    """Hand-overs to and from this school: incoming ones name only the old school until accepted."""
    school = access.tenant
    return render(
        request,
        "referrals/handovers.html",
        {
            "access": access,
            "school": school,
            "incoming": SchoolHandover.objects.filter(to_school=school).select_related("from_school"),
            "outgoing": SchoolHandover.objects.filter(from_school=school).select_related("to_school", "family"),
        },
    )


def _referral_rows(handover):
    needs = {n.code: n for n in NeedCategory.objects.filter(code__in=[r["need"] for r in handover.open_referrals])}
    return [
        {"organisation": r["organisation"], "need": needs.get(r["need"], r["need"]), "state": State(r["state"]).label}
        for r in handover.open_referrals
    ]


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def handover(request, access, handover_id):
    school = access.tenant
    found = get_object_or_404(
        SchoolHandover.objects.involving(school).select_related("from_school", "to_school", "family", "new_family"),
        pk=handover_id,
    )
    receiving = found.to_school_id == school.pk
    waiting = found.state == HandoverState.WAITING
    form = HandoverAcceptForm(request.POST if "accept" in request.POST else None, school=school)
    if request.method == "POST" and waiting:
        try:
            if receiving and "accept" in request.POST and form.is_valid():
                accept_handover(request=request, handover=found, reference=form.cleaned_data["reference"])
                messages.success(request, _("The hand-over is accepted. Your school now has its own record."))
            elif receiving and "decline" in request.POST:
                decline_handover(request=request, handover=found)
                messages.success(request, _("The hand-over is declined. Nothing was passed on."))
            elif not receiving and "cancel" in request.POST:
                cancel_handover(request=request, handover=found)
                messages.success(request, _("The hand-over is cancelled. Nothing was passed on."))
            elif not form.errors:
                messages.error(request, _("Choose one of the steps offered."))
        except HandoverDecided:
            messages.error(request, _("This hand-over was decided in the meantime."))
        if not form.errors:
            return redirect("referrals:handover", school_id=school.public_id, handover_id=found.pk)
    elif request.method == "POST":
        messages.error(request, _("This hand-over was decided in the meantime."))
        return redirect("referrals:handover", school_id=school.public_id, handover_id=found.pk)
    # The new school reads the content once it accepted; the old school while it can still cancel.
    shows_content = (receiving and found.state == HandoverState.ACCEPTED) or (not receiving and waiting)
    return render(
        request,
        "referrals/handover.html",
        {
            "access": access,
            "school": school,
            "handover": found,
            "receiving": receiving,
            "waiting": waiting,
            "shows_content": shows_content,
            "referral_rows": _referral_rows(found) if shows_content else [],
            "form": form,
        },
        status=400 if form.errors else 200,
    )
