"""Municipality and Region now live in `places` (places 0001). This app's keys point there and
the old models leave Django's state; the tables stay where they are, under their old names, and
now belong to places. Nothing in the database changes in either direction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_dashboard_snapshot_table"),
        # Every key to the old models is re-pointed first, so none is left dangling.
        ("accounts", "0002_municipality_in_places"),
        ("places", "0003_audit_tenant_link"),
        ("reflection", "0006_municipality_in_places"),
        ("schools", "0006_municipality_in_places"),
        ("welfare", "0008_municipality_in_places"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="network",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="networks",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="policysignal",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="policy_signals",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="engagementdeclaration",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="engagements",
                        to="places.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.DeleteModel(name="Region"),
                migrations.DeleteModel(name="Municipality"),
            ],
            database_operations=[],
        ),
    ]
