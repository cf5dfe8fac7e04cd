from django.urls import reverse


def organisation_url(organisation):
    return reverse("welfare:home", kwargs={"organisation_id": organisation.public_id})


def test_anonymous_visitor_is_sent_to_login(client, organisation):
    response = client.get(organisation_url(organisation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_worker_of_another_organisation_gets_404(client, organisation, other_organisation):
    from accounts.roles import Role
    from tests.factories import member

    client.force_login(member(Role.WELFARE_WORKER, other_organisation))
    assert client.get(organisation_url(organisation)).status_code == 404


def test_school_staff_get_404_on_an_organisation_home(client, organisation, director):
    client.force_login(director)
    assert client.get(organisation_url(organisation)).status_code == 404


def test_welfare_worker_sees_the_organisation_home(client, organisation, welfare_worker, municipality):
    client.force_login(welfare_worker)
    response = client.get(organisation_url(organisation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mijn organisatie" in content
    assert "CAW Testregio" in content
    assert municipality.name in content
    assert "Welzijnswerker" in content


def test_organisation_home_query_count_is_constant(
    client, organisation, welfare_worker, other_municipality, django_assert_num_queries
):
    client.force_login(welfare_worker)
    client.get(organisation_url(organisation))
    # session, user, memberships, municipalities served, services, team counts, stale services,
    # waiting suggestions, locations, schools that share their partnership
    with django_assert_num_queries(11):  # +1: django-otp loads the session's verified device
        client.get(organisation_url(organisation))
    organisation.municipalities.add(other_municipality)
    with django_assert_num_queries(11):  # +1: django-otp loads the session's verified device
        response = client.get(organisation_url(organisation))
    assert other_municipality.name in response.content.decode()
