"""The school calendar: the dates a series falls on, and the iCalendar feed calendar apps subscribe to.

A series repeats weekly, every two weeks or monthly on the same weekday of the month (the second
Tuesday); dateutil's rrule works out the dates, and the feed says the same rule as an RRULE so the
calendar app shows the same dates. The feed names organisations, kinds of presence and places,
never a person or a family (the address is public to whoever has it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from schools.models import Repeat, SchoolEvent, Training

PRODID = "-//Brugwijzer//School calendar//NL"
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How far back a feed reaches: calendar apps need no history older than a school year.
FEED_HISTORY = timedelta(days=400)


def nth_weekday(day: date) -> int:
    """Which weekday of its month a date is: 1 for the first Tuesday … 4; 5 counts as the last (-1)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def rule_for(event: SchoolEvent) -> rrule.rrule:
    start = datetime.combine(event.starts_on, time())
    until = datetime.combine(event.ends_on or event.starts_on, time())
    if event.repeat == Repeat.ONCE:
        return rrule.rrule(rrule.DAILY, dtstart=start, count=1)
    if event.repeat == Repeat.MONTHLY:
        weekday = WEEKDAYS[event.starts_on.weekday()](nth_weekday(event.starts_on))
        return rrule.rrule(rrule.MONTHLY, dtstart=start, until=until, byweekday=weekday)
    interval = 2 if event.repeat == Repeat.FORTNIGHTLY else 1
    return rrule.rrule(rrule.WEEKLY, dtstart=start, until=until, interval=interval)


def dates_of(event: SchoolEvent, first: date | None = None, last: date | None = None) -> list[date]:
    """The dates of a series, optionally only those between first and last (both included)."""
    rule = rule_for(event)
    if first is None and last is None:
        return [moment.date() for moment in rule]
    first_moment = datetime.combine(first or event.starts_on, time())
    last_moment = datetime.combine(last or (event.ends_on or event.starts_on), time())
    return [moment.date() for moment in rule.between(first_moment, last_moment, inc=True)]


def falls_on(event: SchoolEvent, day: date) -> bool:
    return day in dates_of(event, day, day)


@dataclass
class Occurrence:
    day: date
    event: SchoolEvent


def occurrences(events, first: date, last: date) -> list[Occurrence]:
    """Every date of the given series between first and last, in date and time order."""
    found = [Occurrence(day, event) for event in events for day in dates_of(event, first, last)]
    return sorted(found, key=lambda o: (o.day, o.event.start_time, o.event.pk))


def this_week_and_next(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=13)


def _recurrence(event: SchoolEvent, zone) -> vRecur | None:
    if event.repeat == Repeat.ONCE:
        return None
    # UNTIL in UTC at the end of the last date, as RFC 5545 asks when DTSTART has a time zone.
    until = datetime.combine(event.ends_on, event.end_time, tzinfo=zone).astimezone(ZoneInfo("UTC"))
    if event.repeat == Repeat.MONTHLY:
        day = f"{nth_weekday(event.starts_on)}{ICAL_DAYS[event.starts_on.weekday()]}"
        return vRecur({"FREQ": "MONTHLY", "BYDAY": day, "UNTIL": until})
    rule = {"FREQ": "WEEKLY", "UNTIL": until}
    if event.repeat == Repeat.FORTNIGHTLY:
        rule["INTERVAL"] = 2
    return vRecur(rule)


def summary_of(event: SchoolEvent) -> str:
    if event.organisation_id:
        return f"{event.get_kind_display()} · {event.organisation.name}"
    return str(event.get_kind_display())


def feed(school, today: date | None = None) -> bytes:
    """The school's calendar as iCalendar text: its series of the last school year and later, and its
    trainings as whole-day entries. In Dutch, the language of the school."""
    today = today or timezone.localdate()
    zone = ZoneInfo(settings.TIME_ZONE)
    stamp = timezone.now()
    since = today - FEED_HISTORY
    with translation.override("nl"):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{school.name} · Brugwijzer")
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        events = (
            SchoolEvent.objects.filter(school=school)
            .running_between(since, date.max)
            .select_related("organisation")
            .order_by("starts_on", "id")
        )
        for event in events:
            entry = Event()
            entry.add("uid", f"{event.public_id}@brugwijzer")
            entry.add("dtstamp", stamp)
            entry.add("dtstart", datetime.combine(event.starts_on, event.start_time, tzinfo=zone))
            entry.add("dtend", datetime.combine(event.starts_on, event.end_time, tzinfo=zone))
            entry.add("summary", summary_of(event))
            entry.add("location", ", ".join(part for part in (event.place, school.name) if part))
            entry.add("categories", [str(event.get_kind_display())])
            entry.add("last-modified", event.updated_at)
            recurrence = _recurrence(event, zone)
            if recurrence is not None:
                entry.add("rrule", recurrence)
            calendar.add_component(entry)
        for training in Training.objects.filter(school=school, held_on__gte=since).for_list():
            entry = Event()
            entry.add("uid", f"{training.public_id}@brugwijzer")
            entry.add("dtstamp", stamp)
            entry.add("dtstart", training.held_on)
            entry.add("dtend", training.held_on + timedelta(days=1))
            entry.add(
                "summary",
                _("Training: %(theme)s · %(organisation)s")
                % {"theme": training.theme.name, "organisation": training.provider.name},
            )
            entry.add("categories", [_("Training")])
            calendar.add_component(entry)
        calendar.add_missing_timezones()
    return calendar.to_ical()
