import unicodedata
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Membership, User
from accounts.roles import ROLE_TENANT, Role, TenantKind
from tests.factories import UserFactory


def test_a_membership_names_exactly_one_tenant_of_the_role_kind(school, organisation):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.WELFARE_WORKER, school=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.TEACHER, school=school, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.TEACHER)
    assert Membership.objects.create(user=user, role=Role.TEACHER, school=school).tenant == school


def test_one_open_membership_per_person_role_and_school(school):
    user = UserFactory()
    Membership.objects.create(user=user, role=Role.TEACHER, school=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.TEACHER, school=school)


def test_active_membership_respects_its_dates(school):
    user = UserFactory()
    today = timezone.localdate()
    Membership.objects.create(user=user, role=Role.TEACHER, school=school, starts_on=today + timedelta(days=3))
    Membership.objects.create(
        user=user, role=Role.DIRECTOR, school=school, starts_on=today - timedelta(days=9), ends_on=today
    )
    current = Membership.objects.create(user=user, role=Role.CARE_COORDINATOR, school=school)
    assert list(Membership.objects.active()) == [current]


def test_emails_are_stored_in_lower_case(db):
    user = User.objects.create_user("Mixed.Case@Test.Example", "a-long-test-password-42")
    assert user.email == "mixed.case@test.example"
    assert User.objects.get_by_natural_key("MIXED.case@test.example") == user


def test_an_address_with_look_alike_characters_is_stored_and_found_in_its_one_spelling(db):
    user = User.objects.create_user(" \uff24irectie@Kanaalkant\uff0eexample ", "a-long-test-password-42")
    assert user.email == "directie@kanaalkant.example"
    assert User.objects.get_by_natural_key("\U0001d41d\U0001d422rectie@kanaalkant.example") == user


def test_a_user_built_by_a_form_is_cleaned_to_the_one_spelling(db):
    # As the admin's user forms do: a full-width letter in the domain passes the address check.
    user = User(email="Fien@\uff4banaalkant.example", full_name="Fien")
    user.set_password("a-long-test-password-42")
    user.full_clean()
    assert user.email == "fien@kanaalkant.example"


def test_case_is_lowered_not_casefolded_so_distinct_addresses_stay_distinct():
    # casefold() would turn "straße" into "strasse": someone else's mailbox.
    assert User.objects.normalise_email("Straße@Example.de") == "straße@example.de"


@given(st.text())
def test_every_spelling_has_one_canonical_form_whichever_way_it_arrives(text):
    canonical = User.objects.normalise_email(text)
    assert User.objects.normalise_email(canonical) == canonical
    # Django's login form strips and folds (NFKC) before our code sees the address: same result.
    assert User.objects.normalise_email(unicodedata.normalize("NFKC", text.strip())) == canonical


def test_every_role_belongs_to_a_tenant_kind():
    assert set(ROLE_TENANT) == set(Role)
    assert set(ROLE_TENANT.values()) == set(TenantKind)
