"""Build the stored payload of an ecosystem analysis from a territory's inputs.

Called by :func:`cocity.network.services.network_result_execute` only (a task or a service,
never a page). ``report`` is told each step as it starts, for the progress bar.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from typing import Any

import igraph as ig
import numpy as np

from cocity.analytics.network import (
    analyse_ecosystem,
    build_network,
    joint_work,
    joint_work_ties,
    partnership_tie_weights,
    simple_ties,
    summary_sentences,
    to_igraph,
    trust_ratings,
)
from cocity.network.selectors import (
    FORM_WEIGHT_KEY,
    JOINT_WORK,
    PAYLOAD_SCHEMA,
    NetworkInputs,
    decimal_year,
    network_data_version,
    network_inputs,
)
from cocity.territories.models import Territory

Report = Callable[[int, str], None]

LAYOUT_ITERATIONS = 500
"""Fruchterman-Reingold iterations; igraph switches to its grid variant above 1,000
stakeholders, which lays out 5,000 in well under a second (DrL took ten)."""


def _none(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 4)


def network_payload_build(
    *,
    territory: Territory,
    seed: int = 0,
    today: dt.date | None = None,
    report: Report | None = None,
    n_jobs: int = 1,
) -> tuple[str, dict[str, Any]]:
    """Compute the analysis of the territory's current data.

    Returns the data version it was computed from and the payload to store. Raises
    ``NetworkInputError`` (with a message for people) on data the analytics refuse.
    ``n_jobs`` 2 or more runs the path measures in a second process (same result).
    """
    today = today or dt.date.today()
    say = report or (lambda _percent, _step: None)
    say(5, "reading")
    version = network_data_version(territory=territory, today=today)
    inputs = network_inputs(territory=territory)
    as_of = decimal_year(today)
    say(15, "building")
    payload_ties, network, work, ratings = _analytics_inputs(inputs, as_of=as_of)
    say(25, "analysing")
    analysis = analyse_ecosystem(
        network, work=work, ratings=ratings, seed=seed, n_recommendations=100, n_jobs=n_jobs
    )
    say(80, "layout")
    layout = _layout(analysis.n_nodes, network, seed=seed)
    say(95, "saving")
    return version, {
        "schema": PAYLOAD_SCHEMA,
        "as_of": today.isoformat(),
        "seed": seed,
        "stakeholder_ids": inputs.stakeholder_ids,
        "analysis": analysis.to_dict(),
        "summary": summary_sentences(analysis),
        "layout": layout,
        "ties": payload_ties,
        "forms": sorted(set(payload_ties["form"])),
        "years": _years(payload_ties, until=today.year),
        "challenge_nodes": {str(k): v for k, v in inputs.challenge_nodes.items()},
        "challenges": sorted(
            (
                [pk, title]
                for pk, title in inputs.challenge_titles.items()
                if pk in inputs.challenge_nodes
            ),
            key=lambda row: row[1].lower(),
        ),
        "inputs": {
            "partnership_ties": len(inputs.tie_src),
            "joint_work_pairs": len(inputs.work_a),
            "ratings": len(inputs.rating_rater),
        },
    }


def _analytics_inputs(
    inputs: NetworkInputs, *, as_of: float
) -> tuple[dict[str, list[Any]], Any, Any, Any]:
    n = inputs.n_nodes
    src = np.asarray(inputs.tie_src, dtype=np.int64)
    dst = np.asarray(inputs.tie_dst, dtype=np.int64)
    start = np.asarray(inputs.tie_start, dtype=np.float64)
    end = np.asarray(inputs.tie_end, dtype=np.float64)
    forms = list(inputs.tie_form)
    if src.size:
        weight = partnership_tie_weights(
            [FORM_WEIGHT_KEY.get(form, "other") for form in forms],
            inputs.tie_status,
            start,
            end,
            as_of_year=as_of,
        )
    else:
        weight = np.zeros(0)
    work = joint_work(
        inputs.work_a, inputs.work_b, inputs.work_time, inputs.work_outcome, n_nodes=n
    )
    w_src, w_dst, w_weight, w_start = joint_work_ties(work, as_of_year=as_of)
    keep = weight > 0  # a partnership that has not started yet is no tie yet
    # A planned end after today is no end yet: the tie is running (else the yearly growth
    # would report years that have not happened).
    end = np.where(end > as_of, np.nan, end)
    all_src = np.concatenate([src[keep], w_src]).astype(np.int64)
    all_dst = np.concatenate([dst[keep], w_dst]).astype(np.int64)
    all_weight = np.concatenate([weight[keep], w_weight])
    all_start = np.concatenate([start[keep], w_start])
    all_end = np.concatenate([end[keep], np.full(w_src.size, np.nan)])
    all_forms = [f for f, k in zip(forms, keep.tolist(), strict=True) if k] + [JOINT_WORK] * int(
        w_src.size
    )
    network = build_network(
        n,
        inputs.sector,
        all_src,
        all_dst,
        all_weight,
        start_year=all_start,
        end_year=all_end,
        names=inputs.names,
        clusters=inputs.clusters,
        challenges=inputs.challenges,
    )
    scores = np.asarray(inputs.rating_scores, dtype=np.float64).reshape(-1, 3)
    ratings = trust_ratings(
        inputs.rating_rater,
        inputs.rating_ratee,
        scores[:, 0],
        scores[:, 1],
        scores[:, 2],
        inputs.rating_time,
        n_nodes=n,
    )
    low = np.minimum(all_src, all_dst)
    high = np.maximum(all_src, all_dst)
    not_self = low != high
    payload_ties = {
        "src": low[not_self].tolist(),
        "dst": high[not_self].tolist(),
        "weight": [round(float(w), 4) for w in all_weight[not_self]],
        "form": [f for f, k in zip(all_forms, not_self.tolist(), strict=True) if k],
        "start": [_none(v) for v in all_start[not_self]],
        "end": [_none(v) for v in all_end[not_self]],
    }
    return payload_ties, network, work, ratings


def _layout(n: int, network: Any, *, seed: int) -> dict[str, list[float]]:
    """Positions in [0, 1]² for every stakeholder, computed once and stored."""
    if n == 0:
        return {"x": [], "y": []}
    if n == 1:
        return {"x": [0.5], "y": [0.5]}
    graph: ig.Graph = to_igraph(n, simple_ties(network))
    state = random.getstate()
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(weights="weight", niter=LAYOUT_ITERATIONS)
    finally:
        ig.set_random_number_generator(random)
        random.setstate(state)
    coords = np.asarray(layout.coords, dtype=np.float64)
    low = coords.min(axis=0)
    span = np.where(coords.max(axis=0) - low > 0, coords.max(axis=0) - low, 1.0)
    scaled = (coords - low) / span
    return {
        "x": [round(float(v), 4) for v in scaled[:, 0]],
        "y": [round(float(v), 4) for v in scaled[:, 1]],
    }


def _years(ties: dict[str, list[Any]], *, until: int) -> list[int]:
    """The years the filter offers: from the first tie to this year (planned end dates in
    the future are not history yet)."""
    values = [v for v in ties["start"] if v is not None] + [v for v in ties["end"] if v is not None]
    if not values:
        return []
    return list(range(math.floor(min(values)), min(until, math.floor(max(values))) + 1))
