"""The printed explanation and consent form, in the parents' language; and what a teacher learns."""

import pytest
from django.urls import reverse

from referrals import explanations
from referrals.models import Referral, Signal, State
from tests.referrals.conftest import DETAILS


def sheet_url(family):
    return reverse("referrals:consent_sheet", kwargs={"school_id": family.school.public_id, "family_id": family.pk})


def test_every_registered_language_has_a_text():
    assert explanations.missing_templates() == []
    assert [code for code, _name in explanations.CHOICES] == ["nl-be", "en"]


@pytest.mark.parametrize(
    ("language", "title", "need_name"),
    [
        ("nl-be", "Toestemming om gegevens te delen", "Financiële, materiële en administratieve noden"),
        ("en", "Permission to share information", "Money, material and paperwork"),
    ],
)
def test_the_sheet_is_entirely_in_the_parents_language(
    client, family, organisation, need, coordinator, language, title, need_name
):
    client.force_login(coordinator)  # works in Dutch, whatever the parents read
    response = client.get(sheet_url(family), {"language": language, "organisation": organisation.pk, "need": need.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert title in page
    assert organisation.name in page
    assert need_name in page
    assert f'lang="{"nl-BE" if language == "nl-be" else "en"}"' in page
    # Only the school's code for the family is printed, never its names or numbers.
    assert "G-1" in page
    for detail in DETAILS.values():
        assert detail not in page


def test_the_sheet_defaults_to_dutch_with_blank_lines(client, family, coordinator):
    client.force_login(coordinator)
    page = client.get(sheet_url(family)).content.decode()
    assert "Toestemmingsformulier" in page and "☐ ......" in page


@pytest.mark.parametrize(
    "query", [{"language": "xx"}, {"language": "en", "organisation": "not-a-uuid"}, {"language": "en", "need": "0"}]
)
def test_bad_choices_give_a_clear_error(client, family, coordinator, query):
    client.force_login(coordinator)
    response = client.get(sheet_url(family), query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_an_organisation_outside_the_municipality_cannot_be_printed(client, family, other_organisation, coordinator):
    client.force_login(coordinator)
    response = client.get(sheet_url(family), {"language": "en", "organisation": other_organisation.pk})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["teacher", "stranger", "welfare_worker", "local_official"])
def test_only_the_care_team_prints_it(client, family, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(sheet_url(family)).status_code in (403, 404)


def test_a_teacher_sees_that_the_family_is_supported_and_nothing_more(
    client, school, family, consent, organisation, need, teacher, coordinator
):
    signal = Signal.objects.create(
        school=school,
        need=need,
        channel="staff_observation",
        action="referred",
        reported_by=teacher,
        school_year="2026-2027",
    )
    referral = Referral.objects.create(
        school=school,
        family=family,
        need=need,
        organisation=organisation,
        reference_person=coordinator,
        signal=signal,
        note="Huur drie maanden achter",
    )
    url = reverse("referrals:signals", kwargs={"school_id": school.public_id})
    client.force_login(teacher)
    assert "Ondersteund" not in client.get(url).content.decode()  # a draft reached nobody yet
    Referral.objects.filter(pk=referral.pk).update(state=State.IN_CONTACT, consent=consent)
    page = client.get(url).content.decode()
    assert "Ondersteund" in page
    for hidden in ("G-1", "Huur drie maanden achter", "In contact met het gezin", *DETAILS.values()):
        assert hidden not in page
