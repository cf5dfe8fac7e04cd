"""Daily: remind reference people of due follow-ups, and expire referrals nobody reacted to.

Run it once a day from cron or a scheduler, for instance
    15 7 * * *  cd /srv/brugwijzer && .venv/bin/python manage.py referral_reminders
Running it twice on one day sends no second reminder.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from referrals.models import Referral, State
from referrals.workflow import SYSTEM, absolute, transition


class Command(BaseCommand):
    help = "Send follow-up reminders and expire sent referrals without any reaction."

    def handle(self, *args, **options):
        today = timezone.localdate()
        reminded = self._remind(today)
        expired = self._expire()
        self.stdout.write(f"Reminded {reminded} person(s); expired {expired} referral(s).")

    def _remind(self, today):
        due = list(Referral.objects.due(today).exclude(last_reminded_on=today).select_related("reference_person"))
        people = {}
        for referral in due:
            people.setdefault(referral.reference_person, []).append(referral)
        link = absolute(None, reverse("referrals:followups"))
        for person, referrals in people.items():
            with translation.override(person.preferred_language):
                context = {"count": len(referrals), "link": link}
                subject = render_to_string("referrals/email/reminder_subject.txt", context).strip()
                body = render_to_string("referrals/email/reminder_body.txt", context)
            with transaction.atomic():
                Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(last_reminded_on=today)
                send_mail(subject, body, None, [person.email])
        return len(people)

    def _expire(self):
        cutoff = timezone.now() - timedelta(days=settings.BRUGWIJZER_REFERRAL_EXPIRY_DAYS)
        stale = Referral.objects.filter(state=State.SENT, updated_at__lt=cutoff)
        count = 0
        for referral in stale:
            transition(request=None, referral=referral, to=State.EXPIRED, side=SYSTEM)
            count += 1
        return count
