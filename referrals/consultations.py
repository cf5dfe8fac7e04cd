"""Case consultations about one family (issue #9 part 2) and curative mediation (part 3).

The school's care team plans them, records who takes part and what was agreed, and keeps the
notes. An outside organisation takes part only while an active consent of the family names it
(checked on every request); its workers see the practical details and the agreements that are
theirs, never the notes or anyone else's agreements. A mediation opens only to the mediator.
"""

from django.contrib import messages
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import tenant_view
from accounts.roles import Capability, TenantKind
from referrals.forms import AgreementForm, ConsultationForm, ParticipantForm
from referrals.models import AccessAction, Consent, Consultation, DataItem, Family
from referrals.services import (
    add_participant,
    agreement_done,
    log_access,
    plan_consultation,
    record_agreement,
    remove_participant,
    save_consultation,
)

# The hidden `step` of each form on the consultation page.
ADD_PARTICIPANT, REMOVE_PARTICIPANT, ADD_AGREEMENT, AGREEMENT_DONE = "participant", "remove", "agreement", "done"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _consultation_of(school, consultation_id):
    return get_object_or_404(Consultation.objects.for_school(school).for_list(), pk=consultation_id)


def _with_cover(consultation):
    """The participants, each outside one marked `covered` while an active consent names its organisation."""
    covered = Consent.objects.active().filter(
        family=consultation.family_id, organisations=models.OuterRef("organisation")
    )
    return consultation.participants.select_related("organisation", "worker").annotate(covered=models.Exists(covered))


def _visible_participants(consultation):
    """Who takes part, as a partner sees it: the school's people and the organisations an active
    consent still names. A partner whose consent was withdrawn is not revealed to the others."""
    return _with_cover(consultation).filter(models.Q(organisation__isnull=True) | models.Q(covered=True))


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def new_consultation(request, access, family_id):
    school = access.tenant
    family = get_object_or_404(Family.objects.for_school(school).select_related("erasure"), pk=family_id)
    if hasattr(family, "erasure"):
        messages.info(request, _("This family's personal details are erased: nothing new is planned for it."))
        return redirect(family)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        consultation = plan_consultation(request=request, school=school, family=family, form=form)
        messages.success(request, _("The consultation is planned. Add who takes part."))
        return redirect(consultation)
    return render(
        request,
        "referrals/consultation_form.html",
        {"access": access, "school": school, "family": family, "form": form, "consultation": None},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def edit_consultation(request, access, consultation_id):
    school = access.tenant
    found = _consultation_of(school, consultation_id)
    form = ConsultationForm(request.POST if request.method == "POST" else None, instance=found)
    if request.method == "POST" and form.is_valid():
        save_consultation(request=request, consultation=form.save(commit=False), changed=form.changed_data)
        messages.success(request, _("The consultation is saved."))
        return redirect(found)
    log_access(request=request, family=found.family, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/consultation_form.html",
        {"access": access, "school": school, "family": found.family, "form": form, "consultation": found},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def consultation(request, access, consultation_id):
    """The care team's page: everything, notes included, with the forms to add participants and
    agreements. Each participant from outside shows whether a consent still covers them."""
    school = access.tenant
    found = _consultation_of(school, consultation_id)
    step = request.POST.get("step", "")
    participant_form = ParticipantForm(
        request.POST if step == ADD_PARTICIPANT else None, consultation=found, prefix="participant"
    )
    agreement_form = AgreementForm(
        request.POST if step == ADD_AGREEMENT else None, consultation=found, prefix="agreement"
    )
    if request.method == "POST":
        if step == ADD_PARTICIPANT and participant_form.is_valid():
            add_participant(request=request, consultation=found, form=participant_form)
            messages.success(request, _("The participant is added."))
            return redirect(found)
        if step == ADD_AGREEMENT and agreement_form.is_valid():
            record_agreement(request=request, consultation=found, form=agreement_form)
            messages.success(request, _("The agreement is recorded."))
            return redirect(found)
        if step == REMOVE_PARTICIPANT:
            participant = found.participants.filter(pk=_int(request.POST.get("participant"))).first()
            if participant is None:
                messages.error(request, _("This participant is no longer on the list."))
            else:
                remove_participant(request=request, participant=participant)
                messages.success(request, _("The participant is removed. Their agreements stay with the care team."))
            return redirect(found)
        if step == AGREEMENT_DONE:
            agreement = found.agreements.filter(pk=_int(request.POST.get("agreement")), done_on__isnull=True).first()
            if agreement is None:
                messages.error(request, _("This agreement is already done."))
            else:
                agreement_done(request=request, agreement=agreement)
                messages.success(request, _("The agreement is marked as done."))
            return redirect(found)
        if step not in (ADD_PARTICIPANT, ADD_AGREEMENT):
            messages.error(request, _("Choose one of the forms on the page."))
            return redirect(found)
    participants = _with_cover(found)
    log_access(request=request, family=found.family, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/consultation.html",
        {
            "access": access,
            "school": school,
            "consultation": found,
            "participants": participants,
            "agreements": found.agreements.select_related("owner__organisation", "owner__worker"),
            "participant_form": participant_form,
            "agreement_form": agreement_form,
            "has_mediator": any(p.mediator for p in participants),
        },
        status=400 if participant_form.errors or agreement_form.errors else 200,
    )


# The outside organisation's side ------------------------------------------------------------


@tenant_view(Capability.JOIN_CONSULTATIONS, TenantKind.ORGANISATION)
def joined_consultations(request, access):
    """The consultations the organisation takes part in, while the parents' consent covers it."""
    items = Consultation.objects.for_organisation(access.tenant, request.user).select_related("school")
    return render(
        request,
        "referrals/joined_consultations.html",
        {"access": access, "organisation": access.tenant, "consultations": items},
    )


@tenant_view(Capability.JOIN_CONSULTATIONS, TenantKind.ORGANISATION)
def joined_consultation(request, access, consultation_id):
    """The limited page: date, kind, place, who takes part, and only the agreements assigned to this
    organisation. The family's contact details only where the parents' consent covers them for it,
    as on a referral; the notes never."""
    organisation = access.tenant
    found = get_object_or_404(
        Consultation.objects.for_organisation(organisation, request.user).select_related(
            "school", "organised_by", "family"
        ),
        pk=consultation_id,
    )
    consents = found.family.consents.active().filter(organisations=organisation)
    family = found.family
    contact = None
    if any(DataItem.CONTACT_DETAILS in consent.data_items for consent in consents):
        contact = {
            "guardian_name": family.guardian_name,
            "phone": family.phone,
            "email": family.email,
            "child_first_name": family.child_first_name,
            "child_class": family.child_class,
        }
        log_access(request=request, family=family, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/joined_consultation.html",
        {
            "access": access,
            "organisation": organisation,
            "consultation": found,
            "participants": _visible_participants(found),
            "agreements": found.agreements.filter(owner__organisation=organisation).select_related("owner__worker"),
            "contact": contact,
        },
    )
