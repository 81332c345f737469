"""The full ecosystem analysis: one call, one frozen result, JSON-ready.

:func:`analyse_ecosystem` builds one igraph Graph and runs every measure of the package
on it; :class:`EcosystemAnalysis` holds the results and turns them into plain JSON with
:meth:`EcosystemAnalysis.to_dict`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from cocity.analytics._fork import can_fork, start_in_fork
from cocity.analytics.network.brokerage import ROLES, Brokerage, brokerage_roles
from cocity.analytics.network.graph import (
    SECTORS,
    EcosystemNetwork,
    JointWork,
    NetworkInputError,
    TrustRatings,
    network_as_of,
    simple_ties,
    to_igraph,
)
from cocity.analytics.network.measures import (
    EXACT_BETWEENNESS_LIMIT,
    Betweenness,
    Communities,
    SectorMixing,
    YearlyGrowth,
    betweenness,
    degree_and_strength,
    isolated_and_peripheral,
    leiden_communities,
    pagerank,
    sector_mixing,
    structural_holes,
    triangles,
    yearly_growth,
)
from cocity.analytics.network.recommend import (
    Recommendation,
    RecommendationWeights,
    recommend_partners,
    recommendation_inputs,
)
from cocity.analytics.network.trust import DEFAULT_HALF_LIFE_YEARS, TrustAnalysis, analyse_trust


@dataclass(frozen=True, slots=True, eq=False)
class EcosystemAnalysis:
    """Everything the facilitator's ecosystem page shows, for one network (and year).

    Per-stakeholder arrays have shape ``(n_nodes,)`` and follow node ids.

    Attributes
    ----------
    n_nodes, n_ties : int
        Stakeholders; distinct tied pairs (after merging duplicates).
    as_of_year : float or None
        The year the network was cut at (None: all ties).
    names : tuple of str
    sector : ndarray of int8
        Sector codes (see :data:`~cocity.analytics.network.graph.SECTORS`), -1 unknown.
    degree, strength, pagerank : ndarray
        Partners, summed tie weight, weighted PageRank (sums to 1).
    betweenness : Betweenness
        Exact or sampled, with standard errors.
    constraint, effective_size : ndarray of float64
        Burt's measures (NaN for isolated stakeholders).
    communities : Communities
        Leiden membership (0 = largest), sizes, modularity.
    mixing : SectorMixing
        Helix mixing matrix, expected matrix, E-I whole / per sector / per stakeholder.
    brokerage : Brokerage
        Gould-Fernandez role counts, expectations and z-scores per stakeholder.
    density : float
        Ties / possible pairs (NaN below two stakeholders).
    growth : YearlyGrowth
        Ties, density and new-tie rate per year.
    isolated, peripheral : ndarray of int64
        Stakeholder ids.
    trust : TrustAnalysis
    recommendations : tuple of Recommendation
    dropped_self_ties, merged_duplicate_ties : int
        What cleaning did to the input.
    timings : tuple of (str, float)
        Seconds spent per step (for benchmarks and progress reports).
    """

    n_nodes: int
    n_ties: int
    as_of_year: float | None
    names: tuple[str, ...]
    sector: NDArray[np.int8]
    degree: NDArray[np.int64]
    strength: NDArray[np.float64]
    pagerank: NDArray[np.float64]
    betweenness: Betweenness
    constraint: NDArray[np.float64]
    effective_size: NDArray[np.float64]
    communities: Communities
    mixing: SectorMixing
    brokerage: Brokerage
    density: float
    growth: YearlyGrowth
    isolated: NDArray[np.int64]
    peripheral: NDArray[np.int64]
    trust: TrustAnalysis
    recommendations: tuple[Recommendation, ...]
    dropped_self_ties: int
    merged_duplicate_ties: int
    timings: tuple[tuple[str, float], ...]

    def to_dict(self, *, max_list: int | None = None) -> dict[str, Any]:
        """A JSON-serialisable dict (NaN becomes ``None``).

        Parameters
        ----------
        max_list : int, optional
            Cap on the long pair lists (behavioural and stated trust, disagreements);
            per-stakeholder arrays are always complete.
        """
        cap = slice(None) if max_list is None else slice(0, max_list)
        trust = self.trust
        nodes: dict[str, Any] = {
            "id": list(range(self.n_nodes)),
            "name": list(self.names),
            "sector": [SECTORS[s] if s >= 0 else None for s in self.sector.tolist()],
            "degree": self.degree.tolist(),
            "strength": _floats(self.strength),
            "pagerank": _floats(self.pagerank),
            "betweenness": _floats(self.betweenness.value),
            "betweenness_standard_error": _floats(self.betweenness.standard_error),
            "constraint": _floats(self.constraint),
            "effective_size": _floats(self.effective_size),
            "community": self.communities.membership.tolist(),
            "ei_index": _floats(self.mixing.ei_node),
            "stated_trust_received": _floats(trust.stated_received),
            "behavioural_trust_mean": _floats(trust.behavioural_mean),
        }
        for r, role in enumerate(ROLES):
            nodes[f"brokerage_{role}"] = _floats(self.brokerage.counts[:, r])
            nodes[f"brokerage_{role}_z"] = _floats(self.brokerage.z[:, r])
        return {
            "n_nodes": self.n_nodes,
            "n_ties": self.n_ties,
            "as_of_year": self.as_of_year,
            "sectors": list(SECTORS),
            "roles": list(ROLES),
            "nodes": nodes,
            "network": {
                "density": _float(self.density),
                "modularity": _float(self.communities.modularity),
                "community_sizes": self.communities.sizes.tolist(),
                "mixing_matrix": [_floats(row) for row in self.mixing.counts],
                "mixing_matrix_weighted": [_floats(row) for row in self.mixing.weights],
                "mixing_expected": [_floats(row) for row in self.mixing.expected],
                "ei_index": _float(self.mixing.ei_whole),
                "ei_index_by_sector": dict(
                    zip(SECTORS, _floats(self.mixing.ei_sector), strict=True)
                ),
                "betweenness_exact": self.betweenness.exact,
                "betweenness_sources": self.betweenness.n_sources,
                "isolated": self.isolated.tolist(),
                "peripheral": self.peripheral.tolist(),
                "growth": {
                    "year": self.growth.years.tolist(),
                    "n_ties": self.growth.n_ties.tolist(),
                    "density": _floats(self.growth.density),
                    "new_ties": self.growth.new_ties.tolist(),
                    "new_tie_rate": _floats(self.growth.new_tie_rate),
                },
                "dropped_self_ties": self.dropped_self_ties,
                "merged_duplicate_ties": self.merged_duplicate_ties,
            },
            "trust": {
                "half_life_years": trust.behavioural.half_life_years,
                "reciprocity": _float(trust.reciprocity),
                "mean_asymmetry": _float(trust.mean_asymmetry),
                "behavioural": {
                    "a": trust.behavioural.a[cap].tolist(),
                    "b": trust.behavioural.b[cap].tolist(),
                    "trust": _floats(trust.behavioural.trust[cap]),
                    "uncertainty": _floats(trust.behavioural.uncertainty[cap]),
                    "n_events": trust.behavioural.n_events[cap].tolist(),
                },
                "stated": {
                    "rater": trust.stated.rater[cap].tolist(),
                    "ratee": trust.stated.ratee[cap].tolist(),
                    "trust": _floats(trust.stated.trust[cap]),
                    "ability": _floats(trust.stated.ability[cap]),
                    "benevolence": _floats(trust.stated.benevolence[cap]),
                    "integrity": _floats(trust.stated.integrity[cap]),
                },
                "disagreements": {
                    "threshold": trust.disagreements.threshold,
                    "rater": trust.disagreements.rater[cap].tolist(),
                    "ratee": trust.disagreements.ratee[cap].tolist(),
                    "stated": _floats(trust.disagreements.stated[cap]),
                    "behavioural": _floats(trust.disagreements.behavioural[cap]),
                    "gap": _floats(trust.disagreements.gap[cap]),
                },
            },
            "recommendations": [
                {
                    "a": rec.a,
                    "b": rec.b,
                    "score": rec.score,
                    "components": {
                        "proximity": rec.proximity,
                        "complementarity": rec.complementarity,
                        "trust_path": rec.trust_path,
                        "shared_context": rec.shared_context,
                    },
                    "shared_partners": list(rec.shared_partners),
                    "shared_labels": list(rec.shared_labels),
                    "reason": rec.reason,
                }
                for rec in self.recommendations
            ],
            "timings": dict(self.timings),
        }


def _float(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def _floats(values: NDArray[np.floating[Any]] | NDArray[np.integer[Any]]) -> list[float | None]:
    array = np.asarray(values, dtype=np.float64)
    out: list[float | None] = array.tolist()
    if not np.isfinite(array).all():
        for i in np.flatnonzero(~np.isfinite(array)).tolist():
            out[i] = None
    return out


def _trust_pairs(
    trust: TrustAnalysis, n_nodes: int
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """Directed trust per pair for trust paths: stated where rated, else behavioural."""
    stated = trust.stated
    behaviour = trust.behavioural
    evidence = (behaviour.positive + behaviour.negative) >= 1.0
    b_src = np.concatenate([behaviour.a[evidence], behaviour.b[evidence]])
    b_dst = np.concatenate([behaviour.b[evidence], behaviour.a[evidence]])
    b_val = np.tile(behaviour.trust[evidence], 2)
    n = max(n_nodes, 1)
    stated_keys = stated.rater.astype(np.int64) * n + stated.ratee
    behaviour_keys = b_src.astype(np.int64) * n + b_dst
    if stated_keys.size:
        position = np.minimum(np.searchsorted(stated_keys, behaviour_keys), stated_keys.size - 1)
        only_behaviour = stated_keys[position] != behaviour_keys
    else:
        only_behaviour = np.ones(behaviour_keys.size, dtype=bool)
    return (
        np.concatenate([stated.rater, b_src[only_behaviour]]).astype(np.int32),
        np.concatenate([stated.ratee, b_dst[only_behaviour]]).astype(np.int32),
        np.concatenate([stated.trust, b_val[only_behaviour]]),
    )


def _path_and_community_measures(
    graph: ig.Graph, *, seed: int, exact_limit: int, samples: int, weighted_paths: bool
) -> tuple[Betweenness, Communities, float, float]:
    start = time.perf_counter()
    between = betweenness(
        graph, exact_limit=exact_limit, samples=samples, seed=seed, weighted_paths=weighted_paths
    )
    middle = time.perf_counter()
    communities = leiden_communities(graph, seed=seed)
    return between, communities, middle - start, time.perf_counter() - middle


def _start_in_child(
    work: Callable[[], tuple[Betweenness, Communities, float, float]],
) -> Callable[[], tuple[Betweenness, Communities, float, float]]:
    """Run ``work`` in a forked process; returns a function that waits for its result.

    The measures travel as plain tuples (slotted frozen dataclasses are rebuilt here)."""

    def plain() -> tuple[tuple[Any, ...], tuple[Any, ...], float, float]:
        between, communities, t_between, t_communities = work()
        return (
            (between.value, between.standard_error, between.exact, between.n_sources),
            (communities.membership, communities.sizes, communities.modularity),
            t_between,
            t_communities,
        )

    wait = start_in_fork(plain, what="betweenness/community")

    def collect() -> tuple[Betweenness, Communities, float, float]:
        b, c, t_between, t_communities = wait()
        return Betweenness(*b), Communities(*c), t_between, t_communities

    return collect


def analyse_ecosystem(
    network: EcosystemNetwork,
    *,
    work: JointWork | None = None,
    ratings: TrustRatings | None = None,
    as_of_year: float | None = None,
    seed: int = 0,
    exact_betweenness_limit: int = EXACT_BETWEENNESS_LIMIT,
    betweenness_samples: int = 32,
    weighted_paths: bool = False,
    n_recommendations: int = 50,
    recommendation_weights: RecommendationWeights | None = None,
    trust_half_life_years: float = DEFAULT_HALF_LIFE_YEARS,
    disagreement_threshold: float = 0.25,
    n_jobs: int = 1,
) -> EcosystemAnalysis:
    """Run the whole ecosystem analysis.

    Parameters
    ----------
    network : EcosystemNetwork
        From :func:`~cocity.analytics.network.graph.build_network`.
    work : JointWork, optional
        Joint-work records (behavioural trust).
    ratings : TrustRatings, optional
        Stated trust ratings.
    as_of_year : float, optional
        Analyse the network as it stood in this year (ties, joint work and ratings up to
        it); default: every tie, trust as of the latest record.
    seed : int
        Seeds Leiden and the betweenness sample.
    exact_betweenness_limit, betweenness_samples, weighted_paths
        See :func:`~cocity.analytics.network.measures.betweenness`.
    n_recommendations : int
        Length of the network-wide recommendation list.
    recommendation_weights : RecommendationWeights, optional
    trust_half_life_years : float
        Half-life of joint-work and rating evidence (default 2 years).
    disagreement_threshold : float
        Gap between stated and behavioural trust (both on [0, 1]) that is reported.
    n_jobs : int
        2 or more: compute betweenness and communities in a forked process while the
        rest runs (where the platform can fork; results are identical). Default 1.

    Returns
    -------
    EcosystemAnalysis
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise NetworkInputError(f"seed must be an integer, got {seed!r}")
    timings: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((step, now - clock))
        clock = now

    if as_of_year is not None:
        network = network_as_of(network, as_of_year)
    n = network.n_nodes
    ties = simple_ties(network)
    graph = to_igraph(n, ties)
    lap("build")

    def path_and_communities() -> tuple[Betweenness, Communities, float, float]:
        return _path_and_community_measures(
            graph,
            seed=seed,
            exact_limit=exact_betweenness_limit,
            samples=betweenness_samples,
            weighted_paths=weighted_paths,
        )

    parallel = n_jobs >= 2 and can_fork()
    collect = _start_in_child(path_and_communities) if parallel else None
    degree, strength = degree_and_strength(n, ties)
    ranks = pagerank(graph)
    lap("pagerank")
    if collect is None:
        between, communities, t_between, t_communities = path_and_communities()
        timings.extend([("betweenness", t_between), ("communities", t_communities)])
        clock = time.perf_counter()
    triangle_rows = triangles(graph)
    constraint, effective, per_tie = structural_holes(n, ties, triangle_rows)
    lap("structural_holes")
    mixing = sector_mixing(n, network.sector, ties)
    roles = brokerage_roles(
        n,
        ties.src,
        ties.dst,
        network.sector,
        triangle_rows=triangle_rows,
        triangles_per_tie=per_tie,
    )
    lap("brokerage")
    growth = yearly_growth(n, ties)
    isolated, peripheral = isolated_and_peripheral(graph, degree)
    lap("growth")
    trust = analyse_trust(
        n_nodes=n,
        work=work,
        ratings=ratings,
        as_of_year=as_of_year,
        half_life_years=trust_half_life_years,
        disagreement_threshold=disagreement_threshold,
    )
    lap("trust")
    context = sp.csr_array(sp.hstack([network.clusters, network.challenges], format="csr"))
    inputs = recommendation_inputs(
        n_nodes=n,
        ties=ties,
        sector=network.sector,
        mixing_counts=mixing.counts,
        mixing_expected=mixing.expected,
        trust_pairs=_trust_pairs(trust, n),
        context=context,
        context_names=network.cluster_names + network.challenge_names,
        names=network.names,
    )
    recommendations = recommend_partners(
        inputs, top=n_recommendations, weights=recommendation_weights
    )
    lap("recommendations")
    if collect is not None:
        between, communities, t_between, t_communities = collect()
        timings.extend(
            [("betweenness (in parallel)", t_between), ("communities (in parallel)", t_communities)]
        )
        lap("waiting for the parallel worker")
    pairs = n * (n - 1) / 2
    return EcosystemAnalysis(
        n_nodes=n,
        n_ties=int(ties.src.size),
        as_of_year=None if as_of_year is None else float(as_of_year),
        names=network.names,
        sector=network.sector,
        degree=degree,
        strength=strength,
        pagerank=ranks,
        betweenness=between,
        constraint=constraint,
        effective_size=effective,
        communities=communities,
        mixing=mixing,
        brokerage=roles,
        density=float(ties.src.size / pairs) if pairs > 0 else float("nan"),
        growth=growth,
        isolated=isolated,
        peripheral=peripheral,
        trust=trust,
        recommendations=tuple(recommendations),
        dropped_self_ties=network.dropped_self_ties,
        merged_duplicate_ties=int(network.n_ties - ties.src.size),
        timings=tuple(timings),
    )
