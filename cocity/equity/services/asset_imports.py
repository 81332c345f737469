"""Imports of digital assets, placed in areas and written chunk by chunk; removing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.analytics.equity import EquityInputError, assign_points
from cocity.core.services import activity_record
from cocity.equity import imports
from cocity.equity.chunks import ChunkColumns, encode_chunk
from cocity.equity.models import CHUNK_POINTS, AssetChunk, EquityImport, ImportKind, ImportStatus
from cocity.equity.services.import_progress import ProgressCallback, _set_status
from cocity.equity.services.results import _request_after_commit
from cocity.equity.spatial import territory_areas


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
                sentence=lambda: (
                    ngettext(
                        "%(n)s digital asset imported from %(file)s",
                        "%(n)s digital assets imported from %(file)s",
                        len(points),
                    )
                    % {"n": len(points), "file": job.file_name}
                ),
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
        sentence=lambda: (
            ngettext(
                "%(n)s digital asset removed (%(file)s)",
                "%(n)s digital assets removed (%(file)s)",
                n,
            )
            % {"n": n, "file": file_name}
        ),
    )
    _request_after_commit(territory)
