"""A deterministic dataset the size of Flanders, for benchmarks (issue #8): municipalities,
schools, the social map, users with memberships, five school years of signals, families with
consent, referrals with their state histories, Ken je buurt maps and reflection rounds.

It lives beside `seed_demo` in the demo app because, like it, it fills every app's tables at once
(the top floor may import every app). Everything is fictional and generated from
`random.Random(seed)` (ids too), so the same seed on the same day gives the same rows. Rows go
in with `bulk_create` in batches; family details (encrypted fields) stay empty and every user
shares one password hash, computed once, so nothing slow runs per row.

    python manage.py seed_scale --scale tenth [--seed 8] [--force]
"""

import contextlib
import random
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from places.models import Municipality, Province
from referrals import workflow
from referrals.models import (
    FINAL,
    SHARED,
    Alert,
    AlertKind,
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
    SchoolAction,
    Signal,
    State,
)
from reflection.models import Answer, Participant, Phase, Question, QuestionKind, QuestionnaireVersion, Round
from schools.models import EducationNetwork, PartnerRelation, RelationStatus, School, SchoolLevel
from schools.years import school_year_of
from welfare.models import (
    EducationRemit,
    Language,
    Location,
    NeedCategory,
    NeedSubcategory,
    OrganisationType,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TargetGroup,
    WaitingList,
    WelfareOrganisation,
)

# The full set; the other scales multiply every count by their factor (at least one of each).
FULL = {
    "municipalities": 300,
    "schools": 2_300,
    "organisations": 8_000,
    "services": 20_000,
    "users": 25_000,
    "signals": 400_000,
    "referrals": 500_000,
    "rounds": 3_000,
}
SCALES = {"full": 1.0, "tenth": 0.1, "hundredth": 0.01, "tiny": 0.001}
SCHOOL_YEARS = 5
BATCH = 5_000
# Rows are built and written this many at a time, so the full set never sits in memory at once.
CHUNK = 50_000
# Per school: a director, a care coordinator, administrative staff and teachers.
TEACHERS_PER_SCHOOL = 5
BENCH_PASSWORD = "bench-brugwijzer-2026"  # noqa: S105 - fictional accounts of a benchmark database
RELATIONS_PER_SCHOOL = 15

# The path of states a referral went through to reach its state (the first event is its creation).
PATHS = {
    State.DRAFT: [State.DRAFT],
    State.AWAITING_CONSENT: [State.DRAFT, State.AWAITING_CONSENT],
    State.SENT: [State.DRAFT, State.SENT],
    State.RECEIVED: [State.DRAFT, State.SENT, State.RECEIVED],
    State.ACCEPTED: [State.DRAFT, State.SENT, State.RECEIVED, State.ACCEPTED],
    State.IN_CONTACT: [State.DRAFT, State.SENT, State.ACCEPTED, State.IN_CONTACT],
    State.ON_HOLD: [State.DRAFT, State.SENT, State.ACCEPTED, State.ON_HOLD],
    State.CLOSED: [State.DRAFT, State.SENT, State.ACCEPTED, State.IN_CONTACT, State.CLOSED],
    State.DECLINED: [State.DRAFT, State.SENT, State.RECEIVED, State.DECLINED],
    State.WITHDRAWN: [State.DRAFT, State.SENT, State.WITHDRAWN],
    State.EXPIRED: [State.DRAFT, State.SENT, State.EXPIRED],
    State.ENTERED_IN_ERROR: [State.DRAFT, State.ENTERED_IN_ERROR],
}
# Referrals older than RECENT have ended; recent ones are spread over the open states.
RECENT = timedelta(days=120)
OLD_STATES = [(State.CLOSED, 60), (State.DECLINED, 15), (State.WITHDRAWN, 10), (State.EXPIRED, 10)]
OLD_STATES += [(State.ENTERED_IN_ERROR, 5)]
RECENT_STATES = [(State.DRAFT, 10), (State.AWAITING_CONSENT, 5), (State.SENT, 20), (State.RECEIVED, 15)]
RECENT_STATES += [(State.ACCEPTED, 15), (State.IN_CONTACT, 20), (State.ON_HOLD, 5), (State.CLOSED, 10)]
ORGANISATION_SIDE = {State.RECEIVED, State.ACCEPTED, State.IN_CONTACT, State.ON_HOLD, State.DECLINED}

PLACE_PARTS = ["Brug", "Kanaal", "Beek", "Heide", "Linde", "Molen", "Sluis", "Veld", "Wilg", "Dries", "Meers"]
PLACE_ENDS = ["waarde", "hoek", "donk", "rode", "gem", "kerke", "dijk", "hout", "zele", "lo"]
SCHOOL_NAMES = ["De Regenboog", "Het Kompas", "De Vlieger", "Klim-op", "De Horizon", "Het Zonnetje", "De Linde"]
ORG_WORDS = ["Samen", "Thuis", "Buurt", "Kind", "Gezin", "Toekomst", "Sterk", "Open", "Warm", "Kompas"]
SERVICE_WORDS = ["Onthaal", "Budgetbegeleiding", "Huiswerkklas", "Opvoedingsondersteuning", "Spreekuur", "Oudercafé"]
SERVICE_WORDS += ["Vrijetijdspas", "Schoolkosten", "Tweedehandswinkel", "Taalcafé", "Zitdag", "Begeleiding"]


def _weighted(rng, choices):
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


@contextlib.contextmanager
def _historical_timestamps(*models):
    """Let the seeded rows carry their own creation times (auto_now_add would stamp them all now)."""
    changed = []
    for model in models:
        for field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(field, flag, False):
                    setattr(field, flag, False)
                    changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


class Command(BaseCommand):
    help = "Fill an empty database with a deterministic, fictional dataset the size of Flanders (or a part of it)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="tenth")
        parser.add_argument("--seed", type=int, default=8, help="Seed of the random generator (default 8).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="On PostgreSQL: empty the whole database (flush, then the migrations' lookup rows again) and seed.",
        )

    def handle(self, *args, scale, seed, force, **options):
        vendor = connection.vendor
        if vendor != "postgresql" and scale in ("full", "tenth"):
            raise CommandError(f"--scale {scale} needs PostgreSQL (this database is {vendor}).")
        if self._has_data():
            if not force:
                raise CommandError("The database already holds schools, users or municipalities; use --force.")
            if vendor != "postgresql":
                raise CommandError("--force only works on PostgreSQL; use a fresh database.")
            self._truncate()
        self.rng = random.Random(seed)  # noqa: S311 - fictional data, reproducible on purpose
        self.factor = SCALES[scale]
        self.counts = {key: max(2, round(value * self.factor)) for key, value in FULL.items()}
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()
        self.timings = []
        started = time.monotonic()
        with transaction.atomic(), _historical_timestamps(Signal, Family, Consent, Referral, ReferralEvent, Round):
            self._lookups()
            self._step("municipalities", self._municipalities)
            self._step("organisations, locations, services", self._directory)
            self._step("schools and maps", self._schools)
            self._step("users and memberships", self._users)
            self._step("signals", self._signals)
            self._step("families, consents, referrals, events", self._referrals)
            self._step("reflection rounds", self._rounds)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"seed_scale --scale {scale} --seed {seed}: {total:.1f} s"))

    # --- helpers ------------------------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _has_data(self) -> bool:
        return School.objects.exists() or User.objects.exists() or Municipality.objects.exists()

    def _truncate(self):
        """Empty every table (Django's flush: on PostgreSQL one TRUNCATE), then put back the rows the
        data migrations load (organisation types, directory terms, the question bank, the parent
        questionnaire), the way tests/conftest.py's `lookups` fixture does. A TRUNCATE … CASCADE of
        only our tables would also empty the question bank, which points at rounds."""
        from importlib import import_module

        from django.apps import apps
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        import_module("welfare.migrations.0002_organisation_types").add_types(apps, None)
        import_module("welfare.migrations.0003_directory_terms").add_terms(apps, None)
        import_module("reflection.migrations.0002_question_bank").load(apps, None)
        import_module("reflection.migrations.0004_parent_questionnaire").load(apps, None)

    def _step(self, label, function):
        started = time.monotonic()
        rows = function()
        seconds = time.monotonic() - started
        self.timings.append((label, rows, seconds))
        self.stdout.write(f"  {label:40} {rows:>10,} rows {seconds:8.1f} s")

    def _bulk(self, model, objects) -> int:
        objects = list(objects)
        for start in range(0, len(objects), BATCH):
            model.objects.bulk_create(objects[start : start + BATCH])
        return len(objects)

    def _m2m(self, field, pairs) -> int:
        through = field.remote_field.through
        left, right = field.m2m_column_name(), field.m2m_reverse_name()
        return self._bulk(through, (through(**{left: a, right: b}) for a, b in pairs))

    def _moment(self, day) -> datetime:
        seconds = self.rng.randrange(8 * 3600, 17 * 3600)
        return datetime.combine(day, clock(), tzinfo=self.zone) + timedelta(seconds=seconds)

    def _day_in_years(self):
        """A day in the current or one of the four previous school years, not after today."""
        first = date(int(school_year_of(self.today)[:4]) - (SCHOOL_YEARS - 1), 9, 1)
        return first + timedelta(days=self.rng.randrange((self.today - first).days + 1))

    # --- the tables ---------------------------------------------------------------------------

    def _lookups(self):
        self.needs = list(NeedCategory.objects.order_by("position", "code"))
        self.subcategories = {}
        for sub in NeedSubcategory.objects.order_by("position", "code"):
            self.subcategories.setdefault(sub.category_id, []).append(sub)
        self.types = list(OrganisationType.objects.order_by("slug"))
        self.clb_type = next(t for t in self.types if t.slug == "clb")
        self.target_groups = list(TargetGroup.objects.order_by("code"))
        self.languages = list(Language.objects.order_by("code"))
        if not self.needs or not self.types:
            raise CommandError("The lookup tables are empty: run `manage.py migrate` first.")

    def _municipalities(self):
        provinces = [p for p in Province.values if p != Province.BRUSSELS]
        self.municipalities = []
        for index in range(self.counts["municipalities"]):
            name = f"{PLACE_PARTS[index % len(PLACE_PARTS)]}{PLACE_ENDS[(index // len(PLACE_PARTS)) % len(PLACE_ENDS)]}"
            self.municipalities.append(
                Municipality(
                    public_id=self._uuid(),
                    name=f"{name} {index // (len(PLACE_PARTS) * len(PLACE_ENDS)) + 1}" if index >= 110 else name,
                    nis_code=f"{90000 + index:05d}",
                    province=provinces[index % len(provinces)],
                )
            )
        return self._bulk(Municipality, self.municipalities)

    def _directory(self):
        rng, munis = self.rng, self.municipalities
        organisations, locations, served = [], [], []
        self.org_home = {}
        self.orgs_in = {m.pk: [] for m in munis}
        n_orgs = self.counts["organisations"]
        # About one organisation in a hundred is a CLB; the rest spread over the other types.
        other_types = [t for t in self.types if t != self.clb_type]
        for index in range(n_orgs):
            home = munis[index % len(munis)]
            kind = self.clb_type if index % 100 == 0 else other_types[rng.randrange(len(other_types))]
            org = WelfareOrganisation(
                id=self._uuid(),
                name=f"{kind.name_nl} {ORG_WORDS[index % len(ORG_WORDS)]} {home.name} {index // len(munis) + 1}",
                description="Fictieve organisatie voor de benchmark.",
                organisation_type=kind,
                email=f"info{index}@org.bench.example",
                education_remit=rng.choice(EducationRemit.values),
                checked_on=self.today - timedelta(days=rng.randrange(500)),
            )
            organisations.append(org)
            self.org_home[org.pk] = home
            areas = {home.pk} | {munis[(index + d) % len(munis)].pk for d in range(1, rng.randrange(1, 4))}
            for area in areas:
                served.append((org.pk, area))
                self.orgs_in[area].append(org)
            locations.append(
                Location(
                    id=self._uuid(),
                    organisation=org,
                    name=f"Hoofdzetel {org.name}"[:200],
                    street_address=f"Benchstraat {index % 200 + 1}",
                    postal_code=f"{1000 + index % 8999}",
                    municipality=home,
                    is_confidential=index % 50 == 7,
                    checked_on=org.checked_on,
                )
            )
        self.organisations = organisations
        self.clbs = [o for o in organisations if o.organisation_type_id == self.clb_type.pk]
        rows = self._bulk(WelfareOrganisation, organisations)
        rows += self._m2m(WelfareOrganisation._meta.get_field("municipalities"), served)
        rows += self._bulk(Location, locations)
        location_of = {loc.organisation_id: loc for loc in locations}

        services, at_locations, needs, targets, langs, areas_rows = [], [], [], [], [], []
        self.services_of = {}
        for index in range(self.counts["services"]):
            org = organisations[index % n_orgs]
            service = Service(
                id=self._uuid(),
                organisation=org,
                name=f"{SERVICE_WORDS[index % len(SERVICE_WORDS)]} {index // len(SERVICE_WORDS) + 1}",
                description="Fictief aanbod voor de benchmark.",
                status=ServiceStatus.ACTIVE if rng.random() < 0.95 else ServiceStatus.INACTIVE,
                is_free=rng.random() < 0.7,
                waiting_list=rng.choice(WaitingList.values),
                checked_on=org.checked_on,
            )
            services.append(service)
            self.services_of.setdefault(org.pk, []).append(service)
            for need in rng.sample(self.needs, rng.randrange(1, 3)):
                needs.append((service.pk, need.pk))
            if self.target_groups:
                targets.append((service.pk, rng.choice(self.target_groups).pk))
            if self.languages:
                langs.append((service.pk, self.languages[index % len(self.languages)].pk))
            areas_rows.append((service.pk, self.org_home[org.pk].pk))
            at_locations.append(ServiceAtLocation(id=self._uuid(), service=service, location=location_of[org.pk]))
        rows += self._bulk(Service, services)
        rows += self._m2m(Service._meta.get_field("needs"), needs)
        rows += self._m2m(Service._meta.get_field("target_groups"), targets)
        rows += self._m2m(Service._meta.get_field("languages"), langs)
        rows += self._m2m(Service._meta.get_field("service_areas"), areas_rows)
        rows += self._bulk(ServiceAtLocation, at_locations)
        return rows

    def _schools(self):
        rng, munis = self.rng, self.municipalities
        schools, relations, focus = [], [], []
        for index in range(self.counts["schools"]):
            home = munis[index % len(munis)]
            school = School(
                public_id=self._uuid(),
                name=f"Basisschool {SCHOOL_NAMES[index % len(SCHOOL_NAMES)]} {home.name} {index // len(munis) + 1}",
                institution_number=f"{100000 + index}",
                street_address=f"Schoolstraat {index % 90 + 1}",
                municipality=home,
                education_network=rng.choice(EducationNetwork.values),
                level=SchoolLevel.NURSERY_AND_PRIMARY if rng.random() < 0.8 else SchoolLevel.PRIMARY,
                clb=self.clbs[index % len(self.clbs)] if self.clbs else None,
            )
            schools.append(school)
            nearby = self.orgs_in[home.pk]
            for org in rng.sample(nearby, min(RELATIONS_PER_SCHOOL, len(nearby))):
                relations.append(
                    PartnerRelation(school=school, organisation=org, status=rng.choice(RelationStatus.values))
                )
            for need in rng.sample(self.needs, 2):
                focus.append((school, need.pk))
        self.schools = schools
        rows = self._bulk(School, schools)
        rows += self._m2m(School._meta.get_field("focus_needs"), ((s.pk, n) for s, n in focus))
        rows += self._bulk(PartnerRelation, relations)
        return rows

    def _users(self):
        password = make_password(BENCH_PASSWORD)
        users, memberships = [], []
        start = self.today - timedelta(days=SCHOOL_YEARS * 365)
        self.team = {}  # school pk → [director, coordinator, admin staff, teachers…]

        def person(email, name):
            user = User(email=email, full_name=name, password=password)
            users.append(user)
            return user

        for index, school in enumerate(self.schools):
            team = []
            for role, label in [
                (Role.DIRECTOR, "directie"),
                (Role.CARE_COORDINATOR, "zorg"),
                (Role.ADMIN_STAFF, "secretariaat"),
                *[(Role.TEACHER, f"leerkracht{t}") for t in range(1, TEACHERS_PER_SCHOOL + 1)],
            ]:
                user = person(f"{label}.{index}@school.bench.example", f"Bench {label.capitalize()} {index}")
                memberships.append(Membership(user=user, role=role, school=school, starts_on=start))
                team.append(user)
            self.team[school.pk] = team
        self.officials = {}
        for index, municipality in enumerate(self.municipalities):
            user = person(f"regie.{index}@gemeente.bench.example", f"Bench Regisseur {index}")
            memberships.append(
                Membership(user=user, role=Role.LOCAL_OFFICIAL, municipality=municipality, starts_on=start)
            )
            self.officials[municipality.pk] = user
        welfare = max(0, self.counts["users"] - len(users))
        for index in range(welfare):
            org = self.organisations[index % len(self.organisations)]
            role = Role.WELFARE_INTAKE if index < len(self.organisations) else Role.WELFARE_WORKER
            user = person(f"welzijn.{index}@org.bench.example", f"Bench Welzijn {index}")
            memberships.append(Membership(user=user, role=role, organisation=org, starts_on=start))
        rows = self._bulk(User, users)
        rows += self._bulk(Membership, memberships)
        return rows

    def _signals(self):
        rng = self.rng
        signals, rows = [], 0
        channels, actions = Channel.values, SchoolAction.values
        for index in range(self.counts["signals"]):
            school = self.schools[index % len(self.schools)]
            day = self._day_in_years()
            need = self.needs[rng.randrange(len(self.needs))]
            subs = self.subcategories.get(need.pk)
            action = rng.choice(actions)
            nearby = self.orgs_in[school.municipality_id]
            signals.append(
                Signal(
                    id=self._uuid(),
                    school=school,
                    received_on=day,
                    school_year=school_year_of(day),
                    need=need,
                    subcategory=rng.choice(subs) if subs and rng.random() < 0.6 else None,
                    channel=rng.choice(channels),
                    action=action,
                    action_reason="Buiten de opdracht van de school."
                    if action in ("cannot_take_up", "will_not_take_up")
                    else "",
                    organisation=rng.choice(nearby) if action == SchoolAction.REFERRED and nearby else None,
                    reported_by=self.team[school.pk][rng.randrange(len(self.team[school.pk]))],
                    created_at=self._moment(day),
                    updated_at=self._moment(day),
                )
            )
            if len(signals) >= CHUNK:
                rows += self._bulk(Signal, signals)
                signals = []
        return rows + self._bulk(Signal, signals)

    def _referrals(self):
        """Families of two referrals on average, each with one consent covering its referrals."""
        n_referrals, per_school = self.counts["referrals"], {}
        made = rows = family_index = 0
        while made < n_referrals:
            part, made = min(CHUNK // 2, n_referrals - made), made + min(CHUNK // 2, n_referrals - made)
            family_index, written = self._referral_chunk(part, family_index, per_school)
            rows += written
        return rows

    def _referral_chunk(self, n_referrals, family_index, per_school):
        rng = self.rng
        families, consents, referrals, events, alerts = [], [], [], [], []
        consent_orgs, consent_needs = set(), set()
        made = 0
        while made < n_referrals:
            school = self.schools[family_index % len(self.schools)]
            family_index += 1
            number = per_school[school.pk] = per_school.get(school.pk, 0) + 1
            coordinator = self.team[school.pk][1]
            base = self._day_in_years()
            family = Family(
                id=self._uuid(),
                school=school,
                reference=f"G-{base.year}-{number:05d}",
                created_at=self._moment(base),
                updated_at=self._moment(base),
            )
            families.append(family)
            consent = Consent(
                id=self._uuid(),
                family=family,
                given_by=rng.choice(["moeder", "vader", "voogd"]),
                method=rng.choice(ConsentMethod.values),
                data_items=[DataItem.CONTACT_DETAILS, DataItem.NEED]
                + ([DataItem.ALERTS] if rng.random() < 0.3 else []),
                valid_until=base + timedelta(days=365),
                recorded_by=coordinator,
                recorded_at=self._moment(base),
            )
            consents.append(consent)
            nearby = self.orgs_in[school.municipality_id] or self.organisations
            for _ in range(min(rng.choice([1, 2, 2, 3]), n_referrals - made)):
                made += 1
                day = min(base + timedelta(days=rng.randrange(60)), self.today)
                state = _weighted(rng, RECENT_STATES if self.today - day < RECENT else OLD_STATES)
                org = rng.choice(nearby)
                need = self.needs[rng.randrange(len(self.needs))]
                services = self.services_of.get(org.pk)
                uses_consent = state not in (State.DRAFT, State.AWAITING_CONSENT)
                created = self._moment(day)
                referral = Referral(
                    id=self._uuid(),
                    school=school,
                    family=family,
                    need=need,
                    organisation=org,
                    service=rng.choice(services) if services and rng.random() < 0.7 else None,
                    intensity=rng.choice(Intensity.values),
                    reference_person=coordinator,
                    state=state,
                    decline_reason=rng.choice(DeclineReason.values) if state == State.DECLINED else "",
                    outcome=rng.choice(Outcome.values) if state == State.CLOSED else "",
                    next_follow_up=None if state in FINAL else self.today + timedelta(days=rng.randrange(-20, 40)),
                    consent=consent if uses_consent else None,
                    created_at=created,
                    updated_at=created + timedelta(days=len(PATHS[state]) - 1),
                )
                referrals.append(referral)
                if uses_consent:
                    consent_orgs.add((consent.pk, org.pk))
                    consent_needs.add((consent.pk, need.pk))
                previous = ""
                for step, to in enumerate(PATHS[state]):
                    side = workflow.ORGANISATION if to in ORGANISATION_SIDE else workflow.SCHOOL
                    if to == State.EXPIRED:
                        side = workflow.SYSTEM
                    events.append(
                        ReferralEvent(
                            referral=referral,
                            from_state=previous,
                            to_state=to,
                            by=None if side != workflow.SCHOOL else coordinator,
                            side=side,
                            at=created + timedelta(days=step),
                        )
                    )
                    previous = to
                if state in (State.IN_CONTACT, State.ON_HOLD) and rng.random() < 0.1:
                    alerts.append(Alert(referral=referral, kind=rng.choice(AlertKind.values)))
        if any(r.state in SHARED and not r.consent_id for r in referrals):
            raise CommandError("A shared referral without consent: the generator is wrong.")
        rows = self._bulk(Family, families)
        rows += self._bulk(Consent, consents)
        rows += self._m2m(Consent._meta.get_field("organisations"), sorted(consent_orgs))
        rows += self._m2m(Consent._meta.get_field("needs"), sorted(consent_needs))
        rows += self._bulk(Referral, referrals)
        rows += self._bulk(ReferralEvent, events)
        rows += self._bulk(Alert, alerts)
        return family_index, rows

    def _rounds(self):
        """School-team rounds: most closed, the newest of each school in the team discussion."""
        rng = self.rng
        version = QuestionnaireVersion.objects.for_audience("school").filter(questionnaire__slug="school-team").first()
        if version is None:
            return 0
        questions = list(
            Question.objects.filter(
                section__version=version,
                round__isnull=True,
                kind__in=[QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.YES_NO_UNKNOWN],
            ).order_by("section__order", "order")
        )
        rounds, participants, answers = [], [], []
        for index in range(self.counts["rounds"]):
            school = self.schools[index % len(self.schools)]
            newest = index + len(self.schools) >= self.counts["rounds"]
            starts = self.today - timedelta(days=rng.randrange(10, 60) if newest else rng.randrange(200, 1600))
            team = self.team[school.pk]
            round_ = Round(
                id=self._uuid(),
                version=version,
                school=school,
                title=f"Reflectie met het team {starts:%Y-%m}",
                starts_on=starts,
                ends_on=starts + timedelta(days=21),
                anonymous=True,
                phase=Phase.TEAM if newest else Phase.CLOSED,
                started_by=team[0],
                created_at=self._moment(starts),
                closed_at=None if newest else self._moment(starts + timedelta(days=40)),
            )
            rounds.append(round_)
            for person_index, person in enumerate(team[:5]):
                participant = Participant(
                    round=round_, user=person, submitted_at=self._moment(starts + timedelta(days=7))
                )
                participants.append(participant)
                for question in questions:
                    if question.kind == QuestionKind.SCALE:
                        value = 1 + (person_index * 2 + question.order + index) % 5
                    else:
                        value = ["yes", "no", "unknown"][(person_index + question.order) % 2]
                    answers.append(Answer(participant=participant, question=question, value=value))
        rows = self._bulk(Round, rounds)
        rows += self._bulk(Participant, participants)
        rows += self._bulk(Answer, answers)
        return rows


def scale_counts(scale: str) -> dict[str, int]:
    """What `--scale` promises, for tests and the benchmark report."""
    return {key: max(2, round(value * SCALES[scale])) for key, value in FULL.items()}
