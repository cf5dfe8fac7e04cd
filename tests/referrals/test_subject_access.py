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


def test_the_export_holds_the_bridge_shares_and_hand_overs_but_not_the_bridge_figures_notes(
    client, family, consent, referral, director, coordinator, school, other_school
):
    from referrals.models import BridgeEmployment, BridgeShare, BridgeVisit, SchoolHandover
    from tests.factories import member

    figure = member(Role.BRIDGE_FIGURE, school, full_name="Brug Figuur")
    BridgeEmployment.objects.create(user=figure, organisation=referral.organisation)
    share = BridgeShare.objects.create(
        family=family, bridge_figure=figure, service=referral.organisation, consent=consent, shared_by=coordinator
    )
    BridgeVisit.objects.create(share=share, purpose="Over de huur gepraat", shared_with_school=True, recorded_by=figure)
    BridgeVisit.objects.create(share=share, purpose="Geheim van de dienst", recorded_by=figure)
    SchoolHandover.objects.create(
        family=family,
        from_school=school,
        to_school=other_school,
        summary="Verhuist naar de stad",
        given_by="moeder",
        consent_method="conversation",
        created_by=coordinator,
    )
    client.force_login(director)
    held = json.loads(client.get(export_url(family, json=True)).content)
    [shared] = held["bridge_figure"]
    assert shared["bridge_figure"] == str(figure) and shared["service"] == referral.organisation.name
    assert len(shared["contacts_the_school_may_know_of"]) == 1  # only the contact the parents agreed to
    [moved] = held["changing_school"]
    assert moved["direction"] == "to" and moved["school"] == other_school.name
    assert moved["summary"] == "Verhuist naar de stad"
    page = client.get(export_url(family)).content.decode()
    assert "Verhuist naar de stad" in page and str(figure) in page
    for text in (json.dumps(held, ensure_ascii=False), page):
        assert "Geheim van de dienst" not in text and "Over de huur gepraat" not in text
