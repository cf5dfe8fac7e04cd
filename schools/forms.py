from django import forms
from django.utils.translation import gettext_lazy as _

from brugwijzer.forms import RadioSelect, bounded
from schools.calendar import falls_on
from schools.models import (
    LONGEST_SERIES,
    ClbAgreement,
    CollaborationIntensity,
    CollaborationKind,
    EventAttendance,
    EventKind,
    PartnerRelation,
    Repeat,
    School,
    SchoolEvent,
    Training,
)
from welfare.models import NeedCategory, WelfareOrganisation


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
            "status": RadioSelect,
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


DATE = {"type": "date"}
TIME = {"type": "time"}


def _organisations():
    return WelfareOrganisation.objects.for_directory().order_by("name", "id")


class SchoolEventForm(forms.ModelForm):
    """A date or a series on the school calendar."""

    class Meta:
        model = SchoolEvent
        fields = ["kind", "organisation", "place", "starts_on", "start_time", "end_time", "repeat", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs=TIME, format="%H:%M"),
            "end_time": forms.TimeInput(attrs=TIME, format="%H:%M"),
        }
        help_texts = {"ends_on": _("Only for a series: the date of the last time.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()

    def clean(self):
        data = super().clean()
        kind, organisation = data.get("kind"), data.get("organisation")
        if kind and not EventKind(kind).is_preventive and organisation is None:
            self.add_error("organisation", _("Say which partner is at the school."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end comes after the start."))
        repeat, first, last = data.get("repeat"), data.get("starts_on"), data.get("ends_on")
        if repeat == Repeat.ONCE:
            data["ends_on"] = None
        elif repeat and first:
            if last is None:
                self.add_error("ends_on", _("A series needs a last date."))
            elif last < first:
                self.add_error("ends_on", _("The last date comes after the first."))
            elif last - first > LONGEST_SERIES:
                self.add_error("ends_on", _("A series runs at most a little over a school year."))
        return data


class AttendanceForm(forms.ModelForm):
    """How many came to one date of a preventive activity, recorded afterwards."""

    class Meta:
        model = EventAttendance
        fields = ["held_on", "attendees"]
        widgets = {"held_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}
        help_texts = {"attendees": _("Parents and children together. A number only, never names.")}

    def __init__(self, *args, event: SchoolEvent, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.today = event, today
        self.fields["attendees"].max_value = 1000
        self.fields["attendees"].widget.attrs["max"] = 1000

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("Record how many came once the activity has taken place."))
        if not falls_on(self.event, held_on):
            raise forms.ValidationError(_("The activity does not take place on that date."))
        return held_on

    def clean_attendees(self):
        attendees = self.cleaned_data["attendees"]
        if attendees > 1000:
            raise forms.ValidationError(_("That is more than a school activity holds."))
        return attendees


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["theme", "provider", "title", "format", "direction", "held_on", "participants"]
        widgets = {"held_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _organisations()
        self.fields["theme"].queryset = NeedCategory.objects.all()
        self.fields["participants"].max_value = 1000
        self.fields["participants"].widget.attrs["max"] = 1000

    def clean_participants(self):
        participants = self.cleaned_data["participants"]
        if participants < 1 or participants > 1000:
            raise forms.ValidationError(_("Between 1 and 1000 people."))
        return participants
