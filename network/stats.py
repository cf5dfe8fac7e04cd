"""The municipal dashboard: what the network looks like, as counts that never identify a family.

Every table is built here and only here, from aggregate queries (a fixed number, whatever the
data size). Counts about families go through one `disclosure.Sheet`, so a number shown in two
tables is hidden in both or in neither. Views and exports render these tables and nothing else.
"""

from __future__ import annotations

import copy
import pickle
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import caches
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brugwijzer.disclosure import Cell, Line, Sheet, Shown, breakdown_allowed, median_of, threshold
from network.models import EngagementDeclaration, ItemStatus, NetworkAction
from referrals.models import (
    Channel,
    DeclineReason,
    Intensity,
    Outcome,
    Referral,
    ReferralEvent,
    Signal,
    State,
)
from reflection.models import ActionPoint, ActionStatus, Answer, Phase, QuestionKind, Round
from schools.models import (
    Collaboration,
    CollaborationKind,
    EventAttendance,
    EventKind,
    PartnerRelation,
    RelationStatus,
    School,
    SchoolEvent,
    Training,
)
from schools.years import school_year_of
from welfare.models import NeedCategory, OrganisationType, Service, ServiceStatus, WelfareOrganisation

YEARS_IN_TREND = 5
# Counts about parents at school activities are only published over at least this many schools.
MINIMUM_SCHOOLS = 3
# Referrals that never left the school are not part of the network's picture.
NOT_SENT = [State.DRAFT, State.AWAITING_CONSENT, State.ENTERED_IN_ERROR]
ACCEPTED = [State.ACCEPTED, State.IN_CONTACT, State.ON_HOLD, State.CLOSED]
WAITING = [State.SENT, State.RECEIVED]
STOPPED = [State.WITHDRAWN, State.EXPIRED]
UNMET = [DeclineReason.NO_CAPACITY, DeclineReason.WRONG_ORGANISATION]


def year_start(school_year: str) -> date:
    return date(int(school_year[:4]), 9, 1)


def years_back(today: date, n: int) -> list[str]:
    """The current school year and the n-1 before it, newest first."""
    start = int(school_year_of(today)[:4])
    return [f"{y}-{y + 1}" for y in range(start, start - n, -1)]


@dataclass
class Column:
    heading: str
    cells: list[Cell]
    total: Cell | None = None
    shares: list[int | None] | None = None


@dataclass
class Table:
    slug: str
    title: str
    row_heading: str
    rows: list[str]
    columns: list[Column]
    family_data: bool = True
    note: str = ""
    chart: bool = True

    @property
    def body(self):
        """Rows as (label, [(cell, share), …]) for templates and exports."""
        for i, label in enumerate(self.rows):
            yield label, [(c.cells[i], c.shares[i] if c.shares else None) for c in self.columns]

    @property
    def labelled_body(self):
        """Rows as (label, [(column heading, cell, share), …]): a phone shows each cell as a card
        line that names its column."""
        for i, label in enumerate(self.rows):
            yield label, [(c.heading, c.cells[i], c.shares[i] if c.shares else None) for c in self.columns]

    @property
    def has_total(self) -> bool:
        return any(c.total is not None for c in self.columns)

    @property
    def has_shares(self) -> bool:
        return any(c.shares for c in self.columns)


@dataclass
class Scope:
    """What an official looks at: one municipality, or a region of several."""

    name: str
    municipalities: list
    region: object = None

    @property
    def schools(self):
        return School.objects.filter(municipality__in=self.municipalities)

    @property
    def organisations(self):
        return WelfareOrganisation.objects.filter(municipalities__in=self.municipalities).distinct()


@dataclass
class Dashboard:
    scope: Scope
    current: str
    previous: str
    k: int
    sections: dict[str, list[Table]] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    # When the figures were published by `build_dashboards`; None when built for this request.
    built_at: datetime | None = None
    # The first day not counted in the family counts (they cover whole months).
    period_end: date | None = None

    @property
    def counted_until(self) -> date | None:
        """The last day the family counts cover."""
        return None if self.period_end is None else self.period_end - timedelta(days=1)

    def table(self, slug: str) -> Table | None:
        for tables in self.sections.values():
            for table in tables:
                if table.slug == slug:
                    return table
        return None


# Published dashboards: `build_dashboards` (nightly) builds every municipality's and region's
# dashboard in each language and keeps it in the "dashboards" cache, a database table every app
# server shares. Pages and downloads show that one, so they cost a handful of queries and page and
# download always agree. Without a published one (a new municipality, a day and a half without the
# command) the dashboard is built for the request, as before.
# Counts about families are those of a closed period (whole months, up to the end of the last
# complete one), counted on the period's first build and kept for the period (`Figures`): two
# publications within a month are the same, so comparing them gives away nothing of what a school
# recorded, changed or erased in between; only the institutional tables are refreshed every night.
# Bump the version when the dataclasses above change shape: older entries are then ignored.
SNAPSHOT_VERSION = 2


def _snapshot_key(scope: Scope, language: str) -> str:
    if scope.region is not None:
        return f"region:{scope.region.pk}:{language}"
    return f"municipality:{scope.municipalities[0].pk}:{language}"


def publish(scope: Scope, today: date | None = None) -> Dashboard:
    """Build the scope's dashboard in the active language and keep it as the published one."""
    board = build(scope, today, keep=True)
    board.built_at = timezone.now()
    kept = copy.copy(board)
    kept.scope = None  # rebuilt from the request; model instances of the scope are not kept
    caches["dashboards"].set(_snapshot_key(scope, get_language()), kept, version=SNAPSHOT_VERSION)
    return board


def published(scope: Scope) -> Dashboard:
    """The scope's published dashboard in the active language, or one built now if there is none."""
    try:
        board = caches["dashboards"].get(_snapshot_key(scope, get_language()), version=SNAPSHOT_VERSION)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
        board = None  # kept by an older version of this module: build it afresh
    if not isinstance(board, Dashboard):
        # Built now, but with the family counts kept for the period, as a publication would show.
        return build(scope, keep=True)
    board.scope = scope
    return board


def _plain(values: list[int], k: int) -> list[Cell]:
    """Counts about institutions (schools, organisations, relations): nothing to hide."""
    return [Cell(shown=Shown.VALUE, value=v, k=k) for v in values]


def _counts(rows, *keys) -> dict:
    return {tuple(row[key] for key in keys): row["n"] for row in rows}


@dataclass
class Figures:
    """Every number about families on a dashboard, for one closed period, protected and in no
    language: the sheet's lines and the facts published beside them. Computed once per period
    and kept (`build(keep=True)`), so every publication within a period shows the same, whatever
    was added, changed or erased since; a table in any language is drawn from it."""

    period_end: date
    k: int
    need_ids: list[int]
    type_ids: list[int]
    school_ids: list[int]
    lines: dict[str, Line]
    medians: list[dict]
    overdue: Cell
    # Needs with signals this school year and (reason, need) pairs with unmet referrals: the
    # sheet knows the page publishes whether these counts are zero.
    signalled_needs: set[int]
    unmet_needs: list[tuple[str, int]]
    school_breakdown: bool
    active_schools: int

    def fits(self, k: int, need_ids: list[int], type_ids: list[int]) -> bool:
        """Kept figures can be shown as long as the needs and kinds of organisation they were counted
        for are the same (an administrator adding one recounts the period). A school that joins
        during the period is counted from the next one on."""
        return (self.k, self.need_ids, self.type_ids) == (k, need_ids, type_ids)


def period_end(today: date) -> date:
    """The first day not counted. Counts about families cover whole months: up to the end of the
    last complete one, so every publication within a month is the same and one publication differs
    from the next by a whole month of rows."""
    return today.replace(day=1)


def _figures_key(scope: Scope, end: date) -> str:
    if scope.region is not None:
        return f"figures:region:{scope.region.pk}:{end.isoformat()}"
    return f"figures:municipality:{scope.municipalities[0].pk}:{end.isoformat()}"


# Kept a little longer than the longest month, so the nightly publications of one period keep
# drawing on the figures counted on its first night.
FIGURES_TIMEOUT = 40 * 24 * 60 * 60


def family_figures(scope: Scope, end: date, years: list[str], needs, types, school_list, k: int) -> Figures:
    """Count and protect every number about families of the period before `end`: rows recorded
    before its first minute (a signal dated back into the period counts from the next one on)."""
    current, previous = years[0], years[1]
    schools = scope.schools
    need_ids = [n.pk for n in needs]
    before = timezone.make_aware(datetime.combine(end, time.min))

    # Queries: family-related counts, each one GROUP BY.
    year_of_signal = Signal.objects.filter(
        school__in=schools, school_year__in=years, received_on__lt=end, created_at__lt=before
    )
    signals_by_need = _counts(
        year_of_signal.values("school_year", "need_id").annotate(n=Count("id")).order_by(), "school_year", "need_id"
    )
    signals_by_channel = _counts(
        year_of_signal.filter(school_year__in=[current, previous])
        .values("school_year", "channel")
        .annotate(n=Count("id"))
        .order_by(),
        "school_year",
        "channel",
    )

    def school_year(moment: str) -> Case:
        """This or last school year by a date-time field (the querysets start at last year's start)."""
        return Case(
            When(**{f"{moment}__date__gte": year_start(current)}, then=Value(current)),
            default=Value(previous),
            output_field=CharField(),
        )

    sent = (
        Referral.objects.filter(school__in=schools, created_at__date__gte=year_start(previous), created_at__lt=before)
        .exclude(state__in=NOT_SENT)
        .annotate(year=school_year("created_at"))
    )

    def by(*fields):
        return _counts(sent.values("year", *fields).annotate(n=Count("id")).order_by(), "year", *fields)

    ref_need = by("need_id")
    ref_type = by("organisation__organisation_type_id")
    ref_intensity = by("intensity")
    ref_state = by("state", "decline_reason")
    ref_outcome = by("outcome")
    answered = ReferralEvent.objects.filter(referral=OuterRef("pk"), side="organisation", at__lt=before)
    ref_feedback = _counts(
        sent.annotate(fed_back=Exists(answered)).values("year", "fed_back").annotate(n=Count("id")).order_by(),
        "year",
        "fed_back",
    )
    per_school = _counts(sent.filter(year=current).values("school_id").annotate(n=Count("id")).order_by(), "school_id")
    first_contact = list(
        ReferralEvent.objects.filter(
            referral__in=sent.values("pk"), to_state__in=[State.SENT, State.IN_CONTACT], at__lt=before
        )
        .annotate(year=school_year("referral__created_at"))
        .values_list("referral_id", "to_state", "at", "year")
    )
    overdue = (
        Referral.objects.filter(school__in=schools, created_at__lt=before).open().filter(next_follow_up__lt=end).count()
    )
    # Schools that signalled or referred this school year (or started a reflection round): a count of
    # schools, but one that moves with family counts, so it is counted for the period too.
    this_year = Q(received_on__gte=year_start(current), received_on__lt=end, created_at__lt=before)
    active_schools = schools.filter(
        Exists(Signal.objects.filter(this_year, school=OuterRef("pk")))
        | Exists(
            Referral.objects.filter(
                school=OuterRef("pk"), created_at__date__gte=year_start(current), created_at__lt=before
            )
        )
        | Exists(Round.objects.filter(school=OuterRef("pk"), starts_on__gte=year_start(current), starts_on__lt=end))
    ).count()
    collaborations = _counts(
        Collaboration.objects.filter(relation__school__in=schools).values("kind").annotate(n=Count("id")).order_by(),
        "kind",
    )
    year_first = year_start(current)
    attended = EventAttendance.objects.filter(event__school__in=schools, held_on__gte=year_first, held_on__lt=end)
    attending_schools = attended.values("event__school").distinct().count()
    attendance = _counts(
        attended.values("event__kind").annotate(n=Sum("attendees")).order_by(),
        "event__kind",
    )

    # One sheet for every count about families, so shared numbers are protected together.
    sheet = Sheet(k=k)
    for year in years:
        sheet.add(f"need:{year}", [signals_by_need.get((year, n), 0) for n in need_ids])
    # The gaps list names every need with signals this school year that the directory has no
    # service for; the directory changes any day, so any need may be on it: whether this year's
    # count of each need is zero is published.
    sheet.disclose_sign(*[(f"need:{current}", i) for i in range(len(need_ids))])
    for year in (current, previous):
        sheet.add(f"channel:{year}", [signals_by_channel.get((year, c.value), 0) for c in Channel])
        sheet.link(Sheet.total(f"need:{year}"), Sheet.total(f"channel:{year}"))

    outcomes = list(Outcome)
    for year in (current, previous):
        sheet.add(f"ref_need:{year}", [ref_need.get((year, n), 0) for n in need_ids])
        sheet.add(f"ref_type:{year}", [ref_type.get((year, t.pk), 0) for t in types])
        sheet.add(f"intensity:{year}", [ref_intensity.get((year, i.value), 0) for i in Intensity])
        sheet.add(f"decision:{year}", [count(ref_state, year) for _label, count in DECISIONS])
        sheet.add(f"feedback:{year}", [ref_feedback.get((year, True), 0), ref_feedback.get((year, False), 0)])
        known = [ref_outcome.get((year, o.value), 0) for o in outcomes]
        all_sent = sum(ref_need.get((year, n), 0) for n in need_ids)
        sheet.add(f"outcome:{year}", [*known, all_sent - sum(known)])
        for other in ("ref_type", "intensity", "decision", "feedback", "outcome"):
            sheet.link(Sheet.total(f"ref_need:{year}"), Sheet.total(f"{other}:{year}"))
    # The unmet needs of this year, by need: their totals are cells of this year's decisions.
    unmet = {}
    declined_by_need = _counts(
        sent.filter(year=current, state=State.DECLINED, decline_reason__in=UNMET)
        .values("decline_reason", "need_id")
        .annotate(n=Count("id"))
        .order_by(),
        "decline_reason",
        "need_id",
    )
    reason_index = {r: 1 + list(DeclineReason).index(r) for r in UNMET}
    for reason in UNMET:
        unmet[reason] = [declined_by_need.get((reason.value, n), 0) for n in need_ids]
        sheet.add(f"unmet:{reason.value}", unmet[reason])
        sheet.link(Sheet.total(f"unmet:{reason.value}"), (f"decision:{current}", reason_index[reason]))
        # Below the table, every need with unmet referrals is listed with a link to propose it to policy.
        sheet.disclose_sign(*[(f"unmet:{reason.value}", i) for i in range(len(need_ids))])
    school_counts = [per_school.get((pk,), 0) for pk, _ in school_list]
    school_breakdown = breakdown_allowed(school_counts, k)
    if school_breakdown:
        sheet.add("school", school_counts)
        sheet.link(Sheet.total("school"), Sheet.total(f"ref_need:{current}"))
    elif len(school_list) >= k and sum(school_counts):
        # With enough schools, the table per school is only left out when some school referred:
        # its absence tells that this year's referrals are not zero.
        sheet.at_least(Sheet.total(f"ref_need:{current}"), 1)
    # Relations are about schools and organisations, but the issue asks the same care here: a
    # curative mediation between one school and one organisation is close to a family's story.
    sheet.add("collaboration", [collaborations.get((kind.value,), 0) for kind in CollaborationKind])
    # People who came to the preventive activities are parents and children: counted like families.
    preventive = EventKind.preventive()
    sheet.add("attendance", [attendance.get((kind.value,), 0) for kind in preventive])

    # The medians of days to the first contact, "over n referrals": the year's referrals are at least n.
    medians = []
    moments: dict = {}
    for referral_id, to_state, at, year in first_contact:
        entry = moments.setdefault(referral_id, {"year": year})
        key = "sent" if to_state == State.SENT else "contact"
        if key not in entry or at < entry[key]:
            entry[key] = at
    for year in (current, previous):
        days = [
            (m["contact"] - m["sent"]).total_seconds() / 86400
            for m in moments.values()
            if m["year"] == year and "sent" in m and "contact" in m and m["contact"] >= m["sent"]
        ]
        median = median_of(days, k)
        medians.append(
            {
                "year": year,
                "median": None if median is None else round(median, 1),
                "cases": None if median is None else len(days),
            }
        )
        if median is not None:
            sheet.at_least(Sheet.total(f"ref_need:{year}"), len(days))

    lines = sheet.solve()
    if attending_schools < MINIMUM_SCHOOLS:
        # From one or two schools the municipality's count is that school's count: hide all but zero.
        line = lines["attendance"]
        lines["attendance"] = Line(
            cells=[cell if cell.value == 0 else Cell(shown=Shown.HIDDEN, value=None, k=k) for cell in line.cells],
            total=line.total if line.total.value == 0 else Cell(shown=Shown.HIDDEN, value=None, k=k),
            k=k,
        )
    return Figures(
        period_end=end,
        k=k,
        need_ids=need_ids,
        type_ids=[t.pk for t in types],
        school_ids=[pk for pk, _name in school_list],
        lines=lines,
        medians=medians,
        overdue=single(overdue, k),
        signalled_needs={n for n in need_ids if signals_by_need.get((current, n), 0) > 0},
        unmet_needs=[(reason.value, n) for reason in UNMET for i, n in enumerate(need_ids) if unmet[reason][i] > 0],
        school_breakdown=school_breakdown and all(c.visible for c in lines["school"].cells),
        active_schools=active_schools,
    )


# What the organisations answered, per school year, from counts by (year, state, decline reason).
DECISIONS = [
    (
        lambda: _("Accepted"),
        lambda counts, y: sum(counts.get((y, s.value, r), 0) for s in ACCEPTED for r in ["", *DeclineReason.values]),
    ),
    *[
        (
            lambda reason=reason: _("Declined: %(reason)s") % {"reason": reason.label},
            lambda counts, y, r=reason: counts.get((y, State.DECLINED.value, r.value), 0),
        )
        for reason in DeclineReason
    ],
    (lambda: _("Declined, no reason given"), lambda counts, y: counts.get((y, State.DECLINED.value, ""), 0)),
    (lambda: _("Not answered yet"), lambda counts, y: sum(counts.get((y, s.value, ""), 0) for s in WAITING)),
    (
        lambda: _("Stopped (withdrawn or expired)"),
        lambda counts, y: sum(counts.get((y, s.value, r), 0) for s in STOPPED for r in ["", *DeclineReason.values]),
    ),
]


def build(scope: Scope, today: date | None = None, *, keep: bool = False) -> Dashboard:
    """The scope's dashboard on `today`, with the family counts of the last closed period. With
    `keep`, those counts are the ones kept for the period (counted now if none are kept yet)."""
    today = today or timezone.localdate()
    k = threshold()
    end = period_end(today)
    years = years_back(end - timedelta(days=1), YEARS_IN_TREND)
    current, previous = years[0], years[1]
    board = Dashboard(scope=scope, current=current, previous=previous, k=k, period_end=end)
    schools = scope.schools
    needs = list(NeedCategory.objects.all())
    need_ids = [n.pk for n in needs]
    types = list(OrganisationType.objects.all())
    school_list = list(schools.order_by("name", "id").values_list("pk", "name"))
    figures = None
    if keep:
        try:
            figures = caches["dashboards"].get(_figures_key(scope, end), version=SNAPSHOT_VERSION)
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
            figures = None  # kept by an older version of this module: count them afresh
    rows = (k, need_ids, [t.pk for t in types])
    if not isinstance(figures, Figures) or not figures.fits(*rows):
        figures = family_figures(scope, end, years, needs, types, school_list, k)
        if keep:
            caches["dashboards"].set(
                _figures_key(scope, end), figures, timeout=FIGURES_TIMEOUT, version=SNAPSHOT_VERSION
            )
    lines = figures.lines

    # Institutional counts.
    organisations = scope.organisations
    organisation_count = organisations.count()
    services = Service.objects.filter(organisation__in=organisations, status=ServiceStatus.ACTIVE)
    offer = {
        row["needs"]: row
        for row in services.values("needs")
        .annotate(services=Count("id", distinct=True), organisations=Count("organisation", distinct=True))
        .order_by()
    }
    stale_organisations = organisations.stale(today).count()
    stale_services = services.stale(today).count()
    relations = list(
        PartnerRelation.objects.filter(school__in=schools)
        .exclude(status=RelationStatus.UNKNOWN)
        .values_list("school_id", "organisation_id", "organisation__name", "status")
    )

    def school_year(moment: str) -> Case:
        """This or last school year by a date-time field (the querysets start at last year's start)."""
        return Case(
            When(**{f"{moment}__date__gte": year_start(current)}, then=Value(current)),
            default=Value(previous),
            output_field=CharField(),
        )

    rounds = _counts(
        Round.objects.filter(school__in=schools, phase=Phase.CLOSED, closed_at__date__gte=year_start(previous))
        .annotate(year=school_year("closed_at"))
        .values("school_id", "year")
        .annotate(n=Count("id"))
        .order_by(),
        "school_id",
        "year",
    )
    actions = _counts(
        ActionPoint.objects.filter(round__school__in=schools).values("status").annotate(n=Count("id")).order_by(),
        "status",
    )
    scores = list(
        Answer.objects.filter(
            participant__round__school__in=schools,
            participant__round__phase=Phase.CLOSED,
            participant__submitted_at__isnull=False,
            question__kind=QuestionKind.SCALE,
        ).values_list(
            "question__section__slug",
            "question__section__title_nl",
            "question__section__title_en",
            "participant__round__school_id",
            "value",
        )
    )
    engagements = list(
        EngagementDeclaration.objects.filter(school__in=schools, school_year=current)
        .values("school_id")
        .annotate(
            commitments=Count("items"),
            met=Count("items", filter=Q(items__status=ItemStatus.MET)),
        )
        .order_by()
    )
    # The school calendars: partners' presence and preventive activities running this school year,
    # trainings per theme.
    year_first = year_start(current)
    year_last = year_start(f"{int(current[:4]) + 1}-{int(current[:4]) + 2}") - timedelta(days=1)
    presence = {
        row["kind"]: row
        for row in SchoolEvent.objects.filter(school__in=schools)
        .running_between(year_first, year_last)
        .values("kind")
        .annotate(series=Count("id"), schools=Count("school", distinct=True))
        .order_by()
    }
    trainings = {
        row["theme_id"]: row
        for row in Training.objects.filter(school__in=schools, held_on__gte=year_first, held_on__lte=year_last)
        .values("theme_id")
        .annotate(sessions=Count("id"), people=Sum("participants"), schools=Count("school", distinct=True))
        .order_by()
    }
    network_actions = NetworkAction.objects.filter(network__municipality__in=scope.municipalities)
    open_actions = network_actions.open().count()
    overdue_actions = network_actions.overdue(today).count()
    channels = list(Channel)
    outcomes = list(Outcome)
    preventive = EventKind.preventive()
    decisions = [(label(), count) for label, count in DECISIONS]

    def columns(prefix: str, shares: bool = False) -> list[Column]:
        result = []
        for year in (current, previous):
            line: Line = lines[f"{prefix}:{year}"]
            result.append(
                Column(
                    heading=year,
                    cells=line.cells,
                    total=line.total,
                    shares=[line.share(i) for i in range(len(line.cells))] if shares else None,
                )
            )
        return result

    need_names = [n.name for n in needs]

    # The network.
    board.sections["network"] = [
        Table(
            slug="schools",
            title=_("Schools"),
            row_heading=_("Schools"),
            rows=[_("Schools in Brugwijzer"), _("Active this school year")],
            columns=[Column(heading=current, cells=_plain([len(school_list), figures.active_schools], k))],
            family_data=False,
            chart=False,
        ),
        Table(
            slug="offer",
            title=_("Offer in the directory per need"),
            row_heading=_("Need"),
            rows=need_names,
            columns=[
                Column(
                    heading=_("Organisations"),
                    cells=_plain([offer.get(n, {}).get("organisations", 0) for n in need_ids], k),
                ),
                Column(heading=_("Services"), cells=_plain([offer.get(n, {}).get("services", 0) for n in need_ids], k)),
            ],
            family_data=False,
            note=_("%(count)s organisations serve the area.") % {"count": organisation_count},
        ),
        Table(
            slug="stale",
            title=_("Directory entries not checked for a year"),
            row_heading=_("Entries"),
            rows=[_("Organisations"), _("Services")],
            columns=[Column(heading=_("Stale"), cells=_plain([stale_organisations, stale_services], k))],
            family_data=False,
            chart=False,
        ),
        Table(
            slug="relations",
            title=_("How schools stand towards organisations"),
            row_heading=_("Relation"),
            rows=[s.label for s in RelationStatus if s != RelationStatus.UNKNOWN],
            columns=[
                Column(
                    heading=_("Relations"),
                    cells=_plain(
                        [
                            sum(1 for r in relations if r[3] == s.value)
                            for s in RelationStatus
                            if s != RelationStatus.UNKNOWN
                        ],
                        k,
                    ),
                )
            ],
            family_data=False,
        ),
    ]
    board.sections["network"].append(
        Table(
            slug="collaborations",
            title=_("Forms of collaboration between schools and organisations"),
            row_heading=_("Form of collaboration"),
            rows=[kind.label for kind in CollaborationKind],
            columns=[
                Column(heading=_("Relations"), cells=lines["collaboration"].cells, total=lines["collaboration"].total)
            ],
        )
    )
    board.sections["network"].extend(
        [
            Table(
                slug="presence",
                title=_("Partners at school and preventive activities this school year"),
                row_heading=_("What"),
                rows=[kind.label for kind in EventKind],
                columns=[
                    Column(
                        heading=_("Dates or series"),
                        cells=_plain([presence.get(kind.value, {}).get("series", 0) for kind in EventKind], k),
                    ),
                    Column(
                        heading=_("Schools"),
                        cells=_plain([presence.get(kind.value, {}).get("schools", 0) for kind in EventKind], k),
                    ),
                ],
                family_data=False,
            ),
            Table(
                slug="preventive-attendance",
                title=_("People who came to the preventive activities this school year"),
                row_heading=_("Activity"),
                rows=[kind.label for kind in preventive],
                columns=[Column(heading=_("People"), cells=lines["attendance"].cells, total=lines["attendance"].total)],
                note=_(
                    "Parents and children together, as the schools counted them at each activity; shown once "
                    "at least %(schools)s schools count."
                )
                % {"schools": MINIMUM_SCHOOLS},
            ),
            Table(
                slug="trainings",
                title=_("Trainings and coaching per theme this school year"),
                row_heading=_("Theme"),
                rows=need_names,
                columns=[
                    Column(
                        heading=_("Trainings"),
                        cells=_plain([trainings.get(n, {}).get("sessions", 0) for n in need_ids], k),
                    ),
                    Column(
                        heading=_("Participants"),
                        cells=_plain([trainings.get(n, {}).get("people") or 0 for n in need_ids], k),
                    ),
                    Column(
                        heading=_("Schools"),
                        cells=_plain([trainings.get(n, {}).get("schools", 0) for n in need_ids], k),
                    ),
                ],
                family_data=False,
            ),
        ]
    )
    board.facts["graph"] = network_graph(school_list, relations)

    # Needs.
    board.sections["needs"] = [
        Table(
            slug="signals-need",
            title=_("Signals per need"),
            row_heading=_("Need"),
            rows=need_names,
            columns=columns("need"),
        ),
        Table(
            slug="signals-channel",
            title=_("How signals reached the schools"),
            row_heading=_("Channel"),
            rows=[c.label for c in channels],
            columns=columns("channel"),
        ),
        Table(
            slug="signals-trend",
            title=_("Signals over the school years"),
            row_heading=_("School year"),
            rows=list(reversed(years)),
            columns=[Column(heading=_("Signals"), cells=[lines[f"need:{y}"].total for y in reversed(years)])],
        ),
    ]

    # Referrals.
    board.facts["medians"] = figures.medians
    board.facts["overdue"] = figures.overdue
    board.sections["referrals"] = [
        Table(
            slug="referrals-need",
            title=_("Referrals per need"),
            row_heading=_("Need"),
            rows=need_names,
            columns=columns("ref_need"),
        ),
        Table(
            slug="referrals-type",
            title=_("Referrals per kind of organisation"),
            row_heading=_("Kind of organisation"),
            rows=[t.name for t in types],
            columns=columns("ref_type"),
        ),
        Table(
            slug="referrals-intensity",
            title=_("How warm the referrals were"),
            row_heading=_("How warm"),
            rows=[i.label for i in Intensity],
            columns=columns("intensity", shares=True),
        ),
        Table(
            slug="referrals-decision",
            title=_("What the organisations answered"),
            row_heading=_("Answer"),
            rows=[label for label, _count in decisions],
            columns=columns("decision", shares=True),
        ),
        Table(
            slug="referrals-feedback",
            title=_("Feedback from the organisation"),
            row_heading=_("Feedback"),
            rows=[_("The organisation let the school know how it stands"), _("No word from the organisation yet")],
            columns=columns("feedback", shares=True),
        ),
        Table(
            slug="referrals-outcome",
            title=_("What the parents said at the check-in"),
            row_heading=_("Outcome"),
            rows=[*[o.label for o in outcomes], _("Not known yet")],
            columns=columns("outcome", shares=True),
        ),
    ]
    if figures.school_breakdown:
        board.sections["referrals"].append(
            Table(
                slug="referrals-school",
                title=_("Referrals per school this school year"),
                row_heading=_("School"),
                rows=[dict(school_list).get(pk, "") for pk in figures.school_ids],
                columns=[Column(heading=current, cells=lines["school"].cells, total=lines["school"].total)],
            )
        )
        board.facts["school_breakdown"] = True
    else:
        board.facts["school_breakdown"] = False

    # Gaps.
    # The lists below the gaps tables publish whether counts are zero: the sheet took that into account.
    signalled = lines[f"need:{current}"]
    board.facts["no_offer"] = [
        {"need": need, "signals": signalled.cells[i]}
        for i, need in enumerate(needs)
        if need.pk in figures.signalled_needs and not offer.get(need.pk, {}).get("services")
    ]
    board.sections["gaps"] = [
        Table(
            slug="unmet",
            title=_("Referrals declined this school year because the help was not there"),
            row_heading=_("Need"),
            rows=need_names,
            columns=[
                Column(
                    heading=str(DeclineReason.NO_CAPACITY.label),
                    cells=lines["unmet:no_capacity"].cells,
                    total=lines["unmet:no_capacity"].total,
                ),
                Column(
                    heading=str(DeclineReason.WRONG_ORGANISATION.label),
                    cells=lines["unmet:wrong_organisation"].cells,
                    total=lines["unmet:wrong_organisation"].total,
                ),
            ],
        ),
    ]
    by_pk = {need.pk: need for need in needs}
    board.facts["unmet_needs"] = [
        {"need": by_pk[need_id], "reason": DeclineReason(reason)} for reason, need_id in figures.unmet_needs
    ]

    # Reflection: about schools and teams, not families.
    board.sections["reflection"] = [
        Table(
            slug="rounds",
            title=_("Reflection rounds finished per school"),
            row_heading=_("School"),
            rows=[name for _pk, name in school_list],
            columns=[
                Column(heading=year, cells=_plain([rounds.get((pk, year), 0) for pk, _n in school_list], k))
                for year in (current, previous)
            ],
            family_data=False,
            chart=False,
        ),
        Table(
            slug="reflection-actions",
            title=_("Action points of the school teams"),
            row_heading=_("Status"),
            rows=[s.label for s in ActionStatus],
            columns=[
                Column(heading=_("Action points"), cells=_plain([actions.get((s.value,), 0) for s in ActionStatus], k))
            ],
            family_data=False,
        ),
    ]
    pledged = {row["school_id"]: row for row in engagements}
    board.sections["reflection"].append(
        Table(
            slug="engagements",
            title=_("Engagement declarations this school year"),
            row_heading=_("School"),
            rows=[name for pk, name in school_list if pk in pledged],
            columns=[
                Column(
                    heading=_("Commitments"),
                    cells=_plain([pledged[pk]["commitments"] for pk, _n in school_list if pk in pledged], k),
                ),
                Column(
                    heading=_("Met"), cells=_plain([pledged[pk]["met"] for pk, _n in school_list if pk in pledged], k)
                ),
            ],
            family_data=False,
            chart=False,
            note=_("%(with)s of %(all)s schools have a declaration.") % {"with": len(pledged), "all": len(school_list)},
        )
    )
    board.facts["section_scores"] = section_scores(scores, k)
    if board.facts["section_scores"]:
        themes = board.facts["section_scores"]
        board.sections["reflection"].append(
            Table(
                slug="themes",
                title=_("Average score per theme across the schools' finished rounds"),
                row_heading=_("Theme"),
                rows=[theme["title"] for theme in themes],
                columns=[
                    Column(heading=_("Average (1 to 5)"), cells=_plain([theme["average"] for theme in themes], k)),
                    Column(heading=_("Answers"), cells=_plain([theme["answers"] for theme in themes], k)),
                    Column(heading=_("Schools"), cells=_plain([theme["schools"] for theme in themes], k)),
                ],
                family_data=False,
                chart=False,
            )
        )
    board.facts["network_actions"] = {"open": open_actions, "overdue": overdue_actions}
    if scope.region is not None:
        _without_family_counts(board)
    return board


def _without_family_counts(board: Dashboard) -> None:
    """A region shows no counts about families. Its officials also see their own municipality's
    dashboard, and a region's count minus their municipality's is the other municipalities' count:
    small numbers protected on those dashboards would come out by subtraction. Protecting both
    levels together is possible (one sheet over every municipality of the region) but not built."""
    for name, tables in board.sections.items():
        board.sections[name] = [table for table in tables if not table.family_data]
    board.sections = {name: tables for name, tables in board.sections.items() if tables}
    for fact in ("medians", "overdue", "no_offer", "unmet_needs"):
        board.facts.pop(fact, None)
    board.facts["school_breakdown"] = False
    board.facts["family_counts_withheld"] = True


def single(value: int, k: int) -> Cell:
    """A count on its own, tied to no other number: only primary suppression applies."""
    sheet = Sheet(k=k)
    sheet.add("one", [value])
    return sheet.solve()["one"].total


def section_scores(rows, k: int) -> list[dict]:
    """Average of the scale answers per section over the schools' finished rounds. Only over at
    least k answers, and never per school: reflection is a team's safe space, not a ranking."""
    from django.utils.translation import get_language

    english = (get_language() or "nl").startswith("en")
    by_section: dict[str, dict] = {}
    for slug, title_nl, title_en, school_id, value in rows:
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        entry = by_section.setdefault(
            slug, {"title": title_en if english else title_nl, "values": [], "schools": set()}
        )
        entry["values"].append(value)
        entry["schools"].add(school_id)
    result = []
    for entry in by_section.values():
        if len(entry["values"]) >= k:
            result.append(
                {
                    "title": entry["title"],
                    "average": round(statistics.fmean(entry["values"]), 1),
                    "answers": len(entry["values"]),
                    "schools": len(entry["schools"]),
                }
            )
    return sorted(result, key=lambda e: e["title"])


STATUS_STYLE = {
    RelationStatus.CLOSE: "close",
    RelationStatus.NONE_YET: "known",
    RelationStatus.TO_EXPLORE: "explore",
}


def network_graph(schools, relations) -> dict:
    """Positions for a server-rendered SVG: schools on the left, organisations on the right, a
    line per relation styled by its status."""
    organisations = sorted({(r[1], r[2]) for r in relations}, key=lambda o: (o[1], o[0]))
    row = 28
    height = max(len(schools), len(organisations), 1) * row + 20
    school_y = {pk: 20 + i * row for i, (pk, _name) in enumerate(schools)}
    org_y = {pk: 20 + i * row for i, (pk, _name) in enumerate(organisations)}
    return {
        "height": height,
        "schools": [{"name": name, "y": school_y[pk]} for pk, name in schools],
        "organisations": [{"name": name, "y": org_y[pk]} for pk, name in organisations],
        "edges": [
            {"y1": school_y[s], "y2": org_y[o], "style": STATUS_STYLE[RelationStatus(status)]}
            for s, o, _name, status in relations
            if s in school_y
        ],
    }
