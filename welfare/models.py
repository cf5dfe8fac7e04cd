import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Cluster(models.TextChoices):
    """The three clusters of welfare organisations the book distinguishes, plus the rest."""

    GENERAL_WELFARE = "general_welfare", _("General welfare work and first-line help")
    FAMILY_SUPPORT = "family_support", _("Preventive parenting and family support")
    PARENT_SCHOOL_SUPPORT = "parent_school_support", _("Organisations that support parents and schools")
    OTHER = "other", _("Other partners (health, leisure, material aid, legal help)")


class OrganisationType(models.Model):
    """A kind of organisation on the social map (OCMW, CAW, Huis van het Kind, CLB …).

    A lookup table, not an enum: administrators add types that are missing.
    """

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
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

    def __str__(self):
        return self.name

    @property
    def name(self):
        language = get_language() or "nl"
        return self.name_en if language.startswith("en") else self.name_nl


class WelfareOrganisation(models.Model):
    """An organisation in the shared directory; the tenant that welfare workers work in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    organisation_type = models.ForeignKey(
        OrganisationType,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("type"),
    )
    municipalities = models.ManyToManyField(
        "network.Municipality",
        related_name="welfare_organisations",
        verbose_name=_("municipalities served"),
        blank=True,
    )

    class Meta:
        verbose_name = _("welfare organisation")
        verbose_name_plural = _("welfare organisations")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("welfare:home", kwargs={"organisation_id": self.public_id})
