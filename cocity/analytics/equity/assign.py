"""Point-in-area assignment: which area (polygon) each asset (point) lies in.

The border rule
---------------
A point belongs to every area whose *closed* polygon it intersects (interior or
boundary; GEOS' ``intersects`` predicate, the one ``geopandas.sjoin(...,
predicate="intersects")`` uses). When it intersects several (a point on a shared border,
or overlapping areas), it is given to the one with the **lowest area index**; a point in
no area gets ``-1``. ``geopandas.sjoin`` returns one row per (point, area) pair instead;
keeping the smallest ``index_right`` per point gives the same answer (the tests check it
on real LSOAs).

Two exact methods give identical results; they differ only in speed:

``"strtree"``
    ``shapely.STRtree(polygons).query(points, predicate="intersects")`` in chunks, the
    library's own spatial join (what geopandas does). Best for few points.
``"scan"``
    Points are bucketed in a uniform grid (one counting sort), then each polygon tests
    with ``shapely.intersects_xy`` only the points of the grid cells its bounding box
    covers, reading them as contiguous slices. No shapely Point objects are built and
    each polygon's prepared index stays hot in the CPU cache, which makes it several
    times faster than the STRtree join for millions of points (see
    ``bench/results/equity.md``). Written here because no library offers a
    coordinate-array spatial join.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import shapely

from cocity.analytics._fork import can_fork, start_in_fork
from cocity.analytics.equity.errors import EquityInputError

__all__ = ["PointAssignment", "assign_points"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Method = Literal["auto", "strtree", "scan"]

_STRTREE_CHUNK = 500_000
# The scan pays a Python loop over polygons; below this many points per polygon the
# STRtree join is as fast.
_SCAN_MIN_POINTS_PER_AREA = 20
_SCAN_MIN_POINTS = 100_000


@dataclass(frozen=True, slots=True, eq=False)
class PointAssignment:
    """The area of each point.

    Attributes
    ----------
    area_index : ndarray of int64, shape (n_points,)
        Index of the area (into the polygons given) that holds each point, ``-1`` when
        the point lies in no area. Border rule: lowest index among the areas whose
        closed polygon the point intersects.
    n_areas : int
        Number of areas the points were assigned among.
    method : str
        ``"strtree"`` or ``"scan"``: the method that ran (both give the same answer).
    """

    area_index: IntArray
    n_areas: int
    method: str

    @property
    def n_outside(self) -> int:
        """Number of points that lie in no area."""
        return int(np.count_nonzero(self.area_index < 0))

    def totals(self, weights: npt.ArrayLike | None = None) -> FloatArray:
        """Per-area count of points (or sum of ``weights``), shape (n_areas,).

        Points in no area are left out.
        """
        inside = self.area_index >= 0
        w = None
        if weights is not None:
            w = np.asarray(weights, dtype=np.float64)
            if w.shape != self.area_index.shape:
                raise EquityInputError(
                    f"weights: expected {self.area_index.shape[0]} values, got shape {w.shape}"
                )
            w = w[inside]
        return np.bincount(self.area_index[inside], weights=w, minlength=self.n_areas).astype(
            np.float64
        )


def assign_points(
    polygons: npt.ArrayLike,
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    *,
    method: Method = "auto",
    n_jobs: int = 1,
) -> PointAssignment:
    """Assign each point to the area (polygon) it lies in.

    Parameters
    ----------
    polygons : array of shapely geometries, shape (n_areas,)
        Valid polygons in the same coordinates as the points (WGS84 degrees here).
    lon, lat : array of float, shape (n_points,)
        Point coordinates (x, y); finite.
    method : {"auto", "strtree", "scan"}
        Both methods are exact and identical (see the module docstring); ``"auto"``
        picks the scan for large inputs (at least 100,000 points and 20 per area).
    n_jobs : int
        Processes for the scan (the caller plus ``n_jobs - 1`` forked workers, where the
        platform can fork): the polygons are split into ``n_jobs`` runs of about equal
        work. The answer does not depend on it. Default 1; the STRtree join ignores it.

    Returns
    -------
    PointAssignment
        ``area_index[i]`` is the lowest index of the areas whose closed polygon point
        ``i`` intersects, or -1.

    Raises
    ------
    EquityInputError
        If the arrays have different lengths or hold NaN, or a geometry is missing.

    Examples
    --------
    >>> import shapely
    >>> squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    >>> assign_points(squares, [0.5, 1.0, 5.0], [0.5, 0.5, 0.5]).area_index.tolist()
    [0, 0, -1]
    """
    geoms = np.asarray(polygons, dtype=object)
    if geoms.ndim != 1:
        raise EquityInputError(f"polygons: expected a 1-D array, got shape {geoms.shape}")
    if geoms.size and not all(isinstance(g, shapely.Geometry) for g in geoms):
        raise EquityInputError("polygons: every item must be a shapely geometry (None found?)")
    x = np.ascontiguousarray(lon, dtype=np.float64)
    y = np.ascontiguousarray(lat, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        raise EquityInputError(
            f"lon/lat: expected two 1-D arrays of equal length, got {x.shape} and {y.shape}"
        )
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise EquityInputError("lon/lat: coordinates must be finite (NaN or inf found)")
    if method not in ("auto", "strtree", "scan"):
        raise EquityInputError(f"method: expected 'auto', 'strtree' or 'scan', got {method!r}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs < 1:
        raise EquityInputError(f"n_jobs: expected a whole number of at least 1, got {n_jobs!r}")
    n_areas = int(geoms.shape[0])
    if n_areas == 0 or x.size == 0:
        return PointAssignment(np.full(x.shape[0], -1, np.int64), n_areas, "strtree")
    if method == "auto":
        large = x.size >= max(_SCAN_MIN_POINTS, _SCAN_MIN_POINTS_PER_AREA * n_areas)
        method = "scan" if large else "strtree"
    if method == "scan":
        return PointAssignment(_assign_scan(geoms, x, y, int(n_jobs)), n_areas, "scan")
    return PointAssignment(_assign_strtree(geoms, x, y), n_areas, "strtree")


def _assign_strtree(geoms: npt.NDArray[np.object_], x: FloatArray, y: FloatArray) -> IntArray:
    tree = shapely.STRtree(geoms)
    none = np.iinfo(np.int64).max
    out = np.full(x.shape[0], none, dtype=np.int64)
    for start in range(0, x.shape[0], _STRTREE_CHUNK):
        stop = start + _STRTREE_CHUNK
        points = shapely.points(x[start:stop], y[start:stop])
        point_i, area_i = tree.query(points, predicate="intersects")
        np.minimum.at(out, point_i + start, area_i.astype(np.int64))
    out[out == none] = -1
    return out


def _assign_scan(
    geoms: npt.NDArray[np.object_], x: FloatArray, y: FloatArray, n_jobs: int
) -> IntArray:
    bounds = shapely.bounds(geoms)
    x0, y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
    x1, y1 = float(bounds[:, 2].max()), float(bounds[:, 3].max())
    n = x.shape[0]
    # Cells half as tall as the median area's bounding box keep the points tested per
    # area close to those inside its box; the grid never gets more cells than ~4 per
    # point, so scattered inputs do not build a huge empty grid.
    heights = np.maximum(bounds[:, 3] - bounds[:, 1], bounds[:, 2] - bounds[:, 0])
    cell = max(float(np.median(heights)) * 0.5, 1e-9)
    span_x, span_y = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
    max_cells = max(4 * n, 1024)
    if (span_x / cell + 1) * (span_y / cell + 1) > max_cells:
        cell = max(cell, float(np.sqrt(span_x * span_y / max_cells)) * 1.01)
        while (span_x / cell + 1) * (span_y / cell + 1) > max_cells:
            cell *= 1.5
    nx = int(span_x / cell) + 1
    ny = int(span_y / cell) + 1
    n_cells = nx * ny
    key_type: type[np.signedinteger[Any]] = (
        np.int32 if n_cells < np.iinfo(np.int32).max else np.int64
    )

    # IEEE subtraction and division by a positive constant are monotone, so a point
    # inside a polygon's closed bounding box always lands in one of the box's cells.
    fx = (x - x0) / cell
    fy = (y - y0) / cell
    inside = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)
    key: npt.NDArray[np.signedinteger[Any]] = np.full(n, n_cells, dtype=key_type)
    key[inside] = fy[inside].astype(key_type) * nx + fx[inside].astype(key_type)
    del fx, fy, inside
    order = np.argsort(key)
    starts = np.zeros(n_cells + 2, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n_cells + 1), out=starts[1:])
    del key
    xs = x[order]
    ys = y[order]

    gx0 = np.clip(((bounds[:, 0] - x0) / cell).astype(np.int64), 0, nx - 1)
    gx1 = np.clip(((bounds[:, 2] - x0) / cell).astype(np.int64), 0, nx - 1)
    gy0 = np.clip(((bounds[:, 1] - y0) / cell).astype(np.int64), 0, ny - 1)
    gy1 = np.clip(((bounds[:, 3] - y0) / cell).astype(np.int64), 0, ny - 1)
    # One (polygon, grid row) pair per row of cells a polygon's box covers; the sorted
    # points of that run of cells are the slice lo:hi. Pairs are in polygon order.
    rows_per = gy1 - gy0 + 1
    pair_poly = np.repeat(np.arange(geoms.shape[0], dtype=np.int64), rows_per)
    first_pair = np.repeat(np.cumsum(rows_per) - rows_per, rows_per)
    pair_row = gy0[pair_poly] + (np.arange(pair_poly.shape[0], dtype=np.int64) - first_pair)
    del first_pair
    lo = starts[pair_row * nx + gx0[pair_poly]]
    hi = starts[pair_row * nx + gx1[pair_poly] + 1]
    keep = hi > lo
    pair_poly, lo, hi = pair_poly[keep], lo[keep], hi[keep]
    shapely.prepare(geoms)

    def scan(first: int, last: int) -> npt.NDArray[np.int32]:
        """Area of each sorted point from the pairs first:last (-1: none of them)."""
        area = np.full(n, -1, dtype=np.int32)
        # Highest index first, so that the lowest index is written last and wins.
        for k in range(last - 1, first - 1, -1):
            a, b = int(lo[k]), int(hi[k])
            hit = shapely.intersects_xy(geoms[pair_poly[k]], xs[a:b], ys[a:b])
            area[a + np.flatnonzero(hit)] = pair_poly[k]
        return area

    # Runs of pairs of about equal work (points tested); run j holds lower polygon
    # indices than run j + 1, so laying the runs over each other from the last to the
    # first keeps the lowest index.
    jobs = min(n_jobs, max(int(pair_poly.shape[0]), 1)) if can_fork() else 1
    work = np.cumsum(hi - lo)
    cuts = [0, *(int(np.searchsorted(work, work[-1] * j / jobs)) for j in range(1, jobs))]
    cuts.append(int(pair_poly.shape[0]))
    waits = [
        start_in_fork(functools.partial(scan, cuts[j], cuts[j + 1]), what="point assignment")
        for j in range(jobs - 1)
    ]
    sorted_area = scan(cuts[-2], cuts[-1])
    for wait in reversed(waits):
        run = wait()
        found = run >= 0
        sorted_area[found] = run[found]
    result = np.empty(n, dtype=np.int64)
    result[order] = sorted_area
    return result
