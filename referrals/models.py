"""Signals (what reaches the school) and, with their own issue, families, consent and referrals."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwijzer.crypto import EncryptedTextField


def school_year_of(day: date) -> str:
    """Flemish school years run from 1 September to 31 August: 2026-09-01 → '2026-2027'."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


class Channel(models.TextChoices):
    PARENT_REQUEST = "parent_request", _("A parent asked for help")
    PUPIL_REQUEST = "pupil_request", _("A pupil asked for help")
    STAFF_OBSERVATION = "staff_observation", _("Noticed by staff")
    WELFARE_PARTNER = "welfare_partner", _("Passed on by a welfare partner")
    ENROLMENT_INTAKE = "enrolment_intake", _("At the enrolment conversation")
    OUTREACH_CONTACT = "outreach_contact", _("At the gate, a coffee moment or office hours")
    CARE_MEETING = "care_meeting", _("Raised in a care meeting")
    HOME_VISIT = "home_visit", _("During a home visit")


class SchoolAction(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    HANDLED_INTERNALLY = "handled_internally", _("Handled within the school")
    REFERRED = "referred", _("Referred to a partner")
    CANNOT_TAKE_UP = "cannot_take_up", _("The school cannot take this up")
    WILL_NOT_TAKE_UP = "will_not_take_up", _("The school will not take this up")


# Actions that need a word on why.
NEEDS_REASON = {SchoolAction.CANNOT_TAKE_UP, SchoolAction.WILL_NOT_TAKE_UP}


class SignalQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)

    def for_list(self):
        return self.select_related("school", "need", "subcategory", "organisation", "reported_by")


class Signal(models.Model):
    """Something the school noticed or was told: a need, how it came in and what the school did.

    No names are needed: a signal can stay anonymous and still count for the team's reflection
    and the municipality's picture of local needs.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="signals", verbose_name=_("school")
    )
    received_on = models.DateField(_("date"), default=timezone.localdate)
    school_year = models.CharField(_("school year"), max_length=9, editable=False)
    need = models.ForeignKey(
        "welfare.NeedCategory", on_delete=models.PROTECT, related_name="signals", verbose_name=_("need")
    )
    subcategory = models.ForeignKey(
        "welfare.NeedSubcategory",
        on_delete=models.PROTECT,
        related_name="signals",
        null=True,
        blank=True,
        verbose_name=_("sub-theme"),
    )
    channel = models.CharField(_("how it reached the school"), max_length=30, choices=Channel)
    note = models.TextField(
        _("short note"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("What you noticed, in a few words. No names: the signal counts without them."),
    )
    action = models.CharField(
        _("what the school did"), max_length=30, choices=SchoolAction, default=SchoolAction.PENDING
    )
    action_reason = models.CharField(
        _("why"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Needed when the school cannot or will not take it up."),
    )
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="signals",
        null=True,
        blank=True,
        verbose_name=_("organisation contacted"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("logged on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-received_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="referrals_signal_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=SchoolAction.values), name="referrals_signal_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(school_year__regex=r"^[0-9]{4}-[0-9]{4}$"),
                name="referrals_signal_school_year_format",
            ),
        ]
        indexes = [
            # The team overview: signals of one school, grouped per school year and need.
            models.Index(fields=["school", "school_year", "need"], name="referrals_signal_overview"),
        ]

    def __str__(self):
        return f"{self.received_on} · {self.need} · {self.get_channel_display()}"

    def get_absolute_url(self):
        return reverse("referrals:signal", kwargs={"school_id": self.school.public_id, "signal_id": self.pk})


class FamilyQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)


class Family(models.Model):
    """A family the school supports, known by a pseudonymous reference the school chooses.

    Minimal by design: names and contact details are optional, only filled in when a referral
    needs them, and stored encrypted. Residence status is never stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="families", verbose_name=_("school")
    )
    reference = models.CharField(
        _("reference"),
        max_length=40,
        help_text=_("A code your care team chooses, such as G-2026-07. Not a name."),
    )
    language = models.ForeignKey(
        "welfare.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language at home"),
    )
    interpreter_needed = models.BooleanField(_("an interpreter helps"), default=False)
    guardian_name = EncryptedTextField(_("parent or guardian"), blank=True, default="")
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    email = EncryptedTextField(_("email address"), blank=True, default="")
    child_first_name = EncryptedTextField(_("child's first name"), blank=True, default="")
    child_class = EncryptedTextField(_("class"), blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["reference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="referrals_family_unique_reference"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("referrals:family", kwargs={"school_id": self.school.public_id, "family_id": self.pk})

    @property
    def has_personal_details(self) -> bool:
        return any((self.guardian_name, self.phone, self.email, self.child_first_name, self.child_class))


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")


class AccessLogEntry(models.Model):
    """Who saw or changed a family's details, and when (the access register the law asks for)."""

    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    family = models.ForeignKey(Family, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("family"))
    family_reference = models.CharField(_("family reference"), max_length=40)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    action = models.CharField(_("action"), max_length=10, choices=AccessAction)

    class Meta:
        verbose_name = _("access to family details")
        verbose_name_plural = _("access to family details")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AccessAction.values), name="referrals_accesslog_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.user} · {self.family_reference}"

    def get_absolute_url(self):
        return reverse("admin:referrals_accesslogentry_change", args=[self.pk])
