"""Keys to municipalities now point at places.Municipality (moved from network; same table).

The two many-to-many fields keep their join tables (named after this app's models), so they
too change in Django's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("welfare", "0007_service_by_name_index"),
    ]

    operations = [
        # State only: the columns already point at the same table, which kept its name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="location",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="welfare_locations",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="service",
                    name="service_areas",
                    field=models.ManyToManyField(
                        blank=True, related_name="welfare_services", to="places.municipality", verbose_name="service area"
                    ),
                ),
                migrations.AlterField(
                    model_name="welfareorganisation",
                    name="municipalities",
                    field=models.ManyToManyField(
                        blank=True, related_name="welfare_organisations", to="places.municipality", verbose_name="municipalities served"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
