"""Daily: remind reference people of due follow-ups, and expire referrals nobody reacted to.

Run it once a day from cron or a scheduler, for instance
    15 7 * * *  cd /srv/brugwijzer && .venv/bin/python manage.py referral_reminders
Running it twice on one day sends no second reminder.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from referrals.models import Referral, State
from referrals.outbox import send_kept, send_now
from referrals.workflow import SYSTEM, absolute, transition


class Command(BaseCommand):
    help = "Send follow-up reminders and expire sent referrals without any reaction."

    def handle(self, *args, **options):
        today = timezone.localdate()
        # First the notifications that could not be sent before (referrals.outbox).
        resent, unsent = send_kept()
        reminded = self._remind(today)
        expired = self._expire()
        self.stdout.write(
            f"Reminded {reminded} person(s); expired {expired} referral(s); "
            f"sent {resent} kept mail(s) again, {unsent} still unsent."
        )

    def _remind(self, today):
        due = list(Referral.objects.due(today).exclude(last_reminded_on=today).select_related("reference_person"))
        people = {}
        for referral in due:
            people.setdefault(referral.reference_person, []).append(referral)
        link = absolute(None, reverse("referrals:followups"))
        for person, referrals in people.items():
            with translation.override(person.preferred_language):
                context = {"count": len(referrals), "link": link}
                subject = render_to_string("referrals/email/reminder_subject.txt", context)
                body = render_to_string("referrals/email/reminder_body.txt", context)
            Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(last_reminded_on=today)
            # Kept to send again if it fails: one failing address neither stops the others nor
            # makes tomorrow's run remind twice.
            send_now(subject=subject, body=body, to=person.email, what=f"referrals/reminder for user {person.pk}")
        return len(people)

    def _expire(self):
        cutoff = timezone.now() - timedelta(days=settings.BRUGWIJZER_REFERRAL_EXPIRY_DAYS)
        stale = Referral.objects.filter(state=State.SENT, updated_at__lt=cutoff)
        count = 0
        for referral in stale:
            transition(request=None, referral=referral, to=State.EXPIRED, side=SYSTEM)
            count += 1
        return count
