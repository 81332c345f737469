"""Reading imported files into area records and asset points: all or nothing, every problem listed.

The file formats, coordinate systems and geometry repairs are the analytics readers'
(:mod:`cocity.analytics.equity.geo_io`, :mod:`~cocity.analytics.equity.points_io`); this module
adds what the database needs: the area's name, the deprivation rank, decile and population
as the ``Area`` fields (whole numbers in range), the other numeric columns as indicators,
and the limits on asset types. Problems are ``{"row": ..., "message": ...}`` with the row
as the file shows it ("line 7", "feature 3"; empty for the whole file).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from django.utils.translation import gettext as _

from cocity.analytics.equity import (
    EquityInputError,
    ImportIssue,
    ImportRejected,
    Points,
    area_properties,
    read_areas,
    read_indicators_csv,
    read_points,
)
from cocity.analytics.equity.geo_io import _CODE_FIELDS as CODE_FIELDS
from cocity.analytics.equity.geo_io import _read_csv
from cocity.core.analytics_text import analytics_text
from cocity.equity.uploads import max_unpacked_bytes
from cocity.territories.models import Area, Territory

FloatArray = npt.NDArray[np.float64]

AREA_SUFFIXES = (".geojson", ".json", ".zip")
INDICATOR_SUFFIXES = (".csv", ".tsv", ".txt")
ASSET_SUFFIXES = (".csv", ".geojson", ".json")

NAME_FIELDS = ("name", "area_name", "lsoa11nm", "lsoa11_name", "lsoa21nm", "lsoa21_name")
RANK_FIELDS = ("deprivation_rank", "imd_rank", "rank")
DECILE_FIELDS = ("deprivation_decile", "imd_decile", "decile")
POPULATION_FIELDS = ("population", "pop", "residents", "total_population", "usual_residents")
MAX_TYPES = 50
MAX_TYPE_LENGTH = 60
MAX_ATTRIBUTES = 40
MAX_POSITIVE_INT = 2_147_483_647  # PositiveIntegerField's range on every database
CODE_LENGTH = Area._meta.get_field("code").max_length or 40
NAME_LENGTH = Area._meta.get_field("name").max_length or 200

MISSING: Any = object()
"""A value the file leaves empty: an existing area keeps what it had."""


class Rejected(Exception):
    """The file was refused as a whole; ``errors`` lists every problem found.

    ``indexes`` gives, for each problem, the index of its row (-1 for the whole file), so
    that problems found by different checks can be listed in file order.
    """

    def __init__(self, errors: list[dict[str, str]], indexes: list[int] | None = None) -> None:
        super().__init__("; ".join(f"{e['row']}: {e['message']}" for e in errors[:5]))
        self.errors = errors
        self.indexes = indexes if indexes is not None else [-1] * len(errors)


def file_error(message: str) -> Rejected:
    return Rejected([{"row": "", "message": message}])


def row_label(where: str) -> str:
    """The analytics' "line 7" / "feature 3" / "file", translated (empty for the whole file)."""
    kind, _sep, rest = where.partition(" ")
    number, _sep2, detail = rest.partition(" ")
    if kind == "line" and number.isdigit():
        return _("line %(n)s") % {"n": number} + (f" {detail}" if detail else "")
    if kind == "feature" and number.isdigit():
        return _("feature %(n)s") % {"n": number} + (f" {detail}" if detail else "")
    if where == "file":
        return ""
    return where


def row_index(where: str) -> int:
    """The index of the row the analytics' "line 7" / "feature 3" names (-1: the whole file)."""
    kind, _sep, rest = where.partition(" ")
    number = rest.partition(" ")[0]
    if not number.isdigit():
        return -1
    return int(number) - (2 if kind == "line" else 1)


def issue_text(issue: ImportIssue) -> str:
    """What the analytics found, in the reader's language."""
    return analytics_text(issue.template, issue.params, issue.message)


def rejected_from(exc: EquityInputError) -> Rejected:
    if isinstance(exc, ImportRejected):
        return Rejected(
            [{"row": row_label(issue.where), "message": issue_text(issue)} for issue in exc.issues],
            [row_index(issue.where) for issue in exc.issues],
        )
    return file_error(str(exc))


# --- Areas and indicators ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which numeric columns of a file go to which ``Area`` field; the rest are indicators."""

    rank: str | None
    decile: str | None
    population: str | None
    indicators: tuple[str, ...]


@dataclass(slots=True)
class AreaRecord:
    """One area of a file: ``values`` holds only the fields the file gives for it."""

    code: str
    where: str
    name: str | None = None
    geometry: dict[str, Any] | None = None
    values: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, float | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ParsedAreas:
    records: list[AreaRecord]
    notes: list[str]


def _pick(
    given: str | None, present: Sequence[str], choices: Sequence[str], what: str
) -> str | None:
    """The column ``given`` (any case) or the first of ``choices`` present; None if none is."""
    lowered = {name.lower(): name for name in present}
    if given:
        found = lowered.get(given.strip().lower())
        if found is None:
            raise file_error(
                _("There is no %(what)s column “%(name)s”. The columns are: %(present)s.")
                % {"what": what, "name": given, "present": ", ".join(present) or "—"}
            )
        return found
    return next((lowered[c] for c in choices if c in lowered), None)


def field_map(columns: Sequence[str], options: Mapping[str, str]) -> FieldMap:
    rank = _pick(options.get("rank_field"), columns, RANK_FIELDS, _("deprivation rank"))
    decile = _pick(options.get("decile_field"), columns, DECILE_FIELDS, _("deprivation decile"))
    population = _pick(options.get("population_field"), columns, POPULATION_FIELDS, _("population"))
    used = {rank, decile, population}
    return FieldMap(rank, decile, population, tuple(c for c in columns if c not in used))


_MISSING_TEXT = {"", "na", "n/a", "nan", "null", "none", "-"}


def _raw_number(value: Any) -> float | None:
    """A cell as a number: NaN when empty, None when it is not a number."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text.lower() in _MISSING_TEXT:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return None


def _json_number(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else float(value)


def _field_values(
    records: list[AreaRecord], rows: Sequence[Mapping[str, Any]], fields: FieldMap
) -> list[tuple[int, dict[str, str]]]:
    """Put the rank, decile and population of each row into its record; return the problems.

    Read from the file's own cells, so that a typo in a deprivation column is an error rather
    than a column quietly left out. Problems come with the row's index, for sorting.
    """
    errors: list[tuple[int, dict[str, str]]] = []
    checks = (
        (fields.rank, "deprivation_rank", 1, _("a whole number from 1 (most deprived)")),
        (fields.decile, "deprivation_decile", 1, _("a whole number from 1 to 10")),
        (fields.population, "population", 0, _("a whole number of 0 or more")),
    )
    for i, (record, row) in enumerate(zip(records, rows, strict=True)):
        for column, target, low, expected in checks:
            if column is None:
                continue
            value = _raw_number(row.get(column))
            if value is not None and math.isnan(value):
                record.values[target] = MISSING
                continue
            high = 10 if target == "deprivation_decile" else MAX_POSITIVE_INT
            if (
                value is None
                or not math.isfinite(value)
                or value != int(value)
                or not low <= value <= high
            ):
                shown = row.get(column) if value is None else f"{value:g}"
                errors.append(
                    (
                        i,
                        {
                            "row": record.where,
                            "message": _("“%(column)s” is %(value)s; expected %(expected)s.")
                            % {"column": column, "value": shown, "expected": expected},
                        },
                    )
                )
            else:
                record.values[target] = int(value)
    return errors


def _indicator_values(
    records: list[AreaRecord], columns: Mapping[str, FloatArray], fields: FieldMap
) -> None:
    for column in fields.indicators:
        if column not in columns:
            continue
        for record, value in zip(records, columns[column].tolist(), strict=True):
            if math.isfinite(value):
                record.indicators[column] = _json_number(value)


def _merged(*groups: list[tuple[int, dict[str, str]]]) -> list[dict[str, str]]:
    """Problems of several checks, by row (problems with the whole file first)."""
    return [e for _i, e in sorted((p for g in groups for p in g), key=lambda p: p[0])]


def storable(text: str) -> bool:
    """Whether every database can store ``text`` (no NUL character, valid Unicode)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _nul_message() -> str:
    return _(
        "The text contains a NUL character or broken Unicode, which cannot be stored; correct it."
    )


def _refuse_nul(names: Sequence[str]) -> None:
    """Column names and asset types are stored as they are: refuse one that cannot be."""
    bad = [name for name in names if not storable(name)]
    if bad:
        raise file_error(
            _(
                "A column name or type contains a NUL character or broken Unicode, which "
                "cannot be stored: %(names)s."
            )
            % {"names": ", ".join(ascii(n) for n in bad[:5])}
        )


def _property_names(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows for k in row))


def read_area_file(path: Path, options: Mapping[str, str]) -> ParsedAreas:
    """Areas from a GeoJSON FeatureCollection of polygons or a zipped Shapefile; raises
    :class:`Rejected`."""
    limit = max_unpacked_bytes()
    try:
        imported = read_areas(
            path, code_field=options.get("code_field") or None, max_unpacked_bytes=limit
        )
        rejected = None
    except EquityInputError as exc:
        imported = None
        rejected = rejected_from(exc)
        if any(not e["row"] for e in rejected.errors):
            raise rejected from None  # the file as a whole is unusable
    # Names are text: every property as read comes with the areas, or is read again to
    # check a rejected file's values too.
    properties = (
        list(imported.properties) if imported else area_properties(path, max_unpacked_bytes=limit)
    )
    code_field = (
        imported.code_field
        if imported
        else _pick(options.get("code_field"), _property_names(properties), CODE_FIELDS, _("code"))
    )
    names = [n for n in _property_names(properties) if n != code_field]
    _refuse_nul(names)
    fields = field_map(names, options)
    used = {fields.rank, fields.decile, fields.population}
    numeric = set(imported.areas.indicators) if imported else set()
    name_field = _pick(
        options.get("name_field"),
        [n for n in names if n not in numeric and n not in used],
        NAME_FIELDS,
        _("name"),
    )
    records = [
        AreaRecord(
            code=str((p.get(code_field) if code_field else "") or ""),
            where=_("feature %(n)s") % {"n": i + 1},
        )
        for i, p in enumerate(properties)
    ]
    value_errors = _field_values(records, properties, fields)
    if rejected is not None:
        raise Rejected(
            _merged(list(zip(rejected.indexes, rejected.errors, strict=True)), value_errors)
        )
    assert imported is not None
    areas = imported.areas
    length_errors = []
    for i, (record, code, polygon) in enumerate(
        zip(records, areas.codes, areas.polygons, strict=True)
    ):
        record.code = code
        record.geometry = json.loads(shapely.to_geojson(polygon))
        if name_field is not None:
            raw = properties[i].get(name_field)
            text = "" if raw is None else str(raw).strip()
            record.name = text[:NAME_LENGTH] or None
        if not storable(code) or not storable(record.name or ""):
            length_errors.append((i, {"row": record.where, "message": _nul_message()}))
        if len(code) > CODE_LENGTH:
            length_errors.append(
                (
                    i,
                    {
                        "row": record.where,
                        "message": _("The code “%(code)s” is longer than %(n)s characters.")
                        % {"code": code[:60], "n": CODE_LENGTH},
                    },
                )
            )
    errors = _merged(length_errors, value_errors)
    if errors:
        raise Rejected(errors)
    _indicator_values(records, areas.indicators, fields)
    notes = [
        _("Repaired %(where)s: %(what)s") % {"where": row_label(r.where), "what": issue_text(r)}
        for r in imported.repaired
    ]
    notes.extend(_field_notes(fields, name_field, code_field or ""))
    left_out = [n for n in imported.skipped_properties if n not in (name_field, *used)]
    if left_out:
        notes.append(_("Not kept (not numbers): %(names)s.") % {"names": ", ".join(left_out)})
    return ParsedAreas(records, notes)


def _field_notes(fields: FieldMap, name_field: str | None, code_field: str) -> list[str]:
    used = [_("codes from “%(f)s”") % {"f": code_field}]
    if name_field:
        used.append(_("names from “%(f)s”") % {"f": name_field})
    if fields.rank:
        used.append(_("deprivation rank from “%(f)s”") % {"f": fields.rank})
    if fields.decile:
        used.append(_("deprivation decile from “%(f)s”") % {"f": fields.decile})
    if fields.population:
        used.append(_("population from “%(f)s”") % {"f": fields.population})
    notes = [_("Read %(fields)s.") % {"fields": "; ".join(used)}]
    if fields.indicators:
        notes.append(_("Kept as indicators: %(names)s.") % {"names": ", ".join(fields.indicators)})
    return notes


def read_indicator_file(
    path: Path, options: Mapping[str, str], territory: Territory
) -> ParsedAreas:
    """Indicators by area code from a CSV file, for the areas of ``territory`` it names.

    Codes that are not areas of the territory are ignored (a national table joined to one
    city) and counted in a note; a file that matches no area is refused.
    """
    try:
        table = read_indicators_csv(path, code_field=options.get("code_field") or None)
    except EquityInputError as exc:
        raise rejected_from(exc) from None
    # The reader has checked every cell; its rows give the deprivation columns as written.
    _header, rows = _read_csv(path)
    known = set(Area.objects.filter(territory=territory).values_list("code", flat=True))
    _refuse_nul([*table.columns, *table.codes])
    fields = field_map(list(table.columns), options)
    if not (fields.rank or fields.decile or fields.population or fields.indicators):
        raise file_error(_("The file has no numeric column besides the code."))
    records = [
        AreaRecord(code=code, where=_("line %(n)s") % {"n": i + 2})
        for i, code in enumerate(table.codes)
    ]
    value_errors = _field_values(records, rows, fields)
    matched = [r for r in records if r.code in known]
    if not matched:
        raise file_error(
            _("None of the %(n)s codes in the file is an area of this territory (e.g. %(code)s).")
            % {"n": len(records), "code": records[0].code}
        )
    matched_rows = {r.where for r in matched}
    errors = [e for _i, e in value_errors if e["row"] in matched_rows]
    if errors:
        raise Rejected(errors)
    _indicator_values(records, table.columns, fields)
    notes = _field_notes(fields, None, options.get("code_field") or _("the code column"))
    unmatched = len(records) - len(matched)
    if unmatched:
        notes.append(
            _("%(n)s rows name codes that are not areas of this territory; they were ignored.")
            % {"n": unmatched}
        )
    missing = len(known - {r.code for r in matched})
    if missing:
        notes.append(
            _("%(n)s areas have no row in the file and keep their values.") % {"n": missing}
        )
    return ParsedAreas(matched, notes)


# --- Assets -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedAssets:
    points: Points
    notes: list[str]


def _stem(file_name: str) -> str:
    name = Path(file_name).name
    for suffix in (".gz", ".geojson", ".json", ".csv", ".tsv", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return (name or "asset")[:MAX_TYPE_LENGTH]


def read_asset_file(path: Path, options: Mapping[str, str], file_name: str) -> ParsedAssets:
    """Points from a CSV (longitude/latitude columns) or GeoJSON file; raises :class:`Rejected`.

    ``options["asset_type"]`` gives every point that type; without it the type comes from a
    ``type`` / ``asset_type`` / ``kind`` column (or ``type_field``), and is the file's name
    for rows without one.
    """
    chosen = (options.get("asset_type") or "").strip()
    reader_options: dict[str, Any] = {
        "type_field": (options.get("type_field") or None) if not chosen else None,
        "default_type": chosen or _stem(file_name),
    }
    if path.suffix == ".csv":
        reader_options["lon_field"] = options.get("lon_field") or None
        reader_options["lat_field"] = options.get("lat_field") or None
    try:
        points = read_points(path, **reader_options).points
    except EquityInputError as exc:
        raise rejected_from(exc) from None
    if chosen:
        points = Points(
            lon=points.lon,
            lat=points.lat,
            type_codes=np.zeros(len(points), dtype=np.int64),
            type_names=(chosen,),
            attributes=points.attributes,
        )
    _refuse_nul([*points.type_names, *points.attributes])
    too_long = [name for name in points.type_names if len(name) > MAX_TYPE_LENGTH]
    if too_long:
        raise file_error(
            _(
                "An asset type is longer than %(n)s characters (“%(name)s…”): is the type "
                "column right?"
            )
            % {"n": MAX_TYPE_LENGTH, "name": too_long[0][:40]}
        )
    if len(points.type_names) > MAX_TYPES:
        raise file_error(
            _("The file has %(n)s asset types, more than %(max)s: is the type column right?")
            % {"n": len(points.type_names), "max": MAX_TYPES}
        )
    notes: list[str] = []
    names = list(points.attributes)
    if len(names) > MAX_ATTRIBUTES:
        notes.append(
            _("Only the first %(n)s numeric columns were kept; left out: %(names)s.")
            % {"n": MAX_ATTRIBUTES, "names": ", ".join(names[MAX_ATTRIBUTES:])}
        )
        points = Points(
            lon=points.lon,
            lat=points.lat,
            type_codes=points.type_codes,
            type_names=points.type_names,
            attributes={k: points.attributes[k] for k in names[:MAX_ATTRIBUTES]},
        )
    return ParsedAssets(points, notes)
