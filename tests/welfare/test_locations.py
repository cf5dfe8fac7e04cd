from django.urls import reverse

from schools.models import PartnerRelation
from tests.factories import LocationFactory, ServiceFactory
from welfare.models import Location, Schedule


def add_url(organisation):
    return reverse("welfare:add_location", kwargs={"organisation_id": organisation.pk})


def edit_url(location):
    return reverse(
        "welfare:edit_location", kwargs={"organisation_id": location.organisation_id, "location_id": location.pk}
    )


def test_welfare_worker_adds_a_location_and_its_opening_hours(client, welfare_worker, organisation, municipality):
    service = ServiceFactory(organisation=organisation)
    client.force_login(welfare_worker)
    response = client.post(
        add_url(organisation),
        {"name": "Onthaal", "street_address": "Kerkstraat 1", "postal_code": "9990", "municipality": municipality.pk},
    )
    assert response.status_code == 302
    location = Location.objects.get(organisation=organisation)
    response = client.post(
        edit_url(location),
        {"hours": "1", "service": service.pk, "weekday": "TU", "opens_at": "09:00", "closes_at": "12:00"},
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert (schedule.service_at_location.service, schedule.weekday) == (service, "TU")
    client.post(edit_url(location), {"remove": str(schedule.pk)})
    assert not Schedule.objects.exists()


def test_bad_locations_and_hours_are_refused(client, welfare_worker, organisation, municipality, other_municipality):
    client.force_login(welfare_worker)
    response = client.post(
        add_url(organisation), {"name": "", "postal_code": "99", "municipality": other_municipality.pk}
    )
    assert response.status_code == 400
    assert {"name", "postal_code", "municipality"} <= set(response.context["form"].errors)
    location = LocationFactory(organisation=organisation, municipality=municipality)
    service = ServiceFactory(organisation=organisation)
    response = client.post(
        edit_url(location),
        {"hours": "1", "service": service.pk, "weekday": "XX", "opens_at": "12:00", "closes_at": "09:00"},
    )
    assert response.status_code == 400
    assert not Schedule.objects.exists()


def test_others_cannot_edit_locations(client, teacher, welfare_worker, organisation, other_organisation, municipality):
    theirs = LocationFactory(organisation=other_organisation, municipality=municipality)
    client.force_login(welfare_worker)
    assert client.get(edit_url(theirs)).status_code == 403
    client.force_login(teacher)
    assert client.get(add_url(organisation)).status_code == 403


def test_a_location_of_another_organisation_is_404_under_yours(
    client, welfare_worker, organisation, other_organisation, municipality
):
    theirs = LocationFactory(organisation=other_organisation, municipality=municipality)
    client.force_login(welfare_worker)
    url = reverse("welfare:edit_location", kwargs={"organisation_id": organisation.pk, "location_id": theirs.pk})
    assert client.get(url).status_code == 404


def test_the_organisation_sees_only_schools_that_chose_to_share_the_partnership(
    client, welfare_worker, organisation, school, other_school
):
    PartnerRelation.objects.create(
        school=school, organisation=organisation, status="close", note="Geheime notitie", shared_with_organisation=True
    )
    PartnerRelation.objects.create(school=other_school, organisation=organisation, status="close")
    client.force_login(welfare_worker)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert school.name in page
    assert other_school.name not in page
    assert "Geheime notitie" not in page
