from django.urls import reverse

from accounts.roles import Role
from schools.models import PartnerRelation, RelationStatus
from tests.factories import OrganisationFactory, ServiceFactory, member
from welfare.models import NeedCategory


def map_url(school):
    return reverse("schools:map", kwargs={"school_id": school.public_id})


def relation_url(school, organisation):
    return reverse("schools:relation", kwargs={"school_id": school.public_id, "organisation_id": organisation.pk})


def test_strangers_get_404_on_the_map_and_relations(client, school, stranger, organisation):
    client.force_login(stranger)
    assert client.get(map_url(school)).status_code == 404
    assert client.get(relation_url(school, organisation)).status_code == 404
    assert client.post(relation_url(school, organisation), {"status": "close", "quick": "1"}).status_code == 404
    assert not PartnerRelation.objects.exists()


def test_the_organisation_itself_does_not_see_the_school_map(client, school, welfare_worker):
    client.force_login(welfare_worker)
    assert client.get(map_url(school)).status_code == 404


def test_teacher_sees_the_map_but_cannot_change_it(client, school, teacher, organisation):
    client.force_login(teacher)
    assert client.get(map_url(school)).status_code == 200
    assert client.post(relation_url(school, organisation), {"status": "close", "quick": "1"}).status_code == 403
    assert not PartnerRelation.objects.exists()


def test_coordinator_marks_an_organisation_to_explore_and_sees_it_on_the_map(client, school, coordinator, organisation):
    client.force_login(coordinator)
    response = client.post(relation_url(school, organisation), {"status": "to_explore", "quick": "1"})
    assert response.status_code == 302
    relation = PartnerRelation.objects.get(school=school, organisation=organisation)
    assert relation.status == RelationStatus.TO_EXPLORE
    change = relation.changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "to_explore", coordinator)

    content = client.get(map_url(school)).content.decode()
    assert 'class="kaart-mark kaart-to_explore"' in content
    assert "<polygon" in content  # the to-explore shape
    assert 'class="status-to_explore">Te verkennen</td>' in content


def test_full_relation_form_keeps_notes_and_history(client, school, director, organisation):
    client.force_login(director)
    client.post(relation_url(school, organisation), {"status": "none_yet"})
    response = client.post(
        relation_url(school, organisation),
        {
            "status": "close",
            "contact_person": "Mia",
            "agreements": "Zitdag op maandag",
            "note": "Vlotte partner",
            "last_contact_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    relation = PartnerRelation.objects.get()
    assert relation.note == "Vlotte partner"
    assert [c.to_status for c in relation.changes.all()] == ["close", "none_yet"]
    page = client.get(relation_url(school, organisation)).content.decode()
    assert "Nog geen samenwerking" in page


def test_bad_relation_input_is_a_400_and_saves_nothing(client, school, director, organisation):
    client.force_login(director)
    response = client.post(
        relation_url(school, organisation), {"status": "best_friends", "last_contact_on": "gisteren"}
    )
    assert response.status_code == 400
    assert not PartnerRelation.objects.exists()


def test_one_school_never_sees_another_schools_relations_or_notes(client, school, other_school, organisation, stranger):
    PartnerRelation.objects.create(school=school, organisation=organisation, status="close", note="Geheime notitie")
    organisation.municipalities.add(other_school.municipality)
    client.force_login(stranger)
    other_map = client.get(map_url(other_school)).content.decode()
    assert organisation.name in other_map  # listed, as unknown to them
    assert 'class="kaart-mark kaart-close"' not in other_map
    own_relation_page = client.get(relation_url(other_school, organisation)).content.decode()
    assert "Geheime notitie" not in own_relation_page
    assert "Geheime notitie" not in client.get(organisation.get_directory_url()).content.decode()


def test_unknown_organisation_gives_404(client, school, coordinator):
    client.force_login(coordinator)
    url = reverse(
        "schools:relation",
        kwargs={"school_id": school.public_id, "organisation_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert client.get(url).status_code == 404


def test_gaps_suggest_organisations_for_needs_nobody_is_known_for(client, school, coordinator, municipality):
    dental = NeedCategory.objects.get(code="hygiene_health")
    school.focus_needs.add(dental)
    dentist = OrganisationFactory(name="Mondzorg Test", municipalities=[municipality])
    ServiceFactory(organisation=dentist, name="Tandzorg", needs=[dental], service_areas=[municipality])
    client.force_login(coordinator)
    content = client.get(map_url(school)).content.decode()
    assert "Mondzorg Test</a>: Tandzorg" in content

    PartnerRelation.objects.create(school=school, organisation=dentist, status="close")
    content = client.get(map_url(school)).content.decode()
    assert "Mondzorg Test</a>: Tandzorg" not in content


def test_map_query_count_is_constant(client, school, coordinator, municipality, django_assert_num_queries):
    client.force_login(coordinator)
    client.get(map_url(school))
    # session, user, memberships, relations, organisations, focus needs, and for the form the
    # school's chosen needs and the needs to choose from
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        client.get(map_url(school))
    for index in range(8):
        organisation = OrganisationFactory(municipalities=[municipality])
        if index % 2:
            PartnerRelation.objects.create(school=school, organisation=organisation, status="close")
    with django_assert_num_queries(9):  # +1: django-otp loads the session's verified device
        response = client.get(map_url(school))
    assert response.content.decode().count('class="kaart-mark') == 8


def test_focus_needs_are_saved_by_the_care_team_only(client, school, coordinator, teacher):
    url = reverse("schools:focus", kwargs={"school_id": school.public_id})
    need = NeedCategory.objects.get(code="child_poverty")
    client.force_login(teacher)
    assert client.post(url, {"focus_needs": [need.pk]}).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, {"focus_needs": [need.pk]}).status_code == 302
    assert list(school.focus_needs.all()) == [need]


def test_bridge_figure_of_the_school_may_edit_the_map(client, school, organisation):
    client.force_login(member(Role.BRIDGE_FIGURE, school))
    assert client.post(relation_url(school, organisation), {"status": "close", "quick": "1"}).status_code == 302
