"""Signals (what reaches the school) and, with their own issue, families, consent and referrals."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwijzer.crypto import EncryptedTextField
from referrals import explanations


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

    def with_support(self):
        """`supported`: a referral from this signal reached an organisation. That is all a teacher
        who logged the signal learns: not which organisation, not how it goes."""
        reached = Referral.objects.filter(signal=models.OuterRef("pk"), state__in=sorted(SUPPORTED))
        return self.annotate(supported=models.Exists(reached))


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
    details_removed_on = models.DateField(_("personal details removed on"), null=True, blank=True, editable=False)
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


class AccessLogQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)

    def for_list(self):
        return self.select_related("user")


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

    objects = AccessLogQuerySet.as_manager()

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


class ConsentMethod(models.TextChoices):
    CONVERSATION = "conversation", _("In a conversation")
    PAPER = "paper", _("On a signed paper form")
    DIGITAL = "digital", _("Digitally")


class DataItem(models.TextChoices):
    CONTACT_DETAILS = "contact_details", _("Contact details (name, phone, email, child's first name and class)")
    NEED = "need", _("The need the help is for")
    NOTE = "note", _("A short note from the school")
    ALERTS = "alerts", _("Alerts from the organisation back to the school about practical problems")


class ConsentQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, valid_until__gte=day)


class Consent(models.Model):
    """What the parents agreed to share, with whom and for what: the record that governs every disclosure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents", verbose_name=_("family"))
    given_by = models.CharField(
        _("given by"), max_length=150, help_text=_("Who agreed: for instance 'mother', 'father', 'guardian'.")
    )
    child_agreed = models.BooleanField(
        _("the child (12 or older) agreed too"), default=False, help_text=_("Ask children from 12 years on.")
    )
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod)
    explanation_language = models.CharField(
        _("explanation shown in"), max_length=5, choices=explanations.CHOICES, default="nl-be"
    )
    explanation_version = models.CharField(
        _("explanation version"), max_length=20, default=explanations.EXPLANATION_VERSION
    )
    organisations = models.ManyToManyField(
        "welfare.WelfareOrganisation", related_name="consents", verbose_name=_("organisations it covers")
    )
    needs = models.ManyToManyField(
        "welfare.NeedCategory", related_name="consents", verbose_name=_("purpose: help with")
    )
    data_items = models.JSONField(_("what may be shared"), default=list)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded on"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_method = models.CharField(
        _("withdrawn how"), max_length=20, choices=ConsentMethod, blank=True, default=""
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=ConsentMethod.values), name="referrals_consent_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_by__isnull=False),
                name="referrals_consent_withdrawal_has_author",
            ),
        ]

    def __str__(self):
        return f"{self.family} · {self.given_by} · {self.recorded_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.family.get_absolute_url()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.valid_until >= timezone.localdate()

    def covers(self, organisation, need, item: str) -> bool:
        """Uses prefetched organisations and needs when there are any."""
        return (
            self.is_active
            and item in self.data_items
            and any(o.pk == organisation.pk for o in self.organisations.all())
            and any(n.pk == need.pk for n in self.needs.all())
        )


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for the parents' consent")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_CONTACT = "in_contact", _("In contact with the family")
    ON_HOLD = "on_hold", _("On hold (waiting list)")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


FINAL = {State.DECLINED, State.CLOSED, State.WITHDRAWN, State.EXPIRED, State.ENTERED_IN_ERROR}
# States in which the receiving organisation works with the family's details.
SHARED = {State.SENT, State.RECEIVED, State.ACCEPTED, State.IN_CONTACT, State.ON_HOLD}
# A family counts as supported once a referral reached the organisation and was not stopped.
SUPPORTED = SHARED | {State.CLOSED}


class Intensity(models.TextChoices):
    """How warm the referral is: the book's ladder, from a phone number to walking along."""

    INFO_GIVEN = "info_given", _("Contact details passed on")
    SCHOOL_CONTACTED = "school_contacted", _("The school contacted the organisation")
    APPOINTMENT_MADE = "appointment_made", _("The school made the appointment")
    ACCOMPANIED = "accompanied", _("Someone goes along to the first meeting")
    FOLLOWED_UP = "followed_up", _("Intensive follow-up as reference person")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_CAPACITY = "no_capacity", _("No capacity")
    WRONG_ORGANISATION = "wrong_organisation", _("Not the right organisation")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    GOT_HELP = "got_help", _("The family got help")
    PARTLY = "partly", _("Partly")
    NOT_HELPED = "not_helped", _("Not helped")


class LegalGround(models.TextChoices):
    """Why a safety concern may reach the CLB without the parents' consent. Brugwijzer records the
    school's decision; it does not make it."""

    CHILD_SAFETY = "child_safety", _("Concern about the child's safety (verontrusting): the CLB route")
    VITAL_INTEREST = "vital_interest", _("The child's vital interest (GDPR article 6(1)(d))")
    IMMINENT_DANGER = "imminent_danger", _("Serious and imminent danger for a minor (article 458bis Criminal Code)")


class ReferralQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)

    def for_organisation(self, organisation):
        """What reaches the organisation: never drafts or referrals waiting for consent."""
        return self.filter(organisation=organisation).exclude(state__in=[State.DRAFT, State.AWAITING_CONSENT])

    def for_list(self):
        # A subquery, not a join with GROUP BY: that would drop the model's ordering.
        unhandled = (
            Alert.objects.filter(referral=models.OuterRef("pk"), handled_at__isnull=True)
            .order_by()
            .values("referral")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        return self.select_related(
            "school", "family", "need", "organisation__organisation_type", "service", "reference_person"
        ).annotate(open_alerts=Coalesce(models.Subquery(unhandled), 0))

    def open(self):
        return self.exclude(state__in=list(FINAL))

    def due(self, on=None):
        """Open referrals whose follow-up date has come."""
        return self.open().filter(next_follow_up__lte=on or timezone.localdate())


class Referral(models.Model):
    """A warm referral of one family to one organisation, for one need."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="referrals")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("family"))
    signal = models.ForeignKey(
        Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals", verbose_name=_("signal")
    )
    need = models.ForeignKey("welfare.NeedCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("need"))
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("organisation"),
    )
    service = models.ForeignKey(
        "welfare.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service"),
    )
    intensity = models.CharField(_("how warm"), max_length=20, choices=Intensity, default=Intensity.SCHOOL_CONTACTED)
    reference_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reference person")
    )
    note = models.CharField(
        _("short note for the organisation"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Only shared when the parents agreed to it."),
    )
    handover_on = models.DateField(_("warm handover on"), null=True, blank=True)
    handover_place = models.CharField(_("where"), max_length=150, blank=True, default="")
    handover_attendees = models.CharField(_("who goes"), max_length=150, blank=True, default="")
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason, blank=True, default="")
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=Outcome,
        blank=True,
        default="",
        help_text=_("What the parents said at the check-in: was it what they expected?"),
    )
    organisation_outcome = models.CharField(
        _("outcome according to the organisation"),
        max_length=20,
        choices=Outcome,
        blank=True,
        default="",
        help_text=_("Only kept when the organisation gives schools the outcome."),
    )
    concern = models.BooleanField(
        _("safety concern (verontrusting)"),
        default=False,
        help_text=_("A concern about the child's safety goes to the CLB, on a legal ground."),
    )
    legal_ground = models.CharField(
        _("legal ground for sharing without consent"), max_length=20, choices=LegalGround, blank=True, default=""
    )
    legal_reason = models.TextField(_("why it cannot wait for consent"), max_length=1000, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminder sent"), null=True, blank=True, editable=False)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent it was sent under"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=State.values), name="referrals_referral_state_valid"),
            models.CheckConstraint(
                condition=models.Q(intensity__in=Intensity.values), name="referrals_referral_intensity_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=sorted(SHARED))
                | models.Q(consent__isnull=False)
                | models.Q(concern=True),
                name="referrals_referral_shared_has_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(concern=False) | (~models.Q(legal_ground="") & ~models.Q(legal_reason="")),
                name="referrals_referral_concern_has_ground",
            ),
        ]
        indexes = [
            # The receiving organisation's incoming list.
            models.Index(fields=["organisation", "state"], name="referrals_referral_incoming"),
        ]

    def __str__(self):
        return f"{self.family} → {self.organisation} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("referrals:referral", kwargs={"school_id": self.school.public_id, "referral_id": self.pk})

    def get_incoming_url(self):
        return reverse(
            "referrals:incoming_referral", kwargs={"organisation_id": self.organisation_id, "referral_id": self.pk}
        )


class ReferralEvent(models.Model):
    """One step in a referral's life: who moved it from which state to which, and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, choices=State, blank=True, default="")
    to_state = models.CharField(max_length=20, choices=State)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    side = models.CharField(max_length=12)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral_id}: {self.from_state} → {self.to_state}"

    def get_absolute_url(self):
        return self.referral.get_absolute_url()


class AlertKind(models.TextChoices):
    PAPERS = "papers", _("A problem with papers or documents")
    DELAY = "delay", _("A delay: the help takes longer")
    UNPAID_BILL = "unpaid_bill", _("An unpaid bill the school should know about")
    OTHER = "other", _("Another practical problem")


class Alert(models.Model):
    """A practical signal from the organisation back to the school, within the parents' consent."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("what is the matter"), max_length=20, choices=AlertKind)
    note = models.CharField(
        _("short practical note"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("What the school can do. No case content."),
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AlertKind.values), name="referrals_alert_kind_valid"),
        ]

    def __str__(self):
        return f"{self.referral_id}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.referral.get_absolute_url()


class ErasureReason(models.TextChoices):
    """Why a family was erased: a fixed list, so the tombstone never holds free text about it."""

    PARENTS_ASKED = "parents_asked", _("The parents asked for their data to be erased")
    NO_LONGER_NEEDED = "no_longer_needed", _("The school no longer needs the data")
    ENTERED_IN_ERROR = "entered_in_error", _("The record was made by mistake")


class FamilyErasure(models.Model):
    """The tombstone of an erased family: when, by whom and why, and nothing about the family.

    The family row itself stays, under a neutral reference, so that its referrals keep counting
    in the statistics."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.OneToOneField(Family, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("family"))
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school"))
    erased_at = models.DateTimeField(_("erased on"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("erased by")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ErasureReason)
    audit_events_redacted = models.PositiveIntegerField(_("audit events redacted"), default=0)

    class Meta:
        verbose_name = _("family erasure")
        verbose_name_plural = _("family erasures")
        ordering = ["-erased_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=ErasureReason.values), name="referrals_familyerasure_reason_valid"
            ),
        ]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d} · {self.get_reason_display()}"

    def get_absolute_url(self):
        return self.family.get_absolute_url()


# Case consultations about one family (issue #9 part 2) and curative mediation (part 3) ---------


class CaseMeetingType(models.TextChoices):
    CARE_MEETING = "care_meeting", _("Care meeting")
    MDO = "mdo", _("Multidisciplinary meeting (MDO)")
    PARENT_TEACHER = "parent_teacher", _("Parent-teacher meeting a welfare worker joins at the parents' request")
    CLIENT_MEETING = "client_meeting", _("Client meeting (OCMW, youth care)")
    CLB_CONSULTATION = "clb_consultation", _("Consultation with the CLB")
    PERIODIC_REVIEW = "periodic_review", _("Periodic review")
    WARM_HANDOVER = "warm_handover", _("Warm handover")
    # Curative: trust between the parents and the school broke down and a mediator helps restore it.
    MEDIATION = "mediation", _("Mediation between the parents and the school")


class ConsultationQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)

    def for_list(self):
        return self.select_related("school", "family", "organised_by")

    def for_organisation(self, organisation, user):
        """What an outside organisation's worker may open: consultations the organisation takes part
        in, only while an active consent of the family still names it (checked now, on every request).
        A mediation is open to the mediating worker only, not to their colleagues."""
        covered = Consent.objects.active().filter(family=models.OuterRef("family_id"), organisations=organisation)
        taking_part = ConsultationParticipant.objects.filter(
            consultation=models.OuterRef("pk"), organisation=organisation
        )
        mediating = taking_part.filter(mediator=True, worker=user)
        return self.filter(models.Exists(covered), models.Exists(taking_part)).filter(
            ~models.Q(kind=CaseMeetingType.MEDIATION) | models.Exists(mediating)
        )


class Consultation(models.Model):
    """A meeting about one family with a partner at the table: when, where, who, and what was agreed.

    The notes stay with the school's care team. Outside participants see the practical details
    and the agreements that are theirs, and only while the parents' consent names their organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("school")
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("family"))
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=CaseMeetingType)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True, default="")
    parents_present = models.BooleanField(
        _("the parents take part"), default=True, help_text=_("Untick when the parents were not at the meeting.")
    )
    notes = EncryptedTextField(
        _("notes of the care team"),
        max_length=4000,
        blank=True,
        default="",
        help_text=_("Only the school's care team reads these. Partners never see them."),
    )
    next_on = models.DateField(_("next consultation"), null=True, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact at the school")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("case consultation")
        verbose_name_plural = _("case consultations")
        ordering = ["-held_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CaseMeetingType.values), name="referrals_consultation_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.held_on} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse(
            "referrals:consultation", kwargs={"school_id": self.school.public_id, "consultation_id": self.pk}
        )

    def get_partner_url(self, organisation):
        return reverse(
            "referrals:joined_consultation", kwargs={"organisation_id": organisation.pk, "consultation_id": self.pk}
        )

    @property
    def is_mediation(self) -> bool:
        return self.kind == CaseMeetingType.MEDIATION


class ConsultationParticipant(models.Model):
    """Who takes part: someone of the school (no organisation) or of an outside organisation, with
    the consent that allowed the organisation to be invited."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants", verbose_name=_("consultation")
    )
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_participations",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for someone of the school."),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("Optional: the person, when they work in Brugwijzer."),
    )
    role = models.CharField(
        _("role at the meeting"), max_length=100, help_text=_("For instance 'social worker' or 'class teacher'.")
    )
    mediator = models.BooleanField(_("mediates"), default=False)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_participants",
        verbose_name=_("consent it was invited under"),
    )
    added_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True, consent__isnull=True)
                | models.Q(organisation__isnull=False, consent__isnull=False),
                name="referrals_consultationparticipant_outside_has_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(mediator=False) | models.Q(organisation__isnull=False, worker__isnull=False),
                name="referrals_consultationparticipant_mediator_is_named_partner",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(mediator=True),
                name="referrals_consultationparticipant_one_mediator",
            ),
        ]
        indexes = [
            # "Consultations we take part in": an organisation's participations.
            models.Index(fields=["organisation", "consultation"], name="referrals_participant_org"),
        ]

    def __str__(self):
        who = f"{self.worker} ({self.role})" if self.worker_id else self.role
        return f"{who} · {self.organisation or self.consultation.school}"

    def get_absolute_url(self):
        return self.consultation.get_absolute_url()


class ConsultationAgreement(models.Model):
    """An agreement or action from a consultation, with who takes it up and by when."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("consultation")
    )
    what = models.CharField(_("agreement or action"), max_length=300)
    owner = models.ForeignKey(
        ConsultationParticipant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("who takes it up"),
        help_text=_("Empty: the school's care team."),
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.what

    def get_absolute_url(self):
        return self.consultation.get_absolute_url()


# Bridge figures (issue #9, part 5) -----------------------------------------------------------
# A bridge figure's memberships are school memberships, one per school served. Which service
# employs them is kept here; a family reaches their caseload only through a BridgeShare that the
# school's care team makes under a consent naming that service, and only while that consent holds.


class BridgeEmploymentQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day), starts_on__lte=day)


class BridgeEmployment(models.Model):
    """The bridge-figure service (a welfare organisation, the local government's or another) that
    employs a bridge figure. Its intake coordinator sees the service's workload as counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bridge_employments",
        verbose_name=_("bridge figure"),
    )
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="bridge_employments",
        verbose_name=_("bridge-figure service"),
    )
    starts_on = models.DateField(_("valid from"), default=timezone.localdate)
    ends_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = BridgeEmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bridge figure's service")
        verbose_name_plural = _("bridge figures' services")
        ordering = ["organisation", "user", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="referrals_bridgeemployment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(ends_on__isnull=True),
                name="referrals_bridgeemployment_unique_open",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("referrals:bridge_workload", kwargs={"organisation_id": self.organisation_id})


class BridgeShareQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)

    def covered(self, on=None):
        """Shares whose consent is still active and still names the bridge figure's service."""
        day = on or timezone.localdate()
        names_service = Consent.organisations.through.objects.filter(
            consent_id=models.OuterRef("consent_id"), welfareorganisation_id=models.OuterRef("service_id")
        )
        return self.filter(consent__withdrawn_at__isnull=True, consent__valid_until__gte=day).filter(
            models.Exists(names_service)
        )

    def live(self, on=None):
        """What a bridge figure may see now: not ended, consent holding, and the bridge figure still
        serving the family's school and still working for the service the consent names."""
        from accounts.models import Membership
        from accounts.roles import Role

        day = on or timezone.localdate()
        serves = Membership.objects.active(day).filter(
            user=models.OuterRef("bridge_figure_id"),
            school=models.OuterRef("family__school_id"),
            role=Role.BRIDGE_FIGURE,
        )
        employed = BridgeEmployment.objects.active(day).filter(
            user=models.OuterRef("bridge_figure_id"), organisation=models.OuterRef("service_id")
        )
        return self.open().covered(day).filter(models.Exists(serves), models.Exists(employed))

    def caseload_of(self, user):
        return self.live().filter(bridge_figure=user)

    def for_school(self, school):
        return self.filter(family__school=school)


class BridgeShare(models.Model):
    """The care team shares one family with one bridge figure, under the parents' consent.

    Computed, not copied: the bridge figure sees the family only while `live()` says so."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="bridge_shares", verbose_name=_("family"))
    bridge_figure = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bridge figure")
    )
    service = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="bridge_shares",
        verbose_name=_("bridge-figure service"),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="bridge_shares", verbose_name=_("consent it rests on")
    )
    note = models.CharField(
        _("short note for the bridge figure"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("What the family would like help with. Only shown when the parents agreed to a note."),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("shared by")
    )
    shared_at = models.DateTimeField(_("shared on"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BridgeShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("family shared with a bridge figure")
        verbose_name_plural = _("families shared with bridge figures")
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "bridge_figure"],
                condition=models.Q(ended_at__isnull=True),
                name="referrals_bridgeshare_one_open_per_figure",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_by__isnull=False),
                name="referrals_bridgeshare_end_has_author",
            ),
        ]
        indexes = [
            # The caseload: a bridge figure's open shares.
            models.Index(fields=["bridge_figure", "ended_at"], name="referrals_bridgeshare_caseload"),
        ]

    def __str__(self):
        return f"{self.family} → {self.bridge_figure}"

    def get_absolute_url(self):
        return reverse("referrals:bridge_case", kwargs={"share_id": self.pk})

    def shows(self, item: str) -> bool:
        """Whether the parents' consent lets the bridge figure see this item of the family."""
        return item in self.consent.data_items


class VisitKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    ACCOMPANIMENT = "accompaniment", _("Went along to a service")


class BridgeVisit(models.Model):
    """A home visit or an accompaniment, written by the bridge figure for the bridge-figure service.

    The school never reads it; it learns only that a contact took place and when the next step is,
    and only for contacts the parents agreed to tell the school about (`shared_with_school`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    share = models.ForeignKey(BridgeShare, on_delete=models.PROTECT, related_name="visits", verbose_name=_("family"))
    kind = models.CharField(_("what"), max_length=20, choices=VisitKind, default=VisitKind.HOME_VISIT)
    on = models.DateField(_("date"), default=timezone.localdate)
    destination = models.CharField(
        _("went along to"), max_length=150, blank=True, default="", help_text=_("For an accompaniment: where to.")
    )
    purpose = models.TextField(_("purpose"), max_length=500, blank=True, default="")
    follow_up = models.TextField(_("what came of it"), max_length=500, blank=True, default="")
    next_step = models.CharField(_("next step"), max_length=200, blank=True, default="")
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    shared_with_school = models.BooleanField(
        _("the parents agree the school may know"),
        default=False,
        help_text=_("The school then sees that this contact took place and the date of the next step, nothing more."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("home visit or accompaniment")
        verbose_name_plural = _("home visits and accompaniments")
        ordering = ["-on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=VisitKind.values), name="referrals_bridgevisit_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(next_step_on__isnull=True) | models.Q(next_step_on__gte=models.F("on")),
                name="referrals_bridgevisit_next_step_after_visit",
            ),
        ]
        indexes = [
            # The case page and the service's visits per month.
            models.Index(fields=["share", "on"], name="referrals_bridgevisit_share_on"),
        ]

    def __str__(self):
        return f"{self.on} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.share.get_absolute_url()


# Changing school (issue #9, part 8) ----------------------------------------------------------
# When a child moves, the old school's care team hands a short summary and the list of open
# referrals to the new school, with the parents' consent recorded on the hand-over itself. Until
# the new school accepts it, the new school sees only that a hand-over is waiting.


class HandoverState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the new school")
    ACCEPTED = "accepted", _("Accepted by the new school")
    DECLINED = "declined", _("Declined by the new school")
    CANCELLED = "cancelled", _("Cancelled by the old school")


class SchoolHandoverQuerySet(models.QuerySet):
    def involving(self, school):
        return self.filter(models.Q(from_school=school) | models.Q(to_school=school))


class SchoolHandover(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="handovers_out", verbose_name=_("family at the old school")
    )
    from_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("old school")
    )
    to_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="incoming_handovers", verbose_name=_("new school")
    )
    summary = models.TextField(
        _("short summary for the new school"),
        max_length=1000,
        help_text=_("What the new school needs to go on supporting the child. Agree it with the parents."),
    )
    # What the new school learns of the open referrals: organisation, need and state, nothing more.
    open_referrals = models.JSONField(_("open referrals"), default=list, editable=False)
    given_by = models.CharField(
        _("consent given by"), max_length=150, help_text=_("Who agreed: for instance 'mother', 'father', 'guardian'.")
    )
    consent_method = models.CharField(_("how"), max_length=20, choices=ConsentMethod)
    state = models.CharField(_("state"), max_length=20, choices=HandoverState, default=HandoverState.WAITING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    created_at = models.DateTimeField(_("handed over on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    new_family = models.OneToOneField(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_in",
        verbose_name=_("family at the new school"),
    )

    objects = SchoolHandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-over to another school")
        verbose_name_plural = _("hand-overs to another school")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=HandoverState.values), name="referrals_schoolhandover_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(consent_method__in=ConsentMethod.values) & ~models.Q(given_by=""),
                name="referrals_schoolhandover_has_consent",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_school=models.F("to_school")),
                name="referrals_schoolhandover_other_school",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=HandoverState.ACCEPTED) | models.Q(new_family__isnull=False),
                name="referrals_schoolhandover_accepted_has_family",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(state=HandoverState.WAITING),
                name="referrals_schoolhandover_one_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.from_school} → {self.to_school} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("referrals:handover", kwargs={"school_id": self.to_school.public_id, "handover_id": self.pk})


# Notifications that could not be sent ---------------------------------------------------------


class UnsentMail(models.Model):
    """A notification whose sending failed after the change it tells of was committed, kept so
    the daily `referral_reminders` sends it again (`referrals.outbox`). It holds what the mail
    held, which is never a family detail (see `workflow._notify`), and is deleted once sent or
    given up."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    what = models.CharField(_("what it tells"), max_length=100, help_text=_("The kind of mail and what it is about."))
    created_at = models.DateTimeField(_("first tried"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)

    class Meta:
        verbose_name = _("unsent mail")
        verbose_name_plural = _("unsent mails")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.what} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:referrals_unsentmail_change", args=[self.pk])
