"""No sequence of moves sends a referral or shows a family detail without covering consent.

Hypothesis drives the service layer (the same `transition()` every view calls) through random
sequences: recording and withdrawing consent for the right or the wrong organisation, and any
side asking for any state. After every step the invariants must hold.
"""

import itertools

from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.roles import Role
from referrals.models import SHARED, Consent, DataItem, Family, Referral, State
from referrals.workflow import (
    ORGANISATION,
    SCHOOL,
    SYSTEM,
    TRANSITIONS,
    ConsentMissing,
    NotAllowed,
    disclosed,
    transition,
)
from schools.years import end_of_school_year
from tests.factories import MunicipalityFactory, OrganisationFactory, SchoolFactory, member
from welfare.models import NeedCategory

counter = itertools.count()


class ConsentMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        n = next(counter)
        municipality = MunicipalityFactory()
        self.school = SchoolFactory(municipality=municipality)
        self.organisation = OrganisationFactory(municipalities=[municipality])
        self.other = OrganisationFactory(municipalities=[municipality])
        self.coordinator = member(Role.CARE_COORDINATOR, self.school)
        self.need = NeedCategory.objects.get(code="material_admin")
        self.family = Family.objects.create(
            school=self.school, reference=f"SM-{n}", guardian_name="Geheime Naam", phone="0470 00 00 00"
        )
        self.referral = Referral.objects.create(
            school=self.school,
            family=self.family,
            need=self.need,
            organisation=self.organisation,
            reference_person=self.coordinator,
        )
        self.request = RequestFactory().post("/")
        self.request.user = self.coordinator

    @rule(right_organisation=st.booleans(), contact=st.booleans())
    def record_consent(self, right_organisation, contact):
        consent = Consent.objects.create(
            family=self.family,
            given_by="moeder",
            method="paper",
            recorded_by=self.coordinator,
            data_items=[DataItem.NEED, *([DataItem.CONTACT_DETAILS] if contact else [])],
            valid_until=end_of_school_year(timezone.localdate()),
        )
        consent.organisations.add(self.organisation if right_organisation else self.other)
        consent.needs.add(self.need)

    @rule(data=st.data())
    def withdraw_a_consent(self, data):
        from referrals.workflow import withdraw_consent

        active = list(self.family.consents.active())
        if active:
            withdraw_consent(request=self.request, consent=data.draw(st.sampled_from(active)), method="paper")

    @rule(data=st.data(), anything=st.booleans())
    def ask_for_a_state(self, data, anything):
        before = Referral.objects.get(pk=self.referral.pk).state
        # Mostly a move the table offers from here (by the side it names), sometimes anything at all.
        offered = [(to, side) for (frm, to), sides in TRANSITIONS.items() if frm == before for side in sorted(sides)]
        if anything or not offered:
            to = data.draw(st.sampled_from(list(State)))
            side = data.draw(st.sampled_from([SCHOOL, ORGANISATION, SYSTEM]))
        else:
            to, side = data.draw(st.sampled_from(offered))
        try:
            transition(
                request=self.request,
                referral=self.referral,
                to=to,
                side=side,
                **({"decline_reason": "other"} if to == State.DECLINED else {}),
                **({"outcome": "partly"} if to == State.CLOSED else {}),
            )
        except (NotAllowed, ConsentMissing):
            assert Referral.objects.get(pk=self.referral.pk).state == before

    @invariant()
    def shared_only_under_covering_consent(self):
        referral = Referral.objects.select_related("consent", "family", "organisation", "need").get(pk=self.referral.pk)
        if referral.state in SHARED:
            assert referral.consent is not None
            assert referral.consent.covers(referral.organisation, referral.need, DataItem.NEED)
        shown = disclosed(referral)
        if shown["contact"] is not None:
            assert referral.consent.is_active
            assert referral.consent.covers(referral.organisation, referral.need, DataItem.CONTACT_DETAILS)
        if referral.consent is not None and not referral.consent.is_active:
            assert shown["contact"] is None and shown["need"] is None


def test_no_sequence_of_moves_shares_without_covering_consent(db):
    run_state_machine_as_test(
        ConsentMachine,
        settings=settings(
            max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
