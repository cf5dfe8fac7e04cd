"""The director's access register: who may open family data at the school, and who opened what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from referrals.models import AccessAction, AccessLogEntry, Family
from tests.factories import confirmed_authenticator, member


def register_url(school):
    return reverse("referrals:access_register", kwargs={"school_id": school.public_id})


def log_url(school, **query):
    from urllib.parse import urlencode

    url = reverse("referrals:access_log", kwargs={"school_id": school.public_id})
    return f"{url}?{urlencode(query)}" if query else url


def test_the_register_lists_people_with_family_data_by_role_with_their_second_factor(
    client, school, director, coordinator, teacher
):
    bridge = member(Role.BRIDGE_FIGURE, school, full_name="Bram Brugfiguur")
    confirmed_authenticator(coordinator)
    client.force_login(director)
    page = client.get(register_url(school))
    assert page.status_code == 200
    holders = {(h.person, h.role): h for h in page.context["holders"]}
    assert set(holders) == {
        (director, Role.DIRECTOR),
        (coordinator, Role.CARE_COORDINATOR),
        (bridge, Role.BRIDGE_FIGURE),
    }
    assert holders[coordinator, Role.CARE_COORDINATOR].has_app
    assert not holders[bridge, Role.BRIDGE_FIGURE].has_app
    assert teacher.full_name not in page.content.decode()


def test_an_ended_membership_no_longer_appears(client, school, director, coordinator):
    coordinator.memberships.update(
        ends_on=timezone.localdate() - timedelta(days=1), starts_on=timezone.localdate() - timedelta(days=30)
    )
    client.force_login(director)
    assert coordinator not in [h.person for h in client.get(register_url(school)).context["holders"]]


@pytest.fixture
def entries(school, other_school, coordinator, welfare_worker, stranger):
    ours = Family.objects.create(school=school, reference="G-1")
    other = Family.objects.create(school=school, reference="G-2")
    away = Family.objects.create(school=other_school, reference="ELDERS-1")
    for family, user in ((ours, coordinator), (ours, welfare_worker), (other, coordinator)):
        AccessLogEntry.objects.create(
            user=user, family=family, family_reference=family.reference, school=school, action=AccessAction.VIEW
        )
    AccessLogEntry.objects.create(
        user=stranger, family=away, family_reference=away.reference, school=other_school, action=AccessAction.VIEW
    )
    return {"ours": ours, "other": other}


def test_the_log_shows_only_this_schools_entries(client, school, director, entries):
    client.force_login(director)
    page = client.get(log_url(school))
    assert page.status_code == 200
    assert {e.family_reference for e in page.context["page"]} == {"G-1", "G-2"}
    assert "ELDERS-1" not in page.content.decode()


def test_the_log_filters_by_person_family_and_date(client, school, director, coordinator, welfare_worker, entries):
    client.force_login(director)
    by_person = client.get(log_url(school, user=welfare_worker.pk)).context["page"]
    assert [e.user for e in by_person] == [welfare_worker]
    by_family = client.get(log_url(school, family=entries["other"].pk)).context["page"]
    assert [e.family_reference for e in by_family] == ["G-2"]
    today = timezone.localdate()
    assert len(client.get(log_url(school, since=today.isoformat())).context["page"]) == 3
    assert len(client.get(log_url(school, until=(today - timedelta(days=1)).isoformat())).context["page"]) == 0


def test_a_filter_on_another_schools_family_is_refused(client, school, director, other_school, entries):
    away = Family.objects.get(reference="ELDERS-1")
    client.force_login(director)
    assert client.get(log_url(school, family=away.pk)).status_code == 400
    assert client.get(log_url(school, since="gisteren")).status_code == 400


def test_the_log_costs_the_same_queries_for_three_or_thirty_entries(
    client, school, director, coordinator, entries, django_assert_num_queries
):
    client.force_login(director)
    client.get(log_url(school))
    with django_assert_num_queries(8) as few:
        client.get(log_url(school))
    for n in range(27):
        person = member(Role.TEACHER, school, full_name=f"Persoon {n}")
        AccessLogEntry.objects.create(
            user=person, family=entries["ours"], family_reference="G-1", school=school, action=AccessAction.VIEW
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(log_url(school, page=2))
    assert len(page.context["page"]) == 5


@pytest.mark.parametrize("who", ["coordinator", "teacher", "welfare_worker", "local_official"])
def test_only_the_director_sees_the_register(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(register_url(school)).status_code in (403, 404)
    assert client.get(log_url(school)).status_code in (403, 404)


def test_another_schools_director_gets_404(client, school, stranger):
    client.force_login(stranger)
    assert client.get(register_url(school)).status_code == 404
    assert client.get(log_url(school)).status_code == 404
