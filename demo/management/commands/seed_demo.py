"""Fictional demo data: two municipalities, four schools, a directory of forty organisations,
partly filled Ken je buurt maps and one user for every role.

Every name here is invented. Running the command again changes nothing that is already there
(passwords included), so it never loses what somebody did in the demo.
"""

import hashlib
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import Role
from demo import bridge as bridge_demo
from demo import network as network_demo
from demo import referrals as referrals_demo
from demo import reflection as reflection_demo
from demo import schools as schools_demo
from demo import welfare as welfare_demo
from places.models import Municipality, Province
from referrals.models import (
    FINAL,
    SHARED,
    Alert,
    AlertKind,
    Channel,
    Consent,
    ConsentMethod,
    Family,
    Intensity,
    LegalGround,
    Outcome,
    Referral,
    ReferralEvent,
    SchoolAction,
    Signal,
    State,
)
from schools.models import EducationNetwork, PartnerRelation, RelationStatus, School, SchoolLevel
from schools.services import save_relation
from schools.years import end_of_school_year, school_year_of
from welfare.models import FeedbackLevel, NeedCategory

DEMO_PASSWORD = "demo-brugwijzer-2026"  # noqa: S105 - printed and in the README on purpose


def demo_totp_key(email: str) -> str:
    """The authenticator secret of a demo account, derived from its address: anyone can compute it
    (`python manage.py demo_code`), which is the point in a demo and why real accounts never get one."""
    return hashlib.sha256(f"brugwijzer-demo-authenticator:{email}".encode()).hexdigest()[:40]


MUNICIPALITIES = [
    # nis_code (99xxx: no real Belgian municipality has one), name, province
    ("99001", "Brugwaarde", Province.EAST_FLANDERS),
    ("99002", "Kanaalhoek", Province.EAST_FLANDERS),
]

# institution number (99xxxx), name, nis code, network, level, street, postal code
SCHOOLS = [
    (
        "990001",
        "Basisschool De Zeppelin",
        "99001",
        EducationNetwork.COMMUNITY,
        SchoolLevel.NURSERY_AND_PRIMARY,
        "Ballonstraat 12",
        "9990",
    ),
    (
        "990002",
        "Gemeentelijke Basisschool Kanaalkant",
        "99001",
        EducationNetwork.OFFICIAL_SUBSIDISED,
        SchoolLevel.NURSERY_AND_PRIMARY,
        "Jaagpad 3",
        "9990",
    ),
    (
        "990003",
        "Vrije Basisschool De Boomgaard",
        "99001",
        EducationNetwork.FREE_SUBSIDISED,
        SchoolLevel.PRIMARY,
        "Perenlaan 40",
        "9990",
    ),
    (
        "990004",
        "Basisschool Het Sluisje",
        "99002",
        EducationNetwork.COMMUNITY,
        SchoolLevel.NURSERY_AND_PRIMARY,
        "Sluisweg 7",
        "9991",
    ),
]

# email, full name, [(role, institution number / organisation name / nis code)]
USERS = [
    ("directie@zeppelin.example", "Hanne Verstraete", [(Role.DIRECTOR, "990001")]),
    ("zorg@zeppelin.example", "Yusuf Demir", [(Role.CARE_COORDINATOR, "990001"), (Role.CARE_COORDINATOR, "990002")]),
    ("leerkracht@zeppelin.example", "Lotte Claeys", [(Role.TEACHER, "990001")]),
    ("secretariaat@zeppelin.example", "Ria Van Damme", [(Role.ADMIN_STAFF, "990001")]),
    (
        "brugfiguur@brugwaarde.example",
        "Amina El Idrissi",
        [(Role.BRIDGE_FIGURE, "990001"), (Role.BRIDGE_FIGURE, "990003")],
    ),
    (
        "clb@brugwaarde.example",
        "Pieter Goossens",
        [
            (Role.CLB_WORKER, "990001"),
            (Role.CLB_WORKER, "990002"),
            (Role.CLB_WORKER, "990003"),
            # The same person takes in what schools send to the CLB, such as a safety concern.
            (Role.WELFARE_INTAKE, "CLB Brugwaarde-Kanaalhoek"),
        ],
    ),
    ("directie@kanaalkant.example", "Koen Maes", [(Role.DIRECTOR, "990002")]),
    ("directie@boomgaard.example", "Sofie Peeters", [(Role.DIRECTOR, "990003")]),
    ("directie@sluisje.example", "Bram Willems", [(Role.DIRECTOR, "990004")]),
    ("welzijn@caw-brugwaarde.example", "Nadia Janssens", [(Role.WELFARE_WORKER, "CAW Brugwaarde-Kanaalhoek")]),
    ("onthaal@caw-brugwaarde.example", "Tom De Smet", [(Role.WELFARE_INTAKE, "CAW Brugwaarde-Kanaalhoek")]),
    # Coordinates the bridge figures of the Brugwaarde service: sees their workload as counts.
    (
        "coordinatie@brugfiguren-brugwaarde.example",
        "Griet Vermeulen",
        [(Role.WELFARE_INTAKE, "Brugfigurenwerking Brugwaarde")],
    ),
    ("regisseur@brugwaarde.example", "Eline Mertens", [(Role.LOCAL_OFFICIAL, "99001")]),
]
ADMIN = ("admin@brugwijzer.example", "Platformbeheer Brugwijzer")

# institution number: [(organisation, status, our contact there, agreements)]
MAPS = {
    "990001": [
        (
            "OCMW Brugwaarde",
            RelationStatus.CLOSE,
            "Sara Mahieu, maatschappelijk werker",
            "Zitdag op school elke eerste maandag van de maand.",
        ),
        ("CLB Brugwaarde-Kanaalhoek", RelationStatus.CLOSE, "Pieter Goossens", "Afsprakennota voor dit schooljaar."),
        ("Huis van het Kind Brugwaarde", RelationStatus.CLOSE, "", ""),
        ("CAW Brugwaarde-Kanaalhoek", RelationStatus.NONE_YET, "", ""),
        ("Sportdienst Brugwaarde", RelationStatus.NONE_YET, "", ""),
        ("Buurtwerk De Sluis", RelationStatus.TO_EXPLORE, "", ""),
    ],
    "990002": [
        ("OCMW Brugwaarde", RelationStatus.CLOSE, "", ""),
        ("Brugfigurenwerking Brugwaarde", RelationStatus.CLOSE, "Amina El Idrissi", "Koffiemoment elke vrijdag."),
        ("Huiswerkklas De Boekenwurm", RelationStatus.TO_EXPLORE, "", ""),
    ],
    "990003": [
        ("CLB Brugwaarde-Kanaalhoek", RelationStatus.CLOSE, "", ""),
        ("Opvoedingswinkel Brugwaarde", RelationStatus.NONE_YET, "", ""),
    ],
    "990004": [("OCMW Kanaalhoek", RelationStatus.CLOSE, "", "")],
}
# reference, guardian, child, class, organisation, need, state, what the consent lets the school share
DEMO_FAMILIES = [
    (
        "ZEP-2026-01",
        "Demo-ouder Anna",
        "Mila",
        "2A",
        "OCMW Brugwaarde",
        "material_admin",
        "in_contact",
        ["contact_details", "need", "alerts"],
    ),
    (
        "ZEP-2026-02",
        "Demo-ouder Brahim",
        "Adam",
        "4B",
        "CAW Brugwaarde-Kanaalhoek",
        "parenting_family",
        "sent",
        ["contact_details", "need"],
    ),
    ("ZEP-2026-03", "", "", "", "Sportdienst Brugwaarde", "arts_sport_leisure", "draft", []),
    ("ZEP-2026-04", "Demo-ouder Chloé", "Lou", "6A", "OCMW Brugwaarde", "material_admin", "closed", ["need"]),
    # A safety concern: no consent, sent to the CLB on a legal ground (see CONCERN).
    ("ZEP-2026-05", "Demo-ouder Dries", "Noor", "3A", "CLB Brugwaarde-Kanaalhoek", "parenting_family", "sent", []),
]
CONCERN = {
    "ZEP-2026-05": (
        LegalGround.CHILD_SAFETY,
        "Fictief voorbeeld: het kind toont letsels en zegt dat het niet naar huis wil; overlegd met de directie.",
    )
}
DEMO_NOTES = [
    "Schoolfactuur van het tweede trimester staat nog open.",
    "Komt vaak zonder ontbijt naar school.",
    "Ouder vraagt hulp bij een brief van de huisbaas.",
    "Kan niet mee op de sportdag: geen sportkledij.",
    "Lange tijd niet bij de tandarts geweest.",
    "Ouder begrijpt de inschrijvingsprocedure voor het secundair niet.",
    "",
]
FOCUS = {"990001": ["material_admin", "hygiene_health", "arts_sport_leisure"], "990002": ["education_barriers"]}


class Command(BaseCommand):
    help = "Load the fictional Brugwaarde demo: municipalities, schools, partners and one user for every role."

    @transaction.atomic
    def handle(self, *args, **options):
        municipalities = {}
        for nis_code, name, province in MUNICIPALITIES:
            municipalities[nis_code], _ = Municipality.objects.update_or_create(
                nis_code=nis_code, defaults={"name": name, "province": province}
            )

        organisations = welfare_demo.load(municipalities)
        # The OCMW tells schools the outcome as well; the others give the status only (the default).
        organisations["OCMW Brugwaarde"].feedback_level = FeedbackLevel.OUTCOME
        organisations["OCMW Brugwaarde"].save(update_fields=["feedback_level"])

        clb = organisations["CLB Brugwaarde-Kanaalhoek"]
        schools = {}
        for number, name, nis_code, network, level, street, postal_code in SCHOOLS:
            schools[number], _ = School.objects.update_or_create(
                institution_number=number,
                defaults={
                    "name": name,
                    "municipality": municipalities[nis_code],
                    "education_network": network,
                    "level": level,
                    "street_address": street,
                    "postal_code": postal_code,
                    "clb": clb,
                },
            )

        tenants = {**schools, **organisations, **municipalities}
        for email, full_name, roles in USERS:
            user = self._user(email, full_name)
            for role, tenant_key in roles:
                membership = Membership(user=user, role=role)
                membership.set_tenant(tenants[tenant_key])
                existing = Membership.objects.active().for_tenant(membership.tenant).filter(user=user, role=role)
                if not existing.exists():
                    membership.save()
        self._user(*ADMIN, is_staff=True, is_superuser=True)
        self._maps(schools, organisations, tenants)
        self._signals(schools, organisations)
        self._referrals(schools, organisations)
        referrals_demo.seed_consultations(school=schools["990001"], organisations=organisations)
        bridge_demo.seed(schools=schools, organisations=organisations)
        self._reflection(schools["990001"])
        schools_demo.seed(
            school=schools["990001"],
            organisations=organisations,
            director=User.objects.get(email="directie@zeppelin.example"),
        )
        network_demo.seed(
            municipality=municipalities["99001"],
            neighbour=municipalities["99002"],
            official=User.objects.get(email="regisseur@brugwaarde.example"),
            organisations=organisations,
        )
        self._print_logins()

    def _maps(self, schools, organisations, tenants):
        """Each school's Ken je buurt map, partly filled in by its director."""
        needs = {n.code: n for n in NeedCategory.objects.all()}
        for number, relations in MAPS.items():
            school = schools[number]
            director = User.objects.filter(memberships__school=school, memberships__role=Role.DIRECTOR).first()
            for name, status, contact, agreements in relations:
                relation, created = PartnerRelation.objects.get_or_create(
                    school=school,
                    organisation=organisations[name],
                    defaults={"status": status, "contact_person": contact, "agreements": agreements},
                )
                if created:
                    save_relation(relation=relation, user=director, previous_status="")
            if not school.focus_needs.exists():
                school.focus_needs.set([needs[code] for code in FOCUS.get(number, [])])

    def _signals(self, schools, organisations):
        """Three school years of signals at two schools, so the overview has something to show."""
        needs = list(NeedCategory.objects.all())
        channels = list(Channel.values)
        actions = [
            SchoolAction.HANDLED_INTERNALLY,
            SchoolAction.REFERRED,
            SchoolAction.PENDING,
            SchoolAction.REFERRED,
            SchoolAction.CANNOT_TAKE_UP,
        ]
        today = timezone.localdate()
        for number, per_year in (("990001", 14), ("990002", 6)):
            school = schools[number]
            if school.signals.exists():
                continue
            reporter = User.objects.filter(memberships__school=school, memberships__role=Role.CARE_COORDINATOR).first()
            for index in range(per_year * 3):
                day = today - timedelta(days=9 * index + 1)
                action = actions[index % len(actions)]
                signal = Signal(
                    need=needs[(index * 7 + index // 5) % len(needs)],
                    channel=channels[index % len(channels)],
                    received_on=day,
                    note=DEMO_NOTES[index % len(DEMO_NOTES)],
                    action=action,
                    action_reason="Buiten de opdracht van de school; besproken met het CLB."
                    if action == SchoolAction.CANNOT_TAKE_UP
                    else "",
                    organisation=organisations["OCMW Brugwaarde"] if action == SchoolAction.REFERRED else None,
                )
                signal.school = school
                signal.reported_by = reporter
                signal.school_year = school_year_of(day)
                signal.save()

    def _referrals(self, schools, organisations):
        """Four fictional families at De Zeppelin with consent, and referrals in several states."""
        school = schools["990001"]
        if school.families.exists():
            return
        coordinator = User.objects.get(email="zorg@zeppelin.example")
        needs = {n.code: n for n in NeedCategory.objects.all()}
        today = timezone.localdate()
        for reference, guardian, child, klass, organisation, need, state, items in DEMO_FAMILIES:
            family = Family.objects.create(
                school=school,
                reference=reference,
                guardian_name=guardian,
                child_first_name=child,
                child_class=klass,
                phone="0400 00 00 00" if guardian else "",
            )
            consent = None
            if items:
                consent = Consent.objects.create(
                    family=family,
                    given_by="moeder",
                    method=ConsentMethod.CONVERSATION,
                    recorded_by=coordinator,
                    data_items=items,
                    valid_until=end_of_school_year(today),
                )
                consent.organisations.add(organisations[organisation])
                consent.needs.add(needs[need])
            referral = Referral.objects.create(
                school=school,
                family=family,
                need=needs[need],
                organisation=organisations[organisation],
                reference_person=coordinator,
                intensity=Intensity.ACCOMPANIED,
                state=state,
                consent=consent if state in SHARED or state == State.CLOSED else None,
                outcome=Outcome.GOT_HELP if state == State.CLOSED else "",
                organisation_outcome=Outcome.GOT_HELP if state == State.CLOSED else "",
                next_follow_up=today + timedelta(days=14) if state not in FINAL else None,
                concern=reference in CONCERN,
                legal_ground=CONCERN.get(reference, ("", ""))[0],
                legal_reason=CONCERN.get(reference, ("", ""))[1],
            )
            ReferralEvent.objects.create(referral=referral, to_state=state, by=coordinator, side="school")
            if "alerts" in items:
                Alert.objects.create(
                    referral=referral,
                    kind=AlertKind.PAPERS,
                    note="Het attest van het ziekenfonds ontbreekt nog voor de aanvraag.",
                )

    def _reflection(self, school):
        director = User.objects.filter(memberships__school=school, memberships__role=Role.DIRECTOR).first()
        team = (
            User.objects.filter(memberships__school=school)
            .exclude(pk=director.pk)
            .exclude(memberships__role=Role.CLB_WORKER)
            .distinct()
            .order_by("email")
        )
        reflection_demo.seed(school, director, list(team))
        reflection_demo.seed_parent_survey(school, director)

    def _user(self, email, full_name, **flags):
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **flags})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # Every demo account comes with its authenticator app set up (unless it was changed in the
        # demo), so logging in needs only `manage.py demo_code <email>` for the code.
        if not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True, key=demo_totp_key(email))
        return user

    @staticmethod
    def _place_name(key):
        names = {number: name for number, name, *_rest in SCHOOLS} | {code: name for code, name, _p in MUNICIPALITIES}
        return names.get(key, key)

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000 with:"))
        for email, _full_name, roles in USERS:
            role = roles[0][0].label
            places = ", ".join(self._place_name(key) for _role, key in roles)
            self.stdout.write(f"  {email:34} {role} · {places}")
        self.stdout.write(f"  {ADMIN[0]:34} platform administrator (/admin/)")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Every demo account has an authenticator app set up. For the code it asks after the password, run:\n"
            "  .venv/bin/python manage.py demo_code <email>"
        )
