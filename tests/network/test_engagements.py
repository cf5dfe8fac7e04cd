"""Engagement declarations: what a school commits to with the local government, item by item."""

from django.urls import reverse

from accounts.roles import Role
from network.models import EngagementDeclaration, ItemStatus
from tests.downloads import csv_rows
from tests.factories import member


def url(name, municipality, **kwargs):
    return reverse(f"network:{name}", kwargs={"municipality_id": municipality.public_id, **kwargs})


def declare(client, municipality, school, **extra):
    data = {
        "school": school.pk,
        "title": "Schoolfonds 2026",
        "commitments": "Brugfiguur op de website\n\nKostenbeleid herbekijken\n",
    }
    return client.post(url("engagements", municipality), {**data, **extra})


def test_official_records_a_declaration_with_one_item_per_line(client, municipality, school, local_official):
    client.force_login(local_official)
    response = declare(client, municipality, school)
    assert response.status_code == 302
    declaration = EngagementDeclaration.objects.get()
    assert list(declaration.items.values_list("text", flat=True)) == [
        "Brugfiguur op de website",
        "Kostenbeleid herbekijken",
    ]
    # A second one for the same school, year and partner is refused with a message, not a 500.
    response = declare(client, municipality, school)
    assert response.status_code == 400
    assert EngagementDeclaration.objects.count() == 1


def test_a_declaration_without_commitments_is_refused(client, municipality, school, local_official):
    client.force_login(local_official)
    assert declare(client, municipality, school, commitments="  \n ").status_code == 400
    assert not EngagementDeclaration.objects.exists()


def test_items_are_marked_met_and_the_dashboard_counts_them(client, municipality, school, local_official):
    client.force_login(local_official)
    declare(client, municipality, school)
    declaration = EngagementDeclaration.objects.get()
    item = declaration.items.first()
    response = client.post(
        url("engagement", municipality, engagement_id=declaration.public_id),
        {"item": item.pk, "status": ItemStatus.MET},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.MET
    assert (
        client.post(
            url("engagement", municipality, engagement_id=declaration.public_id), {"item": item.pk, "status": "bogus"}
        ).status_code
        == 400
    )
    rows = csv_rows(client.get(url("export", municipality, slug="engagements", fmt="csv")))
    assert rows[1] == [school.name, "2", "1"]


def test_the_school_reads_its_declarations_and_other_municipalities_get_404(
    client, municipality, other_municipality, school, local_official, teacher
):
    client.force_login(local_official)
    declare(client, municipality, school)
    declaration = EngagementDeclaration.objects.get()
    client.force_login(teacher)
    page = client.get(reverse("schools:engagements", kwargs={"school_id": school.public_id})).content.decode()
    assert "Brugfiguur op de website" in page
    client.force_login(member(Role.LOCAL_OFFICIAL, other_municipality))
    assert client.get(url("engagement", other_municipality, engagement_id=declaration.public_id)).status_code == 404
    assert client.get(url("engagement", municipality, engagement_id=declaration.public_id)).status_code == 404
