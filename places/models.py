"""Where things are: provinces, municipalities and the regions administrators draw around them.

The ground floor: every app may point at a municipality, so this app imports no other app.
The models moved here from `network`; their tables kept their names, so no data moved.
"""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    ANTWERP = "antwerp", _("Antwerp")
    EAST_FLANDERS = "east_flanders", _("East Flanders")
    FLEMISH_BRABANT = "flemish_brabant", _("Flemish Brabant")
    LIMBURG = "limburg", _("Limburg")
    WEST_FLANDERS = "west_flanders", _("West Flanders")
    BRUSSELS = "brussels", _("Brussels-Capital Region")


class Municipality(models.Model):
    """A local government: the tenant that local-government officials work in."""

    # The kind of tenant it is (accounts.roles.TenantKind.MUNICIPALITY, which sits a floor up,
    # so spelled as its value here): accounts' access code reads it instead of testing classes.
    tenant_kind = "municipality"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        unique=True,
        help_text=_("The five-digit code Statbel gives every Belgian municipality."),
    )
    province = models.CharField(_("province"), max_length=20, choices=Province)

    class Meta:
        # The table (and its constraints' names) predate this app: keeping them moved no data.
        db_table = "network_municipality"
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "nis_code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(province__in=Province.values),
                name="network_municipality_province_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(nis_code__regex=r"^[0-9]{5}$"),
                name="network_municipality_nis_code_five_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The municipality's home is its dashboard, one floor up: named, never imported.
        return reverse("network:home", kwargs={"municipality_id": self.public_id})


class Region(models.Model):
    """An intermunicipal region that an administrator defines (a LOP area, a cluster of
    municipalities sharing a child-poverty coordinator). Officials of every member municipality
    see the region's dashboard: counts over all its schools, never more than that."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="regions",
        verbose_name=_("municipalities"),
        db_table="network_region_municipalities",
    )

    class Meta:
        db_table = "network_region"
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name
