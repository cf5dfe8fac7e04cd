"""The question bank, version 1: every block of the book's reflection framework, in our own words.

The data file is frozen with this migration. A later wording is a new file and a new migration that
adds version 2, so rounds and answers keep pointing at the version they used.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data" / "bank_v1.json"
QUESTION_FIELDS = [
    "text_nl", "text_en", "help_nl", "help_en", "low_nl", "low_en", "high_nl", "high_en", "source",
]  # fmt: skip


def load(apps, schema_editor):
    Questionnaire = apps.get_model("reflection", "Questionnaire")
    Version = apps.get_model("reflection", "QuestionnaireVersion")
    Section = apps.get_model("reflection", "Section")
    Question = apps.get_model("reflection", "Question")
    for item in json.loads(DATA.read_text(encoding="utf-8")):
        questionnaire, _ = Questionnaire.objects.update_or_create(
            slug=item["slug"], defaults={"audiences": item["audiences"]}
        )
        if Version.objects.filter(questionnaire=questionnaire, number=1).exists():
            continue
        version = Version.objects.create(
            questionnaire=questionnaire,
            number=1,
            title_nl=item["title_nl"],
            title_en=item["title_en"],
            intro_nl=item.get("intro_nl", ""),
            intro_en=item.get("intro_en", ""),
        )
        for order, part in enumerate(item["sections"]):
            section = Section.objects.create(
                version=version,
                order=order,
                slug=part["slug"],
                block=part["block"],
                chapter=part.get("chapter", ""),
                title_nl=part["title_nl"],
                title_en=part["title_en"],
                intro_nl=part.get("intro_nl", ""),
                intro_en=part.get("intro_en", ""),
                discussion_nl=part.get("discussion_nl", ""),
                discussion_en=part.get("discussion_en", ""),
                discussion_covers=part.get("discussion_covers", []),
            )
            Question.objects.bulk_create(
                Question(
                    section=section,
                    order=index,
                    code=q["code"],
                    covers=q.get("covers", []),
                    kind=q["kind"],
                    required=q.get("required", False),
                    options=q.get("options", []),
                    **{name: q.get(name, "") for name in QUESTION_FIELDS},
                )
                for index, q in enumerate(part["questions"])
            )
        # Published once complete (an update, so it also works with the app's own models, which
        # refuse changes to a published version).
        Version.objects.filter(pk=version.pk).update(published_at=timezone.now())


def unload(apps, schema_editor):
    Version = apps.get_model("reflection", "QuestionnaireVersion")
    Version.objects.filter(number=1, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reflection", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
