from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from referrals.models import (
    Channel,
    Consent,
    DataItem,
    DeclineReason,
    Family,
    Outcome,
    Referral,
    ReferralEvent,
    Signal,
    State,
)
from schools.years import end_of_school_year, school_year_of
from tests.factories import SchoolFactory
from welfare.models import NeedCategory

# Canaries: if any of these reaches a dashboard page or export, a family leaked.
CANARY_GUARDIAN = "Canarina Vogelzang"
CANARY_CHILD = "Pietje Kanarie"
CANARY_NOTE = "kanarienotitie-geheim"
CANARY_REFERENCE = "KAN-777"


def last_counted_day():
    """The last day the dashboard counts today: the end of the last complete month."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


def noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


class Activity:
    """Builds signals and referrals for a school in bulk, with canary details on every family.
    Unless told otherwise, everything is recorded on the last day the dashboard counts today."""

    def __init__(self, school, worker):
        self.school = school
        self.worker = worker
        self.family = Family.objects.create(
            school=school,
            reference=f"{CANARY_REFERENCE}-{school.pk}",
            guardian_name=CANARY_GUARDIAN,
            child_first_name=CANARY_CHILD,
            phone="0470 00 00 00",
        )

    def signals(self, need_code, n, *, channel=Channel.PARENT_REQUEST, on=None):
        on = on or last_counted_day()
        need = NeedCategory.objects.get(code=need_code)
        made = Signal.objects.bulk_create(
            Signal(
                school=self.school,
                received_on=on,
                school_year=school_year_of(on),
                need=need,
                channel=channel,
                note=CANARY_NOTE,
                reported_by=self.worker,
            )
            for _ in range(n)
        )
        Signal.objects.filter(pk__in=[s.pk for s in made]).update(created_at=min(noon(on), timezone.now()))

    def referrals(self, need_code, organisation, n, *, state=State.SENT, created=None, **fields):
        need = NeedCategory.objects.get(code=need_code)
        consent = Consent.objects.create(
            family=self.family,
            given_by="moeder",
            method="conversation",
            recorded_by=self.worker,
            data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED],
            valid_until=end_of_school_year(timezone.localdate()),
        )
        consent.organisations.add(organisation)
        made = Referral.objects.bulk_create(
            Referral(
                school=self.school,
                family=self.family,
                need=need,
                organisation=organisation,
                reference_person=self.worker,
                note=CANARY_NOTE,
                state=state,
                consent=consent,
                **fields,
            )
            for _ in range(n)
        )
        Referral.objects.filter(pk__in=[r.pk for r in made]).update(created_at=created or noon(last_counted_day()))
        return made

    def contact_after(self, referrals, days):
        """The organisation made contact `days` after the referral was sent."""
        now = noon(last_counted_day())
        for referral in referrals:
            sent = ReferralEvent.objects.create(referral=referral, to_state=State.SENT, side="school")
            contact = ReferralEvent.objects.create(referral=referral, to_state=State.IN_CONTACT, side="organisation")
            ReferralEvent.objects.filter(pk=sent.pk).update(at=now - timezone.timedelta(days=days))
            ReferralEvent.objects.filter(pk=contact.pk).update(at=now)


@pytest.fixture
def activity(coordinator):
    def make(school):
        return Activity(school, coordinator)

    return make


@pytest.fixture
def busy_municipality(municipality, school, organisation, activity):
    """Enough activity that the dashboard shows shown, small and hidden counts."""
    second = SchoolFactory(municipality=municipality, name="Basisschool De Brug")
    one, two = activity(school), activity(second)
    one.signals("material_admin", 12)
    one.signals("parenting_family", 3)
    two.signals("hygiene_health", 7)
    two.signals("child_poverty", 1, channel="home_visit")
    sent = one.referrals("material_admin", organisation, 9, state=State.IN_CONTACT)
    one.contact_after(sent, days=4)
    one.referrals("parenting_family", organisation, 2, state=State.DECLINED, decline_reason=DeclineReason.NO_CAPACITY)
    two.referrals("hygiene_health", organisation, 6, state=State.CLOSED, outcome=Outcome.GOT_HELP)
    return municipality
