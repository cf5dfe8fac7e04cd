from django.db import models, transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record
from referrals.models import (
    FINAL,
    AccessAction,
    AccessLogEntry,
    Consent,
    Family,
    Referral,
    ReferralEvent,
    Signal,
    school_year_of,
)


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
