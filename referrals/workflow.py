"""Which side may move a referral from which state to which: the one place that says so.

Every path that changes a referral's state goes through `transition()`, which checks this table,
the parents' consent, writes the event and the audit log, and sends the notifications.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from accounts.roles import Role
from audit.models import Action
from audit.services import record
from referrals.models import FINAL, Alert, DataItem, Referral, ReferralEvent, State
from referrals.outbox import notify
from welfare.models import FeedbackLevel

# A safety concern (verontrusting) always goes to the CLB: the only route without consent.
CONCERN_ORGANISATION_TYPE = "clb"

SCHOOL = "school"
ORGANISATION = "organisation"
SYSTEM = "system"  # the daily referral_reminders command

ACTIVE = [State.SENT, State.RECEIVED, State.ACCEPTED, State.IN_CONTACT, State.ON_HOLD]

# (from, to) → sides that may make that move.
TRANSITIONS: dict[tuple[State, State], set[str]] = {
    (State.DRAFT, State.AWAITING_CONSENT): {SCHOOL},
    (State.DRAFT, State.SENT): {SCHOOL},
    (State.AWAITING_CONSENT, State.SENT): {SCHOOL},
    (State.SENT, State.RECEIVED): {ORGANISATION},
    (State.SENT, State.ACCEPTED): {ORGANISATION},
    (State.RECEIVED, State.ACCEPTED): {ORGANISATION},
    (State.SENT, State.DECLINED): {ORGANISATION},
    (State.RECEIVED, State.DECLINED): {ORGANISATION},
    (State.ACCEPTED, State.IN_CONTACT): {ORGANISATION},
    (State.ACCEPTED, State.ON_HOLD): {ORGANISATION},
    (State.IN_CONTACT, State.ON_HOLD): {ORGANISATION},
    (State.ON_HOLD, State.IN_CONTACT): {ORGANISATION},
    **{(state, State.CLOSED): {SCHOOL, ORGANISATION} for state in (State.ACCEPTED, State.IN_CONTACT, State.ON_HOLD)},
    **{(state, State.WITHDRAWN): {SCHOOL} for state in (State.DRAFT, State.AWAITING_CONSENT, *ACTIVE)},
    **{(state, State.ENTERED_IN_ERROR): {SCHOOL} for state in State if state not in FINAL},
    # Nobody at the organisation reacted in time.
    (State.SENT, State.EXPIRED): {SYSTEM},
}


class NotAllowed(Exception):
    pass


class ConsentMissing(Exception):
    """No active consent covers this organisation and need: the referral cannot be sent."""


class ConcernRouteOnly(Exception):
    """A safety concern without consent can only go to the CLB, with a legal ground and a reason."""


class AlertNotCovered(Exception):
    """The parents did not agree that the organisation alerts the school, or sharing has stopped."""


def allowed_targets(referral: Referral, side: str) -> list[State]:
    return [to for (frm, to), sides in TRANSITIONS.items() if frm == referral.state and side in sides]


def covering_consent(referral: Referral):
    """The family's active consent that covers the organisation and the need (details optional)."""
    for consent in referral.family.consents.active().prefetch_related("organisations", "needs"):
        if consent.covers(referral.organisation, referral.need, DataItem.NEED):
            return consent
    return None


def concern_route_open(referral: Referral) -> bool:
    return (
        referral.concern
        and bool(referral.legal_ground and referral.legal_reason.strip())
        and referral.organisation.organisation_type.slug == CONCERN_ORGANISATION_TYPE
    )


def disclosed(referral: Referral) -> dict:
    """What the receiving organisation may see of the family right now (consent checked per request).

    A safety concern sent to the CLB on a legal ground is shared without consent; every look at it is
    logged like any other."""
    consent = referral.consent
    on_legal_ground = referral.state in ACTIVE and referral.consent_id is None and concern_route_open(referral)
    shared = on_legal_ground or (referral.state in ACTIVE and consent is not None and consent.is_active)

    def may(item):
        if on_legal_ground:
            return item != DataItem.ALERTS
        return shared and consent.covers(referral.organisation, referral.need, item)

    family = referral.family
    # Where and when someone meets the family (often at home) is as much about the family as its
    # address: the handover goes with the contact details, so a consent that withholds those, or
    # has ended, shows neither.
    handover = referral.handover_on or referral.handover_place
    return {
        "consent_active": shared,
        "legal_ground": referral.get_legal_ground_display() if on_legal_ground else None,
        "may_alert": may(DataItem.ALERTS),
        "contact": {
            "guardian_name": family.guardian_name,
            "phone": family.phone,
            "email": family.email,
            "child_first_name": family.child_first_name,
            "child_class": family.child_class,
        }
        if may(DataItem.CONTACT_DETAILS)
        else None,
        "need": referral.need if may(DataItem.NEED) else None,
        "note": referral.note if may(DataItem.NOTE) else None,
        "handover": {"on": referral.handover_on, "place": referral.handover_place}
        if handover and may(DataItem.CONTACT_DETAILS)
        else None,
    }


def absolute(request, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.BRUGWIJZER_BASE_URL.rstrip("/") + path


@transaction.atomic
def transition(*, request, referral: Referral, to: State, side: str, actor=None, **changes) -> Referral:
    """Move a referral; `request` is None for the scheduled command (which passes no actor)."""
    actor = actor or (request.user if request is not None else None)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("family", "organisation__organisation_type", "need", "school")
        .get(pk=referral.pk)
    )
    if side not in TRANSITIONS.get((State(referral.state), to), set()):
        raise NotAllowed
    without_consent = False
    if to == State.SENT:
        consent = covering_consent(referral)
        if consent is None and referral.concern:
            if not concern_route_open(referral):
                raise ConcernRouteOnly
            without_consent = True
        elif consent is None:
            raise ConsentMissing
        referral.consent = consent
    if to == State.CLOSED and side == ORGANISATION:
        # What the organisation says about the outcome is kept only if it tells schools.
        outcome = changes.pop("outcome", "")
        if referral.organisation.feedback_level == FeedbackLevel.OUTCOME:
            changes["organisation_outcome"] = outcome
    previous = referral.state
    for key, value in changes.items():
        setattr(referral, key, value)
    referral.state = to
    referral.save()
    ReferralEvent.objects.create(referral=referral, from_state=previous, to_state=to, by=actor, side=side)
    record(
        action=Action.REFERRAL_TRANSITION,
        request=request,
        actor=actor,
        obj=referral,
        tenant=referral.school,
        from_state=previous,
        to_state=to,
        side=side,
    )
    if without_consent:
        record(
            action=Action.SHARED_WITHOUT_CONSENT,
            request=request,
            actor=actor,
            obj=referral,
            tenant=referral.school,
            legal_ground=referral.legal_ground,
            reason=referral.legal_reason,
        )
    _notify(request, actor, referral, previous)
    return referral


def _mail(recipients: dict, template: str, context: dict) -> None:
    what = f"referrals/{template} about referral {context['referral'].pk}"
    for address, language in recipients.items():
        with translation.override(language):
            subject = render_to_string(f"referrals/email/{template}_subject.txt", context)
            body = render_to_string(f"referrals/email/{template}_body.txt", context)
        notify(subject=subject, body=body, to=address, what=what)


def _school_link(request, referral) -> str:
    path = reverse("referrals:referral", kwargs={"school_id": referral.school.public_id, "referral_id": referral.pk})
    return absolute(request, path)


@transaction.atomic
def raise_alert(*, request, referral: Referral, kind: str, note: str = "") -> Alert:
    """The organisation tells the school about a practical problem, only while consent covers it."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("consent", "organisation__organisation_type", "need", "school")
        .get(pk=referral.pk)
    )
    if not disclosed(referral)["may_alert"]:
        raise AlertNotCovered
    alert = Alert.objects.create(referral=referral, kind=kind, note=note.strip(), raised_by=request.user)
    record(action=Action.ALERT_RAISED, request=request, obj=referral, tenant=referral.school, kind=kind)
    person = referral.reference_person
    _mail(
        {person.email: person.preferred_language},
        "alert",
        {
            "referral": referral,
            "link": _school_link(request, referral),
        },
    )
    return alert


def handle_alert(*, request, alert: Alert) -> Alert:
    alert.handled_at = timezone.now()
    alert.handled_by = request.user
    alert.save(update_fields=["handled_at", "handled_by"])
    record(action=Action.ALERT_HANDLED, request=request, obj=alert.referral, tenant=alert.referral.school)
    return alert


def _recipients_at_organisation(referral):
    people = (
        Membership.objects.active()
        .filter(organisation=referral.organisation, role__in=[Role.WELFARE_INTAKE, Role.WELFARE_WORKER])
        .select_related("user")
    )
    found = {m.user.email: m.user.preferred_language for m in people}
    if referral.organisation.email and referral.organisation.email not in found:
        found[referral.organisation.email] = settings.LANGUAGE_CODE
    return found


def _notify(request, actor, referral, previous):
    """Emails carry no family detail: only that something changed, and a link."""
    if referral.state == State.SENT:
        recipients = _recipients_at_organisation(referral)
        template, link = "new", absolute(request, referral.get_incoming_url())
    elif referral.state == State.WITHDRAWN and previous in ACTIVE:
        recipients = _recipients_at_organisation(referral)
        template, link = "withdrawn", absolute(request, referral.get_incoming_url())
    elif actor != referral.reference_person and referral.state != State.AWAITING_CONSENT:
        person = referral.reference_person
        recipients = {person.email: person.preferred_language}
        template, link = "changed", _school_link(request, referral)
    else:
        return
    _mail(recipients, template, {"referral": referral, "link": link, "state": referral.get_state_display()})


@transaction.atomic
def withdraw_consent(*, request, consent, method: str) -> list[Referral]:
    """Withdrawal takes effect at once: sharing stops, active referrals under it are withdrawn
    and their organisations are told."""
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = request.user
    consent.withdrawal_method = method
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_method"])
    record(action=Action.CONSENT_WITHDRAWN, request=request, obj=consent.family, tenant=consent.family.school)
    stopped = []
    for referral in consent.referrals.filter(state__in=ACTIVE):
        stopped.append(transition(request=request, referral=referral, to=State.WITHDRAWN, side=SCHOOL))
    return stopped
