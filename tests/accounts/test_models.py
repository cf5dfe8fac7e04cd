from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

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


def test_every_role_belongs_to_a_tenant_kind():
    assert set(ROLE_TENANT) == set(Role)
    assert set(ROLE_TENANT.values()) == set(TenantKind)
