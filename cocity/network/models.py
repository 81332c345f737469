"""Stored results of the ecosystem analysis, one per data version of a territory."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import StoredResult


class NetworkResult(StoredResult):
    """The ecosystem analysis of a territory for one version of its data.

    ``data_version`` is a digest of what the analysis was computed from (stakeholders,
    published partnerships and their members, joint work, trust ratings, clusters and
    challenges; see :func:`cocity.network.selectors.network_data_version`). ``payload`` holds
    the analysis (``EcosystemAnalysis.to_dict``), the stakeholder ids per node, the ties
    with their form and years (for filters), a layout and the summary sentences. Pages and
    the API read the newest ready result; only a task or a service computes one.
    """

    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(_("step"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ecosystem analysis")
        verbose_name_plural = _("ecosystem analyses")
        indexes = [models.Index(fields=["territory", "status", "-finished_at"])]
