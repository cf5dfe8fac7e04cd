"""The agreement note between a school and its CLB: versioned per school year, seen by both sides."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from schools.models import ClbAgreement
from tests.factories import OrganisationFactory, SchoolFactory, member
from welfare.models import OrganisationType

NOTE = {
    "anchor_person": "Ann Anker",
    "availability": "Dinsdag en donderdag op school, lokaal 4.",
    "welfare_questions": "Leren, welbevinden; geldzorgen geven we door aan het OCMW.",
    "safety_concern": "De zorgcoördinator belt het ankerpunt dezelfde dag.",
    "feedback": "Na elk gesprek een kort bericht aan de zorgcoördinator.",
}


@pytest.fixture
def clb(school, municipality):
    found = OrganisationFactory(
        name="CLB Test", organisation_type=OrganisationType.objects.get(slug="clb"), municipalities=[municipality]
    )
    school.clb = found
    school.save()
    return found


def school_url(school):
    return reverse("schools:clb_agreement", kwargs={"school_id": school.public_id})


def clb_url(clb, school):
    return reverse("schools:clb_school_agreement", kwargs={"organisation_id": clb.pk, "school_id": school.public_id})


def test_every_save_is_a_new_version_and_the_earlier_ones_stay(client, school, clb, coordinator):
    client.force_login(coordinator)
    assert client.post(school_url(school), NOTE).status_code == 302
    assert client.post(school_url(school), {**NOTE, "anchor_person": "Bert Anker"}).status_code == 302
    versions = list(ClbAgreement.objects.filter(school=school).values_list("version", "anchor_person"))
    assert sorted(versions) == [(1, "Ann Anker"), (2, "Bert Anker")]
    page = client.get(school_url(school)).content.decode()
    assert "Bert Anker" in page and "versie 1" in page
    first = ClbAgreement.objects.get(version=1)
    assert "Ann Anker" in client.get(school_url(school) + f"?version={first.pk}").content.decode()


def test_a_note_without_its_required_parts_is_refused(client, school, clb, director):
    client.force_login(director)
    response = client.post(school_url(school), {**NOTE, "safety_concern": ""})
    assert response.status_code == 400
    assert not ClbAgreement.objects.exists()


def test_the_clb_reads_and_writes_the_note_but_another_clb_does_not(client, school, clb, coordinator, municipality):
    client.force_login(coordinator)
    client.post(school_url(school), NOTE)
    intake = member(Role.WELFARE_INTAKE, clb)
    client.force_login(intake)
    assert "Ann Anker" in client.get(clb_url(clb, school)).content.decode()
    assert client.post(clb_url(clb, school), {**NOTE, "feedback": "Maandelijks overleg."}).status_code == 302
    assert ClbAgreement.objects.filter(school=school).count() == 2
    schools_page = client.get(reverse("schools:clb_schools", kwargs={"organisation_id": clb.pk})).content.decode()
    assert school.name in schools_page
    other = OrganisationFactory(organisation_type=OrganisationType.objects.get(slug="clb"))
    client.force_login(member(Role.WELFARE_INTAKE, other))
    assert client.get(clb_url(other, school)).status_code == 404
    assert client.get(clb_url(clb, school)).status_code == 404


def test_a_teacher_reads_the_note_but_cannot_change_it(client, school, clb, coordinator, teacher):
    client.force_login(coordinator)
    client.post(school_url(school), NOTE)
    client.force_login(teacher)
    page = client.get(school_url(school)).content.decode()
    assert "Ann Anker" in page and "Opslaan als nieuwe versie" not in page
    assert client.post(school_url(school), NOTE).status_code == 403
    assert ClbAgreement.objects.count() == 1


def test_a_school_without_a_clb_cannot_save_a_note(client, municipality):
    school = SchoolFactory(municipality=municipality)
    director = member(Role.DIRECTOR, school)
    client.force_login(director)
    assert client.post(school_url(school), NOTE).status_code == 400
    assert not ClbAgreement.objects.exists()


def test_another_school_gets_404(client, school, clb, stranger):
    client.force_login(stranger)
    assert client.get(school_url(school)).status_code == 404
