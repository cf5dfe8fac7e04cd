"""The parent survey, version 1 (Dutch, English, French and Arabic), frozen with this migration."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "parent_survey_v1.json"


def load(apps, schema_editor):
    ParentQuestionnaire = apps.get_model("reflection", "ParentQuestionnaire")
    content = json.loads(DATA.read_text(encoding="utf-8"))
    ParentQuestionnaire.objects.get_or_create(
        slug=content["slug"], number=1, defaults={"languages": content["languages"], "content": content}
    )


def unload(apps, schema_editor):
    apps.get_model("reflection", "ParentQuestionnaire").objects.filter(number=1, surveys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reflection", "0003_parent_survey")]

    operations = [migrations.RunPython(load, unload)]
