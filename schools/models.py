import uuid

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
