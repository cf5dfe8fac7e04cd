"""Network actions that write several rows, send mail or leave an audit trail."""

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Membership
from accounts.roles import Role
from audit.models import Action
from audit.services import record
from brugwijzer.mail import send_after_commit
from network.models import (
    OPEN_ACTION,
    AgendaItem,
    AgendaItemKind,
    EngagementItem,
    Meeting,
    NetworkAction,
    PolicySignal,
    PolicySignalStatus,
)
from referrals.workflow import absolute

# Who of a member school or organisation receives the network's agenda and minutes.
MAIL_ROLES = [Role.DIRECTOR, Role.CARE_COORDINATOR, Role.WELFARE_INTAKE, Role.LOCAL_OFFICIAL]


def members_to_mail(network) -> dict[str, str]:
    """Address → language of the people who hear from the network."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=MAIL_ROLES)
        .filter(
            Q(school__in=network.schools.all())
            | Q(organisation__in=network.organisations.all())
            | Q(municipality=network.municipality)
        )
        .select_related("user")
    )
    recipients = {m.user.email: m.user.preferred_language for m in memberships if m.user.is_active}
    recipients.setdefault(network.coordinator.email, network.coordinator.preferred_language)
    return recipients


def agenda(meeting: Meeting) -> dict:
    """The meeting's agenda: it opens with what came of earlier points (open actions and the items
    that asked to come back), then the items planned for this meeting."""
    previous = (
        Meeting.objects.filter(network=meeting.network, held_on__lt=meeting.held_on).order_by("-held_on", "-id").first()
    )
    return {
        "carried": list(NetworkAction.objects.carried_to(meeting)),
        "feedback": list(previous.items.filter(needs_feedback=True).select_related("presenter")) if previous else [],
        "previous": previous,
        "items": list(meeting.items.select_related("presenter", "policy_signal__need")),
        "actions": list(meeting.actions.select_related("owner_organisation", "owner_school")),
    }


@transaction.atomic
def send(*, request, meeting: Meeting, what: str) -> int:
    """Email the agenda or the minutes to the network's members. Returns how many were sent."""
    context = {
        "meeting": meeting,
        "network": meeting.network,
        **agenda(meeting),
        "link": absolute(request, meeting.get_absolute_url()),
    }
    recipients = members_to_mail(meeting.network)
    for address, language in recipients.items():
        with translation.override(language):
            subject = render_to_string(f"network/email/{what}_subject.txt", context)
            body = render_to_string(f"network/email/{what}_body.txt", context)
        send_after_commit(subject=subject, body=body, to=address, what=f"network/{what} {meeting.pk}")
    field = "agenda_sent_at" if what == "agenda" else "minutes_sent_at"
    setattr(meeting, field, timezone.now())
    meeting.save(update_fields=[field])
    record(
        action=Action.NETWORK_MAIL_SENT,
        request=request,
        obj=meeting,
        tenant=meeting.network.municipality,
        what=what,
        recipients=len(recipients),
    )
    return len(recipients)


def set_status(action: NetworkAction, status: str) -> None:
    action.status = status
    if status in OPEN_ACTION:
        action.closed_on = None
    elif action.closed_on is None:
        action.closed_on = timezone.localdate()
    action.save(update_fields=["status", "closed_on"])


@transaction.atomic
def put_on_agenda(*, signal: PolicySignal, meeting: Meeting) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItemKind.NEED_SIGNAL,
        title=str(signal),
        policy_signal=signal,
        needs_feedback=True,
        position=meeting.items.count() + 1,
    )
    signal.status = PolicySignalStatus.ON_AGENDA
    signal.save(update_fields=["status"])
    return item


@transaction.atomic
def decide(*, request, signal: PolicySignal) -> None:
    signal.save(update_fields=["status", "decision", "decided_on"])
    record(
        action=Action.POLICY_SIGNAL_DECIDED,
        request=request,
        obj=signal,
        tenant=signal.municipality,
        status=signal.status,
    )


@transaction.atomic
def create_engagement(*, declaration, municipality, school_year: str, commitments: list[str], user):
    declaration.municipality = municipality
    declaration.school_year = school_year
    declaration.created_by = user
    declaration.save()
    EngagementItem.objects.bulk_create(
        EngagementItem(declaration=declaration, position=index, text=text) for index, text in enumerate(commitments)
    )
    return declaration
