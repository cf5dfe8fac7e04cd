"""Form fields shared by the apps, and the rule every single-line form field follows."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brugwijzer.text import has_control_characters

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


def validate_single_line(value) -> None:
    """A name, reference, address or title is one line of visible text. A line break in one ends up
    in a mail subject or a download's name (an invalid header: an error instead of the mail or the
    file), and an escape sequence in a log or a terminal."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Keep this on one line, without line breaks or invisible control characters."),
            code="control_characters",
        )


# Where several lines are the point (notes, descriptions), or the text is never shown nor sent
# anywhere (passwords, only ever hashed).
MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput)


def _validate_char_field(field: forms.CharField, value) -> None:
    forms.Field.validate(field, value)
    if not isinstance(field.widget, MULTI_LINE_WIDGETS):
        validate_single_line(value)


def refuse_control_characters() -> None:
    """Make every single-line text field of every form refuse control characters: our forms, the
    admin's and those of the packages we use, whatever the model field behind them (the family's
    encrypted names are text fields shown as one line), decided by the widget the form shows at
    the moment it validates. Called once at start-up (`brugwijzer.apps`); Django's own CharField
    refuses the null character the same way, for every widget."""
    forms.CharField.validate = _validate_char_field


# The empty choice of a select. Django's own reads "- Select an option -", which its Dutch catalogue
# leaves in English; ours is said in the interface's language.
BLANK_CHOICE_LABEL = _("– choose –")


def blank_choice_in_our_words() -> None:
    """Every select Django builds from a model field or a foreign key starts with our empty choice.
    Django 6.1 reads `BLANK_CHOICE_LABEL` when it builds a field, and asks that apps set it at
    start-up (`brugwijzer.apps`)."""
    from django.db.models import fields

    fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL


class RadioSelect(forms.RadioSelect):
    """Radio buttons for a choice. A model field without a default gives its form field an empty
    choice; in a select that is a harmless first line, but as radio buttons it is an extra
    button, checked from the start, as if the person had answered "nothing". A required choice gets
    no such button: nothing is checked until someone picks an answer."""

    def optgroups(self, name, value, attrs=None):
        if not self.is_required:
            return super().optgroups(name, value, attrs)
        offered = self.choices
        self.choices = [(key, label) for key, label in offered if key != ""]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = offered
