"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

_BIGINT = 2**63


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a key too large for the database is an invalid choice rather than a crash:
    SQLite raises OverflowError for `pk__in` with an integer beyond 64 bits (an exact lookup is
    already safe). Found by the generated-input test (tests/brugwijzer/test_form_input.py)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField):
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check refuses it
                if not -_BIGINT <= number < _BIGINT:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def bounded(*names: str) -> dict:
    """`Meta.field_classes` for a model form's many-to-many fields."""
    return dict.fromkeys(names, ModelMultipleChoiceField)
