"""Forms built from a round's questions: one form per section, one field (or a small group) per question."""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from brugwijzer.forms import ModelMultipleChoiceField as BoundedModelMultipleChoiceField
from referrals.models import Channel, Intensity
from reflection.models import (
    ActionPoint,
    OptionSource,
    ParentSurvey,
    Question,
    QuestionKind,
    Round,
    SectionNote,
)
from schools.models import RelationStatus
from welfare.models import NeedCategory, OrganisationType, WelfareOrganisation

ANONYMOUS_MIN = 3  # an anonymous round needs this many people, and so does each result it shows
TEXT_LIMIT = 2000
CELL_LIMIT = 300
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
YES_NO_UNKNOWN = [*YES_NO, ("unknown", _("Don't know"))]
LIMITS = [("", _("We take it up")), ("cannot", _("We cannot take it up")), ("will_not", _("We will not take it up"))]
OTHER = "other"


def options_for(question: Question, context: dict | None = None) -> list[tuple[str, str]]:
    """The question's options; `context` carries lookups read once per page."""
    if question.source == OptionSource.NEED_CATEGORIES:
        needs = context["needs"] if context else NeedCategory.objects.all()
        return [(n.code, n.name) for n in needs]
    if question.source == OptionSource.SIGNAL_CHANNELS:
        return list(Channel.choices)
    if question.source == OptionSource.REFERRAL_INTENSITY:
        return list(Intensity.choices)
    if question.source == OptionSource.ORGANISATION_TYPES:
        types = context["types"] if context else OrganisationType.objects.order_by("cluster", "name_nl")
        return [(t.slug, t.name) for t in types]
    english = (get_language() or "nl").startswith("en")
    return [(o["value"], o["en"] if english else o["nl"]) for o in question.options]


class SectionForm(forms.Form):
    """The answers of one participant to one section. `initial` is {question_code: stored value}."""

    def __init__(self, *args, questions, context, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.context = context  # needs, organisations: looked up once per page
        stored = stored or {}
        self.groups = []  # (question, [bound field names]) in order, for the template
        self.grid_labels = {}  # first cell of a need's row in a grid: the need's name
        for question in self.questions:
            names = getattr(self, f"_add_{question.kind}")(question, stored.get(question.code))
            self.groups.append((question, names))

    # One builder per kind: each adds its fields and returns their names.

    def _field(self, name, field, initial):
        field.required = False  # saved as they go: completeness is checked when handing in
        field.initial = initial
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control"
        self.fields[name] = field
        return [name]

    def _add_text(self, q, value):
        widget = forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT})
        return self._field(q.code, forms.CharField(label=q.label, max_length=TEXT_LIMIT, widget=widget), value)

    def _add_scale(self, q, value):
        field = forms.TypedChoiceField(
            label=q.label, choices=[(i, str(i)) for i in range(1, 6)], coerce=int, widget=forms.RadioSelect
        )
        return self._field(q.code, field, value)

    def _add_yes_no(self, q, value):
        return self._field(q.code, forms.ChoiceField(label=q.label, choices=YES_NO, widget=forms.RadioSelect), value)

    def _add_yes_no_unknown(self, q, value):
        field = forms.ChoiceField(label=q.label, choices=YES_NO_UNKNOWN, widget=forms.RadioSelect)
        return self._field(q.code, field, value)

    def _add_choice(self, q, value):
        field = forms.ChoiceField(label=q.label, choices=options_for(q, self.context), widget=forms.RadioSelect)
        return self._field(q.code, field, value)

    def _add_multi(self, q, value):
        field = forms.MultipleChoiceField(
            label=q.label, choices=options_for(q, self.context), widget=forms.CheckboxSelectMultiple
        )
        return self._field(q.code, field, value)

    def _add_sentence(self, q, value):
        value = value or {}
        choices = [*options_for(q, self.context), (OTHER, _("Something else:"))]
        names = self._field(
            q.code, forms.ChoiceField(label=q.label, choices=choices, widget=forms.RadioSelect), value.get("choice")
        )
        other = forms.CharField(label=_("In your own words"), max_length=CELL_LIMIT)
        return names + self._field(f"{q.code}__other", other, value.get("other", ""))

    def _add_per_need_grid(self, q, value):
        value = value or {}
        organisations = [("", "—")] + [(str(o.pk), o.name) for o in self.context["organisations"]]
        names = []
        for need in self.context["needs"]:
            cell = value.get(need.code, {})
            self.grid_labels[f"{q.code}__{need.code}__do"] = need.name
            names += self._field(
                f"{q.code}__{need.code}__do",
                forms.CharField(label=_("What we do"), max_length=CELL_LIMIT),
                cell.get("do", ""),
            )
            names += self._field(
                f"{q.code}__{need.code}__org",
                forms.ChoiceField(label=_("Organisation we contacted"), choices=organisations),
                cell.get("org", ""),
            )
            names += self._field(
                f"{q.code}__{need.code}__limit",
                forms.ChoiceField(label=_("Can we take it up?"), choices=LIMITS),
                cell.get("limit", ""),
            )
        return names

    def _add_map_exercise(self, q, value):
        value = value or {}
        choices = [("", "—"), *RelationStatus.choices]
        names = []
        for organisation in self.context["organisations"]:
            names += self._field(
                f"{q.code}__{organisation.pk}",
                forms.ChoiceField(label=organisation.name, choices=choices),
                value.get(str(organisation.pk), ""),
            )
        return names

    def values(self) -> dict:
        """{question_code: value to store}; a question left empty maps to None."""
        data = self.cleaned_data
        result = {}
        for question in self.questions:
            code = question.code
            if question.kind == QuestionKind.SENTENCE:
                choice, other = data.get(code) or "", (data.get(f"{code}__other") or "").strip()
                result[code] = {"choice": choice, "other": other if choice == OTHER else ""} if choice else None
            elif question.kind == QuestionKind.PER_NEED_GRID:
                grid = {}
                for need in self.context["needs"]:
                    cell = {
                        key: (data.get(f"{code}__{need.code}__{key}") or "").strip() for key in ("do", "org", "limit")
                    }
                    if any(cell.values()):
                        grid[need.code] = cell
                result[code] = grid or None
            elif question.kind == QuestionKind.MAP_EXERCISE:
                picked = {str(o.pk): data.get(f"{code}__{o.pk}") for o in self.context["organisations"]}
                result[code] = {key: status for key, status in picked.items() if status} or None
            else:
                value = data.get(code)
                result[code] = value if value not in (None, "", []) else None
        return result


class RoundForm(forms.ModelForm):
    participants = BoundedModelMultipleChoiceField(
        label=_("Who takes part"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Round
        fields = ["version", "title", "starts_on", "ends_on", "anonymous"]
        widgets = {
            "version": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, versions, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].empty_label = None
        self.fields["version"].label_from_instance = lambda version: version.title
        self.fields["participants"].queryset = members

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The answering period ends after it starts."))
        people = cleaned.get("participants")
        if cleaned.get("anonymous") and people is not None and len(people) < ANONYMOUS_MIN:
            self.add_error(
                "participants",
                _("An anonymous round needs at least %(count)s participants, or nobody stays anonymous.")
                % {"count": ANONYMOUS_MIN},
            )
        return cleaned


def members_of(tenant):
    from accounts.models import User

    return (
        User.objects.filter(memberships__in=Membership.objects.active().for_tenant(tenant))
        .distinct()
        .order_by("full_name", "email")
    )


class SectionNoteForm(forms.ModelForm):
    class Meta:
        model = SectionNote
        fields = ["notes", "conclusion"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "conclusion": forms.Textarea(attrs={"rows": 2})}


class ActionPointForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["what", "owner", "due_on", "need", "organisation"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(tenant)
        municipality = getattr(tenant, "municipality", None)
        organisations = WelfareOrganisation.objects.order_by("name")
        if municipality is not None:
            organisations = WelfareOrganisation.objects.serving(municipality).order_by("name")
        self.fields["organisation"].queryset = organisations

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate() and self.instance._state.adding:
            raise forms.ValidationError(_("Choose a date from today on."))
        return day


class ParentSurveyForm(forms.ModelForm):
    codes = forms.IntegerField(
        label=_("Codes to print"), min_value=1, max_value=500, initial=50, help_text=_("One per family you ask.")
    )

    class Meta:
        model = ParentSurvey
        fields = ["title", "closes_on"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return day


class OwnQuestionForm(forms.Form):
    """A question the team adds to its own round: open, a scale or yes/no, in the team's language."""

    KINDS = [
        (QuestionKind.TEXT, QuestionKind.TEXT.label),
        (QuestionKind.SCALE, QuestionKind.SCALE.label),
        (QuestionKind.YES_NO, QuestionKind.YES_NO.label),
    ]
    section = forms.ModelChoiceField(label=_("In which part"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=KINDS)
    text = forms.CharField(label=_("Question"), max_length=300)
    low = forms.CharField(label=_("Scale: what 1 means"), max_length=80, required=False)
    high = forms.CharField(label=_("Scale: what 5 means"), max_length=80, required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.order_by("order")
        self.fields["section"].label_from_instance = lambda section: section.title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == QuestionKind.SCALE and not (cleaned.get("low") and cleaned.get("high")):
            self.add_error("low", _("Say what both ends of the scale mean."))
        return cleaned
