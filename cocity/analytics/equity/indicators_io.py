"""Read indicator tables (CSV, one row per area code) and join them to areas.

All-or-nothing like every reader of :mod:`cocity.analytics.equity.geo_io`, whose rules
(missing values, code columns, problems by line) it shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cocity.analytics.equity.errors import ImportIssue, ImportRejected, gettext_noop, issue
from cocity.analytics.equity.geo_io import (
    _CODE_FIELDS,
    _MISSING,
    FloatArray,
    PathLike,
    _as_float,
    _pick_field,
    _read_csv,
)
from cocity.analytics.equity.model import Areas

__all__ = ["IndicatorJoin", "IndicatorTable", "join_indicators", "read_indicators_csv"]


@dataclass(frozen=True, slots=True, eq=False)
class IndicatorTable:
    """Numeric indicators per area code, read from a CSV file.

    Attributes
    ----------
    codes : tuple of str
        One unique code per row.
    columns : mapping of str to ndarray of float64
        Each numeric column, aligned with ``codes``; NaN for empty cells.
    skipped_columns : mapping of str to str
        Text columns that were not kept.
    """

    codes: tuple[str, ...]
    columns: Mapping[str, FloatArray]
    skipped_columns: Mapping[str, str] = field(default_factory=dict)


def read_indicators_csv(path: PathLike, *, code_field: str | None = None) -> IndicatorTable:
    """Read a table of numeric indicators keyed by area code.

    A column counts as numeric if every non-empty cell is a number (empty, ``NA``,
    ``n/a``, ``null`` are missing values); a column with no number at all is text and
    is skipped; a column mixing numbers and text is an error (a typo such as
    ``"1,234"`` would otherwise silently become missing).

    Raises
    ------
    ImportRejected
        On a missing code column, empty or duplicate codes, or mixed columns.
    """
    name = Path(path).name
    header, rows = _read_csv(path)
    field_name = _pick_field(code_field, header, _CODE_FIELDS, "code", name)
    if field_name is None:
        raise ImportRejected(
            name,
            [
                issue(
                    "line 1",
                    gettext_noop("no code column found (tried %(tried)s); columns: %(columns)s"),
                    tried=", ".join(_CODE_FIELDS),
                    columns=", ".join(header),
                )
            ],
        )
    issues: list[ImportIssue] = []
    codes: list[str] = []
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        code = row.get(field_name, "").strip()
        codes.append(code)
        if not code:
            issues.append(issue(f"line {i + 2}", gettext_noop("empty %(field)r"), field=field_name))
        elif code in first:
            issues.append(
                issue(
                    f"line {i + 2}",
                    gettext_noop("duplicate %(field)s %(code)r (first at line %(first)s)"),
                    field=field_name,
                    code=code,
                    first=first[code] + 2,
                )
            )
        else:
            first[code] = i
    columns: dict[str, FloatArray] = {}
    skipped: dict[str, str] = {}
    for column in header:
        if column == field_name:
            continue
        values = [_as_float(row.get(column, "")) for row in rows]
        bad = [i for i, v in enumerate(values) if v is None]
        if not bad:
            columns[column] = np.array(values, dtype=np.float64)
        elif len(bad) == sum(
            1 for row in rows if row.get(column, "").strip().lower() not in _MISSING
        ):
            skipped[column] = "text"
        else:
            for i in bad:
                issues.append(
                    issue(
                        f"line {i + 2}",
                        gettext_noop("%(column)r: %(value)r is not a number"),
                        column=column,
                        value=rows[i].get(column),
                    )
                )
    if issues:
        raise ImportRejected(name, issues)
    return IndicatorTable(codes=tuple(codes), columns=columns, skipped_columns=skipped)


@dataclass(frozen=True, slots=True, eq=False)
class IndicatorJoin:
    """The areas with a table's indicators joined by code.

    Attributes
    ----------
    areas : Areas
        The areas with every column of the table added (NaN where a code has no row).
    missing_codes : tuple of str
        Area codes that the table has no row for.
    unmatched_codes : tuple of str
        Table codes that are not areas (ignored: a national table joined to one city).
    replaced : tuple of str
        Indicators the areas already had and that the table's columns replaced.
    """

    areas: Areas
    missing_codes: tuple[str, ...]
    unmatched_codes: tuple[str, ...]
    replaced: tuple[str, ...]


def join_indicators(areas: Areas, table: IndicatorTable) -> IndicatorJoin:
    """Join an indicator table onto areas by code (a left join: every area is kept)."""
    row_of = {code: i for i, code in enumerate(table.codes)}
    index = np.array([row_of.get(code, -1) for code in areas.codes], dtype=np.int64)
    found = index >= 0
    indicators = dict(areas.indicators)
    for column, values in table.columns.items():
        joined = np.full(len(areas), np.nan)
        joined[found] = values[index[found]]
        indicators[column] = joined
    area_codes = set(areas.codes)
    return IndicatorJoin(
        areas=Areas(codes=areas.codes, polygons=areas.polygons, indicators=indicators),
        missing_codes=tuple(code for code, ok in zip(areas.codes, found, strict=True) if not ok),
        unmatched_codes=tuple(code for code in table.codes if code not in area_codes),
        replaced=tuple(column for column in table.columns if column in areas.indicators),
    )
