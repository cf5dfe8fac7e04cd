"""Keys to municipalities now point at places.Municipality (moved from network; same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("places", "0001_initial"),
    ]

    operations = [
        # State only: the columns already point at the same table, which kept its name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="invitation",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
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
