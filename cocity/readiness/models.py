"""Readiness: maturity models as data, assessment rounds, the interface register, peer results.

A maturity model is versioned: a published version is frozen, and every round points at the
version it was answered on, so old rounds keep their meaning. Adapting a model makes a new
draft (a copy, or the next version of the same family); only published versions are used.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel, TimeStampedModel
from cocity.ecosystem.models import Sector
from cocity.programme.models import Layer

MIN_LEVELS = 2
MAX_LEVELS = 10
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (being adapted)")
    PUBLISHED = "published", _("Published (frozen, used by rounds)")


class MaturityModel(TenantModel):
    """One version of a maturity model: levels and dimensions (rows of :class:`Dimension`)."""

    family = models.UUIDField(
        _("family"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Versions of the same model share a family; rounds of one family compare."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level_names = models.JSONField(
        _("level names"), default=list, help_text=_("From the lowest level to the highest.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ModelStatus.choices, default=ModelStatus.DRAFT
    )
    is_default = models.BooleanField(
        _("default model"), default=False, help_text=_("Installed from the model cocity ships.")
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
        verbose_name=_("based on"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("maturity model")
        verbose_name_plural = _("maturity models")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "family", "version"], name="uniq_maturity_model_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def n_levels(self) -> int:
        return len(self.level_names or [])

    @property
    def is_published(self) -> bool:
        return self.status == ModelStatus.PUBLISHED

    def levels(self) -> list[tuple[int, str]]:
        return list(enumerate(self.level_names or [], start=1))


class Dimension(models.Model):
    """A dimension of a model, with a descriptor per level and the layer it belongs to."""

    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[code_validator],
        help_text=_("Stays the same across versions, so rounds of different versions compare."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    layer = models.CharField(
        _("layer of the digital city"),
        max_length=20,
        choices=Layer.choices,
        blank=True,
        help_text=_("Leave empty when the dimension concerns every layer."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    descriptors = models.JSONField(
        _("level descriptors"), default=list, help_text=_("What each level looks like, in order.")
    )
    question = models.TextField(_("question"), blank=True)
    evidence_prompt = models.TextField(
        _("evidence prompt"), blank=True, help_text=_("What evidence a respondent could cite.")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="uniq_dimension_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def level_rows(self) -> list[tuple[int, str, str]]:
        """``(number, level name, descriptor)`` for each level of the model."""
        names = self.model.level_names or []
        descriptors = list(self.descriptors or [])
        return [
            (i, name, descriptors[i - 1] if i - 1 < len(descriptors) else "")
            for i, name in enumerate(names, start=1)
        ]


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class AssessmentRound(TenantModel):
    """A round of the assessment: invited respondents rate every dimension of one model version."""

    model = models.ForeignKey(
        MaturityModel, on_delete=models.RESTRICT, related_name="rounds", verbose_name=_("model")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closes_on = models.DateField(_("answers due"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        indexes = [models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Target(models.Model):
    """The level a territory aims at for one dimension in a round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="targets")
    level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVELS)]
    )

    class Meta:
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(fields=["round", "dimension"], name="uniq_round_target")
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code}: {self.level}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited, not started")
    DRAFT = "draft", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")


class Invitation(models.Model):
    """A respondent invited to a round, with the helix sector they answer for."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readiness_invitations"
    )
    stakeholder = models.ForeignKey(
        "ecosystem.Stakeholder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("represents"),
    )
    sector = models.CharField(_("helix sector"), max_length=20, choices=Sector.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="uniq_round_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"


class Confidence(models.TextChoices):
    LOW = "low", _("Low: a guess")
    MEDIUM = "medium", _("Medium: some evidence")
    HIGH = "high", _("High: clear evidence")


class Answer(models.Model):
    """A respondent's level for one dimension (no level = "don't know"), evidence and confidence."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="answers")
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVELS)],
    )
    evidence = models.TextField(_("evidence"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "dimension"], name="uniq_answer")
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code}: {self.level}"


class ActionLink(models.Model):
    """A gap of a round linked to the challenge or initiative that will close it."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="actions")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(
        "programme.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("challenge"),
    )
    initiative = models.ForeignKey(
        "programme.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("initiative"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("action for a gap")
        verbose_name_plural = _("actions for gaps")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__isnull=False) | models.Q(initiative__isnull=False),
                name="action_link_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} → {self.challenge or self.initiative}"


class ReadinessSettings(TimeStampedModel):
    """A territory's choices about its readiness results: publishing and benchmarking."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="readiness_settings"
    )
    results_public = models.BooleanField(
        _("publish results"),
        default=False,
        help_text=_("Anyone who may read the territory sees the results of closed rounds."),
    )
    in_benchmarks = models.BooleanField(
        _("take part in benchmarks"),
        default=True,
        help_text=_(
            "Peers on this instance see this territory's scores (anonymised unless named)."
        ),
    )
    named_in_benchmarks = models.BooleanField(
        _("named in benchmarks"),
        default=False,
        help_text=_("Peers see this territory's name beside its scores, not 'Peer A'."),
    )

    class Meta:
        verbose_name = _("readiness settings")
        verbose_name_plural = _("readiness settings")

    def __str__(self) -> str:
        return str(self.territory)


class InterfaceKind(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Opportunity")
    RISK = "risk", _("Risk")


class Significance(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class InterfaceItem(TenantModel):
    """An opportunity or a risk at the interface between two layers of the digital city."""

    layer_a = models.CharField(_("lower layer"), max_length=20, choices=Layer.choices)
    layer_b = models.CharField(_("upper layer"), max_length=20, choices=Layer.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=InterfaceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    significance = models.PositiveSmallIntegerField(
        _("significance"), choices=Significance.choices, default=Significance.MEDIUM
    )
    initiatives = models.ManyToManyField(
        "programme.Initiative",
        blank=True,
        related_name="interface_items",
        verbose_name=_("initiatives"),
    )

    class Meta:
        ordering = ["layer_a", "layer_b", "kind", "title"]
        verbose_name = _("interface item")
        verbose_name_plural = _("interface register")

    def __str__(self) -> str:
        return self.title


class ExternalPeer(TenantModel):
    """A round's results imported from another cocity installation, for benchmarking."""

    name = models.CharField(_("name"), max_length=200)
    named = models.BooleanField(
        _("may be named"), default=False, help_text=_("The peer agreed to be named.")
    )
    kind = models.CharField(_("kind"), max_length=20)
    population_band = models.CharField(_("population band"), max_length=20)
    round_title = models.CharField(_("round"), max_length=200)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    model_name = models.CharField(_("model"), max_length=200)
    n_levels = models.PositiveSmallIntegerField(_("levels"))
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("external peer")
        verbose_name_plural = _("external peers")

    def __str__(self) -> str:
        return self.name


class ExternalResult(models.Model):
    """One dimension of an external peer's round."""

    peer = models.ForeignKey(ExternalPeer, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    layer = models.CharField(_("layer"), max_length=20, blank=True)
    median = models.FloatField(_("median"), null=True)
    q1 = models.FloatField(_("lower quartile"), null=True)
    q3 = models.FloatField(_("upper quartile"), null=True)
    n = models.PositiveIntegerField(_("respondents"), default=0)

    class Meta:
        ordering = ["peer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "code"], name="uniq_external_result")
        ]

    def __str__(self) -> str:
        return f"{self.peer}: {self.code}"
