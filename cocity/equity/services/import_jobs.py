"""Imports of areas, indicators and assets as jobs: record, queue or run, fail."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cocity.core.jobs import job_enqueue_on_commit
from cocity.equity import imports
from cocity.equity.models import AssetChunk, EquityImport, ImportKind, ImportStatus
from cocity.equity.services.area_imports import _import_areas
from cocity.equity.services.asset_imports import _import_assets
from cocity.equity.services.import_progress import ProgressCallback, _set_status
from cocity.equity.services.results import Run
from cocity.equity.uploads import (
    UploadError,
    max_upload_bytes,
    task_threshold_bytes,
    upload_as_file,
)
from cocity.territories.models import Territory

logger = logging.getLogger(__name__)

OPTIONS = {
    ImportKind.AREAS: (
        "code_field",
        "name_field",
        "rank_field",
        "decile_field",
        "population_field",
    ),
    ImportKind.INDICATORS: ("code_field", "rank_field", "decile_field", "population_field"),
    ImportKind.ASSETS: ("asset_type", "type_field", "lon_field", "lat_field"),
}
SUFFIXES = {
    ImportKind.AREAS: imports.AREA_SUFFIXES,
    ImportKind.INDICATORS: imports.INDICATOR_SUFFIXES,
    ImportKind.ASSETS: imports.ASSET_SUFFIXES,
}


def _clean_options(kind: str, options: Mapping[str, Any] | None) -> dict[str, str]:
    allowed = OPTIONS[ImportKind(kind)]
    given = dict(options or {})
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Unknown import options: %(names)s.") % {"names": ", ".join(unknown)}
        )
    cleaned = {}
    for name, value in given.items():
        text = "" if value is None else str(value).strip()
        if len(text) > 100 or "\x00" in text:
            raise ValidationError({name: _("Enter at most 100 characters.")})
        if text:
            cleaned[name] = text
    return cleaned


def equity_import_create(
    *,
    territory: Territory,
    actor: Any,
    kind: str,
    file_name: str,
    data: bytes,
    options: Mapping[str, Any] | None = None,
    run: Run = "auto",
    on_progress: ProgressCallback | None = None,
    size_limit: bool = True,
) -> EquityImport:
    """Record an import of ``data`` (areas, indicators or assets) and run it.

    ``run="auto"`` imports files up to ``COCITY_EQUITY_TASK_THRESHOLD_BYTES`` now and queues
    larger ones as a task (started once the job is committed); ``"now"`` always runs here (the
    command line, which prints progress through ``on_progress``); ``"queue"`` always queues.
    ``size_limit=False`` lifts ``COCITY_EQUITY_MAX_BYTES`` for a file read here from disk
    (never for one that is stored for a task). Returns the job: finished unless queued, with
    every problem in ``job.errors``.
    """
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Unknown kind of import: %(kind)s.") % {"kind": kind}})
    cleaned = _clean_options(kind, options)
    job = EquityImport.objects.create(
        territory=territory,
        kind=kind,
        file_name=(file_name or "upload")
        .replace("\x00", "")
        .encode("utf-8", "replace")
        .decode("utf-8")[:255],
        options=cleaned,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        language=translation.get_language() or "",
        started_at=timezone.now(),
    )
    if len(data) > max_upload_bytes() and (size_limit or run != "now"):
        return _fail(
            job,
            [
                {
                    "row": "",
                    "message": _("The file is larger than %(n)s MB.")
                    % {"n": max_upload_bytes() // (1024 * 1024)},
                }
            ],
        )
    if run == "queue" or (run == "auto" and len(data) > task_threshold_bytes()):
        return _enqueue(job, data)
    return _execute(job, data, on_progress)


def _enqueue(job: EquityImport, data: bytes) -> EquityImport:
    from cocity.equity.tasks import equity_import_run

    job_enqueue_on_commit(
        job,
        data,
        task=equity_import_run,
        fail=lambda: _fail(
            job, [{"row": "", "message": _("The import could not be queued; try again.")}]
        ),
    )
    return job


def equity_import_execute(
    *, job: EquityImport, on_progress: ProgressCallback | None = None
) -> EquityImport:
    """Run the queued import ``job`` from its stored file (the background task's path)."""
    return _execute(job, bytes(job.payload or b""), on_progress)


def _execute(job: EquityImport, data: bytes, on_progress: ProgressCallback | None) -> EquityImport:
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _set_status(
            job, ImportStatus.READING, on_progress, started_at=job.started_at or timezone.now()
        )
        try:
            with upload_as_file(data, job.file_name, SUFFIXES[ImportKind(job.kind)]) as path:
                if job.kind == ImportKind.ASSETS:
                    return _import_assets(job, path, on_progress)
                return _import_areas(job, path, on_progress)
        except UploadError as exc:
            return _fail(job, [{"row": "", "message": str(exc)}])
        except imports.Rejected as exc:
            return _fail(job, exc.errors)
        except IntegrityError:
            logger.warning("equity import %s hit a conflict while saving", job.pk, exc_info=True)
            return _fail(
                job,
                [
                    {
                        "row": "",
                        "message": _(
                            "Someone changed the same areas while the file was imported; "
                            "nothing was saved. Import the file again."
                        ),
                    }
                ],
            )


def _fail(job: EquityImport, errors: list[dict[str, str]]) -> EquityImport:
    if job.kind == ImportKind.ASSETS:
        AssetChunk.objects.filter(batch_id=job.pk).delete()
    job.status = ImportStatus.FAILED
    job.errors = errors
    job.error_count = len(errors)
    job.finished_at = timezone.now()
    job.payload = None
    job.save(
        update_fields=["status", "errors", "error_count", "finished_at", "payload", "updated_at"]
    )
    return job


def equity_import_fail_unexpectedly(*, job_id: int) -> None:
    """Mark an import whose task crashed, so its page stops waiting; nothing counts from it."""
    job = EquityImport.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _fail(
            job, [{"row": "", "message": _("The import stopped unexpectedly; nothing was saved.")}]
        )
