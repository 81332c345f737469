"""``cocity ecosystem``: analyse a stakeholder network from CSV files, without a database.

Usage::

    cocity ecosystem analyse --nodes nodes.csv --ties ties.csv \\
        [--joint-work joint_work.csv] [--ratings ratings.csv] [--as-of 2024] [--json out.json]

File formats (UTF-8 CSV with a header row; extra columns are ignored):

nodes.csv
    ``id`` (any text, unique), ``name``, ``sector`` (public, academia, industry, civil,
    citizens; empty when unknown); optional ``type``, ``clusters`` and ``challenges``
    (``;``-separated labels, e.g. ``energy;ICT``).
ties.csv
    ``source``, ``target`` (node ids); optional ``weight`` (> 0), ``year`` (start year),
    ``end_year``, ``form`` and ``status`` (partnership form and status: when ``weight`` is
    absent or empty they set it, see docs/analytics/network.md), ``kind`` (free text).
    A tie with neither weight nor form weighs 1. Self-ties are dropped; repeated pairs
    are merged (weights summed).
joint_work.csv
    ``a``, ``b`` (node ids), ``date`` (decimal year such as ``2023.5``, or ``YYYY-MM-DD``),
    ``outcome`` (``positive``/``mixed``/``negative`` or ``1``/``0``/``-1``).
ratings.csv
    ``rater``, ``ratee`` (node ids), ``ability``, ``benevolence``, ``integrity`` (1-5),
    ``date`` (as above).

It prints the ecosystem-health summary and, with ``--json``, writes every result
(node ids in the output are the ids of nodes.csv). Exit code 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cocity.analytics.network import (
    NetworkInputError,
    analyse_ecosystem,
    build_network,
    joint_work,
    partnership_tie_weights,
    sector_codes,
    summary_sentences,
    trust_ratings,
)
from cocity.filecli import positive_int


class CliInputError(Exception):
    """A problem with an input file, described for the person running the command."""


OUTCOMES = {"positive": 1, "mixed": 0, "negative": -1, "1": 1, "+1": 1, "0": 0, "-1": -1}


def _read(path: Path, required: tuple[str, ...], label: str) -> pd.DataFrame:
    if not path.is_file():
        raise CliInputError(f"{label}: no such file: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise CliInputError(f"{label} {path}: cannot read it as CSV ({error})") from None
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise CliInputError(
            f"{label} {path}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(frame.columns) or 'none'})"
        )
    return frame


def _line(row: int) -> int:
    """CSV line number of data row ``row`` (the header is line 1)."""
    return row + 2


def _numbers(
    frame: pd.DataFrame, column: str, label: str, *, allow_empty: bool
) -> NDArray[np.float64]:
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    bad = np.isnan(values) & ((text != "").to_numpy() | (not allow_empty))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise CliInputError(
            f"{label} line {_line(row)}: {column} {text.iloc[row]!r} is not a number"
        )
    return values


def _dates(frame: pd.DataFrame, column: str, label: str) -> NDArray[np.float64]:
    """Decimal years from numbers (``2023.5``) or ISO dates (``2023-07-02``)."""
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    as_date = np.isnan(values)
    if as_date.any():
        parsed = pd.to_datetime(text[as_date], errors="coerce", format="ISO8601")
        bad = parsed.isna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(as_date)[np.flatnonzero(bad)[0]])
            raise CliInputError(
                f"{label} line {_line(row)}: {column} {text.iloc[row]!r} is neither a year "
                "nor a YYYY-MM-DD date"
            )
        year = parsed.dt.year.to_numpy()
        days = np.where(parsed.dt.is_leap_year.to_numpy(), 366.0, 365.0)
        values[as_date] = year + (parsed.dt.day_of_year.to_numpy() - 1) / days
    return values


def _ids(frame: pd.DataFrame, column: str, index: dict[str, int], label: str) -> NDArray[np.int64]:
    text = frame[column].str.strip()
    mapped = text.map(index)
    unknown = mapped.isna().to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise CliInputError(
            f"{label} line {_line(row)}: {column} {text.iloc[row]!r} is not an id in the nodes file"
        )
    return mapped.to_numpy(dtype=np.int64)


def _label_sets(frame: pd.DataFrame, column: str) -> list[frozenset[str]] | None:
    if column not in frame.columns:
        return None
    return [
        frozenset(part.strip() for part in value.split(";") if part.strip())
        for value in frame[column]
    ]


def load_files(args: argparse.Namespace) -> dict[str, Any]:
    """Read and check the CSV files named in ``args``; return the analysis inputs."""
    nodes = _read(Path(args.nodes), ("id", "name", "sector"), "nodes file")
    ids = nodes["id"].str.strip().tolist()
    if any(value == "" for value in ids):
        raise CliInputError(f"nodes file line {_line(ids.index(''))}: empty id")
    seen: dict[str, int] = {}
    for row, value in enumerate(ids):
        if value in seen:
            raise CliInputError(
                f"nodes file line {_line(row)}: id {value!r} repeats line {_line(seen[value])}"
            )
        seen[value] = row
    try:
        sector = sector_codes(nodes["sector"].tolist())
    except NetworkInputError as error:
        raise CliInputError(f"nodes file: {_row_message(str(error), None)}") from None

    ties = _read(Path(args.ties), ("source", "target"), "ties file")
    src = _ids(ties, "source", seen, "ties file")
    dst = _ids(ties, "target", seen, "ties file")
    start = (
        _numbers(ties, "year", "ties file", allow_empty=True) if "year" in ties.columns else None
    )
    end = (
        _numbers(ties, "end_year", "ties file", allow_empty=True)
        if "end_year" in ties.columns
        else None
    )
    weight = np.ones(len(ties))
    given = np.zeros(len(ties), dtype=bool)
    if "weight" in ties.columns:
        weight = _numbers(ties, "weight", "ties file", allow_empty=True)
        given = ~np.isnan(weight)
        bad = given & ~(weight > 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise CliInputError(f"ties file line {_line(row)}: weight must be > 0")
    if "form" in ties.columns and (~given).any():
        as_of = args.as_of
        if as_of is None:
            candidates = [a for a in (start, end) if a is not None and np.isfinite(a).any()]
            as_of = float(max(np.nanmax(a) for a in candidates)) if candidates else 0.0
        status = ties["status"].tolist() if "status" in ties.columns else ["active"] * len(ties)
        todo = np.flatnonzero(~given)
        try:
            derived = partnership_tie_weights(
                [ties["form"].iloc[i] or "other" for i in todo],
                [status[i] or "active" for i in todo],
                start[todo] if start is not None else np.full(todo.size, np.nan),
                end[todo] if end is not None else np.full(todo.size, np.nan),
                as_of_year=as_of,
            )
        except NetworkInputError as error:
            raise CliInputError(f"ties file: {_row_message(str(error), todo)}") from None
        weight[todo] = derived
        # a partnership that had not started by the as-of year is not a tie yet
        keep = weight > 0
        src, dst, weight = src[keep], dst[keep], weight[keep]
        start = start[keep] if start is not None else None
        end = end[keep] if end is not None else None
    else:
        weight = np.where(given, weight, 1.0)
    try:
        network = build_network(
            len(ids),
            sector,
            src,
            dst,
            weight,
            start_year=start,
            end_year=end,
            names=[name or ident for name, ident in zip(nodes["name"].tolist(), ids, strict=True)],
            clusters=_label_sets(nodes, "clusters"),
            challenges=_label_sets(nodes, "challenges"),
        )
    except NetworkInputError as error:
        raise CliInputError(f"ties file: {error}") from None

    work = None
    if args.joint_work:
        frame = _read(Path(args.joint_work), ("a", "b", "date", "outcome"), "joint-work file")
        outcome_text = frame["outcome"].str.strip().str.lower()
        outcome = outcome_text.map(OUTCOMES)
        if outcome.isna().any():
            row = int(np.flatnonzero(outcome.isna().to_numpy())[0])
            raise CliInputError(
                f"joint-work file line {_line(row)}: outcome {outcome_text.iloc[row]!r} "
                "is not positive, mixed or negative"
            )
        work = joint_work(
            _ids(frame, "a", seen, "joint-work file"),
            _ids(frame, "b", seen, "joint-work file"),
            _dates(frame, "date", "joint-work file"),
            outcome.to_numpy(dtype=np.float64),
            n_nodes=len(ids),
        )
    ratings = None
    if args.ratings:
        frame = _read(
            Path(args.ratings),
            ("rater", "ratee", "ability", "benevolence", "integrity", "date"),
            "ratings file",
        )
        try:
            ratings = trust_ratings(
                _ids(frame, "rater", seen, "ratings file"),
                _ids(frame, "ratee", seen, "ratings file"),
                _numbers(frame, "ability", "ratings file", allow_empty=False),
                _numbers(frame, "benevolence", "ratings file", allow_empty=False),
                _numbers(frame, "integrity", "ratings file", allow_empty=False),
                _dates(frame, "date", "ratings file"),
                n_nodes=len(ids),
            )
        except NetworkInputError as error:
            raise CliInputError(f"ratings file: {_row_message(str(error), None)}") from None
    return {"network": network, "work": work, "ratings": ratings, "ids": ids}


def _row_message(message: str, rows: NDArray[np.int64] | None) -> str:
    """Prefix the CSV line of "... at position i ..." / "name[i]" messages."""
    match = re.search(r"(?:at position |\[)(\d+)\]?", message)
    if not match:
        return message
    position = int(match.group(1))
    row = int(rows[position]) if rows is not None else position
    return f"line {_line(row)}: " + message


def _remap(result: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """Replace internal node indices by the ids of the nodes file."""
    lookup = np.asarray(ids, dtype=object)

    def to_ids(values: list[int]) -> list[str]:
        return lookup[np.asarray(values, dtype=np.int64)].tolist() if values else []

    result["nodes"]["id"] = list(ids)
    network = result["network"]
    network["isolated"] = to_ids(network["isolated"])
    network["peripheral"] = to_ids(network["peripheral"])
    trust = result["trust"]
    for key in ("a", "b"):
        trust["behavioural"][key] = to_ids(trust["behavioural"][key])
    for key in ("rater", "ratee"):
        trust["stated"][key] = to_ids(trust["stated"][key])
        trust["disagreements"][key] = to_ids(trust["disagreements"][key])
    for rec in result["recommendations"]:
        rec["a"], rec["b"] = ids[rec["a"]], ids[rec["b"]]
        rec["shared_partners"] = to_ids(rec["shared_partners"])
    return result


def run_analyse(args: argparse.Namespace) -> int:
    """The ``analyse`` subcommand: returns 0, or 2 on bad input."""
    try:
        if args.as_of is not None and not math.isfinite(args.as_of):
            raise CliInputError("--as-of must be a year")
        inputs = load_files(args)
        analysis = analyse_ecosystem(
            inputs["network"],
            work=inputs["work"],
            ratings=inputs["ratings"],
            as_of_year=args.as_of,
            seed=args.seed,
            n_recommendations=args.recommendations,
            trust_half_life_years=args.half_life,
            exact_betweenness_limit=args.exact_betweenness_limit,
            betweenness_samples=args.betweenness_samples,
            weighted_paths=args.weighted_paths,
            n_jobs=args.jobs,
        )
    except CliInputError as error:
        print(f"cocity ecosystem analyse: {error}", file=sys.stderr)
        return 2
    except NetworkInputError as error:
        print(f"cocity ecosystem analyse: {error}", file=sys.stderr)
        return 2
    for sentence in summary_sentences(analysis):
        print(sentence)
    if args.json:
        result = _remap(analysis.to_dict(), inputs["ids"])
        try:
            Path(args.json).write_text(json.dumps(result, allow_nan=False), encoding="utf-8")
        except OSError as error:
            print(
                f"cocity ecosystem analyse: cannot write {args.json}: {error.strerror}",
                file=sys.stderr,
            )
            return 2
        print(f"Wrote {args.json}", file=sys.stderr)
    return 0


def _add_analyse(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyse",
        help="analyse a stakeholder network from CSV files",
        description="Analyse a stakeholder network from CSV files.\n\nFile formats"
        + (__doc__ or "").split("File formats", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--nodes", required=True, help="stakeholders CSV: id,name,sector[,type,clusters,challenges]"
    )
    parser.add_argument(
        "--ties",
        required=True,
        help="ties CSV: source,target[,weight,year,end_year,form,status,kind]",
    )
    parser.add_argument("--joint-work", help="joint-work CSV: a,b,date,outcome")
    parser.add_argument(
        "--ratings", help="trust ratings CSV: rater,ratee,ability,benevolence,integrity,date"
    )
    parser.add_argument("--json", help="write every result to this JSON file")
    parser.add_argument("--as-of", type=float, help="analyse the network as it stood in this year")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for communities and sampled betweenness (default 0)",
    )
    parser.add_argument(
        "--recommendations", type=int, default=50, help="partnerships to recommend (default 50)"
    )
    parser.add_argument(
        "--half-life",
        type=float,
        default=2.0,
        help="half-life of trust evidence in years (default 2)",
    )
    parser.add_argument(
        "--exact-betweenness-limit",
        type=int,
        default=5000,
        help="largest network with exact betweenness (default 5000); sampled above",
    )
    parser.add_argument(
        "--betweenness-samples",
        type=int,
        default=32,
        help="source stakeholders sampled above that size (default 32)",
    )
    parser.add_argument(
        "--weighted-paths",
        action="store_true",
        help="shortest paths by 1/weight instead of by number of ties",
    )
    parser.add_argument(
        "--jobs", type=positive_int, default=1, help="processes to use (2: betweenness in parallel)"
    )
    parser.set_defaults(func=run_analyse)


def register(subparsers: Any) -> None:
    """Add the ``ecosystem`` command (with its ``analyse`` subcommand) to ``subparsers``."""
    parser = subparsers.add_parser(
        "ecosystem",
        help="ecosystem network analytics on files",
        description="Ecosystem network analytics on CSV files, without a database.",
    )
    commands = parser.add_subparsers(dest="ecosystem_command", metavar="COMMAND")
    commands.required = True
    _add_analyse(commands)


def main(argv: list[str] | None = None) -> int:
    """Run ``ecosystem`` as a standalone program (``python -m cocity.filecli.ecosystem``)."""
    parser = argparse.ArgumentParser(prog="cocity")
    register(parser.add_subparsers(dest="command", metavar="COMMAND"))
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] != "ecosystem":
        arguments = ["ecosystem", *arguments]
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
