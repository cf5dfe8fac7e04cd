import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import member


def school_url(school):
    return reverse("schools:home", kwargs={"school_id": school.public_id})


def test_anonymous_visitor_is_sent_to_login(client, school):
    response = client.get(school_url(school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_director_of_another_school_gets_404(client, school, stranger):
    client.force_login(stranger)
    assert client.get(school_url(school)).status_code == 404


@pytest.mark.parametrize("fixture", ["welfare_worker", "local_official"])
def test_people_outside_the_school_get_404_even_in_its_municipality(client, school, fixture, request):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(school_url(school)).status_code == 404


def test_unknown_school_gives_404(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("schools:home", kwargs={"school_id": "00000000-0000-0000-0000-000000000000"}))
    assert response.status_code == 404


def test_coordinator_sees_the_school_home_in_dutch(client, school, coordinator, teacher):
    client.force_login(coordinator)
    response = client.get(school_url(school))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="nl-be">' in content
    assert "Mijn school" in content
    assert "Basisschool Het Anker" in content
    assert "Zorgcoördinator" in content
    # The team card counts people per role.
    assert "Leerkracht: <strong>1</strong>" in content


def test_teacher_sees_the_home_without_team_management(client, school, teacher):
    client.force_login(teacher)
    response = client.get(school_url(school))
    assert response.status_code == 200
    assert reverse("accounts:invite", kwargs={"kind": "school", "tenant_id": school.public_id}) not in (
        response.content.decode()
    )


def test_director_sees_the_invite_link(client, school, director):
    client.force_login(director)
    response = client.get(school_url(school))
    assert reverse("accounts:invite", kwargs={"kind": "school", "tenant_id": school.public_id}) in (
        response.content.decode()
    )


def test_school_home_costs_the_same_queries_however_big_the_team(
    client, school, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(school_url(school))  # the first visit stores the active context in the session
    # session, user, memberships, team counts, relation counts, open actions of reflection rounds,
    # this week's and next week's calendar, recent trainings
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        client.get(school_url(school))
    for _ in range(5):
        member(Role.TEACHER, school)
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        response = client.get(school_url(school))
    assert "Leerkracht: <strong>5</strong>" in response.content.decode()
