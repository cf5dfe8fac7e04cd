"""Every single-line field of every form refuses control characters (one rule, installed by
`brugwijzer.apps`), with a plain Dutch message and nothing saved; fields of several lines keep
their line breaks."""

import pytest
from django.urls import reverse

from demo import welfare as demo
from network.models import Network
from places.models import Municipality, Province
from referrals.forms import HandoverAcceptForm
from referrals.models import Family, Referral
from tests.factories import UserFactory
from welfare.hsds import export_bundle
from welfare.hsds_import import import_bundle
from welfare.models import TargetGroup, WelfareOrganisation

MESSAGE = "Houd dit op één regel, zonder regeleinden of onzichtbare stuurtekens."
CONTROL = ["\n", "\r", "\x1b", "\x7f", "\u2028", "\u202e"]


def new_family(school):
    return reverse("referrals:new_family", kwargs={"school_id": school.public_id})


@pytest.mark.parametrize("char", CONTROL)
def test_a_family_reference_with_a_control_character_is_refused(client, school, coordinator, char):
    client.force_login(coordinator)
    response = client.post(new_family(school), {"reference": f"G-{char}1"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Family.objects.exists()


def test_an_encrypted_name_shown_on_one_line_is_refused_too(client, school, coordinator):
    client.force_login(coordinator)
    response = client.post(new_family(school), {"reference": "G-1", "guardian_name": "Samira\nTestouder"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Family.objects.exists()


def test_an_organisation_name_with_a_line_break_is_refused(client, organisation, welfare_worker):
    client.force_login(welfare_worker)
    url = reverse("welfare:edit_organisation", kwargs={"organisation_id": organisation.pk})
    data = {
        "name": "CAW\nBrugwaarde",
        "education_remit": "yes",
        "feedback_level": organisation.feedback_level,
        "municipalities": [m.pk for m in organisation.municipalities.all()],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert WelfareOrganisation.objects.get(pk=organisation.pk).name == organisation.name


def test_a_network_name_with_a_line_break_is_refused(client, municipality, local_official):
    client.force_login(local_official)
    url = reverse("network:networks", kwargs={"municipality_id": municipality.public_id})
    response = client.post(url, {"name": "LOP\rTest", "kind": "lop", "coordinator": local_official.pk})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Network.objects.exists()


def test_the_admin_refuses_it_too(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {"name_nl": "Ouders\x1b[31m", "name_en": "Parents", "code": "parents-x", "position": 0}
    response = client.post(reverse("admin:welfare_targetgroup_add"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not TargetGroup.objects.filter(code="parents-x").exists()


def test_a_form_without_a_model_refuses_it_too(school):
    form = HandoverAcceptForm({"reference": "G-\u20281"}, school=school)
    assert not form.is_valid()
    assert form.errors["reference"] == [MESSAGE]


def test_fields_of_several_lines_keep_their_line_breaks(client, school, organisation, need, coordinator):
    family = Family.objects.create(school=school, reference="G-1")
    client.force_login(coordinator)
    url = reverse("referrals:new_referral", kwargs={"school_id": school.public_id, "family_id": family.pk})
    note = "Eerste regel\r\nTweede regel"
    data = {
        "need": need.pk,
        "organisation": organisation.pk,
        "intensity": "accompanied",
        "reference_person": coordinator.pk,
        "note": note,
    }
    assert client.post(url, data).status_code == 302
    assert Referral.objects.get().note == note


def test_the_hsds_import_refuses_a_name_with_a_line_break(db):
    municipalities = {
        "99001": Municipality.objects.create(name="Brugwaarde", nis_code="99001", province=Province.EAST_FLANDERS),
        "99002": Municipality.objects.create(name="Kanaalhoek", nis_code="99002", province=Province.EAST_FLANDERS),
    }
    demo.load(municipalities)
    bundle = export_bundle()
    bundle["organizations"][0]["name"] = "CAW\nBrugwaarde"
    report = import_bundle(bundle)
    assert not report.ok
    assert any(MESSAGE in error for error in report.errors), report.errors
    assert not WelfareOrganisation.objects.filter(name__contains="\n").exists()
