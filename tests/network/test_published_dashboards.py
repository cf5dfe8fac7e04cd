"""Published dashboards: `build_dashboards` publishes every municipality's and region's dashboard
once a night; pages and downloads show that one, in the reader's language, at a fixed cost."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from network import stats
from places.models import Region
from tests.downloads import csv_rows
from tests.factories import OrganisationFactory, SchoolFactory
from tests.network.test_dashboard import dashboard_url, export_url


def signals_row(rows):
    return next(row for row in rows if row and row[0].startswith("Financiële"))


def publish():
    call_command("build_dashboards", verbosity=0)


def publish_on(day, scope):
    """Publish as the nightly command would on `day`, in every language."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stats.publish(scope, today=day)


def first_of_next_month():
    return (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)


def test_the_page_shows_the_published_figures_of_the_last_complete_month_until_the_next_month(
    client, busy_municipality, local_official, activity
):
    client.force_login(local_official)
    live = signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    publish()
    # Thirty signals dated in the counted month, but recorded now: the month's figures are kept.
    activity(SchoolFactory(municipality=busy_municipality)).signals("material_admin", 30)

    page = client.get(dashboard_url(busy_municipality)).content.decode()
    assert "Cijfers zoals gepubliceerd op" in page
    assert signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv")))) == live
    publish()  # the next night, in the same month
    assert signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv")))) == live

    publish_on(first_of_next_month(), stats.Scope(name=busy_municipality.name, municipalities=[busy_municipality]))
    next_month = signals_row(csv_rows(client.get(export_url(busy_municipality, "signals-need", "csv"))))
    assert next_month != live and "42" in next_month


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
    with translation.override("nl-be"):
        board = stats.published(scope)
    assert board.built_at is not None
    cells = [cell for tables in board.sections.values() for t in tables for c in t.columns for cell in c.cells]
    hidden = [cell for cell in cells if cell.shown != "value"]
    assert hidden and all(cell.value is None for cell in hidden)
