"""A synthetic ecosystem with planted communities, for benchmarks, tests and demos.

Stakeholders fall into planted communities (about 100 members each); most ties stay
inside a community, the rest cross at random. Activity is heavy-tailed (Pareto
propensities, capped), sectors lean towards each community's lead sector, ties carry
partnership weights and years, and joint work and ratings are drawn from a hidden
quality per pair, with a few pairs whose ratings deliberately contradict their joint work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cocity.analytics.network.graph import (
    SECTORS,
    EcosystemNetwork,
    JointWork,
    TrustRatings,
    build_network,
    joint_work,
    trust_ratings,
)
from cocity.analytics.network.weights import PARTNERSHIP_FORM_WEIGHT, PARTNERSHIP_STATUS_WEIGHT

CLUSTERS = (
    "ICT",
    "creative",
    "health",
    "life sciences",
    "energy",
    "mobility",
    "manufacturing",
    "agrifood",
)
CHALLENGES = (
    "smart energy",
    "mobility",
    "lighting",
    "air quality",
    "housing",
    "citizen health",
    "digital skills",
    "waste",
    "water",
    "public safety",
)


@dataclass(frozen=True, slots=True, eq=False)
class SyntheticEcosystem:
    """A generated ecosystem and what was planted in it."""

    network: EcosystemNetwork
    work: JointWork
    ratings: TrustRatings
    planted_community: NDArray[np.int64]
    contradicted_pairs: NDArray[np.int64]


def synthetic_ecosystem(
    n_nodes: int,
    n_ties: int,
    *,
    seed: int | np.random.Generator = 0,
    mixing: float = 0.2,
    community_size: int = 100,
    events_per_tie: float = 0.5,
    ratings_per_tie: float = 0.2,
    first_year: int = 2010,
    last_year: int = 2024,
) -> SyntheticEcosystem:
    """Generate a synthetic ecosystem.

    Parameters
    ----------
    n_nodes : int
        Stakeholders (at least 2).
    n_ties : int
        Tie records to draw (self-ties and duplicates are dropped or merged later, so
        the number of distinct pairs is a little lower).
    seed : int or numpy.random.Generator
    mixing : float
        Share of ties drawn across communities (0: only inside).
    community_size : int
        Mean planted community size.
    events_per_tie, ratings_per_tie : float
        Joint-work records and ratings per tie, on average.
    first_year, last_year : int
        Span of tie start years.

    Returns
    -------
    SyntheticEcosystem
    """
    if n_nodes < 2 or n_ties < 0:
        raise ValueError(f"need n_nodes >= 2 and n_ties >= 0, got {n_nodes}, {n_ties}")
    rng = np.random.default_rng(seed)
    n_communities = max(1, n_nodes // community_size)
    community = rng.integers(0, n_communities, n_nodes)
    lead_sector = rng.choice(len(SECTORS), n_communities, p=[0.15, 0.2, 0.35, 0.2, 0.1])
    global_sector = rng.choice(len(SECTORS), n_nodes, p=[0.1, 0.15, 0.45, 0.2, 0.1])
    sector = np.where(rng.random(n_nodes) < 0.5, lead_sector[community], global_sector).astype(
        np.int8
    )
    propensity = np.minimum(rng.pareto(2.5, n_nodes) + 1.0, 50.0)
    p = propensity / propensity.sum()

    order = np.argsort(community, kind="stable")
    sizes = np.bincount(community, minlength=n_communities)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    src = rng.choice(n_nodes, n_ties, p=p)
    inside = rng.random(n_ties) >= mixing
    c = community[src[inside]]
    dst = rng.choice(n_nodes, n_ties, p=p)
    dst[inside] = order[starts[c] + (rng.random(int(inside.sum())) * sizes[c]).astype(np.int64)]

    span = last_year - first_year + 1
    start = last_year - np.minimum(np.floor(rng.exponential(span / 2.5, n_ties)), span - 1)
    ended = rng.random(n_ties) < 0.3
    end = np.where(ended, np.minimum(start + rng.geometric(0.3, n_ties), last_year), np.nan)
    forms = np.array(list(PARTNERSHIP_FORM_WEIGHT.values()))
    statuses = np.array(list(PARTNERSHIP_STATUS_WEIGHT.values()))
    weight = (
        forms[rng.integers(0, forms.size, n_ties)]
        * statuses[rng.integers(0, statuses.size, n_ties)]
    )

    lead_cluster = rng.integers(0, len(CLUSTERS), n_communities)
    clusters = []
    challenges = []
    extra_cluster = rng.integers(0, len(CLUSTERS), n_nodes)
    has_extra = rng.random(n_nodes) < 0.4
    challenge_count = rng.integers(0, 3, n_nodes)
    challenge_draw = rng.integers(0, len(CHALLENGES), (n_nodes, 2))
    for i in range(n_nodes):
        own = {CLUSTERS[lead_cluster[community[i]]]}
        if has_extra[i]:
            own.add(CLUSTERS[extra_cluster[i]])
        clusters.append(frozenset(own))
        challenges.append(frozenset(CHALLENGES[j] for j in challenge_draw[i, : challenge_count[i]]))
    names = [f"{SECTORS[s].capitalize()} org {i}" for i, s in enumerate(sector.tolist())]
    network = build_network(
        n_nodes,
        sector,
        src,
        dst,
        weight,
        start_year=start,
        end_year=end,
        names=names,
        clusters=clusters,
        challenges=challenges,
    )

    m = network.n_ties
    quality = rng.beta(4.0, 2.0, m)
    n_events = int(events_per_tie * m)
    tie = rng.integers(0, m, n_events) if m else np.zeros(0, dtype=np.int64)
    tie_start = np.nan_to_num(network.start_year[tie], nan=first_year)
    tie_end = np.nan_to_num(network.end_year[tie], nan=last_year + 1)
    when = tie_start + rng.random(n_events) * np.maximum(tie_end - tie_start, 0.1)
    draw = rng.random(n_events)
    outcome = np.where(draw < 0.2, 0, np.where(draw < 0.2 + 0.8 * quality[tie], 1, -1))
    work = joint_work(network.src[tie], network.dst[tie], when, outcome, n_nodes=n_nodes)

    n_ratings = int(ratings_per_tie * m)
    rated = rng.integers(0, m, n_ratings) if m else np.zeros(0, dtype=np.int64)
    flip = rng.random(n_ratings) < 0.5
    rater = np.where(flip, network.src[rated], network.dst[rated])
    ratee = np.where(flip, network.dst[rated], network.src[rated])
    contradicted = rng.random(m) < 0.03
    belief = np.where(contradicted[rated], 1.0 - quality[rated], quality[rated])

    def score() -> NDArray[np.float64]:
        return np.asarray(
            np.clip(np.rint(1 + 4 * belief + rng.normal(0, 0.5, n_ratings)), 1, 5), dtype=np.float64
        )

    rating_time = (
        np.nan_to_num(network.start_year[rated], nan=first_year) + rng.random(n_ratings) * 2
    )
    ratings = trust_ratings(
        rater,
        ratee,
        score(),
        score(),
        score(),
        np.minimum(rating_time, last_year + 1),
        n_nodes=n_nodes,
    )
    return SyntheticEcosystem(
        network=network,
        work=work,
        ratings=ratings,
        planted_community=community.astype(np.int64),
        contradicted_pairs=np.flatnonzero(contradicted).astype(np.int64),
    )
