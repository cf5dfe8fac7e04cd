"""The parents' right of access: the director produces everything held about one family."""

import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from referrals.models import AccessAction, AccessLogEntry, Alert, State
from tests.factories import member
from tests.referrals.conftest import DETAILS


def export_url(family, **query):
    url = reverse("referrals:family_export", kwargs={"school_id": family.school.public_id, "family_id": family.pk})
    return url + ("?format=json" if query.get("json") else "")


def test_the_director_gets_everything_as_a_page_and_as_json(
    client, family, consent, referral, director, welfare_worker
):
    referral.state, referral.consent, referral.note = State.IN_CONTACT, consent, "Huur achter"
    referral.save()
    Alert.objects.create(referral=referral, kind="papers", note="Attest ontbreekt", raised_by=welfare_worker)
    AccessLogEntry.objects.create(
        user=welfare_worker, family=family, family_reference="G-1", school=family.school, action="view"
    )
    client.force_login(director)
    page = client.get(export_url(family)).content.decode()
    for expected in (*DETAILS.values(), "Huur achter", "Attest ontbreekt", "moeder", str(welfare_worker)):
        assert expected in page
    response = client.get(export_url(family, json=True))
    held = json.loads(response.content)
    assert held["family"]["guardian_name"] == DETAILS["guardian_name"]
    assert held["consents"][0]["organisations"] == [referral.organisation.name]
    assert held["referrals"][0]["alerts"][0]["note"] == "Attest ontbreekt"
    assert any(entry["who"] == str(welfare_worker) for entry in held["looked_at_by"])
    # The export is itself in the register.
    assert AccessLogEntry.objects.filter(user=director, family=family, action=AccessAction.EXPORT).count() == 2


@pytest.mark.parametrize("who", ["coordinator", "teacher", "welfare_worker", "local_official", "stranger"])
def test_only_the_director_exports(client, family, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(export_url(family)).status_code in (403, 404)


def test_another_schools_director_gets_404(client, family, other_school):
    client.force_login(member(Role.DIRECTOR, other_school))
    url = reverse("referrals:family_export", kwargs={"school_id": other_school.public_id, "family_id": family.pk})
    assert client.get(url).status_code == 404
