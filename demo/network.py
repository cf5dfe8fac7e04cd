"""Demo data for the municipal dashboard and the network: enough schools and activity in
Brugwaarde that the dashboard shows real counts, counts below five and counts hidden to protect
them, and a child-poverty network with one past and one coming meeting."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from network.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    EngagementDeclaration,
    EngagementItem,
    ItemStatus,
    Meeting,
    Network,
    NetworkAction,
    NetworkKind,
    PolicySignal,
    SignalKind,
)
from network.stats import period_end
from places.models import Region
from referrals.models import (
    Channel,
    Consent,
    ConsentMethod,
    DataItem,
    DeclineReason,
    Family,
    Intensity,
    Outcome,
    Referral,
    ReferralEvent,
    Signal,
    State,
)
from schools.models import (
    Collaboration,
    CollaborationIntensity,
    CollaborationKind,
    EducationNetwork,
    PartnerRelation,
    RelationStatus,
    School,
    SchoolLevel,
)
from schools.years import end_of_school_year, school_year_of
from welfare.models import NeedCategory

# Schools without demo accounts: they only add activity to the municipality's counts.
EXTRA_SCHOOLS = [
    ("990101", "Basisschool Het Kompas", EducationNetwork.FREE_SUBSIDISED, "Kompasweg 3"),
    ("990102", "Gemeentelijke Basisschool De Vlieger", EducationNetwork.OFFICIAL_SUBSIDISED, "Vliegerlaan 8"),
    ("990103", "Basisschool Sint-Jozef", EducationNetwork.FREE_SUBSIDISED, "Kerkplein 2"),
    ("990104", "Basisschool De Regenboog", EducationNetwork.COMMUNITY, "Regenbooglaan 21"),
]
# Per extra school: (need code, signals this school year, signals last school year).
SIGNALS = {
    "990101": [("material_admin", 11, 9), ("parenting_family", 6, 7), ("hygiene_health", 2, 0)],
    "990102": [("material_admin", 8, 12), ("arts_sport_leisure", 5, 3), ("child_poverty", 1, 0)],
    "990103": [("material_admin", 9, 6), ("hygiene_health", 7, 5), ("education_barriers", 3, 2)],
    "990104": [("parenting_family", 10, 4), ("material_admin", 6, 8)],
}
# Per extra school: (need, organisation, state, decline reason, how many) this school year.
REFERRALS = {
    "990101": [
        ("material_admin", "OCMW Brugwaarde", State.IN_CONTACT, "", 6),
        ("parenting_family", "Opvoedingswinkel Brugwaarde", State.DECLINED, DeclineReason.NO_CAPACITY, 3),
    ],
    "990102": [
        ("material_admin", "OCMW Brugwaarde", State.CLOSED, "", 7),
        ("arts_sport_leisure", "Buurtwerk De Sluis", State.ACCEPTED, "", 2),
    ],
    "990103": [
        ("hygiene_health", "CAW Brugwaarde-Kanaalhoek", State.SENT, "", 5),
        ("material_admin", "Sociaal Huis Brugwaarde", State.DECLINED, DeclineReason.WRONG_ORGANISATION, 1),
    ],
    "990104": [("parenting_family", "Huis van het Kind Brugwaarde", State.IN_CONTACT, "", 8)],
}


def seed(*, municipality, neighbour, official, organisations):
    today = timezone.localdate()
    region, _ = Region.objects.get_or_create(name="Regio Kanaalzone")
    region.municipalities.add(municipality, neighbour)
    clb = organisations["CLB Brugwaarde-Kanaalhoek"]
    needs = {n.code: n for n in NeedCategory.objects.all()}
    schools = []
    for number, name, network, street in EXTRA_SCHOOLS:
        school, created = School.objects.get_or_create(
            institution_number=number,
            defaults={
                "name": name,
                "municipality": municipality,
                "education_network": network,
                "level": SchoolLevel.NURSERY_AND_PRIMARY,
                "street_address": street,
                "postal_code": "9990",
                "clb": clb,
            },
        )
        schools.append(school)
        if created:
            # Dated in the last complete month: the dashboard counts families per closed month.
            _activity(school, _coordinator(school), needs, organisations, period_end(today) - timedelta(days=1))
    _network(municipality, official, schools, organisations, needs, today)


def _coordinator(school):
    """The school's care coordinator, who logged its signals; no password, not a demo login."""
    user, _ = User.objects.get_or_create(
        email=f"zorg-{school.institution_number}@scholen.example", defaults={"full_name": f"Zorgteam {school.name}"}
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership(user=user, role=Role.CARE_COORDINATOR)
    membership.set_tenant(school)
    membership.save()
    return user


def _activity(school, coordinator, needs, organisations, today):
    """Signals and referrals recorded on `today` (and signals a year before)."""
    recorded = timezone.make_aware(datetime.combine(today, time(12)))
    last_year = today - timedelta(days=365)
    signals = []
    for code, now, before in SIGNALS[school.institution_number]:
        for day, count in ((today - timedelta(days=3), now), (last_year, before)):
            signals += [
                Signal(
                    school=school,
                    need=needs[code],
                    channel=list(Channel)[(i + len(signals)) % len(Channel)],
                    received_on=day,
                    school_year=school_year_of(day),
                    reported_by=coordinator,
                )
                for i in range(count)
            ]
    Signal.objects.bulk_create(signals)
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(created_at=recorded)
    # One family code per referral, without contact details: only the counts matter here.
    for index, (code, name, state, reason, count) in enumerate(REFERRALS[school.institution_number]):
        for n in range(count):
            family = Family.objects.create(school=school, reference=f"D-{school.institution_number[-2:]}-{index}{n}")
            consent = Consent.objects.create(
                family=family,
                given_by="ouder",
                method=ConsentMethod.CONVERSATION,
                recorded_by=coordinator,
                data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED],
                valid_until=end_of_school_year(today),
            )
            consent.organisations.add(organisations[name])
            referral = Referral.objects.create(
                school=school,
                family=family,
                need=needs[code],
                organisation=organisations[name],
                reference_person=coordinator,
                intensity=list(Intensity)[(index + n) % len(Intensity)],
                state=state,
                decline_reason=reason,
                consent=consent,
                outcome=Outcome.GOT_HELP if state == State.CLOSED and n % 3 else "",
            )
            Referral.objects.filter(pk=referral.pk).update(created_at=recorded - timedelta(days=4 + n))
            sent = ReferralEvent.objects.create(referral=referral, to_state=State.SENT, side="school")
            ReferralEvent.objects.filter(pk=sent.pk).update(at=recorded - timedelta(days=3 + n))
            if state in {State.IN_CONTACT, State.CLOSED}:
                contact = ReferralEvent.objects.create(
                    referral=referral, to_state=State.IN_CONTACT, side="organisation"
                )
                ReferralEvent.objects.filter(pk=contact.pk).update(at=recorded)
    close, _ = PartnerRelation.objects.get_or_create(
        school=school, organisation=organisations["OCMW Brugwaarde"], defaults={"status": RelationStatus.CLOSE}
    )
    Collaboration.objects.get_or_create(
        relation=close, kind=CollaborationKind.REFERRAL, defaults={"intensity": CollaborationIntensity.STRUCTURAL}
    )
    Collaboration.objects.get_or_create(
        relation=close, kind=CollaborationKind.EXCHANGE, defaults={"intensity": CollaborationIntensity.INTENSIVE}
    )
    explore, _ = PartnerRelation.objects.get_or_create(
        school=school, organisation=organisations["Buurtwerk De Sluis"], defaults={"status": RelationStatus.TO_EXPLORE}
    )
    Collaboration.objects.get_or_create(
        relation=explore,
        kind=CollaborationKind.MEDIATION_PREVENTIVE,
        defaults={"intensity": CollaborationIntensity.ONE_OFF},
    )


def _network(municipality, official, schools, organisations, needs, today):
    network, created = Network.objects.get_or_create(
        municipality=municipality,
        name="Lokaal netwerk kinderarmoede Brugwaarde",
        defaults={
            "kind": NetworkKind.CHILD_POVERTY,
            "coordinator": official,
            "goal": "Scholen, welzijnspartners en de gemeente stemmen hun aanbod voor gezinnen in armoede af "
            "en brengen wat ontbreekt naar het lokaal armoedebeleid.",
        },
    )
    if not created:
        return
    network.schools.set(municipality.schools.all())
    network.organisations.set(
        [
            organisations[name]
            for name in (
                "OCMW Brugwaarde",
                "CAW Brugwaarde-Kanaalhoek",
                "Huis van het Kind Brugwaarde",
                "Buurtwerk De Sluis",
            )
        ]
    )
    past = Meeting.objects.create(
        network=network,
        held_on=today - timedelta(days=42),
        place="Sociaal Huis Brugwaarde, zaal 2",
        minutes="Het Huis van het Kind stelde de nieuwe inloopmomenten voor. Scholen melden dat gezinnen de "
        "vrijetijdspas niet kennen. Afgesproken: één overzicht van het zomeraanbod voor alle scholen.",
    )
    AgendaItem.objects.create(
        meeting=past,
        position=1,
        kind=AgendaItemKind.OFFER,
        title="Inloopmomenten Huis van het Kind",
        presenter=organisations["Huis van het Kind Brugwaarde"],
    )
    AgendaItem.objects.create(
        meeting=past,
        position=2,
        kind=AgendaItemKind.NEED_SIGNAL,
        title="Vrijetijdspas onbekend bij ouders",
        needs_feedback=True,
        decision="De dienst Welzijn maakt een folder in eenvoudige taal.",
    )
    NetworkAction.objects.create(
        network=network,
        decided_at=past,
        what="Eén overzicht van het zomeraanbod voor alle scholen",
        owner_organisation=organisations["Buurtwerk De Sluis"],
        due_on=today + timedelta(days=20),
    )
    NetworkAction.objects.create(
        network=network,
        decided_at=past,
        what="Folder vrijetijdspas in eenvoudige taal",
        due_on=today - timedelta(days=7),
        status=ActionStatus.DOING,
    )
    NetworkAction.objects.create(
        network=network,
        decided_at=past,
        what="Contactpersoon per school doorgeven aan het OCMW",
        owner_organisation=organisations["OCMW Brugwaarde"],
        due_on=today - timedelta(days=14),
        status=ActionStatus.DONE,
        closed_on=today - timedelta(days=20),
    )
    declaration = EngagementDeclaration.objects.create(
        municipality=municipality,
        school=schools[0],
        school_year=school_year_of(today),
        title="Engagement voor het schoolfonds",
        created_by=official,
    )
    for index, (text, status) in enumerate(
        [
            ("De brugfiguur staat op de website en in het organigram", ItemStatus.MET),
            ("Armoede staat één keer per schooljaar op de personeelsvergadering", ItemStatus.UNDER_WAY),
            ("De school herbekijkt haar kostenbeleid met de ouderraad", ItemStatus.OPEN),
        ]
    ):
        EngagementItem.objects.create(declaration=declaration, position=index, text=text, status=status)
    coming = Meeting.objects.create(
        network=network, held_on=today + timedelta(days=14), place="Sociaal Huis Brugwaarde, zaal 2"
    )
    signal = PolicySignal.objects.create(
        municipality=municipality,
        need=needs["parenting_family"],
        kind=SignalKind.NO_CAPACITY,
        school_year=school_year_of(today),
        description="De opvoedingsondersteuning heeft een wachtlijst; scholen vinden geen plaats voor gezinnen.",
        status="on_agenda",
        proposed_by=official,
    )
    AgendaItem.objects.create(
        meeting=coming,
        position=1,
        kind=AgendaItemKind.NEED_SIGNAL,
        title=str(signal),
        policy_signal=signal,
        needs_feedback=True,
    )
