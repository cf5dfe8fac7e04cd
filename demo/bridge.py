"""Demo data for bridge figures (issue #9, part 5): Amina El Idrissi serves De Zeppelin and De
Boomgaard for the Brugwaarde bridge-figure service; De Zeppelin shared one family with her under
the parents' consent, and she made a home visit. Everything is fictional. Running it again adds
nothing."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from referrals.models import (
    BridgeEmployment,
    BridgeShare,
    BridgeVisit,
    Consent,
    ConsentMethod,
    DataItem,
    Family,
    VisitKind,
)
from schools.years import end_of_school_year
from welfare.models import NeedCategory

SERVICE = "Brugfigurenwerking Brugwaarde"
REFERENCE = "ZEP-2026-06"


def seed(*, schools, organisations) -> None:
    service = organisations[SERVICE]
    figure = User.objects.get(email="brugfiguur@brugwaarde.example")
    coordinator = User.objects.get(email="zorg@zeppelin.example")
    if not BridgeEmployment.objects.filter(user=figure, organisation=service).exists():
        BridgeEmployment.objects.create(user=figure, organisation=service)
    school = schools["990001"]
    if Family.objects.filter(school=school, reference=REFERENCE).exists():
        return
    today = timezone.localdate()
    family = Family.objects.create(
        school=school,
        reference=REFERENCE,
        guardian_name="Demo-ouder Fatma",
        phone="0400 00 00 06",
        child_first_name="Yara",
        child_class="1B",
    )
    consent = Consent.objects.create(
        family=family,
        given_by="moeder",
        method=ConsentMethod.CONVERSATION,
        recorded_by=coordinator,
        data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED, DataItem.NOTE],
        valid_until=end_of_school_year(today),
    )
    consent.organisations.add(service)
    consent.needs.add(NeedCategory.objects.get(code="material_admin"))
    share = BridgeShare.objects.create(
        family=family,
        bridge_figure=figure,
        service=service,
        consent=consent,
        note="Mama wil graag hulp bij de aanvraag van de schooltoeslag.",
        shared_by=coordinator,
    )
    BridgeVisit.objects.create(
        share=share,
        kind=VisitKind.HOME_VISIT,
        on=today - timedelta(days=4),
        purpose="Kennismaken en samen de papieren voor de schooltoeslag bekijken.",
        follow_up="Er ontbreekt nog een attest van het ziekenfonds.",
        next_step="Samen naar het loket van het Sociaal Huis.",
        next_step_on=today + timedelta(days=6),
        shared_with_school=True,
        recorded_by=figure,
    )
