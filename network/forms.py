from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from accounts.roles import Role
from brugwijzer.forms import bounded
from network.models import (
    AgendaItem,
    EngagementDeclaration,
    EngagementItem,
    Meeting,
    Network,
    NetworkAction,
    PolicySignal,
    PolicySignalStatus,
)
from welfare.models import WelfareOrganisation


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        field_classes = bounded("schools", "organisations")
        fields = ["name", "kind", "goal", "coordinator", "schools", "organisations"]
        widgets = {
            "schools": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "goal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Membership.objects.active().for_tenant(municipality).filter(role=Role.LOCAL_OFFICIAL)
        self.fields["coordinator"].queryset = User.objects.filter(pk__in=officials.values("user")).order_by("full_name")
        self.fields["schools"].queryset = municipality.schools.order_by("name")
        self.fields["organisations"].queryset = WelfareOrganisation.objects.serving(municipality).order_by("name")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "starts_at", "place"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "presenter", "needs_feedback"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = network.organisations.order_by("name")


class DecisionForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["decision"]
        widgets = {"decision": forms.Textarea(attrs={"rows": 2})}


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 8})}


class ActionForm(forms.ModelForm):
    class Meta:
        model = NetworkAction
        fields = ["what", "owner_organisation", "owner_school", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = network.organisations.order_by("name")
        self.fields["owner_school"].queryset = network.schools.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("owner_organisation") and data.get("owner_school"):
            raise forms.ValidationError(_("Choose one owner: an organisation or a school, not both."))
        return data


class ActionStatusForm(forms.ModelForm):
    class Meta:
        model = NetworkAction
        fields = ["status"]


class PolicySignalForm(forms.ModelForm):
    class Meta:
        model = PolicySignal
        fields = ["need", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DecideSignalForm(forms.ModelForm):
    status = forms.TypedChoiceField(
        label=_("What policy did"),
        choices=[
            (PolicySignalStatus.TAKEN_UP, PolicySignalStatus.TAKEN_UP.label),
            (PolicySignalStatus.NOT_TAKEN_UP, PolicySignalStatus.NOT_TAKEN_UP.label),
        ],
    )

    class Meta:
        model = PolicySignal
        fields = ["status", "decision", "decided_on"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}), "decision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.fields["decided_on"].required = True


class PutOnAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class EngagementForm(forms.ModelForm):
    commitments = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One commitment per line."),
    )

    class Meta:
        model = EngagementDeclaration
        fields = ["school", "partner", "title"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = municipality.schools.order_by("name")
        self.fields["partner"].queryset = WelfareOrganisation.objects.serving(municipality).order_by("name")

    def clean_commitments(self):
        lines = [line.strip() for line in self.cleaned_data["commitments"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one commitment."))
        too_long = [line for line in lines if len(line) > 300]
        if too_long:
            raise forms.ValidationError(_("A commitment is at most 300 characters."))
        return lines


class ItemStatusForm(forms.ModelForm):
    class Meta:
        model = EngagementItem
        fields = ["status"]
