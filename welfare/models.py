"""The shared directory (sociale kaart), shaped after Open Referral HSDS 3.0.

Every model that HSDS exchanges has a UUID primary key, which is its HSDS `id`. Brugwijzer's
own classifications (need categories, target groups, outreach at school, languages) are lookup
tables exported as HSDS taxonomies.
"""

import uuid
from datetime import timedelta

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import TenantKind

# An entry nobody has checked for this long is flagged as stale.
STALE_AFTER = timedelta(days=365)


class Cluster(models.TextChoices):
    """The three clusters of welfare organisations the book distinguishes, plus the rest."""

    GENERAL_WELFARE = "general_welfare", _("General welfare work and first-line help")
    FAMILY_SUPPORT = "family_support", _("Preventive parenting and family support")
    PARENT_SCHOOL_SUPPORT = "parent_school_support", _("Organisations that support parents and schools")
    OTHER = "other", _("Other partners (health, leisure, material aid, legal help)")


class Bilingual(models.Model):
    """A lookup row with a Dutch and an English name; `name` follows the active language."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        language = get_language() or "nl"
        return self.name_en if language.startswith("en") else self.name_nl


class OrganisationType(Bilingual):
    """A kind of organisation on the social map (OCMW, CAW, Huis van het Kind, CLB …).

    A lookup table, not an enum: administrators add types that are missing.
    """

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    cluster = models.CharField(_("cluster"), max_length=30, choices=Cluster)
    has_professional_secrecy = models.BooleanField(
        _("bound by professional secrecy"),
        default=True,
        help_text=_("Its workers may only share what a family agreed to, so schools get a status, not content."),
    )

    class Meta:
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")
        ordering = ["cluster", "name_nl", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cluster__in=Cluster.values),
                name="welfare_organisationtype_cluster_valid",
            ),
        ]


class Term(Bilingual):
    """A term of one of Brugwijzer's taxonomies; its UUID is the HSDS taxonomy_term id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]


class NeedCategory(Term):
    """One of the needs that make schools look for welfare partners (the book's six triggers)."""

    class Meta(Term.Meta):
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")


class NeedSubcategory(Term):
    category = models.ForeignKey(
        NeedCategory, on_delete=models.PROTECT, related_name="subcategories", verbose_name=_("need category")
    )

    class Meta(Term.Meta):
        verbose_name = _("sub-theme")
        verbose_name_plural = _("sub-themes")


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class OutreachForm(Term):
    """A way an organisation comes to the school (office hours, coffee moment at the gate …)."""

    class Meta(Term.Meta):
        verbose_name = _("outreach at school")
        verbose_name_plural = _("outreach at school")


class Language(Term):
    """A language a service can be used in; `code` is the ISO 639-1 code."""

    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class EducationRemit(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class CheckedQuerySet(models.QuerySet):
    def stale(self, today=None):
        return self.filter(checked_on__lt=(today or timezone.localdate()) - STALE_AFTER)


class Checked(models.Model):
    """An entry whose editors confirm from time to time that it is still true."""

    checked_on = models.DateField(
        _("last checked"), default=timezone.localdate, help_text=_("The day somebody confirmed this is still true.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        return self.checked_on < timezone.localdate() - STALE_AFTER


class OrganisationQuerySet(CheckedQuerySet):
    def for_directory(self):
        return self.select_related("organisation_type")

    def serving(self, municipality):
        return self.filter(municipalities=municipality)


class FeedbackLevel(models.TextChoices):
    """What an organisation tells the referring school: never case content."""

    STATUS = "status", _("The status and its date only")
    OUTCOME = "outcome", _("The status, its date and the outcome at closure")


class WelfareOrganisation(Checked):
    """An organisation in the shared directory (HSDS organization); the tenant of welfare workers."""

    tenant_kind = TenantKind.ORGANISATION

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True, default="")
    description = models.TextField(_("what the organisation does"), blank=True, default="")
    organisation_type = models.ForeignKey(
        OrganisationType,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("type"),
    )
    email = models.EmailField(_("email address"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    kbo_number = models.CharField(
        _("enterprise number (KBO)"), max_length=12, blank=True, default="", help_text=_("For example 0123.456.789.")
    )
    education_remit = models.CharField(
        _("explicit task around education"),
        max_length=10,
        choices=EducationRemit,
        default=EducationRemit.UNKNOWN,
        help_text=_("Does the organisation have an explicit task towards schools or education?"),
    )
    feedback_level = models.CharField(
        _("what referring schools hear back"),
        max_length=10,
        choices=FeedbackLevel,
        default=FeedbackLevel.STATUS,
        help_text=_("Schools always see the status and its date. Choose whether they also see the outcome."),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality",
        related_name="welfare_organisations",
        verbose_name=_("municipalities served"),
        blank=True,
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("welfare organisation")
        verbose_name_plural = _("welfare organisations")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(education_remit__in=EducationRemit.values),
                name="welfare_welfareorganisation_education_remit_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(feedback_level__in=FeedbackLevel.values),
                name="welfare_welfareorganisation_feedback_level_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("welfare:home", kwargs={"organisation_id": self.pk})

    def get_directory_url(self):
        return reverse("welfare:organisation", kwargs={"organisation_id": self.pk})

    @property
    def public_id(self):
        """Tenants are named by a UUID in URLs; an organisation's is its primary key (its HSDS id)."""
        return self.pk


class Location(Checked):
    """Where an organisation receives people (HSDS location with its physical address)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        WelfareOrganisation, on_delete=models.CASCADE, related_name="locations", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True, default="")
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="welfare_locations",
        verbose_name=_("municipality"),
    )
    accessibility = models.CharField(
        _("accessibility"), max_length=300, blank=True, default="", help_text=_("Wheelchair access, lift, bus stop …")
    )
    is_confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("A shelter or refuge: the address is shown only to the organisation itself and never exported."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.organisation.get_directory_url()


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Stopped")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class WaitingList(models.TextChoices):
    NONE = "none", _("No waiting list")
    SHORT = "short", _("Short wait (weeks)")
    LONG = "long", _("Long wait (months)")
    CLOSED = "closed", _("Not taking new families now")
    UNKNOWN = "unknown", _("Not known")


class ServiceQuerySet(CheckedQuerySet):
    def published(self):
        return self.filter(status=ServiceStatus.ACTIVE)

    def for_directory(self):
        # What a result in the directory shows: its organisation and type, needs and languages.
        return self.select_related("organisation__organisation_type").prefetch_related("needs", "languages")


class ServiceManager(models.Manager.from_queryset(ServiceQuerySet)):
    def get_queryset(self):
        # The search columns are for the database's own search; no page reads them, and a
        # SELECT DISTINCT over a tsvector would compare whole documents.
        return super().get_queryset().defer(*Service.SEARCH_COLUMNS)


class Service(Checked):
    """What an organisation offers (HSDS service), with Brugwijzer's classifications."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        WelfareOrganisation, on_delete=models.CASCADE, related_name="services", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it offers"), blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus, default=ServiceStatus.ACTIVE)
    email = models.EmailField(_("email address"), blank=True, default="")
    url = models.URLField(_("web page"), blank=True, default="")
    application_process = models.TextField(
        _("how to register"), blank=True, default="", help_text=_("How a family or a school gets in touch.")
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fees_description = models.CharField(_("cost"), max_length=300, blank=True, default="")
    minimum_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    waiting_list = models.CharField(_("waiting list"), max_length=10, choices=WaitingList, default=WaitingList.UNKNOWN)
    waiting_list_updated_on = models.DateField(_("waiting list updated on"), null=True, blank=True)
    needs = models.ManyToManyField(NeedCategory, related_name="services", verbose_name=_("needs addressed"))
    subcategories = models.ManyToManyField(
        NeedSubcategory, related_name="services", verbose_name=_("sub-themes"), blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="services", verbose_name=_("target groups"), blank=True
    )
    outreach_forms = models.ManyToManyField(
        OutreachForm, related_name="services", verbose_name=_("outreach at school"), blank=True
    )
    languages = models.ManyToManyField(Language, related_name="services", verbose_name=_("languages"), blank=True)
    service_areas = models.ManyToManyField(
        "places.Municipality", related_name="welfare_services", verbose_name=_("service area"), blank=True
    )

    # Kept by the database on PostgreSQL (triggers of migration 0006), for the directory search:
    # the service's Dutch full-text document with its organisation's name, and its name with the
    # organisation's name in lower case for substring matches (a trigram index serves both).
    # Empty on SQLite, where the search reads the text columns themselves.
    search_document = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    SEARCH_COLUMNS = ("search_document", "search_text")

    objects = ServiceManager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]
        indexes = [
            # The directory and HSDS /services list services by name a page at a time: read in this
            # order, a page stops after its rows instead of sorting the whole directory.
            models.Index(fields=["name", "id"], name="welfare_service_by_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ServiceStatus.values), name="welfare_service_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(waiting_list__in=WaitingList.values), name="welfare_service_waiting_list_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(maximum_age__gte=models.F("minimum_age")),
                name="welfare_service_age_range_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.organisation.get_directory_url()}#service-{self.pk}"


class ServiceAtLocation(models.Model):
    """A service offered at one of the organisation's locations (HSDS service_at_location)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="welfare_serviceatlocation_unique_pair"),
        ]

    def __str__(self):
        return f"{self.service} @ {self.location}"

    def get_absolute_url(self):
        return self.service.get_absolute_url()


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Schedule(models.Model):
    """Weekly opening hours of a service at a location (HSDS schedule, freq WEEKLY)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.CharField(_("day"), max_length=2, choices=Weekday)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__in=Weekday.values), name="welfare_schedule_weekday_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="welfare_schedule_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def get_absolute_url(self):
        return self.service_at_location.get_absolute_url()


class Contact(models.Model):
    """A named contact person at an organisation (HSDS contact), optionally for one service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(WelfareOrganisation, on_delete=models.CASCADE, related_name="contacts")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts", null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("function"), max_length=150, blank=True, default="")
    email = models.EmailField(_("email address"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.organisation.get_directory_url()


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CorrectionSuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)


class CorrectionSuggestion(models.Model):
    """School staff point out that an entry is wrong; its editors accept or reject that."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        WelfareOrganisation, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("organisation")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="suggestions",
        null=True,
        blank=True,
        verbose_name=_("service"),
        help_text=_("Leave empty when it is about the organisation as a whole."),
    )
    message = models.TextField(_("what is wrong or missing"))
    suggested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("suggested by")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("from school")
    )
    created_at = models.DateTimeField(_("suggested on"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=SuggestionStatus, default=SuggestionStatus.PENDING)
    answer = models.TextField(_("answer"), blank=True, default="")
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    objects = CorrectionSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction suggestion")
        verbose_name_plural = _("correction suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SuggestionStatus.values), name="welfare_correctionsuggestion_status_valid"
            ),
        ]
        indexes = [
            # The editors' list: pending suggestions of one organisation.
            models.Index(fields=["organisation", "status"], name="welfare_suggestion_org_status"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.message[:60]}"

    def get_absolute_url(self):
        return reverse("welfare:suggestions", kwargs={"organisation_id": self.organisation_id})
