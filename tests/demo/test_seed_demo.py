from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from demo.management.commands.seed_demo import demo_totp_key
from places.models import Municipality
from schools.models import School
from tests.factories import UserFactory, confirmed_authenticator, totp_code
from welfare.models import WelfareOrganisation


def snapshot():
    return {
        "municipalities": sorted(Municipality.objects.values_list("nis_code", "name", "province")),
        "schools": sorted(
            School.objects.values_list("institution_number", "name", "municipality__nis_code", "clb__name")
        ),
        "organisations": sorted(
            WelfareOrganisation.objects.values_list("name", "organisation_type__slug", "municipalities__nis_code")
        ),
        "users": sorted(User.objects.values_list("email", "full_name", "is_staff", "password")),
        "memberships": sorted(
            Membership.objects.values_list(
                "user__email", "role", "school__name", "organisation__name", "municipality__name", "ends_on"
            )
        ),
        "invitations": Invitation.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_data(db):
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def test_seed_demo_has_seven_schools_in_one_municipality_a_dozen_partners_and_every_role(db):
    call_command("seed_demo", stdout=StringIO())
    brugwaarde = Municipality.objects.get(name="Brugwaarde")
    # Three with demo accounts, four more that only add to the municipal dashboard's counts.
    assert brugwaarde.schools.count() == 7
    assert brugwaarde.welfare_organisations.count() >= 12
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_staff=True).exists()
    coordinator = User.objects.get(email="zorg@zeppelin.example")
    assert coordinator.check_password("demo-brugwijzer-2026")
    assert coordinator.memberships.count() == 2


def test_seed_demo_gives_the_dashboard_shown_small_and_hidden_counts_and_a_network(db):
    from network.stats import Scope, build

    call_command("seed_demo", stdout=StringIO())
    brugwaarde = Municipality.objects.get(name="Brugwaarde")
    board = build(Scope(name="Brugwaarde", municipalities=[brugwaarde]))
    texts = {
        cell.text
        for table in board.sections["needs"] + board.sections["referrals"]
        for column in table.columns
        for cell in column.cells
    }
    assert "< 5" in texts and "\u00d7" in texts
    assert any(text.isdigit() and int(text) >= 5 for text in texts)
    network = brugwaarde.networks.get()
    assert network.meetings.count() == 2
    assert network.actions.open().exists()


def test_every_demo_account_has_its_authenticator_app_set_up(db):
    call_command("seed_demo", stdout=StringIO())
    # The care teams of the dashboard's extra schools have no password: they are not logins.
    logins = [user for user in User.objects.all() if user.has_usable_password()]
    assert len(logins) > 10
    for user in logins:
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.key == demo_totp_key(user.email)
    assert demo_totp_key("zorg@zeppelin.example") != demo_totp_key("directie@zeppelin.example")
    call_command("seed_demo", stdout=StringIO())
    assert TOTPDevice.objects.count() == len(logins)


def test_demo_code_prints_the_code_the_app_would_show(db, settings, client):
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = True
    out, err = StringIO(), StringIO()
    call_command("demo_code", "Zorg@Zeppelin.example", stdout=out, stderr=err)
    device = TOTPDevice.objects.get(user__email="zorg@zeppelin.example")
    assert out.getvalue().strip() in {totp_code(device), totp_code(device, offset=-1)}
    assert "seconds" in err.getvalue()
    # And that code logs the coordinator in.
    client.post(reverse("accounts:login"), {"username": "zorg@zeppelin.example", "password": "demo-brugwijzer-2026"})
    response = client.post(reverse("accounts:mfa_verify"), {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get(reverse("referrals:followups")).status_code == 200


def test_demo_code_refuses_outside_demo_mode_and_for_other_accounts(db, settings):
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_code", "zorg@zeppelin.example", stdout=StringIO())
    settings.DEBUG = True
    confirmed_authenticator(UserFactory(email="echt@school.example"))
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "echt@school.example", stdout=StringIO())
    # A demo account whose app was replaced in the demo keeps its new secret to itself.
    TOTPDevice.objects.filter(user__email="zorg@zeppelin.example").update(key="ab" * 20)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_code", "zorg@zeppelin.example", stdout=StringIO())


def test_the_demo_has_a_care_meeting_the_caw_worker_takes_part_in(db):
    from referrals.models import Consultation

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    meeting = Consultation.objects.get()
    caw = WelfareOrganisation.objects.get(name="CAW Brugwaarde-Kanaalhoek")
    worker = User.objects.get(email="welzijn@caw-brugwaarde.example")
    assert list(Consultation.objects.for_organisation(caw, worker)) == [meeting]
    assert meeting.agreements.filter(owner__organisation=caw).count() == 1
