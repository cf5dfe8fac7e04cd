"""Municipality and Region move here from `network` (the dashboards app) so that every app can
point at a municipality without importing a floor above it.

Only Django's idea of the models moves: the tables keep their names (`network_municipality`,
`network_region`, `network_region_municipalities`), so no row is copied and nothing is locked.
The other apps re-point their keys in their own migrations and `network` forgets the old models
last (network 0005); every step is state-only, so migrating back is as cheap as forwards.
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables exist from here on (Region since network 0002).
        ("network", "0004_dashboard_snapshot_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Municipality",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        (
                            "nis_code",
                            models.CharField(
                                help_text="The five-digit code Statbel gives every Belgian municipality.",
                                max_length=5,
                                unique=True,
                                verbose_name="NIS code",
                            ),
                        ),
                        (
                            "province",
                            models.CharField(
                                choices=[
                                    ("antwerp", "Antwerp"),
                                    ("east_flanders", "East Flanders"),
                                    ("flemish_brabant", "Flemish Brabant"),
                                    ("limburg", "Limburg"),
                                    ("west_flanders", "West Flanders"),
                                    ("brussels", "Brussels-Capital Region"),
                                ],
                                max_length=20,
                                verbose_name="province",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "municipality",
                        "verbose_name_plural": "municipalities",
                        "db_table": "network_municipality",
                        "ordering": ["name", "nis_code"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "province__in",
                                        ["antwerp", "east_flanders", "flemish_brabant", "limburg", "west_flanders", "brussels"],
                                    )
                                ),
                                name="network_municipality_province_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("nis_code__regex", "^[0-9]{5}$")),
                                name="network_municipality_nis_code_five_digits",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                        (
                            "municipalities",
                            models.ManyToManyField(
                                db_table="network_region_municipalities",
                                related_name="regions",
                                to="places.municipality",
                                verbose_name="municipalities",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "region",
                        "verbose_name_plural": "regions",
                        "db_table": "network_region",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
