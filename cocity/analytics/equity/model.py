"""The two inputs of the equity analytics: areas (polygons) and assets (points).

These are the shapes the Django side builds from its rows (``Area`` and ``DigitalAsset``)
and that :mod:`cocity.analytics.equity.geo_io` builds from files. Both check themselves
on construction, so every computation downstream can trust them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import shapely

from cocity.analytics.equity.errors import EquityInputError

__all__ = ["Areas", "Points", "concat_points"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
GeometryArray = npt.NDArray[np.object_]


def _float_vector(name: str, values: npt.ArrayLike, length: int | None = None) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EquityInputError(f"{name}: expected numbers ({exc})") from exc
    if array.ndim != 1:
        raise EquityInputError(f"{name}: expected a 1-D array, got shape {array.shape}")
    if length is not None and array.shape[0] != length:
        raise EquityInputError(f"{name}: expected {length} values, got {array.shape[0]}")
    return array


@dataclass(frozen=True, slots=True, eq=False)
class Areas:
    """Neighbourhood polygons of one territory, with their numeric indicators.

    Parameters
    ----------
    codes : tuple of str
        One unique, non-empty code per area (e.g. an LSOA code ``"E01014485"``).
    polygons : ndarray of shapely geometries
        One valid, non-empty Polygon or MultiPolygon per area, in WGS84 longitude /
        latitude degrees (GeoJSON axis order).
    indicators : mapping of str to ndarray of float64
        Per-area numbers aligned with ``codes`` (deprivation rank, decile, population,
        ...); NaN marks a missing value.

    Raises
    ------
    EquityInputError
        On duplicate or empty codes, a non-polygonal, invalid or empty geometry,
        coordinates outside the WGS84 range, or an indicator of the wrong length.
    """

    codes: tuple[str, ...]
    polygons: GeometryArray
    indicators: Mapping[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        codes = tuple(str(code) for code in self.codes)
        object.__setattr__(self, "codes", codes)
        polygons = np.asarray(self.polygons, dtype=object)
        if polygons.ndim != 1 or polygons.shape[0] != len(codes):
            raise EquityInputError(
                f"polygons: expected {len(codes)} geometries (one per code), "
                f"got shape {polygons.shape}"
            )
        if not codes:
            raise EquityInputError("areas: at least one area is needed")
        empty = [i for i, code in enumerate(codes) if not code.strip()]
        if empty:
            raise EquityInputError(f"codes: empty code at positions {empty[:10]}")
        seen: dict[str, int] = {}
        for i, code in enumerate(codes):
            if code in seen:
                raise EquityInputError(
                    f"codes: duplicate code {code!r} at positions {seen[code]} and {i}"
                )
            seen[code] = i
        is_geometry = np.array([isinstance(g, shapely.Geometry) for g in polygons], bool)
        if not is_geometry.all():
            bad = np.flatnonzero(~is_geometry)[:10].tolist()
            raise EquityInputError(f"polygons: not a shapely geometry at positions {bad}")
        type_ids = shapely.get_type_id(polygons)
        # 3 = Polygon, 6 = MultiPolygon in GEOS' numbering.
        bad_type = np.flatnonzero((type_ids != 3) & (type_ids != 6))
        if bad_type.size:
            i = int(bad_type[0])
            raise EquityInputError(
                f"polygons: area {codes[i]!r} is a {polygons[i].geom_type}, "
                "expected Polygon or MultiPolygon"
            )
        bad_shape = np.flatnonzero(shapely.is_empty(polygons) | ~shapely.is_valid(polygons))
        if bad_shape.size:
            i = int(bad_shape[0])
            raise EquityInputError(
                f"polygons: area {codes[i]!r} is empty or invalid "
                f"({shapely.is_valid_reason(polygons[i])}); repair it with shapely.make_valid"
            )
        bounds = shapely.bounds(polygons)
        out_of_range = np.flatnonzero(
            (bounds[:, 0] < -180)
            | (bounds[:, 2] > 180)
            | (bounds[:, 1] < -90)
            | (bounds[:, 3] > 90)
        )
        if out_of_range.size:
            i = int(out_of_range[0])
            raise EquityInputError(
                f"polygons: area {codes[i]!r} has coordinates outside longitude -180..180 / "
                "latitude -90..90; are they projected (e.g. British National Grid)?"
            )
        object.__setattr__(self, "polygons", polygons)
        indicators = {
            str(name): _float_vector(f"indicator {name!r}", values, len(codes))
            for name, values in self.indicators.items()
        }
        object.__setattr__(self, "indicators", indicators)

    def __len__(self) -> int:
        return len(self.codes)

    def indicator(self, name: str) -> FloatArray:
        """Return one indicator by name, or raise a clear error listing those present."""
        try:
            return self.indicators[name]
        except KeyError:
            present = ", ".join(sorted(self.indicators)) or "none"
            raise EquityInputError(
                f"indicator {name!r} not found; the areas have: {present}"
            ) from None


@dataclass(frozen=True, slots=True, eq=False)
class Points:
    """Digital assets as points (sensors, EV chargers, public wifi, fibre premises...).

    Parameters
    ----------
    lon, lat : ndarray of float64, shape (n,)
        WGS84 longitude and latitude in degrees; finite and in range.
    type_codes : ndarray of int64, shape (n,)
        Index into ``type_names`` for each point.
    type_names : tuple of str
        The asset types (e.g. ``("ev_charger", "public_wifi")``), each used or not.
    weights : ndarray of float64, shape (n,), optional
        A non-negative size per asset (capacity, number of sockets, ...); None means
        every asset counts 1.
    attributes : mapping of str to ndarray of float64
        Other numeric attributes per point (speed in Mbit/s, ...); NaN when missing.

    Raises
    ------
    EquityInputError
        On mismatched lengths, NaN or out-of-range coordinates, unknown type codes or
        negative / non-finite weights.
    """

    lon: FloatArray
    lat: FloatArray
    type_codes: IntArray
    type_names: tuple[str, ...]
    weights: FloatArray | None = None
    attributes: Mapping[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lon = _float_vector("lon", self.lon)
        n = lon.shape[0]
        lat = _float_vector("lat", self.lat, n)
        bad = np.flatnonzero(~np.isfinite(lon) | ~np.isfinite(lat))
        if bad.size:
            raise EquityInputError(
                f"lon/lat: missing or non-finite coordinates at points {bad[:10].tolist()}"
            )
        bad = np.flatnonzero((np.abs(lon) > 180) | (np.abs(lat) > 90))
        if bad.size:
            i = int(bad[0])
            raise EquityInputError(
                f"lon/lat: point {i} ({lon[i]}, {lat[i]}) is outside longitude -180..180 / "
                "latitude -90..90; are the columns swapped or projected?"
            )
        codes = np.asarray(self.type_codes)
        if codes.shape != (n,) or (n and not np.issubdtype(codes.dtype, np.integer)):
            raise EquityInputError(
                f"type_codes: expected {n} integers, got {codes.dtype} {codes.shape}"
            )
        names = tuple(str(name) for name in self.type_names)
        if len(set(names)) != len(names):
            raise EquityInputError(f"type_names: duplicate names in {names}")
        if n and (codes.min() < 0 or codes.max() >= len(names)):
            raise EquityInputError(f"type_codes: codes must lie in 0..{len(names) - 1}")
        weights = None
        if self.weights is not None:
            weights = _float_vector("weights", self.weights, n)
            bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
            if bad.size:
                raise EquityInputError(
                    f"weights: must be finite and >= 0; bad at points {bad[:10].tolist()}"
                )
        attributes = {
            str(key): _float_vector(f"attribute {key!r}", values, n)
            for key, values in self.attributes.items()
        }
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "type_codes", codes.astype(np.int64, copy=False))
        object.__setattr__(self, "type_names", names)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "attributes", attributes)

    def __len__(self) -> int:
        return int(self.lon.shape[0])

    def of_types(self, names: Sequence[str]) -> Points:
        """Keep only the points of the given types (unknown names raise)."""
        unknown = [name for name in names if name not in self.type_names]
        if unknown:
            raise EquityInputError(
                f"asset types {unknown} not found; the points have: {', '.join(self.type_names)}"
            )
        wanted = np.array([self.type_names.index(name) for name in names], dtype=np.int64)
        keep = np.isin(self.type_codes, wanted)
        return Points(
            lon=self.lon[keep],
            lat=self.lat[keep],
            type_codes=self.type_codes[keep],
            type_names=self.type_names,
            weights=None if self.weights is None else self.weights[keep],
            attributes={key: values[keep] for key, values in self.attributes.items()},
        )


def concat_points(parts: Sequence[Points]) -> Points:
    """Join several point sets into one, merging their type names (first seen first).

    Weights are kept only if every part has them; an attribute missing from a part is
    NaN for its points.
    """
    if not parts:
        raise EquityInputError("concat_points: no point sets given")
    names: list[str] = []
    for part in parts:
        names.extend(name for name in part.type_names if name not in names)
    codes = [
        np.array([names.index(name) for name in part.type_names], dtype=np.int64)[part.type_codes]
        if len(part)
        else np.zeros(0, np.int64)
        for part in parts
    ]
    keys: list[str] = []
    for part in parts:
        keys.extend(key for key in part.attributes if key not in keys)
    attributes = {
        key: np.concatenate(
            [part.attributes.get(key, np.full(len(part), np.nan)) for part in parts]
        )
        for key in keys
    }
    all_weighted = all(part.weights is not None for part in parts)
    weights = (
        np.concatenate([part.weights for part in parts if part.weights is not None])
        if all_weighted
        else None
    )
    return Points(
        lon=np.concatenate([part.lon for part in parts]),
        lat=np.concatenate([part.lat for part in parts]),
        type_codes=np.concatenate(codes),
        type_names=tuple(names),
        weights=weights,
        attributes=attributes,
    )
