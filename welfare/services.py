from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from brugwijzer.mail import send_after_commit
from welfare.models import CorrectionSuggestion, Schedule, ServiceAtLocation, SuggestionStatus


@transaction.atomic
def decide_suggestion(*, request, suggestion: CorrectionSuggestion, decision: str, answer: str) -> None:
    """Record the editors' answer and let the person who suggested it know."""
    suggestion.status = SuggestionStatus(decision)
    suggestion.answer = answer
    suggestion.decided_by = request.user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "answer", "decided_by", "decided_at"])
    person = suggestion.suggested_by
    if person is None:
        return
    context = {
        "suggestion": suggestion,
        "link": request.build_absolute_uri(suggestion.organisation.get_directory_url()),
    }
    with translation.override(person.preferred_language):
        subject = render_to_string("welfare/email/suggestion_decided_subject.txt", context)
        body = render_to_string("welfare/email/suggestion_decided_body.txt", context)
    send_after_commit(subject=subject, body=body, to=person.email, what=f"welfare/suggestion {suggestion.pk}")


@transaction.atomic
def add_opening_hours(*, location, service, weekday, opens_at, closes_at) -> Schedule:
    """Weekly hours of one service at one location; the place is linked the first time."""
    at, _created = ServiceAtLocation.objects.get_or_create(service=service, location=location)
    return Schedule.objects.create(service_at_location=at, weekday=weekday, opens_at=opens_at, closes_at=closes_at)
