from django import forms
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from accounts.roles import CAPABILITIES, Capability, Role
from brugwijzer.forms import ModelMultipleChoiceField as BoundedModelMultipleChoiceField
from brugwijzer.forms import RadioSelect, bounded
from referrals import explanations
from referrals.models import (
    NEEDS_REASON,
    Alert,
    BridgeEmployment,
    BridgeShare,
    BridgeVisit,
    Consent,
    ConsentMethod,
    Consultation,
    ConsultationAgreement,
    ConsultationParticipant,
    DataItem,
    ErasureReason,
    Family,
    Referral,
    SchoolHandover,
    Signal,
    VisitKind,
)
from referrals.services import EDITABLE
from referrals.workflow import CONCERN_ORGANISATION_TYPE
from schools.years import end_of_school_year
from welfare.models import NeedCategory, Service, WelfareOrganisation


class SignalForm(forms.ModelForm):
    """The 30-second intake: what, how it came in, what the school did."""

    class Meta:
        model = Signal
        fields = ["received_on", "need", "subcategory", "channel", "note", "action", "action_reason", "organisation"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "need": RadioSelect,
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


class FamilyForm(forms.ModelForm):
    """Only the reference is needed; names and contact details when a referral needs them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Family
        fields = [
            "reference",
            "language",
            "interpreter_needed",
            "guardian_name",
            "phone",
            "email",
            "child_first_name",
            "child_class",
        ]
        widgets = {
            "guardian_name": forms.TextInput,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "child_first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "child_class": forms.TextInput,
        }

    LIMITS = {"guardian_name": 150, "phone": 40, "email": 254, "child_first_name": 60, "child_class": 20}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["version"].initial = self.instance.version
        for name, limit in self.LIMITS.items():
            self.fields[name].max_length = limit
            self.fields[name].validators.append(MaxLengthValidator(limit))
            self.fields[name].widget.attrs["maxlength"] = limit
        self.fields["email"].validators.append(validate_email)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        clash = Family.objects.for_school(self.school).filter(reference__iexact=reference).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Your school already uses this reference. Choose another one."))
        return reference


class ConsentForm(forms.ModelForm):
    data_items = forms.MultipleChoiceField(
        label=_("What may be shared"), choices=DataItem.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Consent
        field_classes = bounded("organisations", "needs")
        fields = [
            "given_by",
            "child_agreed",
            "method",
            "explanation_language",
            "organisations",
            "needs",
            "data_items",
            "valid_until",
        ]
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = WelfareOrganisation.objects.serving(school.municipality).order_by(
            "name"
        )
        self.fields["valid_until"].initial = end_of_school_year(timezone.localdate())

    def clean_valid_until(self):
        day = self.cleaned_data["valid_until"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Consent cannot end in the past."))
        if day > end_of_school_year(today).replace(year=end_of_school_year(today).year + 1):
            raise forms.ValidationError(_("Ask again next school year: consent lasts at most until the end of it."))
        return day


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = [
            "need",
            "organisation",
            "service",
            "intensity",
            "reference_person",
            "note",
            "handover_on",
            "handover_place",
            "handover_attendees",
            "next_follow_up",
            "concern",
            "legal_ground",
            "legal_reason",
        ]
        widgets = {
            "intensity": RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "handover_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_follow_up": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "legal_reason": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }

    MIN_REASON = 20

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = WelfareOrganisation.objects.serving(school.municipality).order_by("name")
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations.select_related("organisation_type")
        self.fields["service"].queryset = (
            Service.objects.published().filter(organisation__in=organisations).select_related("organisation")
        )
        self.fields["service"].label_from_instance = lambda service: f"{service.organisation} – {service}"
        self.fields["reference_person"].queryset = User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                school=school, role__in=CAPABILITIES[Capability.BE_REFERENCE_PERSON]
            )
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        organisation = cleaned.get("organisation", getattr(self.instance, "organisation", None))
        if service and organisation and service.organisation_id != organisation.pk:
            self.add_error("service", _("This service belongs to another organisation."))
        today = timezone.localdate()
        follow_up = cleaned.get("next_follow_up")
        # An overdue date that is left as it is does not block other changes.
        if follow_up and follow_up < today and (self.instance._state.adding or "next_follow_up" in self.changed_data):
            self.add_error("next_follow_up", _("Plan the follow-up for today or later."))
        handover = cleaned.get("handover_on")
        if handover and handover < today and self.instance._state.adding:
            self.add_error("handover_on", _("Plan the handover for today or later."))
        if handover and follow_up and follow_up < handover:
            self.add_error("next_follow_up", _("Follow up after the handover, not before it."))
        if "concern" in self.fields:
            self._clean_concern(cleaned, organisation)
        return cleaned

    def _clean_concern(self, cleaned, organisation):
        if not cleaned.get("concern"):
            cleaned["legal_ground"], cleaned["legal_reason"] = "", ""
            return
        if organisation and organisation.organisation_type.slug != CONCERN_ORGANISATION_TYPE:
            self.add_error("organisation", _("A concern about a child's safety always goes to the CLB."))
        if not cleaned.get("legal_ground"):
            self.add_error("legal_ground", _("Choose the legal ground for sharing without the parents' consent."))
        if len((cleaned.get("legal_reason") or "").strip()) < self.MIN_REASON:
            self.add_error(
                "legal_reason",
                _("Write down, in at least %(count)s characters, why this cannot wait for the parents' consent.")
                % {"count": self.MIN_REASON},
            )


class ReferralEditForm(ReferralForm):
    """What the school may still change: not the family, need, organisation or the concern route."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(ReferralForm.Meta):
        fields = EDITABLE

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, school=school, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["service"].queryset = self.fields["service"].queryset.filter(
            organisation_id=self.instance.organisation_id
        )


class AlertForm(forms.ModelForm):
    class Meta:
        model = Alert
        fields = ["kind", "note"]
        widgets = {"kind": RadioSelect}


class FollowUpForm(forms.Form):
    next_follow_up = forms.DateField(label=_("Next follow-up"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_next_follow_up(self):
        day = self.cleaned_data["next_follow_up"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Plan the follow-up for today or later."))
        return day


class ConsentSheetForm(forms.Form):
    """What to print for the parents: the language, and the organisations and needs to name."""

    language = forms.ChoiceField(label=_("Language of the parents"), choices=explanations.CHOICES, initial="nl-be")
    organisation = BoundedModelMultipleChoiceField(
        label=_("Organisations to name"),
        queryset=WelfareOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    need = BoundedModelMultipleChoiceField(
        label=_("Help with"), queryset=NeedCategory.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = WelfareOrganisation.objects.serving(school.municipality).order_by("name")


class ErasureForm(forms.Form):
    """Erasing is final: the director picks the reason and types the family's reference again."""

    reason = forms.ChoiceField(label=_("Why"), choices=ErasureReason.choices, widget=RadioSelect)
    reference = forms.CharField(
        label=_("Type the family's reference to confirm"),
        max_length=40,
        help_text=_("Erasing cannot be undone."),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family

    def clean_reference(self):
        typed = self.cleaned_data["reference"].strip()
        if typed != self.family.reference:
            raise forms.ValidationError(_("This is not the family's reference. Nothing was erased."))
        return typed


# Case consultations ------------------------------------------------------------------------


class ConsultationForm(forms.ModelForm):
    """When, what kind, where, whether the parents take part, the care team's notes, the next date."""

    class Meta:
        model = Consultation
        fields = ["kind", "held_on", "starts_at", "place", "parents_present", "notes", "next_on"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
            "next_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        held_on, next_on = cleaned.get("held_on"), cleaned.get("next_on")
        if held_on and next_on and next_on <= held_on:
            self.add_error("next_on", _("The next consultation comes after this one."))
        if "notes" in cleaned and len(cleaned["notes"]) > 4000:
            self.add_error("notes", _("Keep the notes under 4000 characters."))
        return cleaned


class ParticipantForm(forms.ModelForm):
    """Someone who takes part. An outside organisation only joins while an active consent of the
    family names it: `clean` finds that consent and the view stores it with the participant."""

    class Meta:
        model = ConsultationParticipant
        fields = ["organisation", "worker", "role", "mediator"]

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        school = consultation.school
        organisations = WelfareOrganisation.objects.serving(school.municipality).order_by("name")
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("The school itself")
        self.fields["worker"].queryset = (
            User.objects.filter(
                memberships__in=Membership.objects.active().filter(
                    models.Q(school=school) | models.Q(organisation__in=organisations)
                )
            )
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["worker"].empty_label = _("No one named")
        if not consultation.is_mediation:
            del self.fields["mediator"]
        else:
            self.fields["mediator"].help_text = _("The person of an outside organisation who leads the mediation.")

    def clean(self):
        cleaned = super().clean()
        organisation, worker = cleaned.get("organisation"), cleaned.get("worker")
        if worker is not None:
            memberships = Membership.objects.active().filter(user=worker)
            works_there = (
                memberships.filter(organisation=organisation)
                if organisation
                else memberships.filter(school=self.consultation.school)
            )
            if not works_there.exists():
                self.add_error(
                    "worker",
                    _("This person does not work at the organisation chosen.")
                    if organisation
                    else _("This person does not work at the school."),
                )
        self.consent = None
        if organisation is not None:
            self.consent = (
                self.consultation.family.consents.active().filter(organisations=organisation).order_by("-valid_until")
            ).first()
            if self.consent is None:
                self.add_error(
                    "organisation",
                    _(
                        "No valid consent of the parents names this organisation. Record their consent first: "
                        "without it the organisation cannot take part."
                    ),
                )
        if cleaned.get("mediator"):
            if organisation is None or worker is None:
                self.add_error("mediator", _("The mediator is a named person of an outside organisation."))
            elif self.consultation.participants.filter(mediator=True).exists():
                self.add_error("mediator", _("This mediation already has a mediator."))
        return cleaned


class AgreementForm(forms.ModelForm):
    class Meta:
        model = ConsultationAgreement
        fields = ["what", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = consultation.participants.select_related("organisation", "worker", "consultation__school")
        owner.empty_label = _("The school's care team")


# Bridge figures (issue #9, part 5) -----------------------------------------------------------


class BridgeShareForm(forms.Form):
    """The care team shares a family with a bridge figure of the school. It finds the consent
    itself: an active consent of the family that names the bridge figure's service."""

    bridge_figure = forms.ModelChoiceField(label=_("Bridge figure"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Short note for the bridge figure"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        help_text=_("What the family would like help with. Only shown when the parents agreed to a note."),
    )

    def __init__(self, *args, school, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        serving = Membership.objects.active().filter(school=school, role=Role.BRIDGE_FIGURE)
        self.fields["bridge_figure"].queryset = (
            User.objects.filter(memberships__in=serving, bridge_employments__in=BridgeEmployment.objects.active())
            .distinct()
            .order_by("full_name", "email")
        )

    def clean(self):
        cleaned = super().clean()
        figure = cleaned.get("bridge_figure")
        if figure is None:
            return cleaned
        if BridgeShare.objects.live().filter(family=self.family, bridge_figure=figure).exists():
            self.add_error("bridge_figure", _("This family is already shared with this bridge figure."))
            return cleaned
        services = [
            e.organisation for e in BridgeEmployment.objects.active().filter(user=figure).select_related("organisation")
        ]
        for consent in self.family.consents.active().prefetch_related("organisations"):
            named = {organisation.pk for organisation in consent.organisations.all()}
            service = next((s for s in services if s.pk in named), None)
            if service is not None:
                cleaned["consent"], cleaned["service"] = consent, service
                return cleaned
        self.add_error(
            "bridge_figure",
            _(
                "No active consent of the parents names %(service)s, the service this bridge figure works for. "
                "Record their consent for it first: nothing is shared without it."
            )
            % {"service": ", ".join(str(s) for s in services)},
        )
        return cleaned


class BridgeVisitForm(forms.ModelForm):
    class Meta:
        model = BridgeVisit
        fields = [
            "kind",
            "on",
            "destination",
            "purpose",
            "follow_up",
            "next_step",
            "next_step_on",
            "shared_with_school",
        ]
        widgets = {
            "kind": RadioSelect,
            "on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "follow_up": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "next_step_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record a contact once it took place; plan the next one as the next step."))
        return day

    def clean(self):
        cleaned = super().clean()
        day, next_on = cleaned.get("on"), cleaned.get("next_step_on")
        if day and next_on and next_on < day:
            self.add_error("next_step_on", _("The next step comes after this contact, not before it."))
        if cleaned.get("kind") == VisitKind.ACCOMPANIMENT and not cleaned.get("destination", "").strip():
            self.add_error("destination", _("Say where you went along to."))
        return cleaned


# Changing school (issue #9, part 8) ----------------------------------------------------------


class HandoverForm(forms.Form):
    """The old school's care team hands a summary and the open referrals to the new school. The
    parents' consent is part of the form: without it nothing is handed over."""

    to_school = forms.ModelChoiceField(label=_("New school"), queryset=None)
    summary = forms.CharField(
        label=_("Short summary for the new school"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("What the new school needs to go on supporting the child. Agree it with the parents."),
    )
    referrals = BoundedModelMultipleChoiceField(
        label=_("Open referrals to hand over"),
        queryset=Referral.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The new school sees the organisation, the need and the state, not the notes or history."),
    )
    given_by = forms.CharField(
        label=_("Consent given by"),
        max_length=150,
        help_text=_("Who agreed: for instance 'mother', 'father', 'guardian'."),
    )
    consent_method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    parents_agree = forms.BooleanField(
        label=_("The parents agree that this summary and the referrals ticked go to the new school"), required=True
    )

    def __init__(self, *args, school, family, **kwargs):
        super().__init__(*args, **kwargs)
        from schools.models import School

        self.family = family
        self.fields["to_school"].queryset = School.objects.exclude(pk=school.pk).order_by("name", "id")
        self.fields["referrals"].queryset = family.referrals.open().select_related("organisation", "need")
        self.fields["referrals"].label_from_instance = lambda r: (
            f"{r.organisation} – {r.need} ({r.get_state_display()})"
        )

    def clean(self):
        cleaned = super().clean()
        if SchoolHandover.objects.filter(family=self.family, state="waiting").exists():
            raise forms.ValidationError(_("A hand-over of this family is already waiting for the new school."))
        return cleaned


class HandoverAcceptForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference at your school"),
        max_length=40,
        help_text=_("A code your care team chooses, such as G-2026-07. Not a name."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if Family.objects.for_school(self.school).filter(reference__iexact=reference).exists():
            raise forms.ValidationError(_("Your school already uses this reference. Choose another one."))
        return reference
