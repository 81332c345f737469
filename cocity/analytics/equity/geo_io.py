"""Read areas (GeoJSON or zipped Shapefile polygons); the shared rules of every reader.

Indicator tables (CSV) are read by :mod:`cocity.analytics.equity.indicators_io`, assets (CSV
or GeoJSON) by :mod:`cocity.analytics.equity.points_io`, with these rules.

Every reader is all-or-nothing: it reads the whole file, collects every problem with
its row ("line 7" in a CSV, the header being line 1; "feature 3" in GeoJSON, counted
from 1) and raises :class:`~cocity.analytics.equity.errors.ImportRejected` listing them
all, or returns the complete result. Nothing here imports Django; the Django import
service calls these functions on the uploaded file.

Coordinates must be WGS84 longitude/latitude (GeoJSON, RFC 7946). A file that declares
another CRS (the old GeoJSON ``crs`` member, e.g. ``EPSG:27700``) is reprojected when
pyproj is installed and rejected with a clear message when it is not; a file with no
declaration whose coordinates are out of the degree range is rejected as "projected?".
Point files are read by :mod:`cocity.analytics.equity.points_io` with the same rules.

Invalid polygons are repaired with ``shapely.make_valid(method="structure")``; each
repair is reported (``AreasImport.repaired``). A geometry that cannot be repaired into a
non-empty polygon is an error.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import shapely

from cocity.analytics.equity.errors import (
    EquityInputError,
    ImportIssue,
    ImportRejected,
    gettext_noop,
    issue,
)
from cocity.analytics.equity.model import Areas
from cocity.analytics.equity.shapefile_io import MAX_UNPACKED_BYTES, read_shapefile_zip

__all__ = [
    "AreasImport",
    "area_properties",
    "read_areas",
    "read_areas_geojson",
    "read_areas_shapefile",
]

PathLike = str | os.PathLike[str]
FloatArray = npt.NDArray[np.float64]

_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "crs84",
    "ogc:crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:6.6:4326",
    "wgs84",
    "wgs 84",
}
_MISSING = {"", "na", "n/a", "nan", "null", "none", "-"}
_CODE_FIELDS = (
    "code",
    "area_code",
    "lsoa11cd",
    "lsoa11_code",
    "lsoa21cd",
    "lsoa21_code",
    "geo_code",
)


def _open_text(path: PathLike) -> IO[str]:
    p = Path(path)
    if not p.is_file():
        raise EquityInputError(f"{p}: file not found")
    if p.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8-sig", newline="")
    return open(p, encoding="utf-8-sig", newline="")


def _load_geojson(path: PathLike) -> dict[str, Any]:
    name = Path(path).name
    try:
        with _open_text(path) as handle:
            data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise ImportRejected(
            name, [issue("file", gettext_noop("not readable as JSON: %(error)s"), error=str(exc))]
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportRejected(
            name, [issue("file", gettext_noop("expected a GeoJSON FeatureCollection"))]
        )
    if not isinstance(data.get("features"), list):
        raise ImportRejected(
            name, [issue("file", gettext_noop("the FeatureCollection has no 'features' list"))]
        )
    return data


def _declared_crs(data: Mapping[str, Any]) -> str | None:
    crs = data.get("crs")
    if crs is None:
        return None
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict) and isinstance(props.get("name"), str):
            return str(props["name"])
    return str(crs)


def _reprojector(name: str, crs: str) -> Callable[[FloatArray], FloatArray] | None:
    """A function mapping (n, 2) coordinates to WGS84 lon/lat, or None if already WGS84."""
    if crs.strip().lower() in _WGS84_NAMES:
        return None
    try:
        from pyproj import Transformer
        from pyproj.exceptions import CRSError, ProjError
    except ImportError:
        raise ImportRejected(
            name,
            [
                issue(
                    "file",
                    gettext_noop(
                        "declares the coordinate system %(crs)r, not WGS84; reprojecting it "
                        "needs the pyproj package, which is not installed. Export the file as "
                        "WGS84 (EPSG:4326) GeoJSON, or install pyproj."
                    ),
                    crs=crs,
                )
            ],
        ) from None
    try:
        transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    except (CRSError, ProjError) as exc:  # ProjError: a CRS with no way to WGS84
        raise ImportRejected(
            name,
            [
                issue(
                    "file",
                    gettext_noop("unknown coordinate system %(crs)r: %(error)s"),
                    crs=crs,
                    error=str(exc),
                )
            ],
        ) from exc

    def to_wgs84(coords: FloatArray) -> FloatArray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return to_wgs84


def _as_float(value: Any) -> float | None:
    """A property value as a float, NaN for missing, None if it is not a number."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _MISSING:
            return math.nan
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _numeric_columns(
    rows: Sequence[Mapping[str, Any]], names: Iterable[str], where: Callable[[int], str]
) -> tuple[dict[str, FloatArray], dict[str, str]]:
    """Columns whose values are all numbers (or missing); the others, with the reason."""
    columns: dict[str, FloatArray] = {}
    skipped: dict[str, str] = {}
    for name in names:
        values = [_as_float(row.get(name)) for row in rows]
        bad = [i for i, v in enumerate(values) if v is None]
        if bad:
            numbers = sum(1 for v in values if v is not None and not math.isnan(v))
            skipped[name] = (
                "text"
                if numbers == 0
                else "mixed numbers and text (not a number at "
                + ", ".join(where(i) for i in bad[:5])
                + ")"
            )
            continue
        columns[name] = np.array(values, dtype=np.float64)
    return columns, skipped


def _pick_field(
    given: str | None, present: Iterable[str], choices: tuple[str, ...], what: str, source: str
) -> str | None:
    present_list = list(present)
    if given is not None:
        if given not in present_list:
            raise ImportRejected(
                source,
                [
                    issue(
                        "file",
                        gettext_noop("no %(what)s field %(given)r; fields: %(fields)s"),
                        what=what,
                        given=given,
                        fields=", ".join(present_list),
                    )
                ],
            )
        return given
    lowered = {p.lower(): p for p in present_list}
    for choice in choices:
        if choice in lowered:
            return lowered[choice]
    return None


@dataclass(frozen=True, slots=True, eq=False)
class AreasImport:
    """Areas read from a GeoJSON file.

    Attributes
    ----------
    areas : Areas
        Codes, repaired WGS84 polygons and every numeric property as an indicator.
    code_field : str
        The property the codes came from.
    repaired : tuple of ImportIssue
        One entry per geometry that was invalid and has been repaired.
    skipped_properties : mapping of str to str
        Properties not kept as indicators, with the reason (text, mixed values).
    properties : tuple of mapping
        Every feature's properties as read, text included (names), in file order.
    """

    areas: Areas
    code_field: str
    repaired: tuple[ImportIssue, ...]
    skipped_properties: Mapping[str, str] = field(default_factory=dict)
    properties: tuple[Mapping[str, Any], ...] = ()


def _is_zip(path: PathLike) -> bool:
    return Path(path).suffix.lower() == ".zip"


def read_areas(
    path: PathLike, *, code_field: str | None = None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> AreasImport:
    """Read areas from a GeoJSON file or a zipped Shapefile, chosen by the file's suffix
    (``.zip``: :func:`read_areas_shapefile`; anything else: :func:`read_areas_geojson`)."""
    if _is_zip(path):
        return read_areas_shapefile(
            path, code_field=code_field, max_unpacked_bytes=max_unpacked_bytes
        )
    return read_areas_geojson(path, code_field=code_field)


def read_areas_geojson(path: PathLike, *, code_field: str | None = None) -> AreasImport:
    """Read area polygons and their numeric properties from a GeoJSON file.

    Parameters
    ----------
    path : str or PathLike
        A FeatureCollection of Polygon / MultiPolygon features (``.gz`` accepted).
    code_field : str, optional
        The property holding each area's unique code; by default the first present of
        ``code, area_code, LSOA11CD, lsoa11_code, LSOA21CD, lsoa21_code, geo_code``
        (any case).

    Returns
    -------
    AreasImport

    Raises
    ------
    ImportRejected
        Listing every row with a missing or duplicate code, a missing, non-polygonal or
        unrepairable geometry, or out-of-range coordinates; or a CRS that cannot be used.
    """
    name = Path(path).name
    data = _load_geojson(path)
    features = data["features"]
    if not features:
        raise ImportRejected(name, [issue("file", gettext_noop("no features"))])
    crs = _declared_crs(data)
    issues: list[ImportIssue] = []
    props: list[Mapping[str, Any]] = []
    geojson: list[str | None] = []
    for i, feature in enumerate(features):
        where = f"feature {i + 1}"
        if not isinstance(feature, dict):
            issues.append(issue(where, gettext_noop("not a GeoJSON Feature object")))
            props.append({})
            geojson.append(None)
            continue
        p = feature.get("properties")
        props.append(p if isinstance(p, dict) else {})
        g = feature.get("geometry")
        geojson.append(json.dumps(g) if isinstance(g, dict) else None)
    parsed = shapely.from_geojson(
        [g if g is not None else "null" for g in geojson], on_invalid="ignore"
    )
    geoms = [None if g is None else geom for g, geom in zip(geojson, parsed, strict=True)]
    return _areas_from_features(name, props, geoms, crs, code_field, issues)


def read_areas_shapefile(
    path: PathLike, *, code_field: str | None = None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> AreasImport:
    """Read area polygons and their numeric attributes from a zipped ESRI Shapefile.

    The archive must hold exactly one ``.shp`` with its ``.shx`` and ``.dbf`` (a ``.prj``
    declaring the coordinate system is used when present: British National Grid, say, is
    reprojected to WGS84). GDAL reads it inside the archive (pyogrio, which ships its own
    GDAL); the archive is checked first, and one that would unpack to more than
    ``max_unpacked_bytes`` is refused unread. Everything else is as
    :func:`read_areas_geojson`, with each record counted as a feature from 1.

    Raises
    ------
    ImportRejected
        As :func:`read_areas_geojson`, and for an archive that is not a readable zip, holds
        no Shapefile or several, misses a part, or unpacks too large.
    """
    name = Path(path).name
    props, geoms, crs = read_shapefile_zip(path, max_unpacked_bytes, read_geometry=True)
    if not props:
        raise ImportRejected(name, [issue("file", gettext_noop("no features"))])
    return _areas_from_features(name, props, geoms, crs, code_field, [])


def area_properties(
    path: PathLike, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> list[dict[str, Any]]:
    """Every feature's properties as read (text included), in file order: what
    :func:`read_areas` keeps only the numeric part of. Same formats and errors."""
    if _is_zip(path):
        return read_shapefile_zip(path, max_unpacked_bytes, read_geometry=False)[0]
    features = _load_geojson(path)["features"]
    rows: list[dict[str, Any]] = []
    for feature in features:
        p = feature.get("properties") if isinstance(feature, dict) else None
        rows.append(dict(p) if isinstance(p, dict) else {})
    return rows


def _areas_from_features(
    name: str,
    props: Sequence[Mapping[str, Any]],
    geoms: Sequence[shapely.Geometry | None],
    crs: str | None,
    code_field: str | None,
    issues: list[ImportIssue],
) -> AreasImport:
    """Codes, repaired WGS84 polygons and numeric properties of features, whatever file
    they came from; ``issues`` found while reading are reported with the others."""
    reproject = _reprojector(name, crs) if crs is not None else None
    names: list[str] = []
    for p in props:
        names.extend(key for key in p if key not in names)
    field_name = _pick_field(code_field, names, _CODE_FIELDS, "code", name)
    if field_name is None:
        raise ImportRejected(
            name,
            [
                issue(
                    "file",
                    gettext_noop(
                        "no code field found (tried %(tried)s); name it with code_field / "
                        "--code-field; fields: %(fields)s"
                    ),
                    tried=", ".join(_CODE_FIELDS),
                    fields=", ".join(names),
                )
            ],
        )
    codes: list[str] = []
    first_seen: dict[str, int] = {}
    for i, p in enumerate(props):
        raw = p.get(field_name)
        code = (
            ""
            if raw is None
            else (
                str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
            ).strip()
        )
        codes.append(code)
        if not code:
            issues.append(
                issue(f"feature {i + 1}", gettext_noop("missing %(field)r"), field=field_name)
            )
        elif code in first_seen:
            issues.append(
                issue(
                    f"feature {i + 1}",
                    gettext_noop("duplicate %(field)s %(code)r (first at feature %(first)s)"),
                    field=field_name,
                    code=code,
                    first=first_seen[code] + 1,
                )
            )
        else:
            first_seen[code] = i
    repaired: list[ImportIssue] = []
    polygons: list[shapely.Geometry | None] = []
    for i, geom in enumerate(geoms):
        where = f"feature {i + 1}" + (f" ({codes[i]})" if codes[i] else "")
        if geom is None:
            issues.append(issue(where, gettext_noop("missing or unreadable geometry")))
            polygons.append(None)
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            issues.append(
                issue(
                    where,
                    gettext_noop("geometry is a %(kind)s, expected Polygon or MultiPolygon"),
                    kind=geom.geom_type,
                )
            )
            polygons.append(None)
            continue
        if reproject is not None:
            geom = shapely.transform(geom, reproject)
        xmin, ymin, xmax, ymax = geom.bounds if not geom.is_empty else (0.0, 0.0, 0.0, 0.0)
        if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
            issues.append(
                issue(
                    where,
                    gettext_noop(
                        "coordinates outside longitude -180..180 / latitude -90..90: "
                        "projected coordinates (e.g. British National Grid)? Use WGS84, or "
                        "declare the coordinate system (a Shapefile's .prj)"
                    ),
                )
            )
            polygons.append(None)
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            fixed = _polygonal_part(shapely.make_valid(geom, method="structure"))
            if fixed is None:
                issues.append(
                    issue(
                        where,
                        gettext_noop("invalid geometry that cannot be repaired (%(reason)s)"),
                        reason=reason,
                    )
                )
                polygons.append(None)
                continue
            repaired.append(
                issue(where, gettext_noop("repaired invalid geometry (%(reason)s)"), reason=reason)
            )
            geom = fixed
        if geom.is_empty or geom.area == 0:
            issues.append(issue(where, gettext_noop("empty or zero-area polygon")))
            polygons.append(None)
            continue
        polygons.append(geom)
    if issues:
        raise ImportRejected(name, issues)
    indicator_names = [n for n in names if n != field_name]
    indicators, skipped = _numeric_columns(props, indicator_names, lambda i: f"feature {i + 1}")
    areas = Areas(
        codes=tuple(codes), polygons=np.array(polygons, dtype=object), indicators=indicators
    )
    return AreasImport(
        areas=areas,
        code_field=field_name,
        repaired=tuple(repaired),
        skipped_properties=skipped,
        properties=tuple(props),
    )


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    """The polygons of a repaired geometry (make_valid may add lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None if geom.is_empty else geom
    parts = [
        p
        for p in shapely.get_parts(geom)
        if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty
    ]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in ("Polygon", "MultiPolygon") and merged.is_valid else None


def _read_csv(path: PathLike) -> tuple[list[str], list[dict[str, str]]]:
    name = Path(path).name
    try:
        with _open_text(path) as handle:
            sample = handle.read(65536)
            handle.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                    sample, delimiters=",;\t"
                )
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(handle, dialect=dialect)
            header = [h.strip() for h in (reader.fieldnames or [])]
            rows = [
                {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in row.items()}
                for row in reader
            ]
    except (UnicodeDecodeError, OSError, csv.Error) as exc:
        raise ImportRejected(
            name, [issue("file", gettext_noop("not readable as CSV: %(error)s"), error=str(exc))]
        ) from exc
    if not header:
        raise ImportRejected(name, [issue("file", gettext_noop("empty file (no header line)"))])
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise ImportRejected(
            name,
            [
                issue(
                    "line 1",
                    gettext_noop("duplicate column names: %(names)s"),
                    names=", ".join(dupes),
                )
            ],
        )
    if not rows:
        raise ImportRejected(name, [issue("file", gettext_noop("no data rows"))])
    return header, rows
