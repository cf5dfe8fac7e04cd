"""The table of the "dashboards" cache (settings.CACHES), where `build_dashboards` keeps each
municipality's and region's published dashboard. Django's own `createcachetable` makes it, so that
`migrate` alone sets up a new database."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    table = schema_editor.quote_name(settings.CACHES["dashboards"]["LOCATION"])
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_engagement_declarations"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
