"""The admin's change history (LogEntry) and any permission granted on municipalities or regions
point at their content type. Renaming the two content types from `network` to `places` keeps
that history and those permissions attached; without it Django would make new, empty ones and
leave the old ones pointing at nothing.

On a new database there are no content types yet (Django creates them after migrating), so this
does nothing there.
"""

from django.db import migrations

MODELS = ["municipality", "region"]


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A content type already under the target label (made by a `migrate` run in between) wins;
        # renaming onto it would break the unique (app_label, model) pair.
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move(apps, "network", "places")


def backwards(apps, schema_editor):
    _move(apps, "places", "network")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
