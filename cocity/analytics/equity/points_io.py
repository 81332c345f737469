"""Read digital assets (points) from CSV (lon/lat columns) or GeoJSON files.

Same rules as :mod:`cocity.analytics.equity.geo_io`: all-or-nothing with row-numbered
errors (``line 7`` for CSV, the header being line 1; ``feature 3`` for GeoJSON), WGS84
expected, a declared other CRS reprojected with pyproj when it is installed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cocity.analytics.equity.errors import (
    EquityInputError,
    ImportIssue,
    ImportRejected,
    gettext_noop,
    issue,
)
from cocity.analytics.equity.geo_io import (
    PathLike,
    _as_float,
    _declared_crs,
    _load_geojson,
    _numeric_columns,
    _pick_field,
    _read_csv,
    _reprojector,
)
from cocity.analytics.equity.model import Points

__all__ = ["PointsImport", "read_points", "read_points_csv", "read_points_geojson"]

_LON_FIELDS = ("lon", "lng", "long", "longitude", "x")
_LAT_FIELDS = ("lat", "latitude", "y")
_TYPE_FIELDS = ("type", "asset_type", "kind")


@dataclass(frozen=True, slots=True, eq=False)
class PointsImport:
    """Assets read from one file.

    Attributes
    ----------
    points : Points
        Coordinates, types, optional weights and numeric attributes.
    rows : tuple of str
        Where each point came from (``"line 2"``, ``"feature 1"``), for reports.
    skipped_fields : mapping of str to str
        Fields not kept as numeric attributes, with the reason.
    """

    points: Points
    rows: tuple[str, ...]
    skipped_fields: Mapping[str, str] = field(default_factory=dict)


def _points_from_rows(
    name: str,
    rows: list[Mapping[str, Any]],
    coords: list[tuple[float | None, float | None]],
    where: list[str],
    names: list[str],
    *,
    type_field: str | None,
    weight_field: str | None,
    default_type: str,
    used: set[str],
    issues: list[ImportIssue],
) -> PointsImport:
    lon = np.full(len(rows), np.nan)
    lat = np.full(len(rows), np.nan)
    for i, (x, y) in enumerate(coords):
        if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
            issues.append(
                issue(where[i], gettext_noop("missing or non-numeric longitude/latitude"))
            )
        elif not (-180 <= x <= 180 and -90 <= y <= 90):
            issues.append(
                issue(
                    where[i],
                    gettext_noop(
                        "(%(x)s, %(y)s) is outside longitude -180..180 / latitude -90..90: "
                        "projected or swapped coordinates?"
                    ),
                    x=x,
                    y=y,
                )
            )
        else:
            lon[i], lat[i] = x, y
    type_names: list[str] = []
    codes = np.zeros(len(rows), dtype=np.int64)
    for i, row in enumerate(rows):
        raw = row.get(type_field) if type_field else None
        label = default_type if raw is None or not str(raw).strip() else str(raw).strip()
        if label not in type_names:
            type_names.append(label)
        codes[i] = type_names.index(label)
    weights = None
    if weight_field is not None:
        weights = np.full(len(rows), np.nan)
        for i, row in enumerate(rows):
            w = _as_float(row.get(weight_field))
            if w is None or not math.isfinite(w) or w < 0:
                issues.append(
                    issue(
                        where[i],
                        gettext_noop("%(column)r: %(value)r is not a number >= 0"),
                        column=weight_field,
                        value=row.get(weight_field),
                    )
                )
            else:
                weights[i] = w
    if issues:
        raise ImportRejected(name, issues)
    attributes, skipped = _numeric_columns(
        rows, [n for n in names if n not in used], lambda i: where[i]
    )
    points = Points(
        lon=lon,
        lat=lat,
        type_codes=codes,
        type_names=tuple(type_names),
        weights=weights,
        attributes=attributes,
    )
    return PointsImport(points=points, rows=tuple(where), skipped_fields=skipped)


def read_points_csv(
    path: PathLike,
    *,
    lon_field: str | None = None,
    lat_field: str | None = None,
    type_field: str | None = None,
    weight_field: str | None = None,
    default_type: str | None = None,
) -> PointsImport:
    """Read assets from a CSV file with longitude and latitude columns.

    Parameters
    ----------
    path : str or PathLike
        CSV (comma, semicolon or tab separated; ``.gz`` accepted).
    lon_field, lat_field : str, optional
        Coordinate columns (WGS84 degrees); by default the first present of
        ``lon, lng, long, longitude, x`` and ``lat, latitude, y`` (any case).
    type_field : str, optional
        Column with the asset type; by default ``type``, ``asset_type`` or ``kind`` if
        present. Rows without a type get ``default_type``.
    weight_field : str, optional
        Column with a non-negative size per asset (capacity...).
    default_type : str, optional
        Type for rows without one; the file's name without extension by default.

    Raises
    ------
    ImportRejected
        Listing every line with missing, non-numeric or out-of-range coordinates or a
        bad weight.
    """
    name = Path(path).name
    header, rows = _read_csv(path)
    x_field = _pick_field(lon_field, header, _LON_FIELDS, "longitude", name)
    y_field = _pick_field(lat_field, header, _LAT_FIELDS, "latitude", name)
    if x_field is None or y_field is None:
        raise ImportRejected(
            name,
            [
                issue(
                    "line 1",
                    gettext_noop(
                        "no longitude/latitude columns found (tried %(lon)s / %(lat)s); "
                        "columns: %(columns)s"
                    ),
                    lon=", ".join(_LON_FIELDS),
                    lat=", ".join(_LAT_FIELDS),
                    columns=", ".join(header),
                )
            ],
        )
    t_field = _pick_field(type_field, header, _TYPE_FIELDS, "type", name)
    w_field = _pick_field(weight_field, header, (), "weight", name) if weight_field else None
    coords = [(_as_float(row.get(x_field)), _as_float(row.get(y_field))) for row in rows]
    where = [f"line {i + 2}" for i in range(len(rows))]
    used = (
        {x_field, y_field} | ({t_field} if t_field else set()) | ({w_field} if w_field else set())
    )
    return _points_from_rows(
        name,
        list(rows),
        coords,
        where,
        header,
        type_field=t_field,
        weight_field=w_field,
        default_type=default_type or _stem(path),
        used=used,
        issues=[],
    )


def read_points_geojson(
    path: PathLike,
    *,
    type_field: str | None = None,
    weight_field: str | None = None,
    default_type: str | None = None,
) -> PointsImport:
    """Read assets from a GeoJSON FeatureCollection of Point features.

    A MultiPoint with a single point is accepted; any other geometry is an error. The
    type, weight and CRS rules are those of :func:`read_points_csv` and
    :func:`read_areas_geojson`; numeric properties become attributes.
    """
    name = Path(path).name
    data = _load_geojson(path)
    features = data["features"]
    crs = _declared_crs(data)
    reproject = _reprojector(name, crs) if crs is not None else None
    issues: list[ImportIssue] = []
    rows: list[Mapping[str, Any]] = []
    coords: list[tuple[float | None, float | None]] = []
    for i, feature in enumerate(features):
        where = f"feature {i + 1}"
        props = feature.get("properties") if isinstance(feature, dict) else None
        rows.append(props if isinstance(props, dict) else {})
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        xy: tuple[float | None, float | None] = (None, None)
        if isinstance(geometry, dict):
            kind, c = geometry.get("type"), geometry.get("coordinates")
            if kind == "MultiPoint" and isinstance(c, list) and len(c) == 1:
                kind, c = "Point", c[0]
            if kind == "Point" and isinstance(c, list) and len(c) >= 2:
                xy = (_as_float(c[0]), _as_float(c[1]))
            else:
                issues.append(
                    issue(where, gettext_noop("geometry is a %(kind)s, expected Point"), kind=kind)
                )
                xy = (0.0, 0.0)
        coords.append(xy)
    if reproject is not None:
        usable = [i for i, (x, y) in enumerate(coords) if x is not None and y is not None]
        if usable:
            moved = reproject(np.array([coords[i] for i in usable], dtype=np.float64))
            for j, i in enumerate(usable):
                coords[i] = (float(moved[j, 0]), float(moved[j, 1]))
    if not rows:
        raise ImportRejected(name, [issue("file", gettext_noop("no features"))])
    names: list[str] = []
    for p in rows:
        names.extend(key for key in p if key not in names)
    t_field = _pick_field(type_field, names, _TYPE_FIELDS, "type", name)
    w_field = _pick_field(weight_field, names, (), "weight", name) if weight_field else None
    used = ({t_field} if t_field else set()) | ({w_field} if w_field else set())
    return _points_from_rows(
        name,
        rows,
        coords,
        [f"feature {i + 1}" for i in range(len(rows))],
        names,
        type_field=t_field,
        weight_field=w_field,
        default_type=default_type or _stem(path),
        used=used,
        issues=issues,
    )


def read_points(path: PathLike, **options: Any) -> PointsImport:
    """Read assets from a ``.csv`` or ``.geojson`` / ``.json`` file (``.gz`` accepted)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix == ".csv":
        return read_points_csv(path, **options)
    if suffix in (".geojson", ".json"):
        return read_points_geojson(
            path, **{k: v for k, v in options.items() if not k.startswith(("lon", "lat"))}
        )
    raise EquityInputError(f"{Path(path).name}: expected a .csv or .geojson file")


def _stem(path: PathLike) -> str:
    name = Path(path).name
    for suffix in (".gz", ".geojson", ".json", ".csv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or "asset"
