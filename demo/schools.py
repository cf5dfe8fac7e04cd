"""Demo data for the school calendar: the CAW's weekly office hours at De Zeppelin, a monthly parent
café with counts of who came, a coffee moment at the gate and a training of the team. Fictional,
and added only once (keyed on the school, the kind and the first date)."""

from datetime import time, timedelta

from django.utils import timezone

from schools.calendar import dates_of
from schools.models import (
    CalendarFeed,
    EventAttendance,
    EventKind,
    ProfessionalisationDirection,
    ProfessionalisationFormat,
    Repeat,
    SchoolEvent,
    Training,
)
from welfare.models import NeedCategory

ATTENDANCE = [9, 12, 7, 14]


def seed(*, school, organisations, director):
    today = timezone.localdate()
    september = (
        today.replace(month=9, day=1) if today.month >= 9 else today.replace(year=today.year - 1, month=9, day=1)
    )
    june = september.replace(year=september.year + 1, month=6, day=30)
    tuesday = september + timedelta(days=(1 - september.weekday()) % 7)
    thursday = september + timedelta(days=(3 - september.weekday()) % 7)
    caw = organisations["CAW Brugwaarde-Kanaalhoek"]
    series = [
        # Every Tuesday 8:15-9:00 the CAW sits in the parents' room.
        (EventKind.OFFICE_HOURS, caw, "ouderlokaal", tuesday, time(8, 15), time(9, 0), Repeat.WEEKLY, june),
        # Every other Thursday the Huis van het Kind has coffee at the gate.
        (
            EventKind.COFFEE_MOMENT,
            organisations["Huis van het Kind Brugwaarde"],
            "schoolpoort",
            thursday,
            time(8, 15),
            time(8, 45),
            Repeat.FORTNIGHTLY,
            june,
        ),
        # The parent café on the first Friday of the month, with the bridge-figure service.
        (
            EventKind.PARENT_CAFE,
            organisations["Brugfigurenwerking Brugwaarde"],
            "refter",
            september + timedelta(days=(4 - september.weekday()) % 7),
            time(13, 30),
            time(15, 0),
            Repeat.MONTHLY,
            june,
        ),
    ]
    for kind, organisation, place, first, start, end, repeat, last in series:
        event, created = SchoolEvent.objects.get_or_create(
            school=school,
            kind=kind,
            starts_on=first,
            defaults={
                "organisation": organisation,
                "place": place,
                "start_time": start,
                "end_time": end,
                "repeat": repeat,
                "ends_on": last,
                "created_by": director,
            },
        )
        if created and kind == EventKind.PARENT_CAFE:
            past = [day for day in dates_of(event) if day <= today]
            for day, attendees in zip(past, ATTENDANCE, strict=False):
                EventAttendance.objects.create(event=event, held_on=day, attendees=attendees, recorded_by=director)
    Training.objects.get_or_create(
        school=school,
        provider=caw,
        held_on=september + timedelta(days=30),
        defaults={
            "theme": NeedCategory.objects.get(code="child_poverty"),
            "title": "Kijken door de armoedebril",
            "format": ProfessionalisationFormat.ONE_OFF,
            "direction": ProfessionalisationDirection.WELFARE_TO_SCHOOL,
            "participants": 18,
            "created_by": director,
        },
    )
    CalendarFeed.objects.get_or_create(school=school, defaults={"renewed_by": director})
