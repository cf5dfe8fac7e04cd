"""Keys to municipalities now point at places.Municipality (moved from network; same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("reflection", "0005_reminders"),
    ]

    operations = [
        # State only: the columns already point at the same table, which kept its name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="round",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
