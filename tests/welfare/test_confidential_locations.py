"""A shelter's confidential address is the organisation's own: the curators of its municipality
may keep the rest of the entry, but can neither read that address nor make it public."""

import copy
import json
import uuid
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import LocationFactory, ServiceFactory
from welfare.hsds import export_bundle
from welfare.models import Location, Schedule, ServiceAtLocation
from welfare.services import add_opening_hours

STREET, POSTAL_CODE = "Schuilweg 77", "9876"


@pytest.fixture
def shelter(organisation, municipality):
    return LocationFactory(
        organisation=organisation,
        municipality=municipality,
        name="Vluchthuis Testregio",
        street_address=STREET,
        postal_code=POSTAL_CODE,
        accessibility="Achteringang",
        is_confidential=True,
    )


@pytest.fixture
def shelter_hours(organisation, shelter):
    service = ServiceFactory(organisation=organisation, name="Opvang")
    return add_opening_hours(location=shelter, service=service, weekday="WE", opens_at=time(9), closes_at=time(11))


def edit_url(location):
    return reverse(
        "welfare:edit_location", kwargs={"organisation_id": location.organisation_id, "location_id": location.pk}
    )


def assert_still_secret(client, shelter):
    shelter.refresh_from_db()
    assert shelter.is_confidential
    assert (shelter.street_address, shelter.postal_code, shelter.name) == (STREET, POSTAL_CODE, "Vluchthuis Testregio")
    client.logout()
    for name in ("welfare:api_service_at_locations", "welfare:api_organizations", "welfare:api_services"):
        assert STREET not in client.get(reverse(name), {"per_page": 200}).content.decode()
    organization = reverse("welfare:api_organization", kwargs={"organization_id": shelter.organisation_id})
    assert STREET not in client.get(organization).content.decode()


def test_a_curator_does_not_see_a_confidential_address_on_its_edit_page(client, local_official, shelter, shelter_hours):
    client.force_login(local_official)
    response = client.get(edit_url(shelter))
    page = response.content.decode()
    assert response.status_code == 403
    assert STREET not in page
    assert POSTAL_CODE not in page
    assert "Vluchthuis Testregio" not in page


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"street_address": "Openbare Markt 1", "postal_code": "9000"},
        {"is_confidential": ""},
    ],
    ids=["flag omitted", "address overwritten", "flag cleared"],
)
def test_a_curator_cannot_unset_confidentiality_or_change_the_address(
    client, local_official, municipality, shelter, posted
):
    client.force_login(local_official)
    data = {"name": "Vluchthuis", "street_address": STREET, "postal_code": POSTAL_CODE, "municipality": municipality.pk}
    response = client.post(edit_url(shelter), data | posted)
    assert response.status_code == 403
    assert_still_secret(client, shelter)
    client.force_login(local_official)
    page = client.get(shelter.organisation.get_directory_url()).content.decode()
    assert STREET not in page


def test_a_curator_cannot_change_or_read_a_confidential_locations_opening_hours(
    client, local_official, organisation, shelter, shelter_hours
):
    client.force_login(local_official)
    service = shelter_hours.service_at_location.service
    hours = {"hours": "1", "service": service.pk, "weekday": "MO", "opens_at": "08:00", "closes_at": "20:00"}
    assert client.post(edit_url(shelter), hours).status_code == 403
    assert client.post(edit_url(shelter), {"remove": str(shelter_hours.pk)}).status_code == 403
    assert list(Schedule.objects.all()) == [shelter_hours]


def test_a_curator_is_not_offered_a_link_to_a_confidential_location(client, local_official, organisation, shelter):
    public = LocationFactory(organisation=organisation, municipality=shelter.municipality, name="Onthaal")
    client.force_login(local_official)
    page = client.get(organisation.get_directory_url()).content.decode()
    assert edit_url(public) in page
    assert edit_url(shelter) not in page


def test_a_curator_can_neither_set_nor_clear_the_flag_of_other_locations(
    client, local_official, organisation, municipality
):
    public = LocationFactory(organisation=organisation, municipality=municipality, name="Onthaal")
    client.force_login(local_official)
    response = client.get(edit_url(public))
    assert response.status_code == 200
    assert 'name="is_confidential"' not in response.content.decode()
    data = {"name": "Onthaal", "street_address": "Kerkstraat 2", "postal_code": "9990", "municipality": municipality.pk}
    assert client.post(edit_url(public), data | {"is_confidential": "on"}).status_code == 302
    add = reverse("welfare:add_location", kwargs={"organisation_id": organisation.pk})
    assert client.post(add, data | {"name": "Nieuw", "is_confidential": "on"}).status_code == 302
    assert not Location.objects.filter(is_confidential=True).exists()
    public.refresh_from_db()
    assert public.street_address == "Kerkstraat 2"


def test_the_organisations_own_worker_still_edits_its_confidential_location(
    client, welfare_worker, municipality, shelter, shelter_hours
):
    client.force_login(welfare_worker)
    response = client.get(edit_url(shelter))
    assert response.status_code == 200
    assert STREET in response.content.decode()
    assert 'name="is_confidential"' in response.content.decode()
    data = {"name": "Vluchthuis", "street_address": "Nieuwe Schuilweg 1", "postal_code": "9877"}
    response = client.post(edit_url(shelter), data | {"municipality": municipality.pk, "is_confidential": "on"})
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert (shelter.street_address, shelter.is_confidential) == ("Nieuwe Schuilweg 1", True)
    assert client.post(edit_url(shelter), {"remove": str(shelter_hours.pk)}).status_code == 302
    assert not Schedule.objects.exists()


def upload(client, bundle):
    content = json.dumps(bundle).encode()
    return client.post(
        reverse("welfare:import"), {"file": SimpleUploadedFile("kaart.json", content, "application/json")}
    )


def test_a_file_cannot_move_a_confidential_locations_opening_hours_to_a_public_place(
    client, local_official, organisation, municipality, shelter, shelter_hours
):
    """A place at the shelter that a file re-points at a public location would publish the shelter's hours."""
    LocationFactory(organisation=organisation, municipality=municipality, name="Onthaal")
    bundle = export_bundle()
    document = next(o for o in bundle["organizations"] if o["id"] == str(organisation.pk))
    at_shelter = shelter_hours.service_at_location
    document["services"] = [
        {
            "id": str(at_shelter.service_id),
            "name": "Opvang",
            "status": "active",
            "service_at_locations": [
                {
                    "id": str(at_shelter.pk),
                    "location_id": document["locations"][0]["id"],
                    "schedules": [
                        {"id": str(shelter_hours.pk), "byday": "WE", "opens_at": "09:00", "closes_at": "11:00"}
                    ],
                }
            ],
        }
    ]
    client.force_login(local_official)
    response = upload(client, bundle)
    assert response.status_code == 400
    assert "a confidential location can only be changed in Brugwijzer itself" in response.content.decode()
    assert ServiceAtLocation.objects.get(pk=at_shelter.pk).location == shelter
    client.logout()
    assert str(at_shelter.pk) not in client.get(reverse("welfare:api_service_at_locations")).content.decode()


def test_a_file_naming_a_confidential_location_in_capitals_is_refused_not_crashed_on(
    client, local_official, organisation, shelter
):
    bundle = export_bundle()
    document = next(o for o in bundle["organizations"] if o["id"] == str(organisation.pk))
    public = copy.deepcopy(document["locations"]) if document["locations"] else []
    document["locations"] = [
        *public,
        {
            "id": str(shelter.pk).upper(),
            "location_type": "physical",
            "name": "Vluchthuis",
            "addresses": [
                {
                    "id": str(uuid.uuid4()),
                    "address_1": "Openbare Markt 1",
                    "city": shelter.municipality.name,
                    "state_province": "Oost-Vlaanderen",
                    "postal_code": "9000",
                    "country": "BE",
                    "address_type": "physical",
                }
            ],
            "attributes": [
                a for a in document["attributes"] if a["taxonomy_term"]["taxonomy"].endswith("municipality")
            ],
        },
    ]
    client.force_login(local_official)
    response = upload(client, bundle)
    assert response.status_code == 400
    assert "a confidential location can only be changed in Brugwijzer itself" in response.content.decode()
    shelter.refresh_from_db()
    assert (shelter.street_address, shelter.is_confidential) == (STREET, True)
