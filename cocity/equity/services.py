"""Writes of spatial equity: imports of areas, indicators and assets; allocations; results.

Imports are all or nothing. Areas and indicators are checked completely, then written in one
transaction. Assets are read and checked, placed in areas, then written chunk by chunk, each
chunk committed at once so that the import page, in another process, sees the progress; the
points count only once the import is marked imported, in the last transaction, and a failed
import deletes what it had written. Every successful write asks for new results
(:func:`equity_result_request`) once it is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.analytics.equity import EquityInputError, assign_points
from cocity.core.services import activity_record, ensure_in_territory
from cocity.equity import imports
from cocity.equity.chunks import ChunkColumns, encode_chunk
from cocity.equity.models import (
    CHUNK_POINTS,
    AssetChunk,
    EquityImport,
    EquityResult,
    ImportKind,
    ImportStatus,
    InvestmentAllocation,
    ResultStatus,
)
from cocity.equity.spatial import territory_areas
from cocity.equity.uploads import (
    UploadError,
    max_upload_bytes,
    task_threshold_bytes,
    upload_as_file,
)
from cocity.programme.models import Initiative
from cocity.territories.models import Area, Territory

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[EquityImport], None]
Run = Literal["auto", "now", "queue"]

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
RESULTS_KEPT = 5
DEFAULT_COMPUTE_NOW_MAX_POINTS = 200_000
DEFAULT_COMPUTE_NOW_MAX_AREAS = 2_000


# --- Imports ---------------------------------------------------------------------------------


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

    with transaction.atomic():
        job.payload = data
        job.status = ImportStatus.QUEUED
        job.started_at = None
        job.save(update_fields=["payload", "status", "started_at", "updated_at"])

        def enqueue() -> None:
            try:
                result = equity_import_run.enqueue(job_id=job.pk)
            except Exception:
                logger.exception("could not queue equity import %s", job.pk)
                _fail(
                    job, [{"row": "", "message": _("The import could not be queued; try again.")}]
                )
                return
            EquityImport.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

        transaction.on_commit(enqueue)
    return job


def equity_import_execute(
    *, job: EquityImport, on_progress: ProgressCallback | None = None
) -> EquityImport:
    """Run the queued import ``job`` from its stored file (the background task's path)."""
    return _execute(job, bytes(job.payload or b""), on_progress)


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


def _import_areas(
    job: EquityImport, path: Path, on_progress: ProgressCallback | None
) -> EquityImport:
    territory = job.territory
    if job.kind == ImportKind.AREAS:
        parsed = imports.read_area_file(path, job.options)
    else:
        parsed = imports.read_indicator_file(path, job.options, territory)
    total = len(parsed.records)
    _set_status(job, ImportStatus.SAVING, on_progress, rows_total=total)
    with transaction.atomic():
        created, updated = _save_area_records(
            territory, parsed.records, areas=job.kind == ImportKind.AREAS
        )
        job.status = ImportStatus.SUCCEEDED
        job.rows_done = total
        job.notes = [*_counts_note(created, updated), *parsed.notes]
        job.finished_at = timezone.now()
        job.payload = None
        job.save(
            update_fields=["status", "rows_done", "notes", "finished_at", "payload", "updated_at"]
        )
        if job.kind == ImportKind.AREAS:
            summary = ngettext(
                "%(n)s area imported from %(file)s",
                "%(n)s areas imported from %(file)s",
                total,
            )
        else:
            summary = ngettext(
                "Indicators of %(n)s area imported from %(file)s",
                "Indicators of %(n)s areas imported from %(file)s",
                total,
            )
        activity_record(
            territory=territory,
            actor=job.created_by,
            verb=f"equity_{job.kind}_imported",
            summary=summary % {"n": total, "file": job.file_name},
        )
        _request_after_commit(territory)
    if on_progress:
        on_progress(job)
    return job


def _counts_note(created: int, updated: int) -> list[str]:
    return [
        _("%(created)s new areas, %(updated)s updated.") % {"created": created, "updated": updated}
    ]


def _save_area_records(
    territory: Territory, records: list[imports.AreaRecord], *, areas: bool
) -> tuple[int, int]:
    """Create or update the areas by code; ``areas=False`` only updates (indicators)."""
    now = timezone.now()
    existing = {a.code: a for a in Area.objects.filter(territory=territory).defer("geometry")}
    new: list[Area] = []
    changed: list[Area] = []
    for record in records:
        area = existing.get(record.code)
        if area is None:
            if not areas:
                continue
            area = Area(
                territory=territory,
                code=record.code,
                name=record.name or record.code,
                geometry=record.geometry,
                indicators=record.indicators,
            )
            for name, value in record.values.items():
                setattr(area, name, None if value is imports.MISSING else value)
            new.append(area)
            continue
        if record.name:
            area.name = record.name
        if record.geometry is not None:
            area.geometry = record.geometry
        for name, value in record.values.items():
            if value is not imports.MISSING:
                setattr(area, name, value)
        area.indicators = {**(area.indicators or {}), **record.indicators}
        area.updated_at = now
        changed.append(area)
    Area.objects.bulk_create(new, batch_size=500)
    fields = ["population", "deprivation_rank", "deprivation_decile", "indicators", "updated_at"]
    if areas:
        fields += ["name", "geometry"]
    Area.objects.bulk_update(changed, fields, batch_size=500)
    return len(new), len(changed)


def _import_assets(
    job: EquityImport, path: Path, on_progress: ProgressCallback | None
) -> EquityImport:
    territory = job.territory
    parsed = imports.read_asset_file(path, job.options, job.file_name)
    points = parsed.points
    areas = territory_areas(territory=territory)
    if not len(areas):
        raise imports.file_error(
            _("This territory has no areas with a boundary yet: import the areas first.")
        )
    _set_status(job, ImportStatus.ASSIGNING, on_progress, rows_total=len(points))
    try:
        assignment = assign_points(areas.polygons, points.lon, points.lat)
    except EquityInputError as exc:
        raise imports.rejected_from(exc) from None
    area_ids = areas.ids_of_index(assignment.area_index)
    names = list(points.attributes)
    attributes = (
        np.column_stack([points.attributes[k] for k in names])
        if names
        else np.zeros((len(points), 0))
    )
    _set_status(job, ImportStatus.SAVING, on_progress, rows_done=0)
    try:
        for seq, start in enumerate(range(0, len(points), CHUNK_POINTS)):
            end = min(start + CHUNK_POINTS, len(points))
            codes = points.type_codes[start:end]
            counts = np.bincount(codes, minlength=len(points.type_names))
            AssetChunk.objects.create(
                batch=job,
                seq=seq,
                start=start,
                n=end - start,
                type_counts={
                    name: int(counts[i]) for i, name in enumerate(points.type_names) if counts[i]
                },
                data=encode_chunk(
                    ChunkColumns(
                        lon=points.lon[start:end],
                        lat=points.lat[start:end],
                        type_codes=codes,
                        area_ids=area_ids[start:end],
                        attributes=attributes[start:end],
                    )
                ),
            )
            _set_status(job, ImportStatus.SAVING, on_progress, rows_done=end)
        counts = np.bincount(points.type_codes, minlength=len(points.type_names))
        notes = list(parsed.notes)
        if assignment.n_outside:
            notes.insert(
                0,
                ngettext(
                    "%(n)s point lies outside every area and is not counted.",
                    "%(n)s points lie outside every area and are not counted.",
                    assignment.n_outside,
                )
                % {"n": assignment.n_outside},
            )
        with transaction.atomic():
            job.status = ImportStatus.SUCCEEDED
            job.type_names = list(points.type_names)
            job.counts_by_type = {n: int(counts[i]) for i, n in enumerate(points.type_names)}
            job.attribute_names = names
            job.n_outside = assignment.n_outside
            job.areas_version = areas.version
            job.notes = notes
            job.finished_at = timezone.now()
            job.payload = None
            job.save()
            activity_record(
                territory=territory,
                actor=job.created_by,
                verb="equity_assets_imported",
                summary=ngettext(
                    "%(n)s digital asset imported from %(file)s",
                    "%(n)s digital assets imported from %(file)s",
                    len(points),
                )
                % {"n": len(points), "file": job.file_name},
            )
            _request_after_commit(territory)
    except BaseException:
        AssetChunk.objects.filter(batch_id=job.pk).delete()
        raise
    if on_progress:
        on_progress(job)
    return job


@transaction.atomic
def asset_batch_delete(*, batch: EquityImport, actor: Any) -> None:
    """Remove an imported file of assets and its points; the results are computed again."""
    if batch.kind != ImportKind.ASSETS:
        raise ValidationError(_("Only imports of assets can be removed."))
    territory = batch.territory
    n = batch.n_points
    file_name = batch.file_name
    batch.delete()
    activity_record(
        territory=territory,
        actor=actor,
        verb="equity_assets_removed",
        summary=ngettext(
            "%(n)s digital asset removed (%(file)s)",
            "%(n)s digital assets removed (%(file)s)",
            n,
        )
        % {"n": n, "file": file_name},
    )
    _request_after_commit(territory)


# --- Investment allocations ------------------------------------------------------------------


def _amount(value: Any, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"amounts": _("%(area)s: enter an amount.") % {"area": label}}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(
            {"amounts": _("%(area)s: enter an amount of 0 or more.") % {"area": label}}
        )
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
        raise ValidationError(
            {"amounts": _("%(area)s: enter at most 12 digits and 2 decimals.") % {"area": label}}
        )
    return amount


@transaction.atomic
def investment_allocation_set(
    *, initiative: Initiative, actor: Any, amounts: Mapping[Area, Any]
) -> list[InvestmentAllocation]:
    """Say how much of ``initiative``'s budget goes to each area it serves.

    Replaces the initiative's allocations. Every area must be one the initiative serves, and
    the amounts together may not exceed its budget.
    """
    territory = initiative.territory
    ensure_in_territory(territory, "amounts", amounts.keys())
    served = set(initiative.areas.values_list("pk", flat=True))
    outside = sorted(str(a) for a in amounts if a.pk not in served)
    if outside:
        raise ValidationError(
            {
                "amounts": _("The initiative does not serve: %(areas)s.")
                % {"areas": ", ".join(outside)}
            }
        )
    cleaned = {area: _amount(value, area.code) for area, value in amounts.items()}
    total = sum(cleaned.values(), Decimal(0))
    if initiative.budget is not None and total > initiative.budget:
        raise ValidationError(
            {
                "amounts": _("The amounts add up to %(total)s, more than the budget of %(budget)s.")
                % {"total": total, "budget": initiative.budget}
            }
        )
    InvestmentAllocation.objects.filter(initiative=initiative).delete()
    rows = InvestmentAllocation.objects.bulk_create(
        InvestmentAllocation(territory=territory, initiative=initiative, area=area, amount=amount)
        for area, amount in cleaned.items()
    )
    _request_after_commit(territory)
    return rows


@transaction.atomic
def investment_allocation_reset(*, initiative: Initiative, actor: Any) -> None:
    """Go back to spreading the budget evenly over the areas the initiative serves."""
    InvestmentAllocation.objects.filter(initiative=initiative).delete()
    _request_after_commit(initiative.territory)


# --- Results ---------------------------------------------------------------------------------


def _request_after_commit(territory: Territory) -> None:
    def request() -> None:
        try:
            equity_result_request(territory=territory)
        except Exception:
            # The data is saved; the results will say that they are out of date.
            logger.exception("could not request equity results for territory %s", territory.pk)

    transaction.on_commit(request)


def _computes_now(territory: Territory) -> bool:
    max_points = int(
        getattr(settings, "COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS", DEFAULT_COMPUTE_NOW_MAX_POINTS)
    )
    max_areas = int(
        getattr(settings, "COCITY_EQUITY_COMPUTE_NOW_MAX_AREAS", DEFAULT_COMPUTE_NOW_MAX_AREAS)
    )
    if Area.objects.filter(territory=territory).count() > max_areas:
        return False
    points = EquityImport.objects.filter(
        territory=territory, kind=ImportKind.ASSETS, status=ImportStatus.SUCCEEDED
    ).aggregate(n=Sum("rows_total"))["n"]
    return int(points or 0) <= max_points


def equity_result_request(*, territory: Territory, run: Run = "auto") -> EquityResult:
    """Make sure results exist for the territory's current data.

    Returns the ready, queued or running result of the current data version if there is
    one; otherwise records a new one and computes it now (``run="now"``, or ``"auto"`` for a
    territory of up to ``COCITY_EQUITY_COMPUTE_NOW_MAX_AREAS`` areas and
    ``COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS`` assets) or queues the task once committed.
    """
    from cocity.equity.selectors import equity_data_version

    version = equity_data_version(territory=territory)
    current = (
        EquityResult.objects.filter(territory=territory, data_version=version)
        .exclude(status=ResultStatus.FAILED)
        .defer("payload")
        .first()
    )
    if current is not None:
        if run == "now" and current.status == ResultStatus.QUEUED:
            # Waiting for a worker that may not be running: compute it here (the task then
            # finds it done and leaves it).
            return equity_result_execute(result=current)
        return current
    result = EquityResult.objects.create(territory=territory, data_version=version)
    if run == "now" or (run == "auto" and _computes_now(territory)):
        return equity_result_execute(result=result)
    from cocity.equity.tasks import equity_result_run

    def enqueue() -> None:
        try:
            task = equity_result_run.enqueue(result_id=result.pk)
        except Exception:
            logger.exception("could not queue equity result %s", result.pk)
            EquityResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.FAILED, error=_("The computation could not be queued.")
            )
            return
        EquityResult.objects.filter(pk=result.pk).update(task_result_id=str(task.id))

    transaction.on_commit(enqueue)
    return result


def equity_result_execute(*, result: EquityResult) -> EquityResult:
    """Compute ``result`` from the territory's current data and store it.

    Bad data (a stored geometry that cannot be used, an indicator out of range) marks the
    result failed with the reason; the previous ready result stays on the pages.
    """
    from cocity.equity.compute import equity_payload_build

    result.status = ResultStatus.RUNNING
    result.started_at = timezone.now()
    result.save(update_fields=["status", "started_at", "updated_at"])
    try:
        version, payload = equity_payload_build(territory=result.territory)
    except EquityInputError as exc:
        result.status = ResultStatus.FAILED
        result.error = str(exc)
        result.finished_at = timezone.now()
        result.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return result
    except BaseException:
        equity_result_fail_unexpectedly(result_id=result.pk)
        raise
    with transaction.atomic():
        result.data_version = version
        result.payload = payload
        result.status = ResultStatus.READY
        result.finished_at = timezone.now()
        result.save()
        keep = list(
            EquityResult.objects.filter(territory=result.territory, status=ResultStatus.READY)
            .order_by("-finished_at", "-id")
            .values_list("pk", flat=True)[:RESULTS_KEPT]
        )
        EquityResult.objects.filter(territory=result.territory).exclude(pk__in=keep).exclude(
            status__in=[ResultStatus.QUEUED, ResultStatus.RUNNING]
        ).delete()
    return result


def equity_result_fail_unexpectedly(*, result_id: int) -> None:
    EquityResult.objects.filter(
        pk=result_id, status__in=[ResultStatus.QUEUED, ResultStatus.RUNNING]
    ).update(
        status=ResultStatus.FAILED,
        error=_("The computation stopped unexpectedly."),
        finished_at=timezone.now(),
    )
