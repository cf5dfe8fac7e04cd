"""Daily: remind owners of action points that are due soon or overdue, and participants who have
not handed in their answers while the period nears its end. At most one email of each kind per
person per day.

Run it once a day from cron or a scheduler, for instance
    20 7 * * *  cd /srv/brugwijzer && .venv/bin/python manage.py reflection_reminders
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from brugwijzer.mail import deliver
from referrals.workflow import absolute
from reflection.models import ActionPoint, Participant, Phase

SOON = timedelta(days=3)


class Command(BaseCommand):
    help = "Remind owners of due action points and participants who have not answered yet."

    def handle(self, *args, **options):
        today = timezone.localdate()
        actions = self._actions(today)
        answers = self._answers(today)
        self.stdout.write(f"Reminded {actions} action owner(s) and {answers} participant(s).")

    def _send(self, person, template, context):
        with translation.override(person.preferred_language):
            subject = render_to_string(f"reflection/email/{template}_subject.txt", context)
            body = render_to_string(f"reflection/email/{template}_body.txt", context)
        deliver(subject=subject, body=body, to=person.email, what=f"reflection/{template} for user {person.pk}")

    def _actions(self, today):
        due = (
            ActionPoint.objects.open()
            .filter(due_on__lte=today + SOON)
            .exclude(last_reminded_on=today)
            .select_related("owner", "round__school", "round__organisation", "round__municipality")
        )
        people = {}
        for point in due:
            people.setdefault(point.owner, []).append(point)
        for person, points in people.items():
            context = {
                "points": [(p.what, p.due_on, absolute(None, p.get_absolute_url() + "actions/")) for p in points],
                "today": today,
            }
            with transaction.atomic():
                ActionPoint.objects.filter(pk__in=[p.pk for p in points]).update(last_reminded_on=today)
                self._send(person, "actions", context)
        return len(people)

    def _answers(self, today):
        waiting = (
            Participant.objects.filter(
                submitted_at__isnull=True,
                round__phase=Phase.ANSWERING,
                round__starts_on__lte=today,
                round__ends_on__gte=today,
                round__ends_on__lte=today + SOON,
            )
            .exclude(last_reminded_on=today)
            .select_related("user", "round__school", "round__organisation", "round__municipality")
        )
        count = 0
        for participant in waiting:
            found = participant.round
            context = {"title": found.title, "ends_on": found.ends_on, "link": absolute(None, found.get_absolute_url())}
            with transaction.atomic():
                Participant.objects.filter(pk=participant.pk).update(last_reminded_on=today)
                self._send(participant.user, "answers", context)
            count += 1
        return count
