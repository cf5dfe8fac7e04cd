from django import forms
from django.utils.translation import gettext_lazy as _

from brugwijzer.forms import bounded
from schools.models import ClbAgreement, CollaborationIntensity, CollaborationKind, PartnerRelation, School


class RelationForm(forms.ModelForm):
    class Meta:
        model = PartnerRelation
        fields = [
            "status",
            "contact_person",
            "school_contact",
            "last_contact_on",
            "agreements",
            "note",
            "shared_with_organisation",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "last_contact_on": forms.DateInput(attrs={"type": "date"}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class QuickRelationForm(forms.ModelForm):
    """Only the status, from the organisation's page in the directory."""

    class Meta:
        model = PartnerRelation
        fields = ["status"]


class FocusNeedsForm(forms.ModelForm):
    class Meta:
        model = School
        field_classes = bounded("focus_needs")
        fields = ["focus_needs"]
        widgets = {"focus_needs": forms.CheckboxSelectMultiple}


class CollaborationForm(forms.Form):
    """Which forms of collaboration the relation has, each with its intensity and start."""

    def __init__(self, *args, relation=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {c.kind: c for c in relation.collaborations.all()} if relation and relation.pk else {}
        for kind in CollaborationKind:
            found = existing.get(kind)
            self.fields[f"{kind}_on"] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=bool(found),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{kind}_intensity"] = forms.ChoiceField(
                label=_("How intense"),
                choices=[("", "—"), *CollaborationIntensity.choices],
                required=False,
                initial=found.intensity if found else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{kind}_since"] = forms.DateField(
                label=_("Since"),
                required=False,
                initial=found.since if found else None,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
                ),
            )

    def rows(self):
        for kind in CollaborationKind:
            yield kind, self[f"{kind}_on"], self[f"{kind}_intensity"], self[f"{kind}_since"]

    def clean(self):
        data = super().clean()
        for kind in CollaborationKind:
            if data.get(f"{kind}_on") and not data.get(f"{kind}_intensity"):
                self.add_error(f"{kind}_intensity", _("Say how intense this collaboration is."))
        return data

    def chosen(self) -> dict:
        """kind → (intensity, since) for every form ticked."""
        return {
            kind: (self.cleaned_data[f"{kind}_intensity"], self.cleaned_data[f"{kind}_since"])
            for kind in CollaborationKind
            if self.cleaned_data.get(f"{kind}_on")
        }


class MapFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Form of collaboration"),
        choices=[("", _("any form of collaboration")), *CollaborationKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class ClbAgreementForm(forms.ModelForm):
    class Meta:
        model = ClbAgreement
        fields = [
            "anchor_person",
            "availability",
            "welfare_questions",
            "not_taken_up",
            "safety_concern",
            "feedback",
            "review_on",
        ]
        widgets = {
            "availability": forms.Textarea(attrs={"rows": 3}),
            "welfare_questions": forms.Textarea(attrs={"rows": 3}),
            "not_taken_up": forms.Textarea(attrs={"rows": 2}),
            "safety_concern": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
