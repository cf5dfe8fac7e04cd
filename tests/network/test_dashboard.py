"""The municipal dashboard: who may open it, and that no page or download identifies a family."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.roles import Role
from places.models import Region
from referrals.models import State
from tests.brugwijzer.test_disclosure import reader_options
from tests.downloads import csv_rows, workbook, xlsx_rows
from tests.factories import MunicipalityFactory, OrganisationFactory, SchoolFactory, member
from tests.network.conftest import CANARY_CHILD, CANARY_GUARDIAN, CANARY_NOTE, CANARY_REFERENCE

K = 5
FAMILY_TABLES = [
    "signals-need",
    "signals-channel",
    "signals-trend",
    "referrals-need",
    "referrals-type",
    "referrals-intensity",
    "referrals-decision",
    "referrals-feedback",
    "referrals-outcome",
    "unmet",
]


def dashboard_url(municipality):
    return reverse("network:dashboard", kwargs={"municipality_id": municipality.public_id})


def export_url(municipality, slug, fmt):
    return reverse("network:export", kwargs={"municipality_id": municipality.public_id, "slug": slug, "fmt": fmt})


def without_period(rows):
    """The table's rows, without the closing line that says which days its counts cover."""
    assert rows[-1][0].startswith("Geteld tot en met "), rows[-1]
    return rows[:-1]


class FamilyCells(HTMLParser):
    """Every cell of the tables marked as holding counts about families."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.in_cell = False
        self.cells = []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("data-family", "true") in attrs:
            self.depth += 1
        elif tag == "td" and self.depth:
            self.in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "td":
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.cells[-1] += data.strip()


def small_numbers(values):
    return [v for v in values if v.isdigit() and 0 < int(v) < K]


def test_anonymous_visitor_is_sent_to_login(client, municipality):
    response = client.get(dashboard_url(municipality))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["other_official", "director", "coordinator", "welfare_worker"])
def test_only_officials_of_the_municipality_open_the_dashboard_and_its_exports(
    client, busy_municipality, other_municipality, who, request
):
    other = who == "other_official"
    user = member(Role.LOCAL_OFFICIAL, other_municipality) if other else request.getfixturevalue(who)
    client.force_login(user)
    for url in [
        dashboard_url(busy_municipality),
        export_url(busy_municipality, "signals-need", "csv"),
        export_url(busy_municipality, "signals-need", "xlsx"),
    ]:
        assert client.get(url).status_code in {403, 404}, url
    if who == "other_official":
        assert client.get(dashboard_url(busy_municipality)).status_code == 404


def test_no_page_or_download_names_a_family_a_child_or_a_note(client, busy_municipality, local_official):
    client.force_login(local_official)
    response = client.get(dashboard_url(busy_municipality))
    assert response.status_code == 200
    texts = [response.content.decode()]
    for slug in FAMILY_TABLES:
        texts.append(client.get(export_url(busy_municipality, slug, "csv")).content.decode())
        texts.append(
            " ".join(" ".join(row) for row in xlsx_rows(client.get(export_url(busy_municipality, slug, "xlsx"))))
        )
    for text in texts:
        for canary in (CANARY_GUARDIAN, CANARY_CHILD, CANARY_NOTE, CANARY_REFERENCE):
            assert canary not in text


def test_counts_from_one_to_four_never_appear_in_the_page_or_the_downloads(client, busy_municipality, local_official):
    client.force_login(local_official)
    page = FamilyCells()
    page.feed(client.get(dashboard_url(busy_municipality)).content.decode())
    assert page.cells, "the family tables are marked"
    assert "< 5" in page.cells
    assert small_numbers(page.cells) == []
    for slug in FAMILY_TABLES:
        for rows in (
            without_period(csv_rows(client.get(export_url(busy_municipality, slug, "csv")))),
            without_period(xlsx_rows(client.get(export_url(busy_municipality, slug, "xlsx")))),
        ):
            # Percentage columns may hold small numbers; the counts are the columns without "%".
            header = rows[0]
            count_columns = [i for i, h in enumerate(header) if i and not h.endswith("(%)")]
            assert small_numbers([row[i] for row in rows[1:] for i in count_columns]) == [], slug


def test_the_total_minus_the_shown_cells_reveals_no_hidden_count(client, busy_municipality, local_official):
    client.force_login(local_official)
    rows = without_period(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert total[0] == "Totaal"
    for column in range(1, len(header)):
        published = [row[column] for row in body]
        assert "< 5" in published or column > 1
        options = reader_options(_as_line([*published, total[column]]), K, cap=200)
        assert all(len(o) >= 2 for o in options.values()), (header[column], published, total[column])


def test_no_number_spans_two_school_years(client, busy_municipality, local_official):
    """This year minus last year: nothing on the dashboard adds or subtracts school years, so
    the two columns of a table are separate sums that cannot be combined."""
    client.force_login(local_official)
    for slug in FAMILY_TABLES:
        header = csv_rows(client.get(export_url(busy_municipality, slug, "csv")))[0]
        for heading in header[1:]:
            assert "-" in heading or heading.endswith("(%)") or slug in {"signals-trend", "unmet"}, (slug, heading)
    trend = without_period(csv_rows(client.get(export_url(busy_municipality, "signals-trend", "csv"))))
    assert trend[-1][0] != "Totaal"


def test_spreadsheet_cells_that_look_like_formulas_are_made_inert(client, busy_municipality, local_official):
    from welfare.models import NeedCategory

    NeedCategory.objects.filter(code="material_admin").update(name_nl='=HYPERLINK("http://x")')
    client.force_login(local_official)
    rows = xlsx_rows(client.get(export_url(busy_municipality, "signals-need", "xlsx")))
    assert '\'=HYPERLINK("http://x")' in [row[0] for row in rows]
    assert "'=HYPERLINK" in client.get(export_url(busy_municipality, "signals-need", "csv")).content.decode()


def test_unknown_table_is_a_404(client, municipality, local_official):
    client.force_login(local_official)
    assert client.get(export_url(municipality, "no-such-table", "csv")).status_code == 404


def test_median_days_to_first_contact_over_at_least_k_referrals(client, busy_municipality, local_official):
    client.force_login(local_official)
    content = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "4,0 dagen (over 9 doorverwijzingen)" in content or "4.0 dagen (over 9 doorverwijzingen)" in content


def test_per_school_breakdown_needs_k_schools(client, busy_municipality, local_official):
    client.force_login(local_official)
    content = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "per school" in content
    assert client.get(export_url(busy_municipality, "referrals-school", "csv")).status_code == 404


def test_region_dashboard_shows_the_network_but_no_counts_about_families(
    client, municipality, local_official, activity
):
    """Region minus own municipality would be the neighbours' counts: a region shows none."""
    neighbour = MunicipalityFactory(name="Buurgemeente")
    region = Region.objects.create(name="Regio Test")
    region.municipalities.add(municipality, neighbour)
    activity(SchoolFactory(municipality=municipality)).signals("material_admin", 6)
    activity(SchoolFactory(municipality=neighbour, name="School van de buren")).signals("material_admin", 2)
    outsider = Region.objects.create(name="Andere regio")
    outsider.municipalities.add(MunicipalityFactory())
    client.force_login(local_official)

    def region_url(name, region, **extra):
        return reverse(
            f"network:{name}",
            kwargs={"municipality_id": municipality.public_id, "region_id": region.public_id, **extra},
        )

    page = client.get(region_url("region_dashboard", region)).content.decode()
    assert "School van de buren" in page  # the network: schools are not family data
    assert "Signalen per nood" not in page
    for slug in FAMILY_TABLES:
        assert client.get(region_url("region_export", region, slug=slug, fmt="csv")).status_code == 404
    assert client.get(region_url("region_export", region, slug="schools", fmt="csv")).status_code == 200
    assert client.get(region_url("region_dashboard", outsider)).status_code == 404


def test_dashboard_costs_the_same_number_of_queries_whatever_the_data(
    client, municipality, school, organisation, local_official, activity, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(local_official)
    client.get(dashboard_url(municipality))
    with CaptureQueriesContext(connection) as small:
        assert client.get(dashboard_url(municipality)).status_code == 200
    for i in range(3):
        place = activity(SchoolFactory(municipality=municipality))
        place.signals("material_admin", 6 + i)
        place.referrals("hygiene_health", OrganisationFactory(municipalities=[municipality]), 5, state=State.CLOSED)
    with CaptureQueriesContext(connection) as large:
        assert client.get(dashboard_url(municipality)).status_code == 200
    assert len(large) == len(small)


def _as_line(texts):
    from brugwijzer.disclosure import Cell, Line, Shown

    def cell(text):
        if text.isdigit():
            return Cell(Shown.VALUE, int(text), K)
        return Cell(Shown.SMALL if text == f"< {K}" else Shown.HIDDEN, None, K)

    cells = [cell(t) for t in texts]
    return Line(cells=cells[:-1], total=cells[-1], k=K)


def test_an_administrator_defines_a_region_in_the_admin(admin_client, municipality, other_municipality):
    response = admin_client.post(
        reverse("admin:places_region_add"),
        {"name": "Regio Admin", "municipalities": [municipality.pk, other_municipality.pk]},
    )
    assert response.status_code == 302
    assert set(Region.objects.get(name="Regio Admin").municipalities.all()) == {municipality, other_municipality}


def test_theme_scores_average_finished_rounds_over_at_least_k_answers(client, municipality, school, local_official):
    from django.utils import timezone

    from reflection.models import Answer, Participant, Phase, Question, QuestionnaireVersion, Round

    version = QuestionnaireVersion.objects.for_audience("school").first()
    question = Question.objects.filter(section__version=version, kind="scale").select_related("section").first()
    director = member(Role.DIRECTOR, school)
    finished = Round(
        version=version, title="Afgerond", ends_on=timezone.localdate(), started_by=director, phase=Phase.CLOSED
    )
    finished.set_tenant(school)
    finished.save()
    for value in (2, 3, 4, 4):
        person = member(Role.TEACHER, school)
        participant = Participant.objects.create(round=finished, user=person, submitted_at=timezone.now())
        Answer.objects.create(participant=participant, question=question, value=value)
    client.force_login(local_official)
    assert client.get(export_url(municipality, "themes", "csv")).status_code == 404  # four answers: not shown
    participant = Participant.objects.create(
        round=finished, user=member(Role.TEACHER, school), submitted_at=timezone.now()
    )
    Answer.objects.create(participant=participant, question=question, value=5)
    rows = csv_rows(client.get(export_url(municipality, "themes", "csv")))
    assert rows[1][1:] == ["3,6", "5", "1"]  # a decimal comma, as a Dutch-language Excel expects
    assert "3,6" in client.get(dashboard_url(municipality)).content.decode()


def test_the_csv_opens_in_a_dutch_language_excel_with_its_columns_and_accents(
    client, busy_municipality, local_official
):
    from welfare.models import NeedCategory

    NeedCategory.objects.filter(code="material_admin").update(name_nl="Financiële hulp; één loket")
    client.force_login(local_official)
    response = client.get(export_url(busy_municipality, "signals-need", "csv"))
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel reads UTF-8
    rows = csv_rows(response)
    header = rows[0]
    assert len(header) > 2 and all(len(row) == len(header) for row in rows[1:-1])
    assert "Financiële hulp; één loket" in [row[0] for row in rows]  # quoted, so its ; splits nothing


def test_the_csv_in_english_keeps_the_comma(client, busy_municipality, local_official):
    from django.conf import settings

    client.force_login(local_official)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv")), delimiter=",")
    assert len(rows[0]) > 2
    assert rows[-1][0].startswith("Counted up to and including")


def test_every_xlsx_sheet_has_a_readable_name_fitted_columns_and_a_header_that_stays(
    client, busy_municipality, local_official
):
    from django.utils import translation
    from openpyxl.utils import get_column_letter

    from network import stats
    from network.views import _scope

    client.force_login(local_official)
    with translation.override("nl-be"):
        board = stats.published(_scope(busy_municipality, None))
        titles = {table.slug: str(table.title) for tables in board.sections.values() for table in tables}
    assert any(len(title) > 31 for title in titles.values()), "a long title is among them"
    for slug, title in titles.items():
        response = client.get(export_url(busy_municipality, slug, "xlsx"))
        if response.status_code == 404:  # a table too small to publish
            continue
        book = workbook(response)
        sheet = book.active
        assert len(sheet.title) <= 31
        if len(title) <= 31:
            assert sheet.title == title
        else:  # cut between words, and says so
            assert sheet.title.endswith("…") and title.startswith(sheet.title[:-1])
            assert title[len(sheet.title) - 1] == " "
        assert book.properties.title == title
        assert sheet.freeze_panes == "A2"
        for index, heading in enumerate(next(sheet.iter_rows(values_only=True)), start=1):
            width = sheet.column_dimensions[get_column_letter(index)].width
            assert width >= min(len(str(heading)), 58), (slug, heading, width)
