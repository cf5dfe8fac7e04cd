"""Published dashboards: `build_dashboards` publishes every municipality's and region's dashboard
once a night; pages and downloads show that one, in the reader's language, at a fixed cost."""

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network import stats
from places.models import Region
from tests.factories import OrganisationFactory, SchoolFactory
from tests.network.test_dashboard import csv_rows, dashboard_url, export_url


def signals_row(rows):
    return next(row for row in rows if row and row[0].startswith("Financiële"))


def publish():
    call_command("build_dashboards", verbosity=0)


def test_the_page_shows_the_published_figures_until_the_next_night(client, busy_municipality, local_official, activity):
    client.force_login(local_official)
    live = signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    publish()
    activity(SchoolFactory(municipality=busy_municipality)).signals("material_admin", 30)

    page = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "Cijfers zoals gepubliceerd op" in page
    published = signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    assert published == live  # the thirty new signals wait for the next night

    publish()
    tomorrow = signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    assert tomorrow != live and "42" in tomorrow


def test_without_a_published_dashboard_it_is_built_for_the_request(client, busy_municipality, local_official):
    client.force_login(local_official)
    page = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "Cijfers zoals ze nu zijn." in page


def test_each_language_has_its_own_published_dashboard(client, busy_municipality, local_official):
    publish()
    client.force_login(local_official)
    client.cookies["django_language"] = "en"
    page = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "Figures as published on" in page
    assert "Money, material and paperwork" in page


def test_a_published_dashboard_costs_a_few_queries_whatever_the_data(
    client, busy_municipality, local_official, activity
):
    publish()
    client.force_login(local_official)
    client.get(dashboard_url(busy_municipality))
    with CaptureQueriesContext(connection) as small:
        assert client.get(dashboard_url(busy_municipality)).status_code == 200
    for i in range(3):
        place = activity(SchoolFactory(municipality=busy_municipality))
        place.signals("material_admin", 6 + i)
        place.referrals("hygiene_health", OrganisationFactory(municipalities=[busy_municipality]), 5)
    publish()
    with CaptureQueriesContext(connection) as large:
        assert client.get(dashboard_url(busy_municipality)).status_code == 200
    # session, user, verified device, memberships, the municipality's regions, the published dashboard
    assert len(large) == len(small) <= 8, [q["sql"][:80] for q in large.captured_queries]


def test_a_region_is_published_too(client, busy_municipality, other_municipality, local_official):
    region = Region.objects.create(name="Leiestreek")
    region.municipalities.add(busy_municipality, other_municipality)
    publish()
    scope = stats.Scope(name=region.name, municipalities=[busy_municipality, other_municipality], region=region)
    assert stats.published(scope).built_at is not None


def test_an_entry_from_an_older_version_is_ignored(client, busy_municipality, local_official):
    scope = stats.Scope(name=busy_municipality.name, municipalities=[busy_municipality])
    caches["dashboards"].set(stats._snapshot_key(scope, "nl-be"), {"old": "shape"}, version=stats.SNAPSHOT_VERSION)
    client.force_login(local_official)
    response = client.get(dashboard_url(busy_municipality))
    assert response.status_code == 200 and "Cijfers zoals ze nu zijn." in response.content.decode()


def test_the_published_dashboard_keeps_no_hidden_count(busy_municipality):
    """What is stored is what the page shows: a small or hidden cell keeps no value."""
    publish()
    scope = stats.Scope(name=busy_municipality.name, municipalities=[busy_municipality])
    from django.utils import translation

    with translation.override("nl-be"):
        board = stats.published(scope)
    assert board.built_at is not None
    cells = [cell for tables in board.sections.values() for t in tables for c in t.columns for cell in c.cells]
    hidden = [cell for cell in cells if cell.shown != "value"]
    assert hidden and all(cell.value is None for cell in hidden)
