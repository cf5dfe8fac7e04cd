from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referrals.models import NEEDS_REASON, Signal
from welfare.models import WelfareOrganisation


class SignalForm(forms.ModelForm):
    """The 30-second intake: what, how it came in, what the school did."""

    class Meta:
        model = Signal
        fields = ["received_on", "need", "subcategory", "channel", "note", "action", "action_reason", "organisation"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "need": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].empty_label = None
        self.fields["subcategory"].queryset = self.fields["subcategory"].queryset.select_related("category")
        self.fields["subcategory"].label_from_instance = lambda sub: f"{sub.category} – {sub}"
        self.fields["organisation"].queryset = WelfareOrganisation.objects.serving(school.municipality).order_by("name")
        self.fields["organisation"].empty_label = _("None")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A signal cannot come from the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        need, sub = cleaned.get("need"), cleaned.get("subcategory")
        if need and sub and sub.category_id != need.pk:
            self.add_error("subcategory", _("This sub-theme belongs to another need."))
        if cleaned.get("action") in NEEDS_REASON and not cleaned.get("action_reason", "").strip():
            self.add_error("action_reason", _("Say in a few words why, so the team can discuss it."))
        return cleaned
