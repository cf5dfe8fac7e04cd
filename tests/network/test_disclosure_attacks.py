"""Attacks on the municipal dashboard by an outsider who reads everything it publishes.

The adversary below is written independently of `brugwijzer.disclosure` and `network.stats`: it
parses the page, every family table's CSV and XLSX as anyone with access would, turns what they
say into equations and ranges (a table's cells add up to its total, tables that break down the
same referrals share their total, a need listed under the gaps has signals, a need missing from
that list has none, "a median over 9 referrals" means at least 9), and then searches, exhaustively,
every value each hidden count could have. A hidden count is pinned when only one value fits.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from network import stats
from referrals.models import DeclineReason, Referral, State
from tests.downloads import csv_rows, xlsx_rows
from tests.factories import SchoolFactory
from tests.network.conftest import last_counted_day
from tests.network.test_dashboard import dashboard_url, export_url

K = 5


class PublishedPage(HTMLParser):
    """Every table on the page (headings, rows, totals) and every list item with its links."""

    def __init__(self):
        super().__init__()
        self.tables = {}
        self.items = []
        self.slug = None
        self.part = None
        self.cell = None
        self.text = ""
        self.item = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("aria-labelledby") or "").startswith("table-"):
            self.slug = attrs["aria-labelledby"][len("table-") :]
        elif tag == "table" and self.slug:
            self.tables[self.slug] = {"family": attrs.get("data-family") == "true", "headings": [], "rows": []}
            self.tables[self.slug]["totals"] = []
        elif tag in {"thead", "tbody", "tfoot"}:
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[self.slug]["rows"].append(["", []])
        elif tag in {"th", "td"} and self.part:
            classes = attrs.get("class") or ""
            share = "text-body-secondary" in classes or (tag == "td" and self.part == "tfoot" and not classes)
            self.cell = None if share else tag
            self.text = ""
        elif tag == "li":
            self.item = ["", []]
        elif tag == "a" and self.item is not None:
            self.item[1].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag in {"th", "td"} and self.cell:
            table, text = self.tables[self.slug], self.text.strip()
            if self.part == "thead" and text != "%":
                table["headings"].append(text)
            elif self.part == "tbody" and tag == "th":
                table["rows"][-1][0] = text
            elif self.part == "tbody":
                table["rows"][-1][1].append(text)
            elif self.part == "tfoot" and tag == "td":
                table["totals"].append(text)
            self.cell = None
        elif tag in {"thead", "tbody", "tfoot"}:
            self.part = None
        elif tag == "table":
            self.slug = None
        elif tag == "li" and self.item is not None:
            self.items.append((" ".join(self.item[0].split()), self.item[1]))
            self.item = None

    def handle_data(self, data):
        if self.cell:
            self.text += data
        if self.item is not None:
            self.item[0] += data


def read_everything(client, municipality):
    """What the page and the downloads publish, merged: for every entry of every family table, the
    most telling text any of them shows."""
    html = client.get(dashboard_url(municipality)).content.decode()
    page = PublishedPage()
    page.feed(html)
    for slug, table in page.tables.items():
        if not table["family"]:
            continue
        for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            rows = read(client.get(export_url(municipality, slug, fmt)))
            rows = [row for row in rows if not row[0].startswith("Geteld tot en met")]
            counts = [i for i, heading in enumerate(rows[0]) if i and not heading.endswith("(%)")]
            body = [row for row in rows[1:] if row[0] != "Totaal"]
            for (_label, texts), row in zip(table["rows"], body, strict=True):
                texts[:] = [most_telling(a, row[i]) for a, i in zip(texts, counts, strict=True)]
            total = [row for row in rows[1:] if row[0] == "Totaal"]
            if total:
                table["totals"] = [most_telling(a, total[0][i]) for a, i in zip(table["totals"], counts, strict=True)]
    return html, page


def most_telling(a, b):
    if a.isdigit() and b.isdigit():
        assert a == b, (a, b)
    return a if a.isdigit() else b if b.isdigit() else a if a == f"< {K}" else b


class Reader:
    """Integer ranges per unknown and equations between them; `options` searches every value."""

    def __init__(self, cap):
        self.cap = cap
        self.parent = {}
        self.ranges = {}
        self.hidden = set()
        self.equations = []

    def find(self, var):
        self.parent.setdefault(var, var)
        while self.parent[var] != var:
            var = self.parent[var]
        return var

    def same(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[b] = a
            self.ranges[a] = intersect(self.ranges.get(a, (0, self.cap)), self.ranges.get(b, (0, self.cap)))
            if b in self.hidden:
                self.hidden.add(a)

    def publish(self, var, text):
        var = self.find(var)
        if text.isdigit():
            bound = (int(text), int(text))
        elif text == f"< {K}":
            bound = (1, K - 1)
        else:
            bound = (0, self.cap)
        if not text.isdigit():
            self.hidden.add(var)
        self.ranges[var] = intersect(self.ranges.get(var, (0, self.cap)), bound)

    def bound(self, var, lo, hi):
        var = self.find(var)
        self.ranges[var] = intersect(self.ranges.get(var, (0, self.cap)), (lo, hi))

    def pinned(self):
        """Every hidden entry that only one value fits, with that value."""
        equations = [([self.find(c) for c in cells], self.find(total)) for cells, total in self.equations]
        ranges = {self.find(v): r for v, r in self.ranges.items()}
        for cells, total in equations:
            for var in [*cells, total]:
                ranges.setdefault(var, (0, self.cap))
        found = {}
        for var in {self.find(v) for v in self.hidden}:
            fits = []
            lo, hi = ranges[var]
            for value in range(lo, hi + 1):
                if satisfiable({**ranges, var: (value, value)}, equations):
                    fits.append(value)
                    if len(fits) > 1:
                        break
            assert fits, f"nothing fits {var}: the reader's model is wrong"
            if len(fits) == 1:
                found[var] = fits[0]
        return found


def intersect(a, b):
    return max(a[0], b[0]), min(a[1], b[1])


def narrow(ranges, equations):
    """Bounds every value by the others in each equation, until nothing changes; None if empty."""
    ranges = dict(ranges)
    changed = True
    while changed:
        changed = False
        for cells, total in equations:
            lo_sum = sum(ranges[c][0] for c in cells)
            hi_sum = sum(ranges[c][1] for c in cells)
            new_total = intersect(ranges[total], (lo_sum, hi_sum))
            updates = {total: new_total}
            for c in cells:
                others_lo, others_hi = lo_sum - ranges[c][0], hi_sum - ranges[c][1]
                updates[c] = intersect(ranges[c], (ranges[total][0] - others_hi, ranges[total][1] - others_lo))
            for var, bound in updates.items():
                if bound[0] > bound[1]:
                    return None
                if bound != ranges[var]:
                    ranges[var] = bound
                    changed = True
    return ranges


def satisfiable(ranges, equations):
    ranges = narrow(ranges, equations)
    if ranges is None:
        return False
    open_vars = [v for v, (lo, hi) in ranges.items() if lo < hi]
    if not open_vars:
        return True
    var = min(open_vars, key=lambda v: ranges[v][1] - ranges[v][0])
    lo, hi = ranges[var]
    return any(satisfiable({**ranges, var: (x, x)}, equations) for x in range(lo, hi + 1))


def attack(client, municipality):
    """Everything the outsider can work out: the hidden entries they pin, by table, column and row."""
    html, page = read_everything(client, municipality)
    family = {slug: t for slug, t in page.tables.items() if t["family"]}
    visible = [int(x) for t in family.values() for _label, texts in t["rows"] for x in texts if x.isdigit()]
    reader = Reader(cap=sum(visible) + 3 * K)

    def cell(slug, column, row):
        return (slug, column, row)

    def total(slug, column):
        return (slug, column, "total")

    for slug, table in family.items():
        for r, (_label, texts) in enumerate(table["rows"]):
            for c, text in enumerate(texts):
                reader.publish(cell(slug, c, r), text)
        for c, text in enumerate(table["totals"]):
            reader.publish(total(slug, c), text)
            reader.equations.append(([cell(slug, c, r) for r in range(len(table["rows"]))], total(slug, c)))

    def column_of(slug, heading):
        headings = family[slug]["headings"][1:]
        return headings.index(heading) if heading in headings else None

    # Tables that break down the same signals or the same referrals of a school year share their total.
    for shared in (["signals-need", "signals-channel"], [s for s in family if s.startswith("referrals-")]):
        present = [s for s in shared if s in family and family[s]["totals"]]
        for heading in family[present[0]]["headings"][1:] if present else []:
            columns = [(s, column_of(s, heading)) for s in present if column_of(s, heading) is not None]
            for s, c in columns[1:]:
                reader.same(total(*columns[0]), total(s, c))
    if "signals-trend" in family:
        for r, (year, _texts) in enumerate(family["signals-trend"]["rows"]):
            if column_of("signals-need", year) is not None:
                reader.same(cell("signals-trend", 0, r), total("signals-need", column_of("signals-need", year)))
    decisions = family.get("referrals-decision")
    unmet = family.get("unmet")
    if unmet and decisions:
        for c, reason in enumerate(unmet["headings"][1:]):
            r = [label for label, _texts in decisions["rows"]].index(f"Geweigerd: {reason}")
            reader.same(total("unmet", c), cell("referrals-decision", 0, r))

    # The lists under the gaps tables.
    needs = [label for label, _texts in family["signals-need"]["rows"]]
    offer = page.tables["offer"]
    without_offer = {label for label, texts in offer["rows"] if texts[offer["headings"].index("Diensten") - 1] == "0"}
    listed = {"no_offer": set(), **{reason.value: set() for reason in DeclineReason}}
    for text, hrefs in page.items:
        for href in hrefs:
            kind = parse_qs(urlsplit(href).query).get("kind")
            if kind:
                listed[kind[0]].add(next(need for need in needs if text.startswith(need)))
    for r, need in enumerate(needs):
        if need in without_offer:
            if need in listed["no_offer"]:
                reader.bound(cell("signals-need", 0, r), 1, reader.cap)
            else:
                reader.bound(cell("signals-need", 0, r), 0, 0)
        for c, heading in enumerate(unmet["headings"][1:] if unmet else []):
            reason = next(reason for reason in DeclineReason if str(reason.label) == heading)
            if need in listed[reason.value]:
                reader.bound(cell("unmet", c, r), 1, reader.cap)
            else:
                reader.bound(cell("unmet", c, r), 0, 0)
    # "Over 9 referrals": that school year has at least 9.
    for year, cases in re.findall(r"(\d{4}-\d{4})</dt>\s*<dd[^>]*>[\d,.]+ dagen \(over (\d+) doorverwijzingen", html):
        reader.bound(total("referrals-need", column_of("referrals-need", year)), int(cases), reader.cap)
    return reader.pinned()


def declined_and_signalled(activity, school, organisation):
    """Two needs with four signals each and four referrals each declined for lack of capacity; the
    directory answers no need at all."""
    place = activity(school)
    place.signals("parenting_family", 4)
    place.signals("hygiene_health", 4)
    place.referrals("material_admin", organisation, 9, state=State.IN_CONTACT)
    for need in ("parenting_family", "hygiene_health"):
        place.referrals(need, organisation, 4, state=State.DECLINED, decline_reason=DeclineReason.NO_CAPACITY)


def test_an_outsider_reading_the_page_its_downloads_and_its_lists_pins_no_hidden_count(
    client, municipality, school, organisation, local_official, activity
):
    declined_and_signalled(activity, school, organisation)
    client.force_login(local_official)
    page = client.get(dashboard_url(municipality)).content.decode()
    assert "Geen plaats" in page or "Geweigerd" in page  # the unmet table and its list are there
    assert attack(client, municipality) == {}


def test_the_gap_lists_still_name_the_needs_with_signals_and_unmet_referrals(
    client, municipality, school, organisation, local_official, activity
):
    declined_and_signalled(activity, school, organisation)
    client.force_login(local_official)
    _html, page = read_everything(client, municipality)
    needs = ["Opvoeding en gezinsondersteuning", "Hygiëne en (geestelijke) gezondheid"]
    links = {}
    for text, hrefs in page.items:
        for href in hrefs:
            query = parse_qs(urlsplit(href).query)
            if "kind" in query:
                links.setdefault(query["kind"][0], set()).update(need for need in needs if text.startswith(need))
    assert links == {"no_offer": set(needs), "no_capacity": set(needs)}


def test_an_outsider_pins_nothing_on_the_busy_dashboard_either(client, busy_municipality, local_official):
    client.force_login(local_official)
    assert attack(client, busy_municipality) == {}


# Differencing two publications.


def publish_on(day, municipality):
    scope = stats.Scope(name=municipality.name, municipalities=[municipality])
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stats.publish(scope, today=day)


def published_counts(client, municipality):
    """Everything about families the page and the downloads publish, without the publication time."""
    _html, page = read_everything(client, municipality)
    family = {slug: t for slug, t in page.tables.items() if t["family"]}
    downloads = [client.get(export_url(municipality, slug, fmt)).content for slug in family for fmt in ("csv",)]
    return family, page.items, downloads


def test_two_publications_in_one_month_are_the_same_whatever_a_school_records_in_between(
    client, busy_municipality, school, local_official, activity
):
    client.force_login(local_official)
    today = timezone.localdate()
    publish_on(today, busy_municipality)
    before = published_counts(client, busy_municipality)
    # Between two nights a school member adds two signals (one dated today, one dated back into
    # the counted month), and an organisation declines a referral.
    member = activity(SchoolFactory(municipality=busy_municipality, name="Basisschool De Sluis"))
    member.signals("parenting_family", 1, on=today)
    member.signals("parenting_family", 1)
    declined = Referral.objects.filter(school=school, state=State.IN_CONTACT).first()
    Referral.objects.filter(pk=declined.pk).update(state=State.DECLINED, decline_reason=DeclineReason.NO_CAPACITY)
    next_night = today + timedelta(days=1)
    publish_on(next_night if next_night.month == today.month else today, busy_municipality)
    assert published_counts(client, busy_municipality) == before

    # The next month's publication counts the whole month before it, the two signals included.
    publish_on((today.replace(day=1) + timedelta(days=32)).replace(day=1), busy_municipality)
    rows = csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv")))
    assert rows[-2] == ["Totaal", "25", "0"]  # 23 signals before, and the two


def test_without_a_publication_the_page_shows_no_count_of_the_running_month(
    client, municipality, school, local_official, activity
):
    client.force_login(local_official)
    place = activity(school)
    place.signals("material_admin", 7, on=timezone.localdate())
    page = client.get(dashboard_url(municipality)).content.decode()
    assert "Cijfers zoals ze nu zijn." in page
    rows = csv_rows(client.get(export_url(municipality, "signals-need", "csv")))
    assert next(row for row in rows if row[0].startswith("Financi"))[1] == "0"
    # Built again for the next request: the month's counts are kept, even for rows dated back into it.
    place.signals("material_admin", 7)
    rows = csv_rows(client.get(export_url(municipality, "signals-need", "csv")))
    assert next(row for row in rows if row[0].startswith("Financi"))[1] == "0"


def test_the_page_and_the_downloads_say_which_days_the_counts_cover(client, busy_municipality, local_official):
    client.force_login(local_official)
    with translation.override("nl-be"):
        until = date_format(last_counted_day(), "j F Y")
    page = client.get(dashboard_url(busy_municipality)).content.decode()
    assert f"Cijfers over gezinnen gaan over hele maanden, tot en met {until}" in page
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(export_url(busy_municipality, "signals-need", fmt)))
        assert rows[-1][0] == f"Geteld tot en met {until}"
    assert "Geteld" not in client.get(export_url(busy_municipality, "offer", "csv")).content.decode()
