"""Imports of areas and of their indicators: all checked, then written in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from cocity.core.services import activity_record
from cocity.equity import imports
from cocity.equity.models import EquityImport, ImportKind, ImportStatus
from cocity.equity.services.import_progress import ProgressCallback, _set_status
from cocity.equity.services.results import _request_after_commit
from cocity.territories.models import Area, Territory


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
            summary = ngettext_lazy(
                "%(n)s area imported from %(file)s",
                "%(n)s areas imported from %(file)s",
                total,
            )
        else:
            summary = ngettext_lazy(
                "Indicators of %(n)s area imported from %(file)s",
                "Indicators of %(n)s areas imported from %(file)s",
                total,
            )
        activity_record(
            territory=territory,
            actor=job.created_by,
            verb=f"equity_{job.kind}_imported",
            sentence=lambda: summary % {"n": total, "file": job.file_name},
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
