"""Compute and store a conversation's opinion map (the body of the recompute task).

Pages never compute: they read the latest :class:`~cocity.engagement.models.OpinionResult`.
This module builds the vote arrays (:func:`~cocity.engagement.selectors.vote_arrays`), calls
the pure analytics (:mod:`cocity.analytics.opinion`) starting from the previous result's
state so groups stay steady, adds what Pol.is does not have (each group's make-up by helix
sector and area; representativeness of the participants against the population of the
territory's areas) and stores it all under the next version.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from cocity.analytics.opinion import (
    OpinionInputError,
    OpinionMap,
    OpinionState,
    VoteMatrix,
    group_composition,
    opinion_map,
    representativeness,
    vote_matrix_from_events,
)
from cocity.ecosystem.models import Sector
from cocity.engagement import selectors
from cocity.engagement.models import Conversation, OpinionResult
from cocity.territories.models import Area

RESULTS_KEPT = 5
"""Stored maps kept per conversation (older versions are deleted as new ones arrive)."""
SEED = 0
"""The analytics' seed (the same as ``cocity opinion analyse``'s default), so a stored map
equals the map of the same votes computed from files."""


def _counts(matrix_votes: Any, n_statements: int) -> dict[str, list[int]]:
    data = np.asarray(matrix_votes.data)
    cols = np.asarray(matrix_votes.indices)
    return {
        "agree": np.bincount(cols[data == 1], minlength=n_statements).tolist(),
        "disagree": np.bincount(cols[data == -1], minlength=n_statements).tolist(),
        "pass": np.bincount(cols[data == 0], minlength=n_statements).tolist(),
    }


def _composition(
    result: OpinionMap, arrays: selectors.VoteArrays, areas: list[Area]
) -> dict[str, Any]:
    rows = result.participant_ids
    order = np.searchsorted(arrays.participant_numbers, rows)
    sector_codes = {code: i for i, code in enumerate(Sector.values)}
    sectors = np.array(
        [sector_codes.get(arrays.participant_sectors[i], -1) for i in order.tolist()],
        dtype=np.int64,
    )
    area_index = {a.pk: i for i, a in enumerate(areas)}
    area_codes = np.array(
        [area_index.get(int(arrays.participant_areas[i]), -1) for i in order.tolist()],
        dtype=np.int64,
    )
    out: dict[str, Any] = {}
    for name, codes, categories in (
        ("sector", sectors, list(Sector.values)),
        ("area", area_codes, [a.code for a in areas]),
    ):
        if not categories:
            continue
        comp = group_composition(result.group_labels, codes, categories, n_groups=result.n_groups)
        out[name] = {
            "categories": list(comp.categories),
            "counts": comp.counts.tolist(),
            "unknown": comp.unknown.tolist(),
        }
    return {"composition": out, "area_codes": area_codes, "sector_codes": sectors}


def _representativeness(
    area_codes: np.ndarray,
    voted: np.ndarray,
    areas: list[Area],
    category_of: Callable[[Area], str | None],
) -> dict[str, Any] | None:
    """Participants who voted, by category of their area (the area itself, or its deprivation
    decile), against the population shares of the categories. Areas without a population or a
    category are left out (their participants count as unknown). None when fewer than two
    categories, or no participant of known category."""
    categories = sorted(
        {c for a in areas if a.population and (c := category_of(a)) is not None},
        key=lambda c: (len(c), c),
    )
    if len(categories) < 2:
        return None
    index = {c: i for i, c in enumerate(categories)}
    population = np.zeros(len(categories))
    remap = np.full(len(areas) + 1, -1, dtype=np.int64)  # the last slot takes code -1
    for i, area in enumerate(areas):
        category = category_of(area)
        if area.population and category is not None:
            remap[i] = index[category]
            population[index[category]] += area.population
    codes = remap[area_codes[voted]]
    if not (codes >= 0).any():
        return None
    try:
        rep = representativeness(codes, population, categories=categories)
    except OpinionInputError:
        return None
    return {
        "categories": list(rep.categories),
        "observed": rep.observed.tolist(),
        "observed_shares": rep.observed_shares.tolist(),
        "reference_shares": rep.reference_shares.tolist(),
        "adjusted_residuals": rep.adjusted_residuals.tolist(),
        "chi_square": None if np.isnan(rep.chi_square) else rep.chi_square,
        "p_value": None if np.isnan(rep.p_value) else rep.p_value,
        "dissimilarity": rep.dissimilarity,
        "under_represented": list(rep.under_represented),
        "over_represented": list(rep.over_represented),
        "n_unknown": rep.n_unknown,
        "reference": "population",
    }


def _decile(area: Area) -> str | None:
    return None if area.deprivation_decile is None else str(area.deprivation_decile)


def opinion_payload(
    result: OpinionMap, matrix: VoteMatrix, arrays: selectors.VoteArrays, areas: list[Area]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored payload (the map's summary plus cocity's extras) and the warm-start state."""
    payload = result.to_dict()
    state = payload.pop("state")
    n_statements = int(result.statement_ids.size)
    payload["statement_votes"] = _counts(matrix.votes, n_statements)
    payload["group_votes"] = {
        "agree": result.stats.na.tolist(),
        "disagree": result.stats.nd.tolist(),
        "votes": result.stats.ns.tolist(),
    }
    extras = _composition(result, arrays, areas)
    payload["composition"] = extras["composition"]
    voted = matrix.votes_per_participant() > 0
    codes = extras["area_codes"]
    payload["representativeness"] = _representativeness(codes, voted, areas, lambda a: a.code)
    # The same by deprivation decile: do the most deprived neighbourhoods take part? (With
    # many small areas, no single one can be shown under-represented; deciles can.)
    payload["representativeness_by_decile"] = _representativeness(codes, voted, areas, _decile)
    payload["areas"] = {a.code: a.name for a in areas}
    return payload, state


@transaction.atomic
def _store(
    conversation: Conversation,
    arrays: selectors.VoteArrays,
    payload: dict[str, Any],
    state: dict[str, Any],
    fingerprint: list[Any],
    seconds: float,
) -> OpinionResult:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    version = locked.version + 1
    payload["fingerprint"] = fingerprint
    stored = OpinionResult.objects.create(
        conversation=locked,
        version=version,
        computed_at=timezone.now(),
        n_participants=int(payload["n_participants"]),
        n_votes=arrays.n_votes,
        n_statements=int(payload["n_statements"]),
        seconds=seconds,
        payload=payload,
        state=state,
    )
    Conversation.objects.filter(pk=locked.pk).update(version=version)
    old = OpinionResult.objects.filter(conversation=locked, version__lte=version - RESULTS_KEPT)
    old.delete()
    conversation.version = version
    return stored


def opinion_result_compute(
    *, conversation: Conversation, force: bool = False
) -> OpinionResult | None:
    """Compute the opinion map of ``conversation`` and store it as the next version.

    Returns the stored result, or None when there is nothing new (the data has not changed
    since the latest stored map, unless ``force``) or no vote at all. Starts from the latest
    stored map's state (so groups keep their numbers), unless that state is unreadable.
    """
    return opinion_result_refresh(conversation=conversation, force=force)[0]


def opinion_result_refresh(
    *, conversation: Conversation, force: bool = False
) -> tuple[OpinionResult | None, list[Any]]:
    """:func:`opinion_result_compute`, also returning the data fingerprint it looked at (so
    the task can tell whether votes arrived while it worked)."""
    fingerprint = selectors.data_fingerprint(conversation=conversation)
    latest = selectors.result_latest(conversation=conversation)
    if latest is not None and not force and latest.payload.get("fingerprint") == fingerprint:
        return None, fingerprint
    arrays = selectors.vote_arrays(conversation=conversation)
    if arrays.n_votes == 0:
        return None, fingerprint
    previous = None
    if latest is not None and latest.state:
        try:
            previous = OpinionState.from_dict(latest.state)
        except OpinionInputError:
            previous = None
    started = time.perf_counter()
    matrix = vote_matrix_from_events(
        arrays.voter,
        arrays.statement,
        arrays.value,
        # Rows: participants who voted (as Pol.is's exports list them); columns: every statement.
        all_statement_ids=arrays.statement_numbers,
    )
    result = opinion_map(
        matrix, moderated_statement_ids=arrays.rejected_numbers, previous=previous, seed=SEED
    )
    areas = list(Area.objects.filter(territory_id=conversation.territory_id).order_by("code"))
    payload, state = opinion_payload(result, matrix, arrays, areas)
    stored = _store(
        conversation, arrays, payload, state, fingerprint, time.perf_counter() - started
    )
    return stored, fingerprint
