"""Territories (the tenants), their areas, clusters and who belongs to them in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel, TimeStampedModel


class Territory(TimeStampedModel):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        COUNTY = "county", _("County")
        REGION = "region", _("Region")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent territory"),
        help_text=_("The region or county whose strategy this territory aligns with."),
    )
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country code"), max_length=2, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Anyone may read the published pages (never trust ratings or drafts)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class Cluster(TenantModel):
    """A smart-specialisation priority cluster (ICT, creative, health, energy...)."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="uniq_cluster_name")
        ]

    def __str__(self) -> str:
        return self.name


class Area(TenantModel):
    """A neighbourhood polygon (GeoJSON geometry in WGS84) with its indicators."""

    code = models.CharField(_("code"), max_length=40, help_text=_("e.g. an LSOA code"))
    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    deprivation_rank = models.PositiveIntegerField(
        _("deprivation rank"), null=True, blank=True, help_text=_("1 = most deprived")
    )
    deprivation_decile = models.PositiveSmallIntegerField(
        _("deprivation decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 = most deprived 10%"),
    )
    indicators = models.JSONField(_("other indicators"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["territory", "code"], name="uniq_area_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    OFFICER = "officer", _("Officer")
    PARTNER = "partner", _("Partner")
    CITIZEN = "citizen", _("Citizen")
    OBSERVER = "observer", _("Observer")


class Membership(TimeStampedModel):
    """A user's role in one territory; a partner represents one stakeholder organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    stakeholder = models.ForeignKey(
        "ecosystem.Stakeholder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representatives",
        verbose_name=_("represents"),
    )

    class Meta:
        ordering = ["territory", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="uniq_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.territory}"
