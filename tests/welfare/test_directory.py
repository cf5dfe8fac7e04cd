from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.factories import LocationFactory, OrganisationFactory, ServiceFactory, UserFactory, member
from welfare.models import Language, NeedCategory, ServiceAtLocation, WelfareOrganisation

DIRECTORY = reverse("welfare:directory")


def need(code):
    return NeedCategory.objects.get(code=code)


def test_people_without_any_membership_cannot_search(client, db):
    client.force_login(UserFactory())
    assert client.get(DIRECTORY).status_code == 403


def test_filter_by_need_shows_only_matching_services(client, coordinator, organisation):
    ServiceFactory(organisation=organisation, name="Schoolkosten", needs=[need("education_barriers")])
    ServiceFactory(organisation=organisation, name="Sportkamp", needs=[need("arts_sport_leisure")])
    client.force_login(coordinator)
    response = client.get(DIRECTORY, {"need": need("education_barriers").pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schoolkosten" in content
    assert "Sportkamp" not in content
    assert "1 dienst gevonden" in content


def test_free_text_search_finds_organisation_names(client, coordinator, organisation):
    ServiceFactory(organisation=organisation, name="Onthaal")
    ServiceFactory(name="Iets anders")
    client.force_login(coordinator)
    content = client.get(DIRECTORY, {"q": "Testregio"}).content.decode()
    assert "Onthaal" in content
    assert "Iets anders" not in content


def test_filter_by_language_and_municipality(client, coordinator, organisation, municipality, other_municipality):
    arabic = Language.objects.get(code="ar")
    here = ServiceFactory(organisation=organisation, name="Dienst dichtbij", service_areas=[municipality])
    here.languages.add(arabic)
    ServiceFactory(organisation=organisation, name="Dienst veraf", service_areas=[other_municipality])
    client.force_login(coordinator)
    content = client.get(DIRECTORY, {"language": arabic.pk, "municipality": municipality.pk}).content.decode()
    assert "Dienst dichtbij" in content
    assert "Dienst veraf" not in content


def test_postal_code_finds_services_at_that_address(client, coordinator, organisation, municipality):
    near = ServiceFactory(organisation=organisation, name="Dichtbij")
    ServiceAtLocation.objects.create(
        service=near, location=LocationFactory(organisation=organisation, postal_code="9123", municipality=municipality)
    )
    ServiceFactory(organisation=organisation, name="Veraf")
    client.force_login(coordinator)
    content = client.get(DIRECTORY, {"postal_code": "9123"}).content.decode()
    assert "Dichtbij" in content
    assert "Veraf" not in content


@pytest.mark.parametrize(
    "bad", [{"need": "not-a-uuid"}, {"sort": "password"}, {"language": "00000000-0000-0000-0000-000000000000"}]
)
def test_bad_filter_values_give_400_with_a_message(client, coordinator, bad):
    client.force_login(coordinator)
    response = client.get(DIRECTORY, bad)
    assert response.status_code == 400
    assert "konden niet gebruikt worden" in response.content.decode()


def test_directory_query_count_does_not_grow_with_results(client, coordinator, organisation, django_assert_num_queries):
    client.force_login(coordinator)
    ServiceFactory(organisation=organisation)
    client.get(DIRECTORY)
    # session, user, verified device (django-otp), memberships, count, page, needs and languages
    # of the page's services, 6 filter choice lists
    with django_assert_num_queries(14):
        client.get(DIRECTORY)
    ServiceFactory.create_batch(12, organisation=organisation)
    ServiceFactory.create_batch(3)
    with django_assert_num_queries(14):
        response = client.get(DIRECTORY, {"q": "dienst"})
    assert "16 diensten gevonden" in response.content.decode()


def test_confidential_addresses_are_hidden_from_outsiders(client, coordinator, organisation, municipality):
    shelter = LocationFactory(
        organisation=organisation, street_address="Geheimweg 7", municipality=municipality, is_confidential=True
    )
    service = ServiceFactory(organisation=organisation, name="Opvang")
    ServiceAtLocation.objects.create(service=service, location=shelter)
    client.force_login(coordinator)
    content = client.get(organisation.get_directory_url()).content.decode()
    assert "Opvang" in content
    assert "Geheimweg" not in content
    assert "Adres alleen gekend bij de organisatie" in content

    client.force_login(member(Role.WELFARE_WORKER, organisation))
    assert "Geheimweg 7" in client.get(organisation.get_directory_url()).content.decode()


def test_organisation_page_query_count_is_constant(
    client, coordinator, organisation, municipality, django_assert_num_queries
):
    client.force_login(coordinator)
    location = LocationFactory(organisation=organisation, municipality=municipality)
    ServiceAtLocation.objects.create(service=ServiceFactory(organisation=organisation), location=location)
    client.get(organisation.get_directory_url())
    # session, user, memberships, organisation, municipalities, locations, services and their
    # needs, target groups, languages, outreach, places and opening hours, contacts, relations,
    # its presence at the viewer's schools and the trainings it gave there
    with django_assert_num_queries(18):  # +1: django-otp loads the session's verified device
        client.get(organisation.get_directory_url())
    for _ in range(5):
        ServiceAtLocation.objects.create(service=ServiceFactory(organisation=organisation), location=location)
    with django_assert_num_queries(18):  # +1: django-otp loads the session's verified device
        client.get(organisation.get_directory_url())


def test_unknown_organisation_gives_404(client, coordinator):
    client.force_login(coordinator)
    url = reverse("welfare:organisation", kwargs={"organisation_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404


def test_stale_entries_are_flagged(client, coordinator, organisation):
    WelfareOrganisation.objects.filter(pk=organisation.pk).update(checked_on=timezone.localdate() - timedelta(days=400))
    client.force_login(coordinator)
    assert "meer dan een jaar niet nagekeken" in client.get(organisation.get_directory_url()).content.decode()
    assert list(WelfareOrganisation.objects.stale()) == [organisation]


class TestEditing:
    def url(self, organisation):
        return reverse("welfare:edit_organisation", kwargs={"organisation_id": organisation.pk})

    def data(self, organisation, **changes):
        return {
            "name": organisation.name,
            "education_remit": "yes",
            "feedback_level": organisation.feedback_level,
            "municipalities": [m.pk for m in organisation.municipalities.all()],
            **changes,
        }

    def test_welfare_worker_edits_their_own_organisation(self, client, welfare_worker, organisation):
        WelfareOrganisation.objects.filter(pk=organisation.pk).update(
            checked_on=timezone.localdate() - timedelta(days=90)
        )
        client.force_login(welfare_worker)
        response = client.post(self.url(organisation), self.data(organisation, phone="09 123 45 67"))
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.phone == "09 123 45 67"
        assert organisation.checked_on == timezone.localdate()

    def test_the_organisation_chooses_what_schools_hear_back(
        self, client, welfare_worker, local_official, organisation
    ):
        client.force_login(welfare_worker)
        response = client.post(self.url(organisation), self.data(organisation, feedback_level="outcome"))
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.feedback_level == "outcome"
        # A curator of the municipality edits the entry but not the organisation's own choice.
        client.force_login(local_official)
        assert "feedback_level" not in client.get(self.url(organisation)).context["form"].fields
        client.post(self.url(organisation), {**self.data(organisation), "feedback_level": "status"})
        organisation.refresh_from_db()
        assert organisation.feedback_level == "outcome"

    def test_welfare_worker_cannot_edit_another_organisation(self, client, welfare_worker, other_organisation):
        client.force_login(welfare_worker)
        assert client.get(self.url(other_organisation)).status_code == 403
        response = client.post(self.url(other_organisation), self.data(other_organisation, name="Overgenomen"))
        assert response.status_code == 403
        other_organisation.refresh_from_db()
        assert other_organisation.name == "OCMW Elders"

    def test_school_staff_cannot_edit_the_directory(self, client, director, organisation):
        client.force_login(director)
        assert client.get(self.url(organisation)).status_code == 403

    def test_local_official_curates_organisations_serving_the_municipality(
        self, client, local_official, organisation, other_organisation
    ):
        client.force_login(local_official)
        assert client.get(self.url(organisation)).status_code == 200
        assert client.get(self.url(other_organisation)).status_code == 403

    def test_invalid_input_gives_form_errors(self, client, welfare_worker, organisation):
        client.force_login(welfare_worker)
        response = client.post(self.url(organisation), self.data(organisation, name="", website="geen url"))
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"name", "website"}

    def test_welfare_worker_adds_a_service(self, client, welfare_worker, organisation):
        client.force_login(welfare_worker)
        url = reverse("welfare:add_service", kwargs={"organisation_id": organisation.pk})
        data = {
            "name": "Nieuwe dienst",
            "status": "active",
            "needs": [need("child_poverty").pk],
            "waiting_list": "none",
        }
        response = client.post(url, data)
        assert response.status_code == 302
        service = organisation.services.get()
        assert list(service.needs.all()) == [need("child_poverty")]
        assert service.waiting_list_updated_on == timezone.localdate()

    def test_service_ages_must_be_ordered(self, client, welfare_worker, organisation):
        client.force_login(welfare_worker)
        url = reverse("welfare:add_service", kwargs={"organisation_id": organisation.pk})
        data = {
            "name": "X",
            "status": "active",
            "needs": [need("child_poverty").pk],
            "waiting_list": "none",
            "minimum_age": 10,
            "maximum_age": 3,
        }
        response = client.post(url, data)
        assert response.status_code == 400
        assert "maximum_age" in response.context["form"].errors

    def test_service_of_another_organisation_is_404(self, client, welfare_worker, organisation, other_organisation):
        other = ServiceFactory(organisation=other_organisation)
        client.force_login(welfare_worker)
        url = reverse("welfare:edit_service", kwargs={"organisation_id": organisation.pk, "service_id": other.pk})
        assert client.get(url).status_code == 404


def test_organisations_get_a_uuid_primary_key(db):
    organisation = OrganisationFactory()
    assert organisation.pk == organisation.public_id
    assert len(str(organisation.pk)) == 36


def test_confidential_locations_do_not_show_their_name_hours_or_postal_code(
    client, coordinator, organisation, municipality
):
    from welfare.models import Schedule

    shelter = LocationFactory(
        organisation=organisation,
        name="Schuiloord",
        postal_code="9123",
        municipality=municipality,
        is_confidential=True,
    )
    service = ServiceFactory(organisation=organisation, name="Opvang")
    at = ServiceAtLocation.objects.create(service=service, location=shelter)
    Schedule.objects.create(service_at_location=at, weekday="MO", opens_at="09:00", closes_at="11:15")
    client.force_login(coordinator)
    page = client.get(organisation.get_directory_url()).content.decode()
    assert "Schuiloord" not in page
    assert "11:15" not in page
    assert "Opvang" not in client.get(DIRECTORY, {"postal_code": "9123"}).content.decode()


def test_answering_with_a_broken_suggestion_id_is_404(client, welfare_worker, organisation):
    client.force_login(welfare_worker)
    url = reverse("welfare:suggestions", kwargs={"organisation_id": organisation.pk})
    assert client.post(url, {"suggestion": "abc", "decision": "accepted"}).status_code == 404


def test_curators_change_only_their_own_municipalities_on_an_entry(
    client, local_official, organisation, municipality, other_municipality
):
    organisation.municipalities.add(other_municipality)
    client.force_login(local_official)
    url = reverse("welfare:edit_organisation", kwargs={"organisation_id": organisation.pk})
    response = client.post(url, {"name": organisation.name, "education_remit": "unknown", "municipalities": []})
    assert response.status_code == 302
    assert list(organisation.municipalities.all()) == [other_municipality]


def search(client, text):
    return client.get(DIRECTORY, {"q": text}).content.decode()


def test_search_finds_part_of_a_compound_word_and_words_of_the_description(client, coordinator, organisation):
    ServiceFactory(organisation=organisation, name="Budgetbegeleiding", description="Samen de rekeningen ordenen.")
    ServiceFactory(organisation=organisation, name="Huiswerkklas", description="Na school leren.")
    client.force_login(coordinator)
    assert "Budgetbegeleiding" in search(client, "budget")
    assert "Huiswerkklas" not in search(client, "budget")
    assert "Budgetbegeleiding" in search(client, "rekeningen")


def test_search_follows_a_renamed_organisation(client, coordinator, organisation):
    ServiceFactory(organisation=organisation, name="Onthaal")
    organisation.name = "Kwartiergroep Zonnebloem"
    organisation.save()
    client.force_login(coordinator)
    assert "Onthaal" in search(client, "Zonnebloem")
    assert "Onthaal" not in search(client, "Testregio")


def test_search_follows_an_edited_service(client, coordinator, organisation):
    service = ServiceFactory(organisation=organisation, name="Onthaal")
    service.name = "Babbelcafé"
    service.save()
    client.force_login(coordinator)
    assert "Babbelcafé" in search(client, "babbel")
    assert "Babbelcafé" not in search(client, "Onthaal")


postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the search indexes are PostgreSQL's")


@postgresql_only
def test_the_database_keeps_the_search_columns_for_bulk_inserts_too(db, organisation):
    from welfare.models import Service

    Service.objects.bulk_create([Service(organisation=organisation, name="Schuldbemiddeling", description="Hulp")])
    row = Service.objects.values("search_text", "search_document").get(name="Schuldbemiddeling")
    assert row["search_text"] == f"schuldbemiddeling\n{organisation.name.lower()}"
    assert "schuldbemiddel" in row["search_document"] and "hulp" in row["search_document"]


@postgresql_only
def test_the_directory_search_can_be_served_by_its_indexes(db, organisation):

    from welfare.filters import text_search
    from welfare.models import Service

    ServiceFactory(organisation=organisation, name="Budgetbegeleiding")
    # Unordered, as the page's count of matches is: a page in name order may instead walk the
    # name index (migration 0007) and stop at the end of the page.
    query = text_search(Service.objects.published(), "budget").order_by()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "welfare_service_search_document" in plan and "welfare_service_search_text" in plan, plan


def test_a_service_that_matches_a_filter_twice_is_listed_once(client, coordinator, organisation, municipality):
    both = ServiceFactory(organisation=organisation, name="Tweemaal", service_areas=[municipality])
    ServiceAtLocation.objects.create(
        service=both, location=LocationFactory(organisation=organisation, postal_code="9124", municipality=municipality)
    )
    LocationFactory(organisation=organisation, postal_code="9124", municipality=municipality)
    client.force_login(coordinator)
    content = client.get(DIRECTORY, {"postal_code": "9124", "q": "tweemaal"}).content.decode()
    assert content.count(">Tweemaal<") == 1 and "1 dienst gevonden" in content
