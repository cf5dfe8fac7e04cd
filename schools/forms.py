from django import forms

from brugwijzer.forms import bounded
from schools.models import PartnerRelation, School


class RelationForm(forms.ModelForm):
    class Meta:
        model = PartnerRelation
        fields = ["status", "contact_person", "last_contact_on", "agreements", "note", "shared_with_organisation"]
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
