"""A territory's areas as the shapely polygons the analytics take, in one fixed order.

The order is the areas' code order. It matters at borders: a point on the border of two
areas goes to the one that comes first (the analytics' lowest-index rule), so here a point
on a shared border belongs to the area whose code sorts first, whatever order the areas
were imported in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from cocity.territories.models import Area, Territory

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class TerritoryAreas:
    """The areas of a territory that have a usable polygon, in code order.

    Attributes
    ----------
    rows : list of Area
        The ``Area`` rows (with their indicators), aligned with ``polygons``.
    ids : ndarray of int64
        Their primary keys.
    polygons : ndarray of shapely geometries
        Valid WGS84 polygons (invalid stored ones repaired, as the import does).
    version : str
        A digest of the ids, codes and geometries: it changes whenever a point could move
        to another area.
    left_out : tuple of str
        Codes of the areas without a geometry, or with one that cannot be used.
    """

    rows: list[Area]
    ids: IntArray
    polygons: npt.NDArray[np.object_]
    version: str
    left_out: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.rows)

    def index_of_ids(self, area_ids: IntArray) -> IntArray:
        """Area primary keys (0 or unknown: none) as indexes into these areas (-1: none)."""
        if not len(self.rows):
            return np.full(area_ids.shape[0], -1, dtype=np.int64)
        order = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[order]
        pos = np.searchsorted(sorted_ids, area_ids)
        pos = np.clip(pos, 0, sorted_ids.shape[0] - 1)
        found = sorted_ids[pos] == area_ids
        return np.where(found, order[pos], -1).astype(np.int64)

    def ids_of_index(self, area_index: IntArray) -> IntArray:
        """Indexes into these areas (-1: none) as area primary keys (0: none)."""
        if not len(self.rows):
            return np.zeros(area_index.shape[0], dtype=np.int64)
        return np.where(area_index >= 0, self.ids[np.clip(area_index, 0, None)], 0).astype(np.int64)


def polygon_of(geometry: Any) -> shapely.Geometry | None:
    """A stored GeoJSON geometry as a valid WGS84 polygon, or None when it cannot be used."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    try:
        geom = shapely.from_geojson(json.dumps(geometry))
    except (shapely.errors.GEOSException, ValueError, TypeError):
        return None
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = _polygonal(shapely.make_valid(geom, method="structure"))
        if geom is None:
            return None
    xmin, ymin, xmax, ymax = geom.bounds
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90 or geom.area == 0:
        return None
    return geom


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None if geom.is_empty else geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    ok = merged.geom_type in ("Polygon", "MultiPolygon") and merged.is_valid
    return merged if ok and not merged.is_empty else None


def territory_areas(*, territory: Territory) -> TerritoryAreas:
    """Load the areas of ``territory`` with their polygons (one query)."""
    rows: list[Area] = []
    polygons: list[shapely.Geometry] = []
    left_out: list[str] = []
    digest = hashlib.sha256()
    for area in Area.objects.filter(territory=territory).order_by("code"):
        polygon = polygon_of(area.geometry)
        if polygon is None:
            left_out.append(area.code)
            continue
        rows.append(area)
        polygons.append(polygon)
        digest.update(f"{area.pk}\x1f{area.code}\x1f".encode())
        digest.update(json.dumps(area.geometry, sort_keys=True, separators=(",", ":")).encode())
        digest.update(b"\x1e")
    return TerritoryAreas(
        rows=rows,
        ids=np.array([a.pk for a in rows], dtype=np.int64),
        polygons=np.array(polygons, dtype=object),
        version=digest.hexdigest()[:32],
        left_out=tuple(left_out),
    )
