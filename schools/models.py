import secrets
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import TenantKind


class EducationNetwork(models.TextChoices):
    """The Flemish school networks (onderwijsnetten)."""

    COMMUNITY = "community", _("Community education (GO!)")
    OFFICIAL_SUBSIDISED = "official_subsidised", _("Official subsidised education (municipal or provincial)")
    FREE_SUBSIDISED = "free_subsidised", _("Free subsidised education (e.g. Catholic, method schools)")


class SchoolLevel(models.TextChoices):
    NURSERY = "nursery", _("Nursery school (kleuter)")
    PRIMARY = "primary", _("Primary school (lager)")
    NURSERY_AND_PRIMARY = "nursery_and_primary", _("Nursery and primary (basis)")


class School(models.Model):
    """A primary school: the tenant that directors, care coordinators and teachers work in."""

    tenant_kind = TenantKind.SCHOOL

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    institution_number = models.CharField(
        _("institution number"),
        max_length=6,
        unique=True,
        help_text=_("The number the Flemish education department gives the school (instellingsnummer)."),
    )
    street_address = models.CharField(_("street and number"), max_length=200, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True, default="")
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("municipality"),
    )
    education_network = models.CharField(_("school network"), max_length=30, choices=EducationNetwork)
    level = models.CharField(_("level"), max_length=30, choices=SchoolLevel)
    clb = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="clb_schools",
        verbose_name=_("CLB"),
        null=True,
        blank=True,
        limit_choices_to={"organisation_type__slug": "clb"},
        help_text=_("The pupil guidance centre the school works with."),
    )
    focus_needs = models.ManyToManyField(
        "welfare.NeedCategory",
        related_name="focus_of_schools",
        verbose_name=_("needs the school wants partners for"),
        blank=True,
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(education_network__in=EducationNetwork.values),
                name="schools_school_education_network_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=SchoolLevel.values),
                name="schools_school_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(institution_number__regex=r"^[0-9]{1,6}$"),
                name="schools_school_institution_number_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:home", kwargs={"school_id": self.public_id})


class RelationStatus(models.TextChoices):
    """How a school stands towards an organisation on its "Ken je buurt" map."""

    CLOSE = "close", _("Working closely together")
    NONE_YET = "none_yet", _("Known, no collaboration yet")
    TO_EXPLORE = "to_explore", _("To explore")
    UNKNOWN = "unknown", _("Not known to the school")


class PartnerRelationQuerySet(models.QuerySet):
    def for_map(self):
        return self.select_related("organisation__organisation_type").order_by("organisation__name", "id")


class PartnerRelation(models.Model):
    """A school's relation with one organisation of the directory. Private to the school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="relations", verbose_name=_("school"))
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.CASCADE,
        related_name="school_relations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RelationStatus, default=RelationStatus.UNKNOWN)
    contact_person = models.CharField(_("our contact there"), max_length=150, blank=True, default="")
    school_contact = models.CharField(
        _("their contact at our school"),
        max_length=150,
        blank=True,
        default="",
        help_text=_("Who at the school the organisation turns to, e.g. the care coordinator."),
    )
    agreements = models.TextField(
        _("agreements made"), blank=True, default="", help_text=_("Who does what, how you reach each other.")
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    note = models.TextField(
        _("note for the school team"), blank=True, default="", help_text=_("Never write about a family here.")
    )
    shared_with_organisation = models.BooleanField(
        _("let the organisation see that we list it as a partner"), default=False
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnerRelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner relation")
        verbose_name_plural = _("partner relations")
        constraints = [
            models.UniqueConstraint(fields=["school", "organisation"], name="schools_partnerrelation_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(status__in=RelationStatus.values), name="schools_partnerrelation_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.school} – {self.organisation}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse(
            "schools:relation", kwargs={"school_id": self.school.public_id, "organisation_id": self.organisation_id}
        )


class PartnerRelationChange(models.Model):
    """One change of a relation's status: who changed it and when."""

    relation = models.ForeignKey(PartnerRelation, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=20, choices=RelationStatus, blank=True, default="")
    to_status = models.CharField(_("to"), max_length=20, choices=RelationStatus)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.relation}: {self.from_status or '-'} → {self.to_status}"

    def get_absolute_url(self):
        return self.relation.get_absolute_url()


class CollaborationKind(models.TextChoices):
    """The book's forms of collaboration, with mediation and professionalisation split the way the
    book describes them."""

    REFERRAL = "referral", _("Guiding families to the organisation (referral)")
    EXCHANGE = "exchange", _("Exchange and consultation")
    MEDIATION_PREVENTIVE = "mediation_preventive", _("Mediation between parents and school, preventive")
    MEDIATION_CURATIVE = "mediation_curative", _("Mediation between parents and school, when trust broke")
    PROFESSIONALISATION_TO_SCHOOL = "professionalisation_to_school", _("The organisation strengthens the school team")
    PROFESSIONALISATION_TO_WELFARE = "professionalisation_to_welfare", _("The school strengthens the organisation")


class CollaborationIntensity(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    INTENSIVE = "intensive", _("Intensive, for a while")
    STRUCTURAL = "structural", _("Structural")


class Collaboration(models.Model):
    """One form of collaboration on a school's relation with an organisation: how intense, since when."""

    relation = models.ForeignKey(
        PartnerRelation, on_delete=models.CASCADE, related_name="collaborations", verbose_name=_("relation")
    )
    kind = models.CharField(_("form of collaboration"), max_length=40, choices=CollaborationKind)
    intensity = models.CharField(_("how intense"), max_length=20, choices=CollaborationIntensity)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("form of collaboration")
        verbose_name_plural = _("forms of collaboration")
        ordering = ["relation", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["relation", "kind"], name="schools_collaboration_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=CollaborationKind.values), name="schools_collaboration_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__in=CollaborationIntensity.values),
                name="schools_collaboration_intensity_valid",
            ),
        ]

    def __str__(self):
        return f"{self.relation}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.relation.get_absolute_url()


class ClbAgreementQuerySet(models.QuerySet):
    def latest_per_year(self):
        """The newest version of every school year's note, newest school year first."""
        newer = ClbAgreement.objects.filter(
            school=models.OuterRef("school"),
            school_year=models.OuterRef("school_year"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer)).order_by("-school_year")


class ClbAgreement(models.Model):
    """The school's agreement note with its CLB (afsprakennota) for one school year. Every save is a
    new version; earlier versions stay, so both sides can see what was agreed when."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="clb_agreements", verbose_name=_("school")
    )
    clb = models.ForeignKey(
        "welfare.WelfareOrganisation", on_delete=models.PROTECT, related_name="clb_agreements", verbose_name=_("CLB")
    )
    school_year = models.CharField(_("school year"), max_length=9)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    anchor_person = models.CharField(
        _("anchor person at the CLB"), max_length=150, help_text=_("The one CLB contact the school can always call.")
    )
    availability = models.TextField(
        _("how and when to reach the CLB"),
        max_length=2000,
        help_text=_("Days at school, the room it uses, phone hours, how fast it answers."),
    )
    welfare_questions = models.TextField(
        _("welfare questions the CLB takes up"),
        max_length=2000,
        help_text=_("What the CLB does itself, and what it passes on to which partner."),
    )
    not_taken_up = models.TextField(_("what the CLB does not take up"), max_length=2000, blank=True, default="")
    safety_concern = models.TextField(
        _("how a concern about a child's safety is handled"),
        max_length=2000,
        help_text=_("Who the school calls, who takes which step, how the school hears back."),
    )
    feedback = models.TextField(
        _("how feedback flows"),
        max_length=2000,
        help_text=_("What the school hears back about pupils the CLB works with, and when."),
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    objects = ClbAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("CLB agreement note")
        verbose_name_plural = _("CLB agreement notes")
        ordering = ["school", "-school_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "version"], name="schools_clbagreement_one_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(school_year__regex=r"^[0-9]{4}-[0-9]{4}$"), name="schools_clbagreement_school_year"
            ),
        ]

    def __str__(self):
        return f"{self.school} · {self.clb} · {self.school_year} (v{self.version})"

    def get_absolute_url(self):
        return reverse("schools:clb_agreement", kwargs={"school_id": self.school.public_id})


class EventKind(models.TextChoices):
    """What a date on the school calendar is: a partner present at school, or a preventive activity
    that brings parents and school together (mediation, preventive half)."""

    OFFICE_HOURS = "office_hours", _("Office hours at school")
    COFFEE_MOMENT = "coffee_moment", _("Coffee moment at the school gate")
    INFO_EVENING = "info_evening", _("Info evening for parents")
    STAFF_BRIEFING = "staff_briefing", _("Briefing at a staff meeting")
    WELCOME_MOMENT = "welcome_moment", _("Welcome moment for parents")
    PARENT_CAFE = "parent_cafe", _("Parent café")
    PARENT_CHILD_ACTIVITY = "parent_child_activity", _("Parent–child activity")

    @classmethod
    def preventive(cls) -> list["EventKind"]:
        return [cls.WELCOME_MOMENT, cls.PARENT_CAFE, cls.PARENT_CHILD_ACTIVITY]

    @classmethod
    def presence(cls) -> list["EventKind"]:
        return [kind for kind in cls if kind not in cls.preventive()]

    @property
    def is_preventive(self) -> bool:
        return self in self.preventive()


class Repeat(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month, on the same weekday (e.g. the second Tuesday)")


# A series spans at most a school year and a bit, so expanding one stays small.
LONGEST_SERIES = timedelta(days=400)


class SchoolEventQuerySet(models.QuerySet):
    def for_calendar(self):
        return self.select_related("organisation", "school").order_by("starts_on", "start_time", "id")

    def running_between(self, first: date, last: date):
        """Series with at least a chance of a date between first and last (both included)."""
        return self.filter(starts_on__lte=last).filter(
            models.Q(ends_on__gte=first) | models.Q(ends_on__isnull=True, starts_on__gte=first)
        )

    def ended_before(self, day: date):
        return self.filter(models.Q(ends_on__lt=day) | models.Q(ends_on__isnull=True, starts_on__lt=day))


class SchoolEvent(models.Model):
    """A date or a series of dates on the school's calendar: a partner's office hours, a coffee
    moment at the gate, an info evening, a parent café. It names organisations, kinds and places,
    never a family or a person: the calendar feed publishes it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="events", verbose_name=_("school"))
    kind = models.CharField(_("what"), max_length=30, choices=EventKind)
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="school_events",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an activity the school organises on its own."),
    )
    place = models.CharField(
        _("where"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("E.g. the parents' room or the playground. Never a person's name: the calendar is shared."),
    )
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    repeat = models.CharField(_("repeats"), max_length=20, choices=Repeat, default=Repeat.ONCE)
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SchoolEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("school calendar entry")
        verbose_name_plural = _("school calendar entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="schools_schoolevent_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(repeat__in=Repeat.values), name="schools_schoolevent_repeat_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="schools_schoolevent_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="schools_schoolevent_last_date_after_first",
            ),
            # A series has a last date; a single date has none.
            models.CheckConstraint(
                condition=models.Q(repeat=Repeat.ONCE, ends_on__isnull=True)
                | (~models.Q(repeat=Repeat.ONCE) & models.Q(ends_on__isnull=False)),
                name="schools_schoolevent_series_has_last_date",
            ),
        ]
        indexes = [
            # The school's calendar and home page: its entries running in a window of dates.
            models.Index(fields=["school", "starts_on"], name="schools_event_school_start"),
        ]

    def __str__(self):
        who = f" · {self.organisation}" if self.organisation_id else ""
        return f"{self.get_kind_display()}{who}"

    def get_absolute_url(self):
        return reverse("schools:event", kwargs={"school_id": self.school.public_id, "event_id": self.public_id})

    @property
    def is_preventive(self) -> bool:
        return EventKind(self.kind).is_preventive


class EventAttendance(models.Model):
    """How many people came to one date of a preventive activity: a count, never who."""

    event = models.ForeignKey(
        SchoolEvent, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activity")
    )
    held_on = models.DateField(_("date"))
    attendees = models.PositiveIntegerField(_("how many came"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "held_on"], name="schools_eventattendance_once_per_date"),
            models.CheckConstraint(
                condition=models.Q(attendees__lte=1000), name="schools_eventattendance_attendees_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.held_on}: {self.attendees}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a school's calendar feed. Calendar apps cannot log in, so whoever has
    the address reads the feed: it holds no personal data, and the director can renew the address,
    which switches the old one off."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    renewed_at = models.DateTimeField(_("made on"), auto_now=True)
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.school}: {_('calendar feed')}"

    def get_absolute_url(self):
        return reverse("schools:calendar_feed", kwargs={"token": self.token})


class ProfessionalisationFormat(models.TextChoices):
    ONE_OFF = "one_off", _("One session or workshop")
    TAILORED_TRAJECTORY = "tailored_trajectory", _("A trajectory made for the school")
    IN_CLASS_COACHING = "in_class_coaching", _("Coaching in the classroom")
    SESSIONS_THEN_NETWORK = "sessions_then_network", _("Sessions per school, then a learning network")
    WITH_PARENTS = "with_parents", _("Together with parents, e.g. a dialogue group")


class ProfessionalisationDirection(models.TextChoices):
    WELFARE_TO_SCHOOL = "welfare_to_school", _("The organisation strengthens the school team")
    SCHOOL_TO_WELFARE = "school_to_welfare", _("The school strengthens the organisation's workers")


class TrainingQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("provider", "theme", "school").order_by("-held_on", "-id")


class Training(models.Model):
    """A training or coaching session between the school and a partner (professionalisation)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("school"))
    provider = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("partner organisation"),
    )
    theme = models.ForeignKey(
        "welfare.NeedCategory", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("theme")
    )
    title = models.CharField(
        _("title"), max_length=150, blank=True, default="", help_text=_("Optional, e.g. the name of the workshop.")
    )
    format = models.CharField(_("format"), max_length=30, choices=ProfessionalisationFormat)
    direction = models.CharField(
        _("who strengthens whom"),
        max_length=30,
        choices=ProfessionalisationDirection,
        default=ProfessionalisationDirection.WELFARE_TO_SCHOOL,
    )
    held_on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), help_text=_("How many people took part."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=ProfessionalisationFormat.values), name="schools_training_format_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=ProfessionalisationDirection.values),
                name="schools_training_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(participants__lte=1000), name="schools_training_participants_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.theme} · {self.provider} · {self.held_on}"

    def get_absolute_url(self):
        return reverse("schools:training", kwargs={"school_id": self.school.public_id, "training_id": self.public_id})
