import pytest
from django.utils import timezone

from referrals.models import Consent, DataItem, Family, Referral
from schools.years import end_of_school_year

DETAILS = {"guardian_name": "Samira Testouder", "phone": "0470 12 34 56", "child_first_name": "Lina"}


@pytest.fixture
def family(school):
    return Family.objects.create(school=school, reference="G-1", **DETAILS)


@pytest.fixture
def consent(family, organisation, need, coordinator):
    given = Consent.objects.create(
        family=family,
        given_by="moeder",
        method="conversation",
        recorded_by=coordinator,
        data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED],
        valid_until=end_of_school_year(timezone.localdate()),
    )
    given.organisations.add(organisation)
    given.needs.add(need)
    return given


@pytest.fixture
def referral(school, family, organisation, need, coordinator):
    return Referral.objects.create(
        school=school, family=family, need=need, organisation=organisation, reference_person=coordinator
    )
