from io import StringIO

from django.core.management import call_command

from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from network.models import Municipality
from schools.models import School
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
