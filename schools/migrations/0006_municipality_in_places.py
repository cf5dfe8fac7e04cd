"""Keys to municipalities now point at places.Municipality (moved from network; same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("schools", "0005_school_calendar_and_trainings"),
    ]

    operations = [
        # State only: the columns already point at the same table, which kept its name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="school",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="schools",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
