"""Spatial equity: imports of areas and digital assets, investment per area, stored results.

Storage of assets (points)
    A city may hold millions of points (every fibre-enabled premises), so points are not one
    row each. Each asset import (:class:`EquityImport` of kind ``assets``, also called a
    *batch*) keeps its points in :class:`AssetChunk` rows of up to
    :data:`CHUNK_POINTS` points, each a compressed numpy archive of columns (longitude,
    latitude, type, area and numeric attributes; see :mod:`cocity.equity.chunks`).
    About 20 bytes a point instead of a few hundred for a row with its indexes, the same on
    SQLite and PostgreSQL (a ``BLOB`` / ``bytea`` each), written and read in one query per
    chunk, and exactly the arrays the analytics take. The area of each point is assigned at
    import and stored in its chunk; the counts per area live in the stored results.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import FileImport, StoredResult, TenantModel

CHUNK_POINTS = 100_000
"""Points per stored chunk: small enough to read one page of the asset list cheaply."""


class AssetKind(models.TextChoices):
    """Asset types cocity knows by name; an imported file may bring any other type."""

    SENSOR = "sensor", _("Sensor")
    EV_CHARGER = "ev_charger", _("EV charger")
    PUBLIC_WIFI = "public_wifi", _("Public wifi")
    FIBRE_PREMISES = "fibre_premises", _("Fibre-enabled premises")
    KIOSK = "kiosk", _("Digital kiosk")
    SMART_LIGHTING = "smart_lighting", _("Smart street light")
    OTHER = "other", _("Other")


def asset_kind_label(name: str) -> str:
    """The translated label of a known asset type; any other type as it was imported."""
    try:
        return str(AssetKind(name).label)
    except ValueError:
        return name


class ImportKind(models.TextChoices):
    AREAS = "areas", _("Areas (polygons)")
    INDICATORS = "indicators", _("Indicators per area")
    ASSETS = "assets", _("Digital assets (points)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the file")
    ASSIGNING = "assigning", _("Placing the points in areas")
    SAVING = "saving", _("Saving")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Nothing imported")


class EquityImport(FileImport):
    """An import of one file of areas, indicators or assets into one territory.

    ``errors`` is a list of ``{"row": str, "message": str}``: the row as the file shows it
    (``"line 7"`` of a CSV whose header is line 1, ``"feature 3"`` of a GeoJSON file), empty
    for a problem with the whole file. ``payload`` holds the uploaded bytes only while a
    background task still needs them. An import of assets is also the batch its points
    belong to; they count only once it has ``succeeded``.
    """

    kind = models.CharField(_("what"), max_length=12, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows_done = models.PositiveIntegerField(_("rows saved"), default=0)
    # Assets only: what the batch holds, so lists and counts need not read the chunks.
    type_names = models.JSONField(_("asset types"), default=list, blank=True)
    counts_by_type = models.JSONField(_("assets per type"), default=dict, blank=True)
    attribute_names = models.JSONField(_("numeric attributes"), default=list, blank=True)
    n_outside = models.PositiveIntegerField(_("outside every area"), default=0)
    areas_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("equity import")
        verbose_name_plural = _("equity imports")
        indexes = [models.Index(fields=["territory", "kind", "status"])]

    @property
    def n_points(self) -> int:
        return int(sum(self.counts_by_type.values())) if self.kind == ImportKind.ASSETS else 0


class AssetChunk(models.Model):
    """Up to :data:`CHUNK_POINTS` points of one asset import, as compressed columns."""

    batch = models.ForeignKey(EquityImport, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    start = models.PositiveBigIntegerField(help_text="Index in the batch of the first point.")
    n = models.PositiveIntegerField()
    type_counts = models.JSONField(default=dict)
    data = models.BinaryField()

    class Meta:
        ordering = ["batch", "seq"]
        constraints = [models.UniqueConstraint(fields=["batch", "seq"], name="uniq_asset_chunk")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.seq} ({self.n} points)"


class InvestmentAllocation(TenantModel):
    """The part of an initiative's budget spent in one area it serves.

    An initiative without allocations spreads its budget evenly over the areas it serves.
    """

    initiative = models.ForeignKey(
        "programme.Initiative",
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("initiative"),
    )
    area = models.ForeignKey(
        "territories.Area",
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("area"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["initiative", "area__code"]
        verbose_name = _("investment allocation")
        verbose_name_plural = _("investment allocations")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "area"], name="uniq_allocation"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.area_id}: {self.amount}"


class EquityResult(StoredResult):
    """The equity measures of a territory for one version of its data (see ``payload``).

    ``data_version`` is a digest of what the measures were computed from (areas, assets,
    initiatives and allocations); pages read the newest ready result and say when the data
    has changed since. Results are computed by a task or a service, never by a page.
    """

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("equity result")
        verbose_name_plural = _("equity results")
        indexes = [models.Index(fields=["territory", "status", "-finished_at"])]
