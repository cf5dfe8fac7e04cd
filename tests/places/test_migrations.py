"""Municipalities and regions moved from network to places without moving a row (places
0001-0003, network 0005): migrating back and forth keeps every municipality, region and key, and
the admin's history of a municipality stays attached to it."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from places.models import Municipality, Region
from schools.models import School


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return state.apps


@pytest.mark.django_db(transaction=True)
def test_moving_municipalities_to_places_and_back_keeps_every_row_and_the_admin_history(lookups):
    old = migrate([("places", None)])
    OldMunicipality = old.get_model("network", "Municipality")
    kanaalhoek = OldMunicipality.objects.create(name="Kanaalhoek", nis_code="99002", province="east_flanders")
    region = old.get_model("network", "Region").objects.create(name="Regio Kanaalzone")
    region.municipalities.add(kanaalhoek)
    old.get_model("schools", "School").objects.create(
        name="De Sluis",
        institution_number="990009",
        municipality=kanaalhoek,
        education_network="community",
        level="primary",
    )
    admin = old.get_model("accounts", "User").objects.create(email="admin@brugwijzer.example", is_staff=True)
    old.get_model("admin", "LogEntry").objects.create(
        user=admin,
        content_type=old.get_model("contenttypes", "ContentType").objects.get(
            app_label="network", model="municipality"
        ),
        object_id=str(kanaalhoek.pk),
        object_repr="Kanaalhoek",
        action_flag=CHANGE,
    )

    migrate()
    ContentType.objects.clear_cache()

    moved = Municipality.objects.get(nis_code="99002")
    assert moved.pk == kanaalhoek.pk
    assert list(Region.objects.get(name="Regio Kanaalzone").municipalities.all()) == [moved]
    assert School.objects.get(institution_number="990009").municipality == moved
    assert LogEntry.objects.get().get_edited_object() == moved
    assert not ContentType.objects.filter(app_label="network", model__in=["municipality", "region"]).exists()

    # And back: the old app finds its rows and its history again.
    old = migrate([("places", None)])
    assert old.get_model("network", "Municipality").objects.get(nis_code="99002").regions.count() == 1
    assert old.get_model("admin", "LogEntry").objects.get().content_type.model == "municipality"
    assert (
        old.get_model("contenttypes", "ContentType").objects.filter(app_label="network", model="municipality").exists()
    )
    migrate()
