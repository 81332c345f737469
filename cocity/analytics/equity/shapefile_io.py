"""Read a zipped ESRI Shapefile: its features' attributes, geometries and coordinate system.

The archive is checked with :mod:`zipfile` before anything is unpacked (one ``.shp`` with its
``.shx`` and ``.dbf``, a bounded unpacked size); GDAL then reads the layer inside the archive
(``/vsizip/``) through pyogrio, a well-kept binding that ships its own GDAL. The checks of the
features themselves are :mod:`cocity.analytics.equity.geo_io`'s, shared with GeoJSON.
"""

from __future__ import annotations

import math
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from cocity.analytics.equity.errors import ImportRejected, gettext_noop, issue

__all__ = ["MAX_UNPACKED_BYTES", "read_shapefile_zip"]

#: Largest total a zipped Shapefile may unpack to (512 MB).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

PathLike = str | os.PathLike[str]


def _shapefile_in_zip(path: PathLike, max_unpacked_bytes: int) -> str:
    """The one ``.shp`` of a zip archive, after checking the archive without unpacking it."""
    name = Path(path).name

    def refuse(template: str, **params: object) -> ImportRejected:
        return ImportRejected(name, [issue("file", template, **params)])

    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise refuse(gettext_noop("not a readable zip archive: %(error)s"), error=str(exc)) from exc
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked_bytes:
        raise refuse(
            gettext_noop("the archive unpacks to %(size)s MB, more than the %(limit)s MB allowed"),
            size=f"{unpacked / 2**20:.0f}",
            limit=f"{max_unpacked_bytes / 2**20:.0f}",
        )
    # macOS adds "__MACOSX/._name.shp" resource forks beside the real files.
    files = [m.filename for m in members if not m.filename.startswith("__MACOSX/")]
    shapes = [f for f in files if f.lower().endswith(".shp")]
    if not shapes:
        raise refuse(
            gettext_noop("no Shapefile (.shp) in the archive; zip the .shp, .shx, .dbf and .prj")
        )
    if len(shapes) > 1:
        raise refuse(
            gettext_noop("%(n)s Shapefiles in the archive (%(names)s); zip one layer at a time"),
            n=len(shapes),
            names=", ".join(shapes[:5]),
        )
    stem = shapes[0][:-4].lower()
    present = {f.lower() for f in files}
    for part in (".shx", ".dbf"):
        if stem + part not in present:
            raise refuse(
                gettext_noop(
                    "%(shp)s has no %(part)s beside it: a Shapefile needs its .shp, .shx and "
                    ".dbf (and a .prj for the coordinate system)"
                ),
                shp=shapes[0],
                part=part,
            )
    return shapes[0]


def read_shapefile_zip(
    path: PathLike, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, *, read_geometry: bool = True
) -> tuple[list[dict[str, Any]], list[shapely.Geometry | None], str | None]:
    """Attributes of each record, its geometry (None where missing or unreadable, and for
    all when ``read_geometry`` is false) and the declared coordinate system (None without a
    ``.prj``). Raises :class:`ImportRejected` for an archive or layer that cannot be read.
    """
    name = Path(path).name
    member = _shapefile_in_zip(path, max_unpacked_bytes)
    from pyogrio.raw import read  # here: importing GDAL takes ~0.4 s, paid by Shapefiles only

    try:
        with warnings.catch_warnings():
            # GDAL's notes on what it tolerates (an unclosed ring...) are not the user's
            # business: the geometries are checked and repaired afterwards, with a report.
            warnings.simplefilter("ignore", RuntimeWarning)
            meta, _fids, wkb, columns = read(
                f"/vsizip/{Path(path).resolve()}/{member}", read_geometry=read_geometry
            )
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            name,
            [
                issue(
                    "file",
                    gettext_noop(
                        "the attributes of %(shp)s are not in the text encoding the Shapefile "
                        "declares (its .cpg): %(reason)s at byte %(at)s"
                    ),
                    shp=member,
                    reason=exc.reason,
                    at=exc.start,
                )
            ],
        ) from exc
    except Exception as exc:
        # GDAL's own errors come as DataSourceError / DataLayerError, but pyogrio lets other
        # exceptions through on corrupt parts (an UnboundLocalError for a garbled .prj, seen
        # by fuzzing): whatever it is, the file cannot be read, and the user is told so.
        raise ImportRejected(
            name,
            [
                issue(
                    "file",
                    gettext_noop("%(shp)s is not a readable Shapefile: %(error)s"),
                    shp=member,
                    error=str(exc),
                )
            ],
        ) from exc
    fields = [str(f) for f in meta["fields"]]
    n = len(columns[0]) if columns else (0 if wkb is None else len(wkb))
    lists = [np.asarray(column, dtype=object).tolist() for column in columns]
    props = [{f: _plain(lists[j][i]) for j, f in enumerate(fields)} for i in range(n)]
    geoms: list[shapely.Geometry | None] = (
        list(shapely.from_wkb(wkb, on_invalid="ignore")) if read_geometry else [None] * n
    )
    crs = meta.get("crs")
    return props, geoms, None if crs is None else str(crs)


def _plain(value: Any) -> Any:
    """A Shapefile attribute as JSON would give it: numbers, text or None (for NaN too)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
