"""Progress of an equity import job, written at once so that other processes see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from cocity.equity.models import EquityImport

ProgressCallback = Callable[[EquityImport], None]


def _set_status(
    job: EquityImport, status: str, on_progress: ProgressCallback | None, **fields: Any
) -> None:
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    # A one-row UPDATE in autocommit: another process sees it at once.
    EquityImport.objects.filter(pk=job.pk).update(
        status=status, updated_at=timezone.now(), **fields
    )
    if on_progress:
        on_progress(job)
