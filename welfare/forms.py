from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwijzer.forms import RadioSelect, bounded
from welfare.models import CorrectionSuggestion, Location, Service, SuggestionStatus, Weekday, WelfareOrganisation


class CheckedForm(forms.ModelForm):
    """Saving an entry confirms that it is true today."""

    def save(self, commit=True):
        self.instance.checked_on = timezone.localdate()
        return super().save(commit)


class OrganisationForm(CheckedForm):
    class Meta:
        model = WelfareOrganisation
        field_classes = bounded("municipalities")
        fields = [
            "name",
            "alternate_name",
            "description",
            "email",
            "phone",
            "website",
            "kbo_number",
            "education_remit",
            "feedback_level",
            "municipalities",
        ]
        widgets = {
            "feedback_level": RadioSelect,
            "municipalities": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, curated=None, **kwargs):
        """`curated`: a curator (not the organisation itself) changes only their own municipalities' claim."""
        super().__init__(*args, **kwargs)
        self.curated = curated
        if curated is not None:
            # What the organisation tells schools is the organisation's own choice.
            del self.fields["feedback_level"]
            field = self.fields["municipalities"]
            field.queryset = field.queryset.filter(pk__in=curated)
            field.help_text = _("You can only add or remove the municipalities you curate.")

    def clean_municipalities(self):
        chosen = self.cleaned_data["municipalities"]
        if self.curated is None or not self.instance.pk:
            return chosen
        kept = self.instance.municipalities.exclude(pk__in=self.curated)
        return list(kept) + list(chosen)


class ServiceForm(CheckedForm):
    class Meta:
        model = Service
        field_classes = bounded(
            "needs", "subcategories", "target_groups", "languages", "outreach_forms", "service_areas"
        )
        fields = [
            "name",
            "description",
            "status",
            "needs",
            "subcategories",
            "target_groups",
            "minimum_age",
            "maximum_age",
            "application_process",
            "is_free",
            "fees_description",
            "languages",
            "outreach_forms",
            "waiting_list",
            "email",
            "url",
            "service_areas",
        ]
        widgets = dict.fromkeys(
            ("needs", "subcategories", "target_groups", "languages", "outreach_forms", "service_areas"),
            forms.CheckboxSelectMultiple,
        ) | {"description": forms.Textarea(attrs={"rows": 4}), "application_process": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and high < low:
            self.add_error("maximum_age", _("The upper age cannot be below the lower age."))
        return cleaned

    def save(self, commit=True):
        if "waiting_list" in self.changed_data or not self.instance.waiting_list_updated_on:
            self.instance.waiting_list_updated_on = timezone.localdate()
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_("An HSDS 3.0 JSON bundle, or a zipped data package (CSV files with datapackage.json)."),
        validators=[FileExtensionValidator(["json", "zip"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, change nothing"), required=False, initial=True)

    def clean_file(self):
        """The name says .json or .zip; the first bytes must agree (the browser's content type is not
        trusted): a zip archive starts with PK, a JSON bundle with an object."""
        upload = self.cleaned_data["file"]
        start = upload.read(64)
        upload.seek(0)
        is_zip = upload.name.lower().endswith(".zip")
        if is_zip and not start.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("This file is not a zip archive."))
        if not is_zip and not start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            raise forms.ValidationError(_("This file is not an HSDS JSON bundle."))
        return upload


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = CorrectionSuggestion
        fields = ["service", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = organisation.services.order_by("name", "id")
        self.fields["service"].empty_label = _("The organisation as a whole")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(SuggestionStatus.ACCEPTED, _("Accept")), (SuggestionStatus.REJECTED, _("Reject"))]
    )
    answer = forms.CharField(label=_("Answer for the school"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LocationForm(CheckedForm):
    class Meta:
        model = Location
        fields = ["name", "street_address", "postal_code", "municipality", "accessibility", "is_confidential"]

    def __init__(self, *args, organisation, own, **kwargs):
        """`own`: the organisation's own member, the only one who decides which addresses are confidential."""
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = organisation.municipalities.order_by("name")
        if not own:
            # A curator keeps public addresses; marking or unmarking a shelter is not theirs to do.
            del self.fields["is_confidential"]

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and not (code.isdigit() and len(code) == 4):
            raise forms.ValidationError(_("A Belgian postal code has four digits."))
        return code


class OpeningHoursForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    weekday = forms.ChoiceField(label=_("Day"), choices=Weekday.choices)
    opens_at = forms.TimeField(label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = organisation.services.order_by("name", "id")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Closing time comes after opening time."))
        return cleaned
