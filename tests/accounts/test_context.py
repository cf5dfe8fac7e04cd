from django.urls import reverse

from accounts.access import SESSION_KEY
from accounts.roles import Role
from tests.factories import UserFactory, member


def test_home_without_any_membership_explains_what_to_do(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "nog nergens" in response.content.decode()


def test_home_sends_a_member_to_their_context(client, coordinator, school):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == school.get_absolute_url()


def test_person_with_two_schools_switches_between_them(client, school, other_school):
    bridge_figure = member(Role.BRIDGE_FIGURE, school)
    member_of_other = bridge_figure.memberships.create(role=Role.BRIDGE_FIGURE, school=other_school)
    assert member_of_other.pk
    client.force_login(bridge_figure)
    page = client.get(school.get_absolute_url()).content.decode()
    assert f'value="school:{other_school.public_id}"' in page

    response = client.post(reverse("accounts:switch_context"), {"context": f"school:{other_school.public_id}"})
    assert response.status_code == 302
    assert response["Location"] == other_school.get_absolute_url()
    assert client.session[SESSION_KEY] == f"school:{other_school.public_id}"
    assert client.get(reverse("home"))["Location"] == other_school.get_absolute_url()


def test_switching_to_a_place_you_do_not_work_in_is_refused(client, coordinator, school, other_school):
    client.force_login(coordinator)
    client.get(school.get_absolute_url())
    response = client.post(
        reverse("accounts:switch_context"), {"context": f"school:{other_school.public_id}"}, follow=True
    )
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == f"school:{school.public_id}"
    assert "werkt daar niet" in response.content.decode()


def test_switching_with_rubbish_does_not_fail(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:switch_context"), {"context": "'; drop table"})
    assert response.status_code == 302


def test_a_director_who_is_also_care_coordinator_has_both_roles_in_one_context(client, school, director):
    director.memberships.create(role=Role.CARE_COORDINATOR, school=school)
    client.force_login(director)
    content = client.get(school.get_absolute_url()).content.decode()
    assert "Directeur, Zorgcoördinator" in content
    assert content.count(f'value="school:{school.public_id}"') == 1


def test_language_switch_to_english_is_remembered_on_the_account(client, coordinator, school):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": school.get_absolute_url()})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"
    content = client.get(school.get_absolute_url()).content.decode()
    assert '<html lang="en">' in content
    assert "My school" in content


def test_language_switch_works_before_login(client, db):
    client.post(reverse("accounts:set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert "Log in to Brugwijzer" in client.get(reverse("accounts:login")).content.decode()


def test_language_switch_ignores_unknown_languages(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("accounts:set_language"), {"language": "xx"})
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "nl-be"


def test_the_interface_is_dutch_even_when_the_browser_asks_for_english(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Aanmelden bij Brugwijzer" in response.content.decode()
