"""seed_scale: the benchmark dataset, at its test-only `tiny` scale (a thousandth of Flanders)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from demo.management.commands.seed_scale import scale_counts
from places.models import Municipality
from referrals.models import SHARED, Consent, Referral, ReferralEvent, Signal
from reflection.models import Phase, Round
from schools.models import School
from welfare.models import Service, WelfareOrganisation


@pytest.fixture
def seeded(db):
    call_command("seed_scale", scale="tiny", seed=3, stdout=StringIO())


def test_tiny_scale_has_the_promised_counts(seeded):
    counts = scale_counts("tiny")
    assert Municipality.objects.count() == counts["municipalities"]
    assert School.objects.count() == counts["schools"]
    assert WelfareOrganisation.objects.count() == counts["organisations"]
    assert Service.objects.count() == counts["services"]
    assert User.objects.count() == counts["users"]
    assert Membership.objects.count() == counts["users"]
    assert Signal.objects.count() == counts["signals"]
    assert Referral.objects.count() == counts["referrals"]
    assert Round.objects.count() == counts["rounds"]


def test_seeded_rows_satisfy_the_app(seeded):
    # Every referral has a history ending in its state; shared ones carry a consent covering them.
    assert ReferralEvent.objects.count() >= Referral.objects.count()
    for referral in Referral.objects.filter(state__in=sorted(SHARED)).select_related("consent")[:50]:
        assert referral.consent.organisations.filter(pk=referral.organisation_id).exists()
        assert referral.consent.needs.filter(pk=referral.need_id).exists()
        assert referral.events.order_by("-at", "-id").first().to_state == referral.state
    assert Consent.objects.exists()
    years = set(Signal.objects.values_list("school_year", flat=True))
    assert len(years) == 5
    assert Round.objects.filter(phase=Phase.TEAM).exists()


class Rollback(Exception):
    pass


def _seeded_ids(seed):
    from django.db import transaction

    try:
        with transaction.atomic():
            call_command("seed_scale", scale="tiny", seed=seed, stdout=StringIO())
            ids = sorted(Referral.objects.values_list("id", "state", "organisation_id"))
            raise Rollback
    except Rollback:
        return ids


def test_the_same_seed_gives_the_same_data(db):
    assert _seeded_ids(3) == _seeded_ids(3)


def test_a_database_with_data_is_refused_without_force(seeded):
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", scale="tiny", seed=3)


def test_full_scale_is_refused_on_sqlite(db, settings):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("only SQLite refuses the full set")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", scale="full")


def test_seeded_pages_render_with_a_constant_number_of_queries(seeded, client, django_assert_max_num_queries):
    school = School.objects.order_by("institution_number").first()
    coordinator = User.objects.get(memberships__school=school, memberships__role=Role.CARE_COORDINATOR)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:referrals", kwargs={"school_id": school.public_id}))
    assert response.status_code == 200
    assert response.context["referrals"]

    official = User.objects.get(memberships__municipality=school.municipality, memberships__role=Role.LOCAL_OFFICIAL)
    client.force_login(official)
    url = reverse("network:dashboard", kwargs={"municipality_id": school.municipality.public_id})
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_force_reseeds_and_keeps_the_lookup_rows_of_the_migrations(seeded):
    from django.db import connection

    from reflection.models import Question
    from welfare.models import NeedCategory

    if connection.vendor != "postgresql":
        pytest.skip("--force is for PostgreSQL only")
    questions, needs = Question.objects.filter(round__isnull=True).count(), NeedCategory.objects.count()
    with connection.cursor() as cursor:  # as if the first seed had been committed: no deferred checks left
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("seed_scale", scale="tiny", seed=4, force=True, stdout=StringIO())
    assert Referral.objects.count() == scale_counts("tiny")["referrals"]
    assert Question.objects.filter(round__isnull=True).count() == questions
    assert NeedCategory.objects.count() == needs


def test_force_is_refused_on_sqlite(seeded):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="only works on PostgreSQL"):
        call_command("seed_scale", scale="tiny", force=True)
