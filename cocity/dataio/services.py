"""Importing files: creating an import job, and running it now or as a background task.

An import runs in two phases, and the split is what makes progress visible:

1. **Checking** reads every row and validates it, outside any transaction. Progress
   (``rows_done``) is written every few hundred rows with a one-row ``UPDATE`` that commits at
   once, so the job page, in another process, sees it move. This is where the time goes.
2. **Saving** writes every row with ``bulk_create`` in one transaction, and marks the job
   imported in that same transaction: the data and "imported" become visible together, or not
   at all. Progress is not updated while saving: on SQLite a second connection could not
   write while the transaction holds the write lock, and on PostgreSQL other processes could
   not see uncommitted updates; the page shows "Saving" with an indeterminate bar instead.
   The write is a handful of queries per thousand rows, so this phase is short.

Nothing is saved when any row is bad, and every bad row is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.core.jobs import job_enqueue_on_commit
from cocity.core.services import activity_record
from cocity.dataio.importers import IMPORTERS, RowError, importer_for
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.parsers import ParseError, Table, detect_format, read_table, xlsx_row_hint
from cocity.territories.models import Territory

logger = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 100_000
ProgressCallback = Callable[[ImportJob], None]


def import_max_rows() -> int:
    return int(getattr(settings, "COCITY_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def import_threshold() -> int:
    return int(getattr(settings, "COCITY_IMPORT_TASK_THRESHOLD", 1000))


def _parse(job: ImportJob, data: bytes) -> Table:
    return read_table(
        data,
        job.file_format,
        max_rows=import_max_rows(),
        max_bytes=int(settings.COCITY_IMPORT_MAX_BYTES),
    )


def _fail(job: ImportJob, errors: list[RowError]) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.errors = [e.as_dict() for e in errors]
    job.error_count = len(errors)
    job.finished_at = timezone.now()
    job.payload = None
    job.save(
        update_fields=["status", "errors", "error_count", "finished_at", "payload", "updated_at"]
    )
    return job


def import_job_create(
    *,
    territory: Territory,
    actor: Any,
    kind: str,
    file_name: str,
    data: bytes,
    file_format: str = "",
    run: Literal["auto", "now", "queue"] = "auto",
    on_progress: ProgressCallback | None = None,
) -> ImportJob:
    """Record an import of ``data`` and run it.

    ``run="auto"`` checks and saves files of up to ``COCITY_IMPORT_TASK_THRESHOLD`` rows now and
    queues larger ones as a task (started after the job is committed); ``"now"`` always runs in
    this process (the CLI, which prints progress through ``on_progress``); ``"queue"`` always
    queues. Returns the job: finished unless queued; ``job.errors`` lists every problem.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import kind {kind!r}")
    job = ImportJob.objects.create(
        territory=territory,
        kind=kind,
        file_name=file_name[:255],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        language=translation.get_language() or "",
        started_at=timezone.now(),
    )
    try:
        job.file_format = detect_format(file_name, data, file_format)
        if (
            run == "auto"
            and job.file_format == "xlsx"
            and len(data) <= settings.COCITY_IMPORT_MAX_BYTES
        ):
            # Reading a big workbook takes far longer than a request should; when the file
            # says it is big, the task reads it (and reports what is wrong with it).
            hint = xlsx_row_hint(data)
            if hint is not None and hint > import_threshold():
                job.rows_total = hint
                job.save(update_fields=["file_format", "rows_total", "updated_at"])
                return _enqueue(job, data)
        table = _parse(job, data)
    except ParseError as e:
        return _fail(job, [RowError(None, "", e.message)])
    job.rows_total = len(table.rows)
    job.save(update_fields=["file_format", "rows_total", "updated_at"])

    if run == "queue" or (run == "auto" and job.rows_total > import_threshold()):
        return _enqueue(job, data)
    return import_job_execute(job=job, table=table, on_progress=on_progress)


def _enqueue(job: ImportJob, data: bytes) -> ImportJob:
    from cocity.dataio.tasks import import_job_run

    job_enqueue_on_commit(
        job,
        data,
        task=import_job_run,
        fail=lambda: _fail(
            job, [RowError(None, "", _("The import could not be queued; try again."))]
        ),
    )
    return job


def _progress_step(total: int) -> int:
    """Rows between progress updates: about fifty updates a file, at most every 500 rows."""
    return max(1, min(500, total // 50))


def import_job_execute(
    *,
    job: ImportJob,
    table: Table | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportJob:
    """Check every row of ``job``'s file, then save them all in one transaction or none.

    The shared path of the web request, the CLI and the background task. ``table`` is the
    parsed file when the caller has it; otherwise the stored ``payload`` is parsed.
    """
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _execute(job, table, on_progress)


def _execute(
    job: ImportJob, table: Table | None, on_progress: ProgressCallback | None
) -> ImportJob:
    job.status = ImportStatus.VALIDATING
    job.started_at = job.started_at or timezone.now()
    job.rows_done = 0
    job.save(update_fields=["status", "started_at", "rows_done", "updated_at"])
    if on_progress:
        on_progress(job)
    if table is None:
        try:
            table = _parse(job, bytes(job.payload or b""))
        except ParseError as e:
            return _fail(job, [RowError(None, "", e.message)])
        job.rows_total = len(table.rows)

    def progress(done: int) -> None:
        job.rows_done = done
        # A one-row UPDATE in autocommit: other processes see it at once.
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=done, rows_total=job.rows_total, updated_at=timezone.now()
        )
        if on_progress:
            on_progress(job)

    importer = importer_for(job.kind, job.territory)
    checked = importer.check_table(table, on_progress=progress, step=_progress_step(job.rows_total))
    if checked.errors:
        return _fail(job, checked.errors)

    job.status = ImportStatus.SAVING
    job.save(update_fields=["status", "updated_at"])
    if on_progress:
        on_progress(job)
    try:
        with transaction.atomic():
            count = importer.write(checked.items)
            job.status = ImportStatus.SUCCEEDED
            job.rows_imported = count
            job.notes = importer.notes
            job.finished_at = timezone.now()
            job.payload = None
            job.save(
                update_fields=[
                    "status",
                    "rows_imported",
                    "notes",
                    "finished_at",
                    "payload",
                    "updated_at",
                ]
            )
            activity_record(
                territory=job.territory,
                actor=job.created_by,
                verb=f"{job.kind}_imported",
                sentence=lambda: _summary(job.kind, count, job.file_name),
                is_public=importer.activity_is_public,
            )
    except IntegrityError:
        # Someone added a row of the same name between the check and the write.
        logger.warning("import job %s hit a conflict while saving", job.pk, exc_info=True)
        return _fail(
            job,
            [
                RowError(
                    None,
                    "",
                    _(
                        "Someone changed the same data while the file was imported; "
                        "nothing was saved. Import the file again."
                    ),
                )
            ],
        )
    if on_progress:
        on_progress(job)
    return job


def _summary(kind: str, count: int, file_name: str) -> str:
    if kind == "stakeholders":
        text = ngettext(
            "%(count)s stakeholder imported from %(file)s",
            "%(count)s stakeholders imported from %(file)s",
            count,
        )
    else:
        text = ngettext(
            "%(count)s partnership imported from %(file)s",
            "%(count)s partnerships imported from %(file)s",
            count,
        )
    return text % {"count": count, "file": file_name}


def import_job_fail_unexpectedly(*, job_id: int) -> None:
    """Mark a job whose task crashed, so its page stops waiting; nothing was saved."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _fail(
            job,
            [RowError(None, "", _("The import stopped unexpectedly; nothing was saved."))],
        )
