import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        "network.Municipality",
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
