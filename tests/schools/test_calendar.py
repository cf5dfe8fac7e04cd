"""The school calendar: partners at school, preventive activities with attendance counts, trainings,
and the iCalendar feed calendar apps subscribe to (public by its token, with no personal data)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import Role
from network.stats import Scope, build
from schools import calendar
from schools.models import (
    CalendarFeed,
    EventAttendance,
    EventKind,
    PartnerRelation,
    ProfessionalisationFormat,
    Repeat,
    SchoolEvent,
    Training,
)
from tests.factories import OrganisationFactory, SchoolFactory, member
from welfare.models import NeedCategory

CANARY = "Zeno Kanarievogel"


def url(name, school, **kwargs):
    return reverse(f"schools:{name}", kwargs={"school_id": school.public_id, **kwargs})


def series(
    school, organisation=None, *, kind=EventKind.OFFICE_HOURS, first=None, repeat=Repeat.WEEKLY, weeks=10, **extra
):
    first = first or timezone.localdate() - timedelta(days=7)
    return SchoolEvent.objects.create(
        school=school,
        kind=kind,
        organisation=organisation,
        starts_on=first,
        start_time=time(8, 15),
        end_time=time(9, 0),
        repeat=repeat,
        ends_on=None if repeat == Repeat.ONCE else first + timedelta(weeks=weeks),
        **extra,
    )


def training(school, organisation, **extra):
    return Training.objects.create(
        school=school,
        provider=organisation,
        theme=NeedCategory.objects.get(code=extra.pop("theme", "child_poverty")),
        format=ProfessionalisationFormat.ONE_OFF,
        held_on=extra.pop("held_on", timezone.localdate()),
        participants=extra.pop("participants", 15),
        **extra,
    )


def event_data(**extra):
    today = timezone.localdate()
    return {
        "kind": EventKind.OFFICE_HOURS,
        "place": "ouderlokaal",
        "starts_on": today.isoformat(),
        "start_time": "08:15",
        "end_time": "09:00",
        "repeat": Repeat.WEEKLY,
        "ends_on": (today + timedelta(weeks=12)).isoformat(),
        **extra,
    }


# Recurrence.


def test_a_weekly_series_falls_on_every_tuesday_until_its_last_date(school, organisation):
    tuesday = date(2026, 9, 1)
    entry = series(school, organisation, first=tuesday, weeks=3)
    assert calendar.dates_of(entry) == [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 22)]


def test_a_fortnightly_series_skips_every_other_week(school, organisation):
    entry = series(school, organisation, first=date(2026, 9, 1), repeat=Repeat.FORTNIGHTLY, weeks=4)
    assert calendar.dates_of(entry) == [date(2026, 9, 1), date(2026, 9, 15), date(2026, 9, 29)]


def test_a_monthly_series_keeps_the_weekday_of_the_month(school, organisation):
    second_tuesday = date(2026, 9, 8)
    entry = series(school, organisation, first=second_tuesday, repeat=Repeat.MONTHLY, weeks=10)
    assert calendar.dates_of(entry) == [date(2026, 9, 8), date(2026, 10, 13), date(2026, 11, 10)]


# The feed.


@pytest.fixture
def feed(school, director):
    return CalendarFeed.objects.create(school=school, renewed_by=director)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_is_valid_icalendar_with_the_series_and_their_rules(client, school, organisation, feed):
    weekly = series(school, organisation, first=date(2026, 9, 1), weeks=40, place="ouderlokaal")
    fortnightly = series(
        school, organisation, kind=EventKind.COFFEE_MOMENT, first=date(2026, 9, 3), repeat=Repeat.FORTNIGHTLY
    )
    monthly = series(school, None, kind=EventKind.PARENT_CAFE, first=date(2026, 9, 4), repeat=Repeat.MONTHLY, weeks=30)
    training(school, organisation, held_on=date(2026, 10, 1))
    parsed = parse(client.get(reverse("schools:calendar_feed", kwargs={"token": feed.token})))
    assert parsed["VERSION"] == "2.0"
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert len(events) == 4
    entry = events[f"{weekly.public_id}@brugwijzer"]
    start = entry.decoded("DTSTART")
    assert (start.date(), start.time(), str(start.tzinfo)) == (date(2026, 9, 1), time(8, 15), "Europe/Brussels")
    assert entry.decoded("DTEND").time() == time(9, 0)
    assert entry["RRULE"]["FREQ"] == ["WEEKLY"]
    assert entry["RRULE"]["UNTIL"][0].date() == weekly.ends_on
    assert str(entry["SUMMARY"]) == f"Zitdag op school · {organisation.name}"
    assert str(entry["LOCATION"]) == f"ouderlokaal, {school.name}"
    coffee = events[f"{fortnightly.public_id}@brugwijzer"]
    assert (coffee["RRULE"]["FREQ"], coffee["RRULE"]["INTERVAL"]) == (["WEEKLY"], [2])
    cafe = events[f"{monthly.public_id}@brugwijzer"]
    assert cafe["RRULE"]["FREQ"] == ["MONTHLY"]
    assert [str(day) for day in cafe["RRULE"]["BYDAY"]] == ["1FR"]
    assert parsed.walk("VTIMEZONE"), "the feed carries the time zone it names"
    # The dates the calendar app expands from the RRULE are the dates Brugwijzer shows.
    from dateutil.rrule import rrulestr

    rule = rrulestr(entry["RRULE"].to_ical().decode(), dtstart=start)
    assert [moment.date() for moment in rule] == calendar.dates_of(weekly)


def test_the_feed_names_no_person(client, school, organisation, feed, director):
    director.full_name = CANARY
    director.save()
    canary_teacher = member(Role.TEACHER, school, full_name=f"{CANARY} Junior", email="kanarie@example.org")
    PartnerRelation.objects.create(school=school, organisation=organisation, contact_person=CANARY)
    series(school, organisation, created_by=canary_teacher)
    training(school, organisation, created_by=director, title="Vorming")
    text = client.get(reverse("schools:calendar_feed", kwargs={"token": feed.token})).content.decode()
    assert organisation.name in text
    for personal in (CANARY, "Kanarievogel", "kanarie@example.org", director.email):
        assert personal not in text


def test_a_wrong_or_renewed_token_gives_404(client, school, director, feed):
    assert client.get(reverse("schools:calendar_feed", kwargs={"token": "not-the-token"})).status_code == 404
    old = feed.token
    client.force_login(director)
    assert client.post(url("renew_feed", school)).status_code == 302
    client.logout()
    assert client.get(reverse("schools:calendar_feed", kwargs={"token": old})).status_code == 404
    new = CalendarFeed.objects.get(school=school).token
    assert new != old
    assert client.get(reverse("schools:calendar_feed", kwargs={"token": new})).status_code == 200


def test_only_the_director_makes_or_renews_the_feed_address(client, school, director, coordinator, stranger):
    client.force_login(coordinator)
    assert client.post(url("renew_feed", school)).status_code == 403
    client.force_login(stranger)
    assert client.post(url("renew_feed", school)).status_code == 404
    assert not CalendarFeed.objects.exists()
    client.force_login(director)
    assert client.post(url("renew_feed", school)).status_code == 302
    assert CalendarFeed.objects.get(school=school).renewed_by == director
    page = client.get(url("calendar", school)).content.decode()
    assert CalendarFeed.objects.get(school=school).token in page


# Who may see and change the calendar.


def test_anonymous_visitors_go_to_the_login_page(client, school, organisation):
    entry = series(school, organisation)
    for target in (
        url("calendar", school),
        url("new_event", school),
        entry.get_absolute_url(),
        url("new_training", school),
    ):
        response = client.get(target)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_strangers_get_404_everywhere(client, school, organisation, stranger):
    entry = series(school, organisation, kind=EventKind.PARENT_CAFE)
    given = training(school, organisation)
    client.force_login(stranger)
    for target in (
        url("calendar", school),
        url("new_event", school),
        entry.get_absolute_url(),
        url("new_training", school),
        given.get_absolute_url(),
    ):
        assert client.get(target).status_code == 404
    assert client.post(url("delete_event", school, event_id=entry.public_id)).status_code == 404
    # Their own school's URL with our entry in it: still 404.
    assert client.get(url("event", stranger.memberships.get().school, event_id=entry.public_id)).status_code == 404
    assert SchoolEvent.objects.filter(pk=entry.pk).exists()


def test_a_teacher_reads_the_calendar_but_cannot_change_it(client, school, organisation, teacher):
    entry = series(school, organisation, kind=EventKind.PARENT_CAFE)
    given = training(school, organisation)
    client.force_login(teacher)
    assert client.get(url("calendar", school)).status_code == 200
    assert client.get(entry.get_absolute_url()).status_code == 200
    assert client.get(given.get_absolute_url()).status_code == 200
    assert client.get(url("new_event", school)).status_code == 403
    assert client.post(entry.get_absolute_url(), event_data()).status_code == 403
    assert client.post(given.get_absolute_url(), {"participants": 3}).status_code == 403
    today = timezone.localdate().isoformat()
    attendance = url("event_attendance", school, event_id=entry.public_id)
    assert client.post(attendance, {"held_on": today, "attendees": 5}).status_code == 403
    assert client.post(url("delete_event", school, event_id=entry.public_id)).status_code == 403
    assert SchoolEvent.objects.get(pk=entry.pk).updated_at == entry.updated_at
    assert not EventAttendance.objects.exists()


def test_the_care_coordinator_plans_a_weekly_office_hour(client, school, organisation, coordinator):
    client.force_login(coordinator)
    response = client.post(url("new_event", school), event_data(organisation=organisation.pk))
    assert response.status_code == 302
    entry = SchoolEvent.objects.get(school=school)
    assert (entry.organisation, entry.repeat, entry.created_by) == (organisation, Repeat.WEEKLY, coordinator)
    page = client.get(url("calendar", school)).content.decode()
    assert "Zitdag op school" in page and organisation.name in page


def test_a_bridge_figure_changes_and_removes_an_entry(client, school, organisation):
    bridge = member(Role.BRIDGE_FIGURE, school)
    entry = series(school, organisation)
    client.force_login(bridge)
    changed = event_data(organisation=organisation.pk, place="refter", end_time="09:30")
    assert client.post(entry.get_absolute_url(), changed).status_code == 302
    entry.refresh_from_db()
    assert (entry.place, entry.end_time) == ("refter", time(9, 30))
    assert client.post(url("delete_event", school, event_id=entry.public_id)).status_code == 302
    assert not SchoolEvent.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"organisation": ""}, "organisation"),  # a partner's presence names the partner
        ({"ends_on": ""}, "ends_on"),  # a series has a last date
        ({"end_time": "08:00"}, "end_time"),
        ({"ends_on": (timezone.localdate() + timedelta(days=800)).isoformat()}, "ends_on"),
    ],
)
def test_an_unclear_entry_is_refused_with_a_form_error(client, school, organisation, coordinator, extra, field):
    client.force_login(coordinator)
    response = client.post(url("new_event", school), event_data(**{"organisation": organisation.pk, **extra}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SchoolEvent.objects.exists()


def test_a_parent_cafe_needs_no_partner_and_a_single_date_no_last_date(client, school, coordinator):
    client.force_login(coordinator)
    data = event_data(kind=EventKind.PARENT_CAFE, repeat=Repeat.ONCE, ends_on="2027-01-01")
    assert client.post(url("new_event", school), data).status_code == 302
    entry = SchoolEvent.objects.get()
    assert (entry.organisation, entry.ends_on) == (None, None)


def test_attendance_is_recorded_afterwards_for_a_date_of_the_activity(client, school, coordinator):
    today = timezone.localdate()
    entry = series(school, kind=EventKind.PARENT_CAFE, first=today - timedelta(weeks=2), weeks=4)
    client.force_login(coordinator)
    target = url("event_attendance", school, event_id=entry.public_id)
    future = today + timedelta(weeks=1)
    assert client.post(target, {"held_on": future.isoformat(), "attendees": 9}).status_code == 400
    not_a_date = today - timedelta(days=1)
    assert client.post(target, {"held_on": not_a_date.isoformat(), "attendees": 9}).status_code == 400
    assert client.post(target, {"held_on": today.isoformat(), "attendees": 100000}).status_code == 400
    assert not EventAttendance.objects.exists()
    assert client.post(target, {"held_on": today.isoformat(), "attendees": 9}).status_code == 302
    assert client.post(target, {"held_on": today.isoformat(), "attendees": 11}).status_code == 302
    assert EventAttendance.objects.get().attendees == 11  # one count per date, corrected
    assert "<strong>11</strong>" in client.get(entry.get_absolute_url()).content.decode()


def test_office_hours_take_no_attendance(client, school, organisation, coordinator):
    entry = series(school, organisation)
    client.force_login(coordinator)
    target = url("event_attendance", school, event_id=entry.public_id)
    assert client.post(target, {"held_on": entry.starts_on.isoformat(), "attendees": 3}).status_code == 404


def test_the_director_records_a_training(client, school, organisation, director):
    client.force_login(director)
    data = {
        "theme": NeedCategory.objects.get(code="child_poverty").pk,
        "provider": organisation.pk,
        "format": ProfessionalisationFormat.IN_CLASS_COACHING,
        "direction": "welfare_to_school",
        "held_on": "2026-11-12",
        "participants": "14",
    }
    assert client.post(url("new_training", school), {**data, "participants": "0"}).status_code == 400
    assert client.post(url("new_training", school), data).status_code == 302
    given = Training.objects.get()
    assert (given.provider, given.participants, given.created_by) == (organisation, 14, director)
    assert client.post(given.get_absolute_url(), {**data, "participants": "16"}).status_code == 302
    given.refresh_from_db()
    assert given.participants == 16


# Shown where people look.


def test_the_school_home_shows_this_week_and_recent_trainings(client, school, organisation, teacher):
    series(school, organisation, first=timezone.localdate(), weeks=2)
    training(school, organisation)
    client.force_login(teacher)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Zitdag op school" in page
    assert "Kinderarmoede" in page


def test_the_organisation_page_shows_where_it_is_present_to_its_workers_and_to_that_school_only(
    client, school, organisation, welfare_worker, coordinator
):
    other = SchoolFactory(name="Basisschool Elders", municipality=school.municipality)
    series(school, organisation, place="ouderlokaal")
    series(other, organisation, place="turnzaal")
    training(other, organisation)
    client.force_login(welfare_worker)
    own = client.get(organisation.get_directory_url()).content.decode()
    assert "ouderlokaal" in own and "turnzaal" in own and "Basisschool Elders" in own
    client.force_login(coordinator)
    theirs = client.get(organisation.get_directory_url()).content.decode()
    assert "ouderlokaal" in theirs
    assert "turnzaal" not in theirs and "Basisschool Elders" not in theirs


def test_the_dashboard_counts_presence_trainings_and_protects_small_attendance(municipality, organisation):
    schools = [SchoolFactory(municipality=municipality) for _ in range(3)]
    today = timezone.localdate()
    for place in schools:
        series(place, organisation, first=today - timedelta(days=3))
        training(place, organisation, participants=10)
    cafe = series(schools[0], kind=EventKind.PARENT_CAFE, first=today - timedelta(weeks=2), weeks=4)
    # Attendance counts whole months: build as on the first of next month, which counts this one.
    counted = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    EventAttendance.objects.create(event=cafe, held_on=cafe.starts_on, attendees=3)
    board = build(Scope(name="test", municipalities=[municipality]), today=counted)
    presence = dict(board.table("presence").body)
    office = [cell.text for cell, _share in presence["Zitdag op school"]]
    assert office == ["3", "3"]
    trainings = dict(board.table("trainings").body)
    assert [cell.text for cell, _share in trainings["Kinderarmoede"]] == ["3", "30", "3"]
    attendance = dict(board.table("preventive-attendance").body)
    assert [cell.text for cell, _share in attendance["Oudercafé"]] == ["\u00d7"]  # one school: its own count
    assert [cell.text for cell, _share in attendance["Onthaalmoment voor ouders"]] == ["0"]
    for place in schools[1:]:
        other = series(place, kind=EventKind.PARENT_CAFE, first=today - timedelta(weeks=2), weeks=4)
        EventAttendance.objects.create(event=other, held_on=other.starts_on, attendees=6)
    board = build(Scope(name="test", municipalities=[municipality]), today=counted)
    attendance = dict(board.table("preventive-attendance").body)
    assert [cell.text for cell, _share in attendance["Oudercafé"]] == ["15"]
    EventAttendance.objects.filter(attendees=6).update(attendees=0)
    board = build(Scope(name="test", municipalities=[municipality]), today=counted)
    attendance = dict(board.table("preventive-attendance").body)
    assert [cell.text for cell, _share in attendance["Oudercafé"]] == ["< 5"]  # three schools, but few people


# Constant query counts.


def test_the_calendar_page_costs_the_same_queries_with_one_entry_or_many(
    client, school, organisation, coordinator, django_assert_num_queries
):
    series(school, organisation)
    training(school, organisation)
    client.force_login(coordinator)
    client.get(url("calendar", school))
    # session, user, memberships, verified device, entries, past entries, trainings, feed
    with django_assert_num_queries(8):
        client.get(url("calendar", school))
    for i in range(5):
        series(school, OrganisationFactory(), kind=EventKind.COFFEE_MOMENT, repeat=Repeat.FORTNIGHTLY)
        series(school, None, kind=EventKind.PARENT_CAFE, first=timezone.localdate() - timedelta(days=60 + i), weeks=2)
        training(school, OrganisationFactory())
    with django_assert_num_queries(8):
        response = client.get(url("calendar", school))
    assert response.content.decode().count("Koffiemoment aan de schoolpoort") >= 5


def test_the_feed_costs_the_same_queries_with_one_entry_or_many(
    client, school, organisation, feed, django_assert_num_queries
):
    series(school, organisation)
    training(school, organisation)
    feed_url = reverse("schools:calendar_feed", kwargs={"token": feed.token})
    # feed and school, entries with their partner, trainings with theme and partner
    with django_assert_num_queries(3):
        client.get(feed_url)
    for _ in range(5):
        series(school, OrganisationFactory(), repeat=Repeat.MONTHLY)
        training(school, OrganisationFactory())
    with django_assert_num_queries(3):
        assert len(parse(client.get(feed_url)).walk("VEVENT")) == 12


def test_the_school_home_costs_the_same_queries_with_one_entry_or_many(
    client, school, organisation, teacher, django_assert_num_queries
):
    series(school, organisation, first=timezone.localdate())
    training(school, organisation)
    client.force_login(teacher)
    client.get(school.get_absolute_url())
    with django_assert_num_queries(9):
        client.get(school.get_absolute_url())
    for _ in range(5):
        series(school, OrganisationFactory(), first=timezone.localdate(), repeat=Repeat.FORTNIGHTLY)
        training(school, OrganisationFactory())
    with django_assert_num_queries(9):
        client.get(school.get_absolute_url())


def test_the_organisation_page_costs_the_same_queries_with_one_entry_or_many(
    client, school, organisation, welfare_worker, django_assert_num_queries
):
    series(school, organisation)
    training(school, organisation)
    client.force_login(welfare_worker)
    client.get(organisation.get_directory_url())
    with django_assert_num_queries(11):
        client.get(organisation.get_directory_url())
    for _ in range(5):
        series(SchoolFactory(municipality=school.municipality), organisation)
        training(SchoolFactory(municipality=school.municipality), organisation)
    with django_assert_num_queries(11):
        page = client.get(organisation.get_directory_url()).content.decode()
    assert page.count("Zitdag op school".lower()) == 6


def test_the_dashboard_page_and_download_show_the_calendar_tables(client, municipality, organisation, local_official):
    series(SchoolFactory(municipality=municipality), organisation)
    client.force_login(local_official)
    page = client.get(reverse("network:dashboard", kwargs={"municipality_id": municipality.public_id}))
    assert "Partners op school en preventieve activiteiten dit schooljaar" in page.content.decode()
    download = client.get(
        reverse(
            "network:export",
            kwargs={"municipality_id": municipality.public_id, "slug": "presence", "fmt": "csv"},
        )
    )
    assert download.status_code == 200 and "Zitdag op school" in download.content.decode()
