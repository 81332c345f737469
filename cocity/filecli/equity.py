"""``cocity equity``: spatial equity of digital assets, on files, without a database.

``cocity equity join --areas areas.geojson --points points.csv --out assignment.csv``
    writes, for every asset, the code of the area it lies in (empty when none).
``cocity equity report --areas ... --points ... [--indicators ind.csv] [--json out.json]``
    prints the equity findings and can write the full report as JSON and the per-area
    table as CSV.

Bad input (unreadable file, rejected rows, unknown field) prints the problems to stderr
and exits with status 2; nothing here imports Django.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from cocity.analytics.equity import (
    Areas,
    EquityInputError,
    Points,
    PointsImport,
    assign_points,
    concat_points,
    equity_report,
    join_indicators,
    read_areas,
    read_indicators_csv,
    read_points,
)
from cocity.filecli import positive_int

__all__ = ["main", "register"]

_DEFAULT_RANK = ("IMD_rank", "imd_rank", "rank")
_DEFAULT_GROUP = ("IMD_decile", "imd_decile", "decile")
_DEFAULT_POPULATION = ("population", "Population", "pop", "residents")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``equity`` command (with ``join`` and ``report``) to the ``cocity`` parser."""
    parser = subparsers.add_parser(
        "equity",
        help="spatial equity of digital assets across neighbourhoods (files, no database)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_subcommands(parser)


def main(argv: list[str] | None = None) -> int:
    """Run ``cocity equity ...`` with ``argv`` (the arguments after ``equity``)."""
    parser = argparse.ArgumentParser(
        prog="cocity equity",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_subcommands(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error to stderr
        return int(exc.code) if isinstance(exc.code, int) else 2
    return int(args.func(args))


def _add_subcommands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="equity_command", required=True, metavar="{join,report}")

    join = sub.add_parser("join", help="assign each asset to the area it lies in")
    _add_input_options(join)
    join.add_argument("--out", required=True, type=Path, help="CSV file to write")
    join.set_defaults(func=run_join)

    report = sub.add_parser("report", help="equity report: coverage, Gini, concentration index")
    _add_input_options(report)
    report.add_argument(
        "--indicators",
        action="append",
        type=Path,
        default=[],
        help="CSV of indicators by area code (population, deprivation...); repeatable",
    )
    report.add_argument("--indicator-code-field", help="code column of the indicator CSVs")
    report.add_argument(
        "--rank-field", help="deprivation ranking (default: IMD_rank if present; 1 = most deprived)"
    )
    report.add_argument(
        "--higher-is-more-deprived",
        action="store_true",
        help="the ranking field is a score where higher means more deprived",
    )
    report.add_argument(
        "--group-field", help="groups for the Theil split (default: IMD_decile if present)"
    )
    report.add_argument(
        "--population-field", help="residents per area (default: population if present)"
    )
    report.add_argument(
        "--type", action="append", default=[], dest="types", help="only these asset types"
    )
    report.add_argument(
        "--weighted", action="store_true", help="sum the assets' --weight-field values"
    )
    report.add_argument(
        "--new-assets", type=int, default=10, help="assets to place in the what-if (default 10)"
    )
    report.add_argument("--max-per-area", type=int, default=1, help="what-if cap per area")
    report.add_argument(
        "--most-deprived-share",
        type=float,
        default=0.2,
        help="share of areas counted as most deprived (default 0.2)",
    )
    report.add_argument("--json", type=Path, help="write the full report as JSON here")
    report.add_argument("--csv", type=Path, help="write the per-area table as CSV here")
    report.set_defaults(func=run_report)


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--areas",
        required=True,
        type=Path,
        help="area polygons: GeoJSON, or a zipped Shapefile (.zip)",
    )
    parser.add_argument("--code-field", help="property with the area code")
    parser.add_argument(
        "--points",
        required=True,
        action="append",
        type=Path,
        help="CSV (lon/lat) or GeoJSON of assets; repeatable",
    )
    parser.add_argument("--lon-field", help="CSV longitude column")
    parser.add_argument("--lat-field", help="CSV latitude column")
    parser.add_argument(
        "--type-field", help="asset type field (default: type; else the file's name)"
    )
    parser.add_argument("--weight-field", help="numeric size of each asset (capacity...)")
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=1,
        help="processes for placing points in areas (default 1; the answer is the same)",
    )


def _error(message: str) -> int:
    print(f"cocity equity: error: {message}", file=sys.stderr)
    return 2


def _read_inputs(args: argparse.Namespace) -> tuple[Areas, list[PointsImport], Points]:
    imported = read_areas(args.areas, code_field=args.code_field)
    for note in imported.repaired:
        print(f"note: {args.areas.name}: {note}", file=sys.stderr)
    options: dict[str, Any] = {
        "type_field": args.type_field,
        "weight_field": args.weight_field,
    }
    parts = []
    for path in args.points:
        csv_options = {"lon_field": args.lon_field, "lat_field": args.lat_field}
        is_csv = path.name.lower().endswith((".csv", ".csv.gz"))
        parts.append(read_points(path, **options, **(csv_options if is_csv else {})))
    return imported.areas, parts, concat_points([part.points for part in parts])


def run_join(args: argparse.Namespace) -> int:
    """``cocity equity join``: write each asset's area code to a CSV file."""
    try:
        areas, parts, points = _read_inputs(args)
        assignment = assign_points(areas.polygons, points.lon, points.lat, n_jobs=args.jobs)
    except EquityInputError as exc:
        return _error(str(exc))
    codes = np.array((*areas.codes, ""), dtype=object)[assignment.area_index]
    try:
        with open(args.out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source", "row", "lon", "lat", "asset_type", "area_code"])
            i = 0
            for path, part in zip(args.points, parts, strict=True):
                for row in part.rows:
                    writer.writerow(
                        [
                            path.name,
                            row,
                            repr(float(points.lon[i])),
                            repr(float(points.lat[i])),
                            points.type_names[points.type_codes[i]],
                            codes[i],
                        ]
                    )
                    i += 1
    except OSError as exc:
        return _error(f"cannot write {args.out}: {exc}")
    print(
        f"{len(points)} assets: {len(points) - assignment.n_outside} in {len(areas)} areas, "
        f"{assignment.n_outside} outside every area; wrote {args.out}"
    )
    return 0


def _auto_field(given: str | None, areas: Areas, defaults: Sequence[str]) -> str | None:
    if given is not None:
        return given  # equity_report raises a clear error if it is absent
    return next((name for name in defaults if name in areas.indicators), None)


def run_report(args: argparse.Namespace) -> int:
    """``cocity equity report``: print the findings; optionally write JSON and CSV."""
    try:
        areas, _, points = _read_inputs(args)
        for path in args.indicators:
            joined = join_indicators(
                areas, read_indicators_csv(path, code_field=args.indicator_code_field)
            )
            if joined.missing_codes:
                print(
                    f"note: {path.name}: no row for {len(joined.missing_codes)} of "
                    f"{len(areas)} areas",
                    file=sys.stderr,
                )
            areas = joined.areas
        if args.types:
            points = points.of_types(args.types)
        if args.new_assets < 0:
            raise EquityInputError("--new-assets: must be 0 or more")
        rank = _auto_field(args.rank_field, areas, _DEFAULT_RANK)
        report = equity_report(
            areas,
            points,
            assignment=assign_points(areas.polygons, points.lon, points.lat, n_jobs=args.jobs),
            rank_indicator=rank,
            rank_higher_is_less_deprived=not args.higher_is_more_deprived,
            group_indicator=_auto_field(args.group_field, areas, _DEFAULT_GROUP),
            population_indicator=_auto_field(args.population_field, areas, _DEFAULT_POPULATION),
            weighted=args.weighted,
            most_deprived_share=args.most_deprived_share,
            new_assets=args.new_assets if rank is not None else 0,
            max_per_area=args.max_per_area,
        )
    except EquityInputError as exc:
        return _error(str(exc))
    _print_report(report.to_dict(), sys.stdout)
    try:
        if args.json is not None:
            args.json.write_text(
                json.dumps(report.to_dict(), indent=2, allow_nan=False), encoding="utf-8"
            )
        if args.csv is not None:
            _write_area_csv(args.csv, report.to_dict()["areas"])
    except OSError as exc:
        return _error(f"cannot write the output: {exc}")
    return 0


def _print_report(data: dict[str, Any], out: TextIO) -> None:
    out.write(
        f"{data['n_assets']} assets ({', '.join(data['asset_types'])}) "
        f"in {data['n_areas']} areas; measure: {data['measure']}\n\n"
    )
    for finding in data["findings"]:
        out.write(f"- {finding}\n")


def _blank_none(value: float | None) -> float | str:
    return "" if value is None else value


def _write_area_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    types = sorted({name for row in rows for name in row["count_by_type"]})
    attributes = sorted({name for row in rows for name in row["attribute_mean"]})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "code",
                "count",
                *[f"count_{name}" for name in types],
                "area_km2",
                "density_per_km2",
                "per_1000_people",
                "share_of_assets",
                "covered",
                *[f"mean_{name}" for name in attributes],
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row["code"],
                    row["count"],
                    *[row["count_by_type"].get(name, 0.0) for name in types],
                    row["area_km2"],
                    row["density_per_km2"],
                    "" if row["per_1000_people"] is None else row["per_1000_people"],
                    "" if row["share_of_assets"] is None else row["share_of_assets"],
                    int(row["covered"]),
                    *[_blank_none(row["attribute_mean"].get(name)) for name in attributes],
                ]
            )


if __name__ == "__main__":
    raise SystemExit(main())
