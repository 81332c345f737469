"""``cocity opinion``: the Pol.is-grade opinion map of a Pol.is export folder, without a database.

Usage::

    cocity opinion analyse FOLDER [--json out.json] [--min-votes 7] [--seed 0]
        [--keep-polis-groups]
    cocity opinion export FOLDER OUT_FOLDER [--min-votes 7] [--seed 0]

``FOLDER`` is a Pol.is export: ``votes.csv`` (``timestamp,datetime,comment-id,voter-id,
vote``) and/or ``participants-votes.csv``, optionally ``comments.csv`` (its ``moderated``
column: -1 = moderated out) and ``summary.csv``.

``analyse`` prints the map (participants clustered, groups and their sizes, silhouettes,
consensus) and, when the export carries Pol.is's own groups (``group-id`` in
``participants-votes.csv``), the agreement with them (adjusted Rand index over the
participants Pol.is grouped). ``--json`` writes the whole map. ``--keep-polis-groups``
clusters every participant Pol.is grouped even below the vote threshold (Pol.is keeps
participants in once they qualified; the export does not keep that history).

``export`` writes the folder back in Pol.is's format with cocity's groups in
``participants-votes.csv`` and ``summary.csv``.

Exit code 0 on success, 2 on bad input (the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

from cocity.analytics.opinion import (
    OpinionInputError,
    OpinionMap,
    PolisExport,
    export_with_groups,
    opinion_map,
    read_polis_export,
    write_polis_export,
)


def _fail(message: str) -> int:
    print(f"cocity opinion: {message}", file=sys.stderr)
    return 2


def _map(export: PolisExport, args: argparse.Namespace) -> OpinionMap:
    keep = np.zeros(0, dtype=np.int64)
    if getattr(args, "keep_polis_groups", False) and export.participants is not None:
        ids, groups = export.polis_groups()
        keep = ids[groups >= 0]
    return opinion_map(
        export.vote_matrix(),
        moderated_statement_ids=export.moderated_out_ids(),
        keep_participant_ids=keep,
        min_votes=args.min_votes,
        seed=args.seed,
    )


def polis_agreement(export: PolisExport, result: OpinionMap) -> dict[str, Any] | None:
    """Agreement with Pol.is's own groups, over the participants Pol.is grouped.

    Returns ``None`` when the export has no ``participants-votes.csv`` or no grouped
    participant. Participants Pol.is grouped but cocity did not count as one more group.
    """
    if export.participants is None:
        return None
    ids, groups = export.polis_groups()
    grouped = groups >= 0
    if not grouped.any():
        return None
    rows = result.participant_ids.searchsorted(ids[grouped])
    ours = result.group_labels[rows]
    summary_groups = export.summary_value("groups")
    return {
        "participants_compared": int(grouped.sum()),
        "polis_groups": int(np.unique(groups[grouped]).size),
        "polis_summary_groups": None if summary_groups is None else int(summary_groups),
        "cocity_groups": result.n_groups,
        "adjusted_rand_index": float(adjusted_rand_score(groups[grouped], ours)),
        "not_grouped_by_cocity": int((ours < 0).sum()),
    }


def run_analyse(args: argparse.Namespace) -> int:
    try:
        export = read_polis_export(args.folder)
        result = _map(export, args)
    except OpinionInputError as error:
        return _fail(str(error))
    agreement = polis_agreement(export, result)
    sizes = result.group_sizes()
    topic = export.summary_value("topic")
    lines = [
        f"Conversation: {topic}" if topic else f"Conversation: {args.folder}",
        f"Participants: {result.participant_ids.size} "
        f"({int(result.in_conv.sum())} clustered), statements: {result.statement_ids.size} "
        f"({int(result.moderated.sum())} moderated out), votes: {export.vote_matrix().n_votes}",
        f"Opinion groups: {result.n_groups} (sizes {', '.join(str(int(s)) for s in sizes)})",
        "Silhouette by k: " + ", ".join(f"{c.k}: {c.silhouette:.3f}" for c in result.candidates),
        "Consensus (agree): "
        + (", ".join(str(c.statement_id) for c in result.consensus.agree) or "none"),
    ]
    if agreement is not None:
        lines.append(
            f"Pol.is found {agreement['polis_groups']} groups; adjusted Rand index "
            f"{agreement['adjusted_rand_index']:.3f} over the "
            f"{agreement['participants_compared']} participants Pol.is grouped"
        )
    print("\n".join(lines))
    if args.json is not None:
        payload = result.to_dict()
        payload["polis_agreement"] = agreement
        try:
            Path(args.json).write_text(json.dumps(payload, indent=1), encoding="utf-8")
        except OSError as error:
            return _fail(f"cannot write {args.json}: {error.strerror}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        export = read_polis_export(args.folder)
        result = _map(export, args)
        out = export_with_groups(
            export, result.group_labels, result.participant_ids, result.n_groups
        )
        if Path(args.out).resolve() == Path(args.folder).resolve():
            return _fail("the output folder must differ from the input folder")
        write_polis_export(args.out, out)
    except OpinionInputError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {args.out}: {error.strerror}")
    print(f"Wrote {args.out} with {result.n_groups} opinion groups")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="Pol.is export folder")
    parser.add_argument(
        "--min-votes", type=int, default=7, help="votes needed to be clustered (default 7)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--keep-polis-groups",
        action="store_true",
        help="cluster every participant Pol.is grouped, whatever their vote count",
    )


def register(subparsers: Any) -> None:
    """Add the ``opinion`` command (``analyse`` and ``export``) to ``subparsers``."""
    parser = subparsers.add_parser(
        "opinion",
        help="Pol.is-grade opinion map of a Pol.is export folder",
        description="Opinion map of a Pol.is export folder, without a database.",
    )
    commands = parser.add_subparsers(dest="opinion_command", metavar="COMMAND")
    commands.required = True
    analyse = commands.add_parser(
        "analyse",
        help="map the opinion groups of a Pol.is export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(analyse)
    analyse.add_argument("--json", default=None, help="write the whole map to this file")
    analyse.set_defaults(func=run_analyse)
    export = commands.add_parser(
        "export",
        help="write the export back with cocity's opinion groups",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(export)
    export.add_argument("out", help="output folder (created if needed)")
    export.set_defaults(func=run_export)


def main(argv: list[str] | None = None) -> int:
    """Run ``opinion`` as a standalone program (``python -m cocity.filecli.opinion``)."""
    parser = argparse.ArgumentParser(prog="cocity")
    register(parser.add_subparsers(dest="command", metavar="COMMAND"))
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] != "opinion":
        arguments = ["opinion", *arguments]
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.min_votes < 1:
        return _fail(f"--min-votes must be at least 1, got {args.min_votes}")
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
