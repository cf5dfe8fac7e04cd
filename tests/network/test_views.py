from django.urls import reverse

from tests.factories import SchoolFactory


def municipality_url(municipality):
    return reverse("network:home", kwargs={"municipality_id": municipality.public_id})


def test_anonymous_visitor_is_sent_to_login(client, municipality):
    response = client.get(municipality_url(municipality))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_official_of_another_municipality_gets_404(client, municipality, other_municipality):
    from accounts.roles import Role
    from tests.factories import member

    client.force_login(member(Role.LOCAL_OFFICIAL, other_municipality))
    assert client.get(municipality_url(municipality)).status_code == 404


def test_school_director_gets_404_on_the_municipality_home(client, municipality, director):
    client.force_login(director)
    assert client.get(municipality_url(municipality)).status_code == 404


def test_official_sees_schools_and_partners_of_the_municipality_only(
    client, municipality, local_official, school, other_school, organisation, other_organisation
):
    client.force_login(local_official)
    response = client.get(municipality_url(municipality))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mijn gemeente" in content
    assert school.name in content
    assert organisation.name in content
    assert other_school.name not in content
    assert other_organisation.name not in content


def test_municipality_home_query_count_is_constant(client, municipality, local_official, django_assert_num_queries):
    client.force_login(local_official)
    client.get(municipality_url(municipality))
    # session, user, memberships, schools, organisations, team counts, stale entries, suggestions
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        client.get(municipality_url(municipality))
    SchoolFactory.create_batch(4, municipality=municipality)
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        response = client.get(municipality_url(municipality))
    assert "4 basisscholen" in response.content.decode()
