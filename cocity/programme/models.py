"""The programme: city challenges and the digital initiatives that answer them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel


class Layer(models.TextChoices):
    """The layers of the digital city, from the analogue base up."""

    ANALOGUE = "analogue", _("Analogue city systems")
    SENSING = "sensing", _("Sensing & connectivity")
    DATA = "data", _("Data & analytics")
    PLATFORMS = "platforms", _("Digital platforms")
    GOVERNANCE = "governance", _("Digital governance")


class Stage(models.TextChoices):
    """Open-innovation stages, from idea to mainstream."""

    IDEA = "idea", _("Idea")
    CONCEPT = "concept", _("Concept")
    PROTOTYPE = "prototype", _("Prototype")
    TESTBED = "testbed", _("Testbed / living lab")
    PILOT = "pilot", _("Pilot")
    SCALE_UP = "scale_up", _("Scale-up")
    MAINSTREAM = "mainstream", _("Mainstream")


class Mission(models.TextChoices):
    CITIZEN_HEALTH = "citizen_health", _("Citizen health")
    PLANETARY_HEALTH = "planetary_health", _("Planetary health")
    BOTH = "both", _("Citizen and planetary health")


class Challenge(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mission = models.CharField(
        _("mission"), max_length=20, choices=Mission.choices, default=Mission.BOTH
    )
    cost_of_inaction = models.TextField(
        _("cost of inaction"), blank=True, help_text=_("What it costs the city to do nothing.")
    )
    is_draft = models.BooleanField(_("draft"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.UniqueConstraint(fields=["territory", "title"], name="uniq_challenge_title")
        ]

    def __str__(self) -> str:
        return self.title


class Initiative(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    lead = models.ForeignKey(
        "ecosystem.Stakeholder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_initiatives",
        verbose_name=_("lead"),
    )
    partners = models.ManyToManyField(
        "ecosystem.Stakeholder",
        blank=True,
        related_name="partner_initiatives",
        verbose_name=_("partners"),
    )
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="initiatives", verbose_name=_("challenges answered")
    )
    areas = models.ManyToManyField(
        "territories.Area", blank=True, related_name="initiatives", verbose_name=_("areas served")
    )
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    funding = models.CharField(_("funding sources"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_draft = models.BooleanField(_("draft"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["territory", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_ordered",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class LayerProgress(models.Model):
    """How far an initiative has progressed in one layer of the digital city (0-100 %)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="layer_progress"
    )
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["initiative", "layer"]
        verbose_name = _("layer progress")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "layer"], name="uniq_layer_progress"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="layer_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_layer_display()} {self.progress}%"
