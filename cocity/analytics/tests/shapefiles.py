"""Zipped Shapefiles for tests, written by GDAL (pyogrio) as a GIS would write them."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

# Three 1 km squares of British National Grid (EPSG:27700) in Bath, with LSOA-like fields.
BATH = [shapely.box(374000 + 1000 * i, 164000, 375000 + 1000 * i, 165000) for i in range(3)]
FIELDS = {
    "LSOA11CD": ["E01014370", "E01014371", "E01014372"],
    "LSOA11NM": ["Bath 007A", "Bath 007B", "Bath 007C"],
    "IMD_decile": [4, 1, 9],
}


def zipped_shapefile(
    folder: Path,
    polygons: Sequence[shapely.Geometry],
    fields: dict[str, list[Any]],
    *,
    crs: str | None = "EPSG:27700",
    name: str = "areas",
    leave_out: Sequence[str] = (),
    inside: str = "",
) -> Path:
    """Write ``polygons`` and ``fields`` as ``name.shp`` (+ .shx, .dbf, .prj when ``crs``) and
    zip them, under the folder ``inside`` of the archive, leaving out the parts named in
    ``leave_out`` (e.g. ``[".dbf"]``). Returns the archive's path."""
    work = folder / f"{name}-parts"
    work.mkdir(parents=True, exist_ok=True)
    data = [
        np.asarray(values, dtype=object if isinstance(values[0], str) else None)
        for values in fields.values()
    ]
    with warnings.catch_warnings():
        # GDAL shortens long field names; without a crs there is no .prj (on purpose).
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        pyogrio.raw.write(
            str(work / f"{name}.shp"),
            np.array(shapely.to_wkb(list(polygons)), dtype=object),
            data,
            list(fields),
            geometry_type="Polygon",
            crs=crs,
            driver="ESRI Shapefile",
        )
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for part in sorted(work.iterdir()):
            if part.suffix not in leave_out:
                handle.write(part, f"{inside}{part.name}")
    return archive
