"""Reads of import jobs, always scoped to one territory."""

from __future__ import annotations

from django.db.models import QuerySet

from cocity.dataio.models import ImportJob
from cocity.territories.models import Territory


def import_job_list(*, territory: Territory) -> QuerySet[ImportJob]:
    """Newest first, without the stored file or the error list (a page of jobs stays light)."""
    return (
        ImportJob.objects.filter(territory=territory)
        .select_related("created_by")
        .defer("payload", "errors")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, territory: Territory, pk: int) -> ImportJob:
    """One job with its errors; ``ImportJob.DoesNotExist`` when it is not in ``territory``."""
    return (
        ImportJob.objects.filter(territory=territory)
        .select_related("created_by", "territory")
        .defer("payload")
        .get(pk=pk)
    )
