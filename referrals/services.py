from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.models import Action, AuditEvent
from audit.services import record
from referrals.models import (
    FINAL,
    AccessAction,
    AccessLogEntry,
    Alert,
    BridgeShare,
    BridgeVisit,
    Consent,
    Consultation,
    ConsultationAgreement,
    ConsultationParticipant,
    Family,
    FamilyErasure,
    HandoverState,
    Referral,
    ReferralEvent,
    SchoolHandover,
    Signal,
)
from referrals.outbox import notify
from referrals.workflow import absolute
from schools.years import school_year_of


@transaction.atomic
def save_signal(*, request, signal: Signal, school=None) -> Signal:
    """Log a new signal for `school`, or store changes to an existing one; both are audited."""
    new = signal._state.adding
    if new:
        signal.school = school
        signal.reported_by = request.user
    signal.school_year = school_year_of(signal.received_on)
    signal.save()
    record(
        action=Action.SIGNAL_LOGGED if new else Action.SIGNAL_CHANGED,
        request=request,
        obj=signal,
        tenant=signal.school,
        need=signal.need.code,
    )
    return signal


class EditConflict(Exception):
    """Somebody saved the record after the form was opened; nothing was overwritten."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def log_access(*, request, family: Family, action: str) -> None:
    """Write the access register. It is not wrapped: if this fails, the page fails."""
    AccessLogEntry.objects.create(
        user=request.user, family=family, family_reference=family.reference, school=family.school, action=action
    )


@transaction.atomic
def save_family(*, request, family: Family, school, submitted_version: int | None) -> Family:
    """Create or update a family record; a stale form raises EditConflict instead of overwriting."""
    if family._state.adding:
        family.school = school
    else:
        current = Family.objects.select_for_update().get(pk=family.pk)
        if submitted_version != current.version:
            raise EditConflict(current)
        family.version = current.version + 1
    family.save()
    log_access(request=request, family=family, action=AccessAction.CHANGE)
    return family


@transaction.atomic
def record_consent(*, request, family: Family, form) -> Consent:
    consent = form.save(commit=False)
    consent.family = family
    consent.recorded_by = request.user
    consent.save()
    form.save_m2m()
    record(action=Action.CONSENT_RECORDED, request=request, obj=family, tenant=family.school)
    return consent


@transaction.atomic
def create_referral(*, request, school, family: Family, signal, form) -> Referral:
    referral = form.save(commit=False)
    referral.school = school
    referral.family = family
    referral.signal = signal
    referral.save()
    ReferralEvent.objects.create(referral=referral, to_state=referral.state, by=request.user, side="school")
    record(action=Action.REFERRAL_CREATED, request=request, obj=referral, tenant=school)
    return referral


# Fields the school may still change once a referral exists (not the family, need or organisation).
EDITABLE = [
    "service",
    "intensity",
    "reference_person",
    "note",
    "handover_on",
    "handover_place",
    "handover_attendees",
    "next_follow_up",
]


class NotEditable(Exception):
    """The referral ended after the form was opened: it no longer changes."""


@transaction.atomic
def save_referral(*, request, referral: Referral, submitted_version: int | None, changed: list[str]) -> Referral:
    """Store the fields the school changed; a stale form raises EditConflict and the stored values
    stay. Only the changed fields are written, so nothing the form merely showed is put back."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.state in FINAL:
        raise NotEditable
    if submitted_version != current.version:
        raise EditConflict(current)
    fields = [name for name in EDITABLE if name in changed]
    for name in fields:
        setattr(current, name, getattr(referral, name))
    current.version += 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    record(action=Action.REFERRAL_CHANGED, request=request, obj=current, tenant=current.school, fields=sorted(fields))
    return current


def bump_version(referral: Referral, **changes) -> None:
    """Other quick saves on a referral (the follow-up date, the check-in) also make open edit forms stale."""
    Referral.objects.filter(pk=referral.pk).update(
        version=models.F("version") + 1, updated_at=timezone.now(), **changes
    )


# The encrypted fields of a family record: everything that names or reaches the family.
PERSONAL_FIELDS = ("guardian_name", "phone", "email", "child_first_name", "child_class")
# Stands in for free text that a database constraint wants filled.
REMOVED = "—"


def remove_personal_details(family: Family) -> None:
    """Clear what names or reaches the family, here and on its referrals and consents; states,
    dates, needs and organisations stay, so the statistics survive. Used by the retention purge
    (`purge_family_details`) and, with more, by `erase_family`."""
    for name in PERSONAL_FIELDS:
        setattr(family, name, "")
    family.details_removed_on = timezone.localdate()
    family.save()
    Referral.objects.filter(family=family).update(note="", handover_place="", handover_attendees="")
    Consent.objects.filter(family=family).update(given_by=REMOVED)
    Consultation.objects.filter(family=family).update(notes="", place="")
    # What the care team and the bridge figure wrote about the family (issue #9, part 5).
    BridgeShare.objects.filter(family=family).update(note="")
    BridgeVisit.objects.filter(share__family=family).update(purpose="", follow_up="", next_step="", destination="")
    # A summary handed over from another school belongs to the new school's record (issue #9, part 8).
    SchoolHandover.objects.filter(new_family=family).update(summary=REMOVED, given_by=REMOVED)


class ErasureRefused(Exception):
    """A referral of the family is still open: withdraw or close it first."""


def erasure_blockers(family: Family):
    """The family's referrals that are not over yet; erasure waits until there are none."""
    return family.referrals.open().select_related("organisation")


def erased_reference(family: Family) -> str:
    return f"gewist-{family.pk.hex[:8]}"


def redact_audit_events(*, object_ids: dict[str, list[str]]) -> int:
    """The one place that rewrites audit events: their `details` become a marker, and nothing else
    changes (who, when, what action, on which object id). Audit events are append-only through the
    model (`AuditEvent.save` refuses); this bulk update is the deliberate, narrow exception, used
    only by `erase_family` and audited by the event that erasure writes."""
    matching = models.Q(pk__in=[])
    for object_type, ids in object_ids.items():
        matching |= models.Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    return AuditEvent.objects.filter(matching).update(details={"redacted": True})


@transaction.atomic
def erase_family(*, request, family: Family, reason: str) -> FamilyErasure:
    """Erase one family (GDPR art. 17): its personal details everywhere, free text that could name
    it, its reference in the access register and the details of its audit events. What stays is
    counted, never named: the family row under a neutral reference, its referrals with need,
    organisation, state and dates, their history, and the signals they came from (without notes).
    Refused while a referral is still open, so no organisation is left with a case it cannot trace."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if erasure_blockers(family).exists():
        raise ErasureRefused
    referrals = list(Referral.objects.filter(family=family).values_list("pk", "signal_id"))
    referral_ids = [pk for pk, _signal in referrals]
    family.reference = erased_reference(family)
    family.language = None
    family.interpreter_needed = False
    remove_personal_details(family)
    Referral.objects.filter(pk__in=referral_ids).update(handover_on=None)
    # A safety concern must keep a written reason (a database constraint): it becomes the marker.
    Referral.objects.filter(pk__in=referral_ids).exclude(legal_reason="").update(legal_reason=REMOVED)
    Alert.objects.filter(referral__in=referral_ids).update(note="")
    consultation_ids = list(Consultation.objects.filter(family=family).values_list("pk", flat=True))
    ConsultationAgreement.objects.filter(consultation__in=consultation_ids).update(what=REMOVED)
    Signal.objects.filter(pk__in=[signal for _pk, signal in referrals if signal]).update(note="", action_reason="")
    AccessLogEntry.objects.filter(family=family).update(family_reference=family.reference)
    BridgeShare.objects.filter(family=family).open().update(ended_at=timezone.now(), ended_by=request.user)
    # A hand-over still waiting for a new school is called off, with its summary.
    SchoolHandover.objects.filter(family=family, state=HandoverState.WAITING).update(
        state=HandoverState.CANCELLED, summary="", open_referrals=[], decided_by=request.user, decided_at=timezone.now()
    )
    redacted = redact_audit_events(
        object_ids={
            Family._meta.label_lower: [family.pk],
            Referral._meta.label_lower: referral_ids,
            Consultation._meta.label_lower: consultation_ids,
            BridgeShare._meta.label_lower: list(BridgeShare.objects.filter(family=family).values_list("pk", flat=True)),
        }
    )
    erasure = FamilyErasure.objects.create(
        family=family, school=family.school, erased_by=request.user, reason=reason, audit_events_redacted=redacted
    )
    record(
        action=Action.FAMILY_ERASED,
        request=request,
        obj=family,
        tenant=family.school,
        reason=reason,
        referrals=len(referral_ids),
        audit_events_redacted=redacted,
    )
    return erasure


# Case consultations ------------------------------------------------------------------------


@transaction.atomic
def plan_consultation(*, request, school, family: Family, form) -> Consultation:
    consultation = form.save(commit=False)
    consultation.school = school
    consultation.family = family
    consultation.organised_by = request.user
    consultation.save()
    record(action=Action.CONSULTATION_PLANNED, request=request, obj=consultation, tenant=school, kind=consultation.kind)
    return consultation


def save_consultation(*, request, consultation: Consultation, changed: list[str]) -> Consultation:
    consultation.save()
    record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        obj=consultation,
        tenant=consultation.school,
        fields=sorted(changed),
    )
    return consultation


@transaction.atomic
def add_participant(*, request, consultation: Consultation, form) -> ConsultationParticipant:
    """Add someone to the table; an outside organisation under the consent the form found. A named
    outside worker gets an email with the date and a link, nothing about the family."""
    participant = form.save(commit=False)
    participant.consultation = consultation
    participant.consent = form.consent
    participant.save()
    record(
        action=Action.CONSULTATION_PARTICIPANT_ADDED,
        request=request,
        obj=consultation,
        tenant=consultation.school,
        outside=participant.organisation_id is not None,
    )
    if participant.organisation_id and participant.worker_id:
        worker = participant.worker
        with translation.override(worker.preferred_language):
            context = {
                "consultation": consultation,
                "school": consultation.school,
                "link": absolute(request, consultation.get_partner_url(participant.organisation)),
            }
            subject = render_to_string("referrals/email/consultation_subject.txt", context)
            body = render_to_string("referrals/email/consultation_body.txt", context)
        notify(subject=subject, body=body, to=worker.email, what=f"referrals/consultation {consultation.pk}")
    return participant


@transaction.atomic
def remove_participant(*, request, participant: ConsultationParticipant) -> None:
    """Their agreements stay, with the care team as owner."""
    consultation = participant.consultation
    participant.agreements.update(owner=None)
    participant.delete()
    record(
        action=Action.CONSULTATION_PARTICIPANT_REMOVED, request=request, obj=consultation, tenant=consultation.school
    )


def record_agreement(*, request, consultation: Consultation, form) -> ConsultationAgreement:
    agreement = form.save(commit=False)
    agreement.consultation = consultation
    agreement.save()
    record(action=Action.CONSULTATION_AGREEMENT_RECORDED, request=request, obj=consultation, tenant=consultation.school)
    return agreement


def agreement_done(*, request, agreement: ConsultationAgreement) -> ConsultationAgreement:
    agreement.done_on = timezone.localdate()
    agreement.save(update_fields=["done_on"])
    consultation = agreement.consultation
    record(action=Action.CONSULTATION_AGREEMENT_DONE, request=request, obj=consultation, tenant=consultation.school)
    return agreement


# Bridge figures (issue #9, part 5) -----------------------------------------------------------


@transaction.atomic
def share_with_bridge_figure(
    *, request, family: Family, bridge_figure, service, consent, note: str = ""
) -> BridgeShare:
    """The care team shares a family with a bridge figure under a consent naming the service. An
    earlier share whose consent lapsed is ended first: the new consent takes over."""
    BridgeShare.objects.filter(family=family, bridge_figure=bridge_figure).open().update(
        ended_at=timezone.now(), ended_by=request.user
    )
    share = BridgeShare.objects.create(
        family=family,
        bridge_figure=bridge_figure,
        service=service,
        consent=consent,
        note=note.strip(),
        shared_by=request.user,
    )
    record(action=Action.BRIDGE_SHARED, request=request, obj=share, tenant=family.school, service=str(service.pk))
    return share


@transaction.atomic
def end_bridge_share(*, request, share: BridgeShare) -> BridgeShare:
    share.ended_at = timezone.now()
    share.ended_by = request.user
    share.save(update_fields=["ended_at", "ended_by"])
    record(action=Action.BRIDGE_SHARE_ENDED, request=request, obj=share, tenant=share.family.school)
    return share


@transaction.atomic
def record_bridge_visit(*, request, share: BridgeShare, visit: BridgeVisit) -> BridgeVisit:
    """Kept for the bridge-figure service: the audit event names the kind, never what was said."""
    visit.share = share
    visit.recorded_by = request.user
    visit.save()
    record(action=Action.BRIDGE_VISIT_RECORDED, request=request, obj=share, tenant=share.service, kind=visit.kind)
    return visit


# Changing school (issue #9, part 8) ----------------------------------------------------------


@transaction.atomic
def start_handover(
    *, request, family: Family, to_school, summary: str, referrals, given_by: str, consent_method: str
) -> SchoolHandover:
    """Record the parents' consent and the summary; the new school sees only that it is waiting."""
    handover = SchoolHandover.objects.create(
        family=family,
        from_school=family.school,
        to_school=to_school,
        summary=summary.strip(),
        open_referrals=[
            {"organisation": r.organisation.name, "need": r.need.code, "state": r.state}
            for r in referrals
            if r.state not in FINAL
        ],
        given_by=given_by.strip(),
        consent_method=consent_method,
        created_by=request.user,
    )
    record(action=Action.HANDOVER_STARTED, request=request, obj=handover, tenant=family.school)
    return handover


class HandoverDecided(Exception):
    """The hand-over was accepted, declined or cancelled in the meantime."""


def _decide(handover: SchoolHandover, *, request, state: str, **changes) -> SchoolHandover:
    current = SchoolHandover.objects.select_for_update().get(pk=handover.pk)
    if current.state != HandoverState.WAITING:
        raise HandoverDecided
    current.state = state
    current.decided_by = request.user
    current.decided_at = timezone.now()
    for key, value in changes.items():
        setattr(current, key, value)
    current.save()
    return current


@transaction.atomic
def accept_handover(*, request, handover: SchoolHandover, reference: str) -> SchoolHandover:
    """The new school opens its own family record, with its own reference and nothing else: the
    summary and the list of open referrals are what it receives."""
    family = Family.objects.create(school=handover.to_school, reference=reference)
    log_access(request=request, family=family, action=AccessAction.CHANGE)
    accepted = _decide(handover, request=request, state=HandoverState.ACCEPTED, new_family=family)
    record(action=Action.HANDOVER_ACCEPTED, request=request, obj=accepted, tenant=accepted.to_school)
    return accepted


@transaction.atomic
def decline_handover(*, request, handover: SchoolHandover) -> SchoolHandover:
    declined = _decide(handover, request=request, state=HandoverState.DECLINED, summary="", open_referrals=[])
    record(action=Action.HANDOVER_DECLINED, request=request, obj=declined, tenant=declined.to_school)
    return declined


@transaction.atomic
def cancel_handover(*, request, handover: SchoolHandover) -> SchoolHandover:
    cancelled = _decide(handover, request=request, state=HandoverState.CANCELLED, summary="", open_referrals=[])
    record(action=Action.HANDOVER_CANCELLED, request=request, obj=cancelled, tenant=cancelled.from_school)
    return cancelled
