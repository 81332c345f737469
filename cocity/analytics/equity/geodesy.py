"""Areas of WGS84 polygons in km², computed with an equal-area projection.

No projection library is needed (pyproj is not a runtime dependency of cocity). Each
polygon is projected with the **sinusoidal projection of the authalic sphere**, centred
on the polygon's own central meridian:

1. geodetic latitude φ → authalic latitude β (Snyder 1987, eq. 3-11 and 3-12)::

       q(φ) = (1 - e²) [ sin φ / (1 - e² sin² φ) - 1/(2e) ln((1 - e sin φ)/(1 + e sin φ)) ]
       sin β = q(φ) / q(90°),        R_q = a √(q(90°) / 2)   (authalic radius, 6371007.18 m)

   The map (λ, φ) on the WGS84 ellipsoid → (λ, β) on the sphere of radius R_q keeps
   areas exactly.
2. sinusoidal projection of that sphere, which is equal-area everywhere (Snyder 1987,
   eq. 30-1, 30-2)::

       x = R_q (λ - λ0) cos β,      y = R_q β

3. the planar (shoelace) area of the projected polygon.

Steps 1 and 2 are exact; the only approximation is that a polygon edge, a straight line
in longitude/latitude (RFC 7946), is drawn straight in the projected plane. Edges are
first cut into pieces of at most ``max_segment_deg`` (0.001° by default, about 100 m):
the error of a straight projected edge grows with the square of its length (about
3e-5 of an LSOA's area with 0.01° pieces, below 1e-6 with 0.001°; the tests compare
with the closed-form area of latitude/longitude boxes and with pyproj's geodesic
areas of real LSOAs).

Reference: J. P. Snyder, *Map Projections: A Working Manual*, USGS Professional Paper
1395, 1987.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from cocity.analytics.equity.errors import EquityInputError

__all__ = ["AUTHALIC_RADIUS_M", "WGS84_A", "WGS84_F", "authalic_latitude", "polygon_area_km2"]

WGS84_A = 6_378_137.0
WGS84_F = 1.0 / 298.257223563
_E2 = WGS84_F * (2.0 - WGS84_F)
_E = float(np.sqrt(_E2))


def _q(sin_phi: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    es = _E * sin_phi
    return (1.0 - _E2) * (
        sin_phi / (1.0 - es * es) - (1.0 / (2.0 * _E)) * np.log((1.0 - es) / (1.0 + es))
    )


_Q_POLE = float(_q(np.array([1.0]))[0])
AUTHALIC_RADIUS_M = WGS84_A * float(np.sqrt(_Q_POLE / 2.0))


def authalic_latitude(lat_deg: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Authalic latitude β in radians for WGS84 geodetic latitudes in degrees.

    ``sin β = q(φ) / q(90°)`` (Snyder 1987, eq. 3-11); β = ±π/2 at the poles.
    """
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    ratio = _q(np.sin(phi)) / _Q_POLE
    return np.arcsin(np.clip(ratio, -1.0, 1.0))


def polygon_area_km2(
    polygons: npt.ArrayLike, *, max_segment_deg: float = 0.001
) -> npt.NDArray[np.float64]:
    """Area on the WGS84 ellipsoid of each polygon, in km².

    Parameters
    ----------
    polygons : array of shapely geometries, shape (n,)
        Polygons or MultiPolygons in WGS84 longitude/latitude degrees, each spanning
        less than 180° of longitude.
    max_segment_deg : float
        Edges longer than this (in degrees) are cut before projecting; smaller is more
        exact and slower.

    Returns
    -------
    ndarray of float64, shape (n,)
        Areas in km² (0 for an empty geometry).

    Examples
    --------
    >>> import shapely
    >>> box = shapely.box(-0.5, 51.0, 0.5, 52.0)  # 1° x 1° near London
    >>> round(float(polygon_area_km2([box])[0]), 1)
    7725.7
    """
    geoms = np.asarray(polygons, dtype=object)
    if geoms.ndim != 1:
        raise EquityInputError(f"polygons: expected a 1-D array, got shape {geoms.shape}")
    if max_segment_deg <= 0 or not np.isfinite(max_segment_deg):
        raise EquityInputError("max_segment_deg: must be a positive number")
    if geoms.size == 0:
        return np.zeros(0, dtype=np.float64)
    bounds = shapely.bounds(geoms)
    if np.any(bounds[:, 2] - bounds[:, 0] >= 180.0):
        raise EquityInputError("polygons: a polygon spans 180° of longitude or more")
    dense = shapely.segmentize(geoms, max_segment_deg)
    coords, owner = shapely.get_coordinates(dense, return_index=True)
    # Centre each polygon on its own meridian: the sinusoidal projection is least
    # distorted there, which keeps the straight-edge error small.
    lon0 = ((bounds[:, 0] + bounds[:, 2]) / 2.0)[owner]
    beta = authalic_latitude(coords[:, 1])
    projected = np.empty_like(coords)
    projected[:, 0] = AUTHALIC_RADIUS_M * np.radians(coords[:, 0] - lon0) * np.cos(beta)
    projected[:, 1] = AUTHALIC_RADIUS_M * beta
    # segmentize returned new geometries, so setting their coordinates in place is safe.
    flat = shapely.set_coordinates(dense, projected)
    return np.asarray(shapely.area(flat), dtype=np.float64) / 1e6
