"""What each page and API answer shows of a stored analysis: rows, brokers, mixing, trust
health (with the privacy rule of stated trust), recommendations and the filtered network.

Pure functions over the stored payload (:attr:`NetworkResult.payload`); no queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cocity.analytics.network import SECTORS

MIN_RATERS_SHOWN = 3
"""Aggregates of stated trust over fewer ratings than this are hidden from non-facilitators,
so that a mean cannot give away one organisation's rating."""


MEASURES: tuple[str, ...] = (
    "degree",
    "strength",
    "pagerank",
    "betweenness",
    "effective_size",
    "constraint",
    "ei_index",
    "behavioural_trust_mean",
    "stated_trust_received",
)
"""Per-stakeholder measures a table can be sorted by and the network sized by."""


def stated_raters_per_node(payload: dict[str, Any]) -> list[int]:
    """How many stakeholders rated each stakeholder (behind ``stated_trust_received``)."""
    n = payload["analysis"]["n_nodes"]
    counts = [0] * n
    for ratee in payload["analysis"]["trust"]["stated"]["ratee"]:
        counts[ratee] += 1
    return counts


def stakeholder_rows(payload: dict[str, Any], *, trust_pairs: bool) -> list[dict[str, Any]]:
    """One dict per stakeholder with its measures and roles, in node order.

    Without ``trust_pairs`` (anyone but facilitators) the stated trust a stakeholder
    receives is hidden where fewer than :data:`MIN_RATERS_SHOWN` stakeholders rated it.
    """
    analysis = payload["analysis"]
    nodes = analysis["nodes"]
    raters = stated_raters_per_node(payload)
    roles = analysis["roles"]
    rows = []
    for i, pk in enumerate(payload["stakeholder_ids"]):
        stated = nodes["stated_trust_received"][i]
        if not trust_pairs and raters[i] < MIN_RATERS_SHOWN:
            stated = None
        role_names = [
            role
            for role in roles
            if (nodes[f"brokerage_{role}_z"][i] or 0) >= 1.96
            and (nodes[f"brokerage_{role}"][i] or 0) >= 1
        ]
        rows.append(
            {
                "node": i,
                "id": pk,
                "name": nodes["name"][i],
                "sector": nodes["sector"][i],
                "degree": nodes["degree"][i],
                "strength": nodes["strength"][i],
                "pagerank": nodes["pagerank"][i],
                "betweenness": nodes["betweenness"][i],
                # 0 where computed exactly; absent from results stored before it was kept
                "betweenness_standard_error": (
                    nodes.get("betweenness_standard_error") or [None] * len(nodes["betweenness"])
                )[i],
                "effective_size": nodes["effective_size"][i],
                "constraint": nodes["constraint"][i],
                "ei_index": nodes["ei_index"][i],
                "community": nodes["community"][i],
                "behavioural_trust_mean": nodes["behavioural_trust_mean"][i],
                "stated_trust_received": stated,
                "stated_raters": raters[i],
                "roles": role_names,
                "brokerage": {role: nodes[f"brokerage_{role}"][i] for role in roles},
            }
        )
    return rows


def sort_rows(
    rows: list[dict[str, Any]], key: str, *, descending: bool = True
) -> list[dict[str, Any]]:
    """Rows sorted by a measure (missing values last), then by name."""
    if key == "name":
        return sorted(rows, key=lambda r: r["name"].lower(), reverse=descending)
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: (-r[key] if descending else r[key], r["name"].lower()))
    return present + sorted(missing, key=lambda r: r["name"].lower())


def top_brokers(payload: dict[str, Any], k: int = 10) -> list[dict[str, Any]]:
    """The ``k`` stakeholders with the highest betweenness (who holds the network together)."""
    rows = stakeholder_rows(payload, trust_pairs=False)
    rows = [r for r in rows if (r["betweenness"] or 0) > 0]
    return sort_rows(rows, "betweenness")[:k]


def _node_sector(payload: dict[str, Any]) -> list[str | None]:
    sectors: list[str | None] = payload["analysis"]["nodes"]["sector"]
    return sectors


def trust_health(payload: dict[str, Any], *, trust_pairs: bool) -> dict[str, Any]:
    """Weak ties, one-sided ratings and stated-vs-behavioural disagreements.

    Behavioural trust comes from joint work (public data) and is named per pair for
    everyone. Stated trust is named per pair only with ``trust_pairs`` (facilitators);
    otherwise it comes as counts and means per sector pair, means hidden below
    :data:`MIN_RATERS_SHOWN` ratings.
    """
    analysis = payload["analysis"]
    names = analysis["nodes"]["name"]
    ids = payload["stakeholder_ids"]
    sectors = _node_sector(payload)
    trust = analysis["trust"]
    behaviour = trust["behavioural"]
    weak_behavioural = sorted(
        (
            {
                "a": ids[a], "a_name": names[a], "b": ids[b], "b_name": names[b],
                "trust": value, "n_events": events,
            }
            for a, b, value, events in zip(
                behaviour["a"],
                behaviour["b"],
                behaviour["trust"],
                behaviour["n_events"],
                strict=True,
            )
            if value is not None and value < 0.5
        ),
        key=lambda row: (row["trust"], row["a_name"]),
    )  # fmt: skip
    stated = trust["stated"]
    rated = set(zip(stated["rater"], stated["ratee"], strict=True))
    by_pair = {
        (a, b): value
        for a, b, value in zip(stated["rater"], stated["ratee"], stated["trust"], strict=True)
    }
    one_sided = [(a, b) for a, b in rated if (b, a) not in rated]
    weak_stated = [(a, b) for (a, b), value in by_pair.items() if value is not None and value < 0.5]
    disagreements = trust["disagreements"]
    disagreement_pairs = list(
        zip(disagreements["rater"], disagreements["ratee"], disagreements["stated"],
            disagreements["behavioural"], disagreements["gap"], strict=True)
    )  # fmt: skip
    result: dict[str, Any] = {
        "n_behavioural_pairs": len(behaviour["a"]),
        "n_rated_pairs": len(rated),
        "reciprocity": trust["reciprocity"],
        "mean_asymmetry": trust["mean_asymmetry"],
        "weak_behavioural": weak_behavioural,
        "n_weak_stated": len(weak_stated),
        "n_one_sided": len(one_sided),
        "n_disagreements": len(disagreement_pairs),
        "threshold": disagreements["threshold"],
        "by_sector_pair": _stated_by_sector_pair(
            by_pair, sectors, one_sided=set(one_sided), disagreements=disagreement_pairs
        ),
    }
    if trust_pairs:
        result["weak_stated"] = sorted(
            (
                {"rater": ids[a], "rater_name": names[a], "ratee": ids[b], "ratee_name": names[b],
                 "trust": by_pair[(a, b)]}
                for a, b in weak_stated
            ),
            key=lambda row: (row["trust"], row["rater_name"]),
        )  # fmt: skip
        result["one_sided"] = sorted(
            (
                {"rater": ids[a], "rater_name": names[a], "ratee": ids[b], "ratee_name": names[b],
                 "trust": by_pair[(a, b)]}
                for a, b in one_sided
            ),
            key=lambda row: (row["rater_name"], row["ratee_name"]),
        )  # fmt: skip
        result["disagreements"] = [
            {"rater": ids[a], "rater_name": names[a], "ratee": ids[b], "ratee_name": names[b],
             "stated": s, "behavioural": bt, "gap": gap}
            for a, b, s, bt, gap in disagreement_pairs
        ]  # fmt: skip
    return result


def _stated_by_sector_pair(
    by_pair: dict[tuple[int, int], float | None],
    sectors: list[str | None],
    *,
    one_sided: set[tuple[int, int]],
    disagreements: list[tuple[Any, ...]],
) -> list[dict[str, Any]]:
    """Stated trust aggregated per (rater sector, ratee sector); the mean is None when fewer
    than :data:`MIN_RATERS_SHOWN` pairs are behind it."""
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    one_sided_count: dict[tuple[str, str], int] = defaultdict(int)
    disagreement_count: dict[tuple[str, str], int] = defaultdict(int)
    unknown = "unknown"
    for (a, b), value in by_pair.items():
        key = (sectors[a] or unknown, sectors[b] or unknown)
        if value is not None:
            values[key].append(value)
        if (a, b) in one_sided:
            one_sided_count[key] += 1
    for row in disagreements:
        disagreement_count[(sectors[row[0]] or unknown, sectors[row[1]] or unknown)] += 1
    order = {name: i for i, name in enumerate((*SECTORS, unknown))}
    rows = []
    for key in sorted(values, key=lambda k: (order[k[0]], order[k[1]])):
        scores = values[key]
        rows.append(
            {
                "rater_sector": key[0],
                "ratee_sector": key[1],
                "n_pairs": len(scores),
                "mean": (sum(scores) / len(scores)) if len(scores) >= MIN_RATERS_SHOWN else None,
                "n_weak": sum(1 for v in scores if v < 0.5),
                "n_one_sided": one_sided_count[key],
                "n_disagreements": disagreement_count[key],
            }
        )
    return rows


def mixing_table(payload: dict[str, Any]) -> dict[str, Any]:
    """The sector mixing matrix (tie counts), the counts expected by chance, and per cell the
    ratio observed / expected with a class name (``mix-low`` ... ``mix-high``) for the heatmap."""
    network = payload["analysis"]["network"]
    counts = network["mixing_matrix"]
    expected = network["mixing_expected"]
    rows = []
    for i, sector in enumerate(SECTORS):
        cells = []
        for j in range(len(SECTORS)):
            observed = counts[i][j] or 0.0
            chance = expected[i][j]
            ratio = (observed / chance) if chance else None
            cells.append(
                {
                    "sector": SECTORS[j],
                    "observed": observed,
                    "expected": chance,
                    "ratio": ratio,
                    "level": _level(ratio),
                }
            )
        rows.append({"sector": sector, "cells": cells})
    return {"sectors": list(SECTORS), "rows": rows, "ei_index": network["ei_index"],
            "ei_index_by_sector": network["ei_index_by_sector"]}  # fmt: skip


def _level(ratio: float | None) -> str:
    if ratio is None:
        return "mix-none"
    if ratio < 0.25:
        return "mix-0"
    if ratio < 0.75:
        return "mix-1"
    if ratio < 1.25:
        return "mix-2"
    if ratio < 2:
        return "mix-3"
    return "mix-4"


def recommendation_rows(
    payload: dict[str, Any], *, node: int | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Recommended partnerships with their reasons (those of one stakeholder if ``node``)."""
    names = payload["analysis"]["nodes"]["name"]
    sectors = _node_sector(payload)
    ids = payload["stakeholder_ids"]
    rows = []
    for rec in payload["analysis"]["recommendations"]:
        if node is not None and node not in (rec["a"], rec["b"]):
            continue
        rows.append(
            {
                "a": ids[rec["a"]], "a_name": names[rec["a"]], "a_sector": sectors[rec["a"]],
                "b": ids[rec["b"]], "b_name": names[rec["b"]], "b_sector": sectors[rec["b"]],
                "score": rec["score"], "reason": rec["reason"],
                "shared_partners": [names[p] for p in rec["shared_partners"]],
                "shared_labels": rec["shared_labels"],
            }
        )  # fmt: skip
        if len(rows) >= limit:
            break
    return rows


@dataclass(frozen=True, slots=True)
class GraphFilters:
    form: str = ""
    challenge: int | None = None
    year: int | None = None


def graph_view(payload: dict[str, Any], filters: GraphFilters) -> dict[str, Any]:
    """Nodes (with layout and measures) and ties of the stored network, filtered.

    ``form`` keeps the partnership ties of that form (or ``joint_work``); ``challenge`` keeps
    the stakeholders involved in an initiative answering it and the ties among them;
    ``year`` keeps the ties that were running in that year. Nothing is recomputed.
    """
    ties = payload["ties"]
    nodes = payload["analysis"]["nodes"]
    n = payload["analysis"]["n_nodes"]
    keep_node = [True] * n
    if filters.challenge is not None:
        allowed = set(payload["challenge_nodes"].get(str(filters.challenge), []))
        keep_node = [i in allowed for i in range(n)]
    merged: dict[tuple[int, int], float] = {}
    for a, b, weight, form, start, end in zip(
        ties["src"],
        ties["dst"],
        ties["weight"],
        ties["form"],
        ties["start"],
        ties["end"],
        strict=True,
    ):
        if filters.form and form != filters.form:
            continue
        if not (keep_node[a] and keep_node[b]):
            continue
        if filters.year is not None:
            if start is not None and start >= filters.year + 1:
                continue
            if end is not None and end < filters.year:
                continue
        merged[(a, b)] = merged.get((a, b), 0.0) + weight
    layout = payload["layout"]
    return {
        "nodes": [
            {
                "key": str(i), "id": payload["stakeholder_ids"][i], "label": nodes["name"][i],
                "sector": nodes["sector"][i], "x": layout["x"][i], "y": layout["y"][i],
                "degree": nodes["degree"][i], "betweenness": nodes["betweenness"][i],
                "pagerank": nodes["pagerank"][i], "strength": nodes["strength"][i],
            }
            for i in range(n)
            if keep_node[i]
        ],
        "edges": [[str(a), str(b), round(w, 4)] for (a, b), w in merged.items()],
    }  # fmt: skip


def trust_profile(payload: dict[str, Any], node: int) -> dict[str, Any]:
    """One stakeholder's trust, as counts anyone may see: ratings it gave and received, how
    many of those were returned, and its joint work that went badly (named: joint work is
    public). Stated scores are not here; :func:`stakeholder_rows` applies the privacy rule."""
    trust = payload["analysis"]["trust"]
    stated = trust["stated"]
    pairs = set(zip(stated["rater"], stated["ratee"], strict=True))
    given = {b for a, b in pairs if a == node}
    received = {a for a, b in pairs if b == node}
    names = payload["analysis"]["nodes"]["name"]
    ids = payload["stakeholder_ids"]
    behaviour = trust["behavioural"]
    bad = []
    for a, b, value in zip(behaviour["a"], behaviour["b"], behaviour["trust"], strict=True):
        if node in (a, b) and value is not None and value < 0.5:
            other = b if a == node else a
            bad.append({"id": ids[other], "name": names[other], "trust": value})
    return {
        "n_given": len(given),
        "n_received": len(received),
        "n_mutual": len(given & received),
        "n_joint_work_partners": sum(
            1 for a, b in zip(behaviour["a"], behaviour["b"], strict=True) if node in (a, b)
        ),
        "weak_joint_work": sorted(bad, key=lambda row: row["trust"]),
    }
