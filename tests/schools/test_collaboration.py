"""The collaboration profile of a relation on Ken je buurt: which forms, how intense, since when."""

import datetime

from django.urls import reverse

from schools.models import Collaboration, PartnerRelation, RelationStatus
from tests.downloads import csv_rows
from tests.factories import OrganisationFactory


def relation_url(school, organisation):
    return reverse("schools:relation", kwargs={"school_id": school.public_id, "organisation_id": organisation.pk})


def map_url(school, **params):
    url = reverse("schools:map", kwargs={"school_id": school.public_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def full_form(**collaborations):
    data = {"status": RelationStatus.CLOSE, "contact_person": "Sara (onthaal)"}
    data["school_contact"] = "Cas, zorgcoördinator"
    for kind, (intensity, since) in collaborations.items():
        data[f"{kind}_on"] = "on"
        data[f"{kind}_intensity"] = intensity
        data[f"{kind}_since"] = since
    return data


def test_director_records_how_the_school_works_with_an_organisation(client, school, director, organisation):
    client.force_login(director)
    response = client.post(
        relation_url(school, organisation),
        full_form(exchange=("structural", "2024-09-01"), mediation_preventive=("one_off", "")),
    )
    assert response.status_code == 302
    relation = PartnerRelation.objects.get(school=school, organisation=organisation)
    assert relation.school_contact == "Cas, zorgcoördinator"
    assert {(c.kind, c.intensity, c.since) for c in relation.collaborations.all()} == {
        ("exchange", "structural", datetime.date(2024, 9, 1)),
        ("mediation_preventive", "one_off", None),
    }
    # Unticking a form removes it; the others stay.
    client.post(relation_url(school, organisation), full_form(exchange=("intensive", "2024-09-01")))
    assert list(relation.collaborations.values_list("kind", "intensity")) == [("exchange", "intensive")]
    page = client.get(relation_url(school, organisation)).content.decode()
    assert 'name="exchange_on"' in page and "checked" in page


def test_a_form_ticked_without_its_intensity_is_refused_and_nothing_is_saved(client, school, director, organisation):
    client.force_login(director)
    response = client.post(relation_url(school, organisation), full_form(referral=("", "")))
    assert response.status_code == 400
    assert "Zeg hoe intens" in response.content.decode()
    assert not PartnerRelation.objects.exists()
    assert not Collaboration.objects.exists()


def test_teacher_reads_the_profile_but_cannot_change_it(client, school, teacher, director, organisation):
    client.force_login(director)
    client.post(relation_url(school, organisation), full_form(exchange=("structural", "")))
    client.force_login(teacher)
    page = client.get(relation_url(school, organisation)).content.decode()
    assert "Uitwisseling en overleg (structureel)" in page
    assert client.post(relation_url(school, organisation), full_form()).status_code == 403
    assert Collaboration.objects.count() == 1


def test_the_map_shows_only_partners_with_the_chosen_form(client, school, director, municipality):
    together = OrganisationFactory(name="Samen Vzw", municipalities=[municipality])
    apart = OrganisationFactory(name="Apart Vzw", municipalities=[municipality])
    client.force_login(director)
    client.post(relation_url(school, together), full_form(professionalisation_to_school=("intensive", "")))
    client.post(relation_url(school, apart), full_form(referral=("one_off", "")))
    client.get(map_url(school))  # shows and clears the "saved" messages
    page = client.get(map_url(school, kind="professionalisation_to_school")).content.decode()
    assert "Samen Vzw" in page and "Apart Vzw" not in page
    assert "Apart Vzw" in client.get(map_url(school)).content.decode()
    assert client.get(map_url(school, kind="bogus")).status_code == 400


def test_the_dashboard_counts_relations_per_form_with_its_disclosure_rules(
    client, school, director, municipality, local_official
):
    client.force_login(director)
    for n in range(6):
        organisation = OrganisationFactory(municipalities=[municipality])
        forms = {"exchange": ("structural", "")}
        if n < 2:
            forms["mediation_curative"] = ("intensive", "")
        client.post(relation_url(school, organisation), full_form(**forms))
    client.force_login(local_official)
    url = reverse(
        "network:export", kwargs={"municipality_id": municipality.public_id, "slug": "collaborations", "fmt": "csv"}
    )
    *table, period = csv_rows(client.get(url))
    assert period[0].startswith("Geteld tot en met ")  # the closing line: which days the counts cover
    rows = dict(table)
    assert rows["Bemiddeling tussen ouders en school, als het vertrouwen brak"] == "< 5"
    # Six exchanges and a total of eight would give the two away: one of them is hidden too.
    assert "2" not in rows.values()
    assert rows["Uitwisseling en overleg"] == "\u00d7" or rows["Totaal"] == "\u00d7"
