from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import Action, AuditEvent
from referrals.models import Signal
from schools.years import school_year_of
from tests.factories import member
from welfare.models import NeedCategory, NeedSubcategory


def need(code):
    return NeedCategory.objects.get(code=code)


def list_url(school):
    return reverse("referrals:signals", kwargs={"school_id": school.public_id})


def new_url(school):
    return reverse("referrals:new_signal", kwargs={"school_id": school.public_id})


def make_signal(school, user=None, code="material_admin", day=None, **fields):
    day = day or timezone.localdate()
    return Signal.objects.create(
        school=school,
        need=need(code),
        channel="staff_observation",
        received_on=day,
        school_year=school_year_of(day),
        reported_by=user,
        **fields,
    )


def valid(**changes):
    return {
        "received_on": timezone.localdate().isoformat(),
        "need": need("material_admin").pk,
        "channel": "parent_request",
        "note": "Factuur niet betaald",
        "action": "pending",
        **changes,
    }


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 9, 1), "2026-2027"), (date(2027, 8, 31), "2026-2027"), (date(2026, 8, 31), "2025-2026")],
)
def test_school_years_start_on_the_first_of_september(day, year):
    assert school_year_of(day) == year


def test_teacher_logs_a_signal_in_one_go(client, school, teacher):
    client.force_login(teacher)
    assert client.get(new_url(school)).status_code == 200
    response = client.post(new_url(school), valid())
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.school, signal.reported_by, signal.school_year) == (
        school,
        teacher,
        school_year_of(timezone.localdate()),
    )
    assert AuditEvent.objects.filter(action=Action.SIGNAL_LOGGED, school=school, actor=teacher).exists()


def test_save_and_log_another_stays_on_the_form(client, school, coordinator):
    client.force_login(coordinator)
    response = client.post(new_url(school), {**valid(), "another": "1"})
    assert response["Location"] == new_url(school)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "received_on"),
        ({"received_on": "31/02/2026"}, "received_on"),
        ({"need": "00000000-0000-0000-0000-000000000000"}, "need"),
        ({"channel": "pigeon"}, "channel"),
        ({"note": "x" * 501}, "note"),
        ({"action": "cannot_take_up", "action_reason": ""}, "action_reason"),
        ({"subcategory": "SUB"}, "subcategory"),
        ({"organisation": "00000000-0000-0000-0000-000000000000"}, "organisation"),
    ],
)
def test_bad_input_gives_a_clear_error_and_saves_nothing(client, school, coordinator, changes, field):
    if changes.get("subcategory") == "SUB":  # a sub-theme of another need
        changes = {"subcategory": NeedSubcategory.objects.get(code="housing").pk, "need": need("hygiene_health").pk}
    client.force_login(coordinator)
    response = client.post(new_url(school), valid(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Signal.objects.exists()


def test_strangers_and_outsiders_get_404_on_every_signal_page(
    client, school, stranger, welfare_worker, local_official, coordinator
):
    signal = make_signal(school, coordinator)
    for person in (stranger, welfare_worker, local_official):
        client.force_login(person)
        for url in (list_url(school), new_url(school), signal.get_absolute_url()):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(new_url(school), valid()).status_code == 404
    assert Signal.objects.count() == 1


def test_a_signal_of_another_school_is_404_even_under_your_own_school(client, school, other_school, coordinator):
    theirs = make_signal(other_school)
    client.force_login(coordinator)
    url = reverse("referrals:signal", kwargs={"school_id": school.public_id, "signal_id": theirs.pk})
    assert client.get(url).status_code == 404


def test_teachers_see_counts_and_their_own_signals_but_not_colleagues_notes(client, school, teacher, coordinator):
    mine = make_signal(school, teacher, note="Mijn notitie")
    theirs = make_signal(school, coordinator, note="Notitie van de zorgcoördinator")
    client.force_login(teacher)
    page = client.get(list_url(school)).content.decode()
    assert "Notitie van de zorgcoördinator" not in page
    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page
    assert client.get(theirs.get_absolute_url()).status_code == 403
    assert client.post(theirs.get_absolute_url(), valid(note="overschreven")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.note == "Notitie van de zorgcoördinator"


def test_care_coordinator_reads_and_corrects_every_signal(client, school, teacher, coordinator):
    signal = make_signal(school, teacher, note="Eerste versie")
    client.force_login(coordinator)
    assert "Eerste versie" in client.get(list_url(school)).content.decode()
    response = client.post(signal.get_absolute_url(), valid(action="referred", note="Doorverwezen"))
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.action, signal.reported_by) == ("referred", teacher)
    assert AuditEvent.objects.filter(action=Action.SIGNAL_CHANGED, actor=coordinator).exists()


def test_overview_counts_per_need_and_school_year(client, school, coordinator):
    today = timezone.localdate()
    last_year = today - timedelta(days=366)
    for _ in range(3):
        make_signal(school, coordinator, "material_admin", today)
    make_signal(school, coordinator, "material_admin", last_year)
    make_signal(school, coordinator, "hygiene_health", today)
    client.force_login(coordinator)
    overview = client.get(list_url(school)).context["overview"]
    rows = {n.code: counts for n, counts in overview["rows"]}
    this, previous = overview["years"].index(school_year_of(today)), overview["years"].index(school_year_of(last_year))
    assert rows["material_admin"][this] == 3
    assert rows["material_admin"][previous] == 1
    assert rows["hygiene_health"][this] == 1
    assert overview["totals"][this] == 4


def test_bad_filters_give_400(client, school, coordinator):
    client.force_login(coordinator)
    assert client.get(list_url(school), {"school_year": "1900-1901"}).status_code == 400


def test_signal_list_query_count_is_constant(client, school, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    make_signal(school, coordinator)
    client.get(list_url(school))
    # session, user, memberships, overview counts, needs, channel counts, filter needs, page count, page
    with django_assert_num_queries(10):  # +1: django-otp loads the session's verified device
        client.get(list_url(school))
    for code in ("hygiene_health", "child_poverty", "material_admin"):
        make_signal(school, member(Role.TEACHER, school), code)
    with django_assert_num_queries(10):  # +1: django-otp loads the session's verified device
        client.get(list_url(school))
