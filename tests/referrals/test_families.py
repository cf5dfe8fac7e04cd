import pytest
from django.db import connection
from django.urls import reverse

from referrals.models import AccessLogEntry, Family


def list_url(school):
    return reverse("referrals:families", kwargs={"school_id": school.public_id})


def new_url(school):
    return reverse("referrals:new_family", kwargs={"school_id": school.public_id})


def edit_url(family):
    return reverse("referrals:edit_family", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


DETAILS = {
    "reference": "G-2026-01",
    "guardian_name": "Samira Testouder",
    "phone": "0470 12 34 56",
    "email": "samira@example.org",
    "child_first_name": "Lina",
    "child_class": "3B",
}


@pytest.fixture
def family(school):
    return Family.objects.create(school=school, **DETAILS)


def test_personal_details_are_encrypted_at_rest(family):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT guardian_name, phone, child_first_name FROM referrals_family WHERE id = %s",
            [family.pk.hex if connection.vendor == "sqlite" else family.pk],
        )
        stored = cursor.fetchone()
    assert all(value and value not in DETAILS.values() for value in stored)
    assert "Samira" not in "".join(stored)
    assert Family.objects.get(pk=family.pk).guardian_name == "Samira Testouder"


def test_the_coordinator_creates_a_family_record(client, school, coordinator):
    client.force_login(coordinator)
    response = client.post(new_url(school), {"reference": "G-2026-02", "child_first_name": "Noor"})
    assert response.status_code == 302
    created = Family.objects.get(reference="G-2026-02")
    assert created.school == school
    assert AccessLogEntry.objects.filter(family=created, user=coordinator, action="change").exists()


def test_every_look_at_the_details_is_in_the_access_register(client, family, coordinator):
    client.force_login(coordinator)
    page = client.get(family.get_absolute_url())
    assert "Samira Testouder" in page.content.decode()
    entry = AccessLogEntry.objects.get(action="view")
    assert (entry.user, entry.family_reference, entry.school) == (coordinator, "G-2026-01", family.school)


def test_the_list_shows_references_only(client, family, coordinator):
    client.force_login(coordinator)
    page = client.get(list_url(family.school)).content.decode()
    assert "G-2026-01" in page
    assert "Samira" not in page
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "stranger", "welfare_worker", "local_official"])
def test_no_one_else_sees_a_family(client, family, who, request):
    client.force_login(request.getfixturevalue(who))
    expected = 403 if who == "teacher" else 404
    for url in (list_url(family.school), family.get_absolute_url(), edit_url(family), new_url(family.school)):
        response = client.get(url)
        assert response.status_code == expected, (who, url)
        assert "Samira" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_references_are_unique_within_a_school(client, family, coordinator):
    client.force_login(coordinator)
    response = client.post(new_url(family.school), {"reference": "g-2026-01"})
    assert response.status_code == 400
    assert "reference" in response.context["form"].errors


@pytest.mark.parametrize(
    ("field", "value"), [("email", "geen-adres"), ("guardian_name", "x" * 151), ("phone", "1" * 41), ("reference", "")]
)
def test_bad_input_is_refused(client, school, coordinator, field, value):
    client.force_login(coordinator)
    response = client.post(new_url(school), {"reference": "G-1", field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Family.objects.exists()


def test_a_stale_form_gets_a_conflict_and_the_first_edit_survives(client, family, coordinator, director):
    client.force_login(coordinator)
    stale = client.get(edit_url(family)).context["form"]["version"].value()
    client.force_login(director)
    first = client.post(edit_url(family), {**DETAILS, "phone": "0499 99 99 99", "version": stale})
    assert first.status_code == 302
    client.force_login(coordinator)
    second = client.post(edit_url(family), {**DETAILS, "phone": "0411 11 11 11", "version": stale})
    assert second.status_code == 409
    assert second.context["conflict"]
    assert "0499 99 99 99" in second.content.decode()
    family.refresh_from_db()
    assert family.phone == "0499 99 99 99"
    assert family.version == 2
