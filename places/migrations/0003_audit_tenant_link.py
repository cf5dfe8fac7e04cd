"""Re-point the audit log's municipality key at places.Municipality, in Django's state only.

Every other app does this in a migration of its own. The audit app's migrations are being
reworked on another branch at the same time, and a second new audit migration would give that
app two leaf migrations; so this one step lives here and names the app it changes. The column
and its foreign key already point at `network_municipality`, the table that moved with the model,
so the database is not touched in either direction.
"""

import django.db.models.deletion
from django.db import migrations, models


class AlterFieldOfApp(migrations.AlterField):
    """AlterField on a model of another app, in the migration state only."""

    def __init__(self, app_label, model_name, name, field):
        self.target_app_label = app_label
        super().__init__(model_name=model_name, name=name, field=field)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"app_label": self.target_app_label, **kwargs}

    def state_forwards(self, app_label, state):
        super().state_forwards(self.target_app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Alter field {self.name} on {self.target_app_label}.{self.model_name} (state only)"

    def reduce(self, operation, app_label):
        # Never merged with another app's operations when migrations are squashed.
        return False


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0010_bridge_and_handover_actions"),
        ("places", "0002_content_types"),
    ]

    operations = [
        AlterFieldOfApp(
            app_label="audit",
            model_name="auditevent",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="municipality",
            ),
        ),
    ]
