"""Trust between stakeholders: stated (ratings), behavioural (joint work), and where they differ.

Stated and behavioural trust are kept apart and compared, as the design asks: what a
partner *says* about another (ratings on ability, benevolence and integrity) and what
their joint work *shows* (outcomes of dated collaborations).

References
----------
Jøsang, A. & Ismail, R. (2002). The beta reputation system. *Proc. 15th Bled Electronic
Commerce Conference*. Mayer, R. C., Davis, J. H. & Schoorman, F. D. (1995). An integrative
model of organizational trust. *Academy of Management Review* 20(3), 709-734.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cocity.analytics.network.graph import (
    JointWork,
    NetworkInputError,
    TrustRatings,
    weighted_bincount,
)

DEFAULT_HALF_LIFE_YEARS = 2.0
"""Half-life of the evidence of one collaboration or rating, in years."""


@dataclass(frozen=True, slots=True, eq=False)
class BehaviouralTrust:
    r"""Trust inferred from joint work, one row per unordered pair ``a < b``.

    Attributes
    ----------
    a, b : ndarray of int32
    positive, negative : ndarray of float64
        Decayed evidence :math:`r` and :math:`s` (a mixed outcome counts half to each).
    trust : ndarray of float64
        :math:`E = (r + 1) / (r + s + 2)`, the mean of Beta(r + 1, s + 1), in [0, 1];
        0.5 means no evidence either way.
    uncertainty : ndarray of float64
        :math:`u = 2 / (r + s + 2)` in (0, 1]: 1 with no evidence, shrinking with more.
    n_events : ndarray of int32
        Joint-work records counted (undecayed).
    half_life_years : float
    """

    a: NDArray[np.int32]
    b: NDArray[np.int32]
    positive: NDArray[np.float64]
    negative: NDArray[np.float64]
    trust: NDArray[np.float64]
    uncertainty: NDArray[np.float64]
    n_events: NDArray[np.int32]
    half_life_years: float


@dataclass(frozen=True, slots=True, eq=False)
class StatedTrust:
    """Stated trust, one row per directed pair ``rater -> ratee``.

    ``trust`` is the recency-weighted mean of the ratings' mean score, rescaled from 1-5
    to [0, 1] by ``(score - 1) / 4``; ``ability``, ``benevolence``, ``integrity`` are the
    recency-weighted means of each dimension on the 1-5 scale.
    """

    rater: NDArray[np.int32]
    ratee: NDArray[np.int32]
    trust: NDArray[np.float64]
    ability: NDArray[np.float64]
    benevolence: NDArray[np.float64]
    integrity: NDArray[np.float64]
    n_ratings: NDArray[np.int32]


@dataclass(frozen=True, slots=True, eq=False)
class TrustDisagreements:
    """Directed pairs whose stated trust and behavioural trust differ by ``threshold`` or more.

    Sorted by ``|gap|`` descending; ``gap = stated - behavioural`` (positive: says more
    than joint work shows).
    """

    rater: NDArray[np.int32]
    ratee: NDArray[np.int32]
    stated: NDArray[np.float64]
    behavioural: NDArray[np.float64]
    gap: NDArray[np.float64]
    threshold: float


@dataclass(frozen=True, slots=True, eq=False)
class TrustAnalysis:
    """All trust results.

    Attributes
    ----------
    behavioural : BehaviouralTrust
    stated : StatedTrust
    reciprocity : float
        Share of rated directed pairs whose reverse pair is rated too (NaN with no
        ratings); Wasserman & Faust (1994) arc reciprocity.
    mean_asymmetry : float
        Mean ``|t(a->b) - t(b->a)|`` over mutually rated pairs (NaN if none).
    disagreements : TrustDisagreements
    stated_received : ndarray of float64, shape (n_nodes,)
        Mean stated trust each stakeholder receives (NaN if never rated).
    behavioural_mean : ndarray of float64, shape (n_nodes,)
        Mean behavioural trust over each stakeholder's joint-work pairs (NaN if none).
    """

    behavioural: BehaviouralTrust
    stated: StatedTrust
    reciprocity: float
    mean_asymmetry: float
    disagreements: TrustDisagreements
    stated_received: NDArray[np.float64]
    behavioural_mean: NDArray[np.float64]


def _decay(time: NDArray[np.float64], as_of: float, half_life_years: float) -> NDArray[np.float64]:
    if not half_life_years > 0:
        raise NetworkInputError(f"half_life_years must be > 0, got {half_life_years}")
    return np.exp2(-np.maximum(0.0, as_of - time) / half_life_years)


def behavioural_trust(
    work: JointWork,
    *,
    n_nodes: int,
    as_of_year: float | None = None,
    half_life_years: float = DEFAULT_HALF_LIFE_YEARS,
) -> BehaviouralTrust:
    r"""Beta-reputation trust from joint work, with exponential forgetting.

    For each unordered pair, events up to ``as_of_year`` are weighted by
    :math:`\lambda = 2^{-(y - t)/h}` (``h`` = half-life) and summed into positive
    evidence :math:`r` (outcome +1, plus half of each mixed outcome 0) and negative
    evidence :math:`s` (outcome -1, plus half of each mixed). Trust is the expected
    value of Beta(r + 1, s + 1) (Jøsang & Ismail 2002):

    .. math:: E = \frac{r + 1}{r + s + 2}, \qquad u = \frac{2}{r + s + 2}.

    Parameters
    ----------
    work : JointWork
    n_nodes : int
        Number of stakeholders (ids are checked against it).
    as_of_year : float, optional
        Events after it are ignored; default the latest event.
    half_life_years : float
        Years for one event's weight to halve (default 2).

    Returns
    -------
    BehaviouralTrust
        One row per pair with at least one event up to ``as_of_year``.
    """
    a_all = np.minimum(work.a, work.b).astype(np.int64)
    b_all = np.maximum(work.a, work.b).astype(np.int64)
    if a_all.size and int(b_all.max()) >= n_nodes:
        raise NetworkInputError(f"joint work names node {int(b_all.max())} but n_nodes = {n_nodes}")
    as_of = (
        float(work.time.max())
        if as_of_year is None and work.time.size
        else (float(as_of_year) if as_of_year is not None else 0.0)
    )
    keep = (work.time <= as_of) & (a_all != b_all)
    a_all, b_all = a_all[keep], b_all[keep]
    outcome = work.outcome[keep].astype(np.float64)
    weight = _decay(work.time[keep], as_of, half_life_years)
    key = a_all * max(n_nodes, 1) + b_all
    unique_key, inverse = np.unique(key, return_inverse=True)
    k = unique_key.size
    positive_share = np.where(outcome > 0, 1.0, np.where(outcome < 0, 0.0, 0.5))
    r = weighted_bincount(inverse, weights=weight * positive_share, minlength=k)
    s = weighted_bincount(inverse, weights=weight * (1.0 - positive_share), minlength=k)
    n = max(n_nodes, 1)
    return BehaviouralTrust(
        a=(unique_key // n).astype(np.int32),
        b=(unique_key % n).astype(np.int32),
        positive=r,
        negative=s,
        trust=(r + 1.0) / (r + s + 2.0),
        uncertainty=2.0 / (r + s + 2.0),
        n_events=np.bincount(inverse, minlength=k).astype(np.int32),
        half_life_years=float(half_life_years),
    )


def stated_trust(
    ratings: TrustRatings,
    *,
    n_nodes: int,
    as_of_year: float | None = None,
    half_life_years: float = DEFAULT_HALF_LIFE_YEARS,
) -> StatedTrust:
    r"""Recency-weighted stated trust per directed pair.

    Each rating's score is the mean of its ability, benevolence and integrity (1-5),
    rescaled to :math:`(x - 1)/4 \in [0, 1]`. Ratings of the same pair are averaged with
    weights :math:`2^{-(y - t)/h}`, so a newer rating counts more. Ratings after
    ``as_of_year`` are ignored.

    Returns
    -------
    StatedTrust
        One row per rated directed pair, sorted by ``(rater, ratee)``.
    """
    as_of = (
        float(ratings.time.max())
        if as_of_year is None and ratings.time.size
        else (float(as_of_year) if as_of_year is not None else 0.0)
    )
    keep = ratings.time <= as_of
    rater = ratings.rater[keep].astype(np.int64)
    ratee = ratings.ratee[keep].astype(np.int64)
    if rater.size and int(max(rater.max(), ratee.max())) >= n_nodes:
        raise NetworkInputError(f"ratings name a node >= n_nodes = {n_nodes}")
    weight = _decay(ratings.time[keep], as_of, half_life_years)
    n = max(n_nodes, 1)
    unique_key, inverse = np.unique(rater * n + ratee, return_inverse=True)
    k = unique_key.size
    total = weighted_bincount(inverse, weights=weight, minlength=k)

    def weighted_mean(values: NDArray[np.float64]) -> NDArray[np.float64]:
        sums = weighted_bincount(inverse, weights=weight * values, minlength=k)
        return np.asarray(sums / np.where(total > 0, total, 1.0), dtype=np.float64)

    ability = weighted_mean(ratings.ability[keep])
    benevolence = weighted_mean(ratings.benevolence[keep])
    integrity = weighted_mean(ratings.integrity[keep])
    return StatedTrust(
        rater=(unique_key // n).astype(np.int32),
        ratee=(unique_key % n).astype(np.int32),
        trust=((ability + benevolence + integrity) / 3.0 - 1.0) / 4.0,
        ability=ability,
        benevolence=benevolence,
        integrity=integrity,
        n_ratings=np.bincount(inverse, minlength=k).astype(np.int32),
    )


def rating_reciprocity(stated: StatedTrust, n_nodes: int) -> tuple[float, float]:
    """Arc reciprocity of the rating network and the mean asymmetry of mutual ratings.

    Returns
    -------
    reciprocity : float
        (number of rated pairs whose reverse is also rated) / (number of rated pairs);
        equals :func:`networkx.overall_reciprocity` on the rating digraph. NaN if none.
    mean_asymmetry : float
        Mean of ``|t(a->b) - t(b->a)|`` over mutually rated pairs, NaN if none.
    """
    if stated.rater.size == 0:
        return float("nan"), float("nan")
    n = max(n_nodes, 1)
    key = stated.rater.astype(np.int64) * n + stated.ratee
    reverse = stated.ratee.astype(np.int64) * n + stated.rater
    position = np.searchsorted(key, reverse)
    position = np.minimum(position, key.size - 1)
    mutual = key[position] == reverse
    reciprocity = float(mutual.mean())
    if not mutual.any():
        return reciprocity, float("nan")
    asymmetry = np.abs(stated.trust[mutual] - stated.trust[position[mutual]])
    return reciprocity, float(asymmetry.mean())


def trust_disagreements(
    stated: StatedTrust,
    behavioural: BehaviouralTrust,
    *,
    n_nodes: int,
    threshold: float = 0.25,
    min_evidence: float = 1.0,
) -> TrustDisagreements:
    r"""Directed pairs where stated trust and behavioural trust disagree.

    A rated pair ``rater -> ratee`` is compared with the behavioural trust of the
    unordered pair when the joint work carries at least ``min_evidence`` decayed events
    (:math:`r + s`). It is listed when :math:`|t_{stated} - t_{behavioural}| \ge`
    ``threshold`` (both on [0, 1]).

    Returns
    -------
    TrustDisagreements
        Sorted by the size of the gap, largest first.
    """
    if not 0 <= threshold <= 1:
        raise NetworkInputError(f"threshold must lie in [0, 1], got {threshold}")
    n = max(n_nodes, 1)
    evidence = behavioural.positive + behavioural.negative
    behaviour_key = behavioural.a.astype(np.int64) * n + behavioural.b
    low = np.minimum(stated.rater, stated.ratee).astype(np.int64)
    high = np.maximum(stated.rater, stated.ratee).astype(np.int64)
    pair_key = low * n + high
    if behaviour_key.size == 0 or pair_key.size == 0:
        empty_i = np.zeros(0, dtype=np.int32)
        empty_f = np.zeros(0)
        return TrustDisagreements(
            empty_i, empty_i.copy(), empty_f, empty_f.copy(), empty_f.copy(), threshold
        )
    position = np.minimum(np.searchsorted(behaviour_key, pair_key), behaviour_key.size - 1)
    found = (behaviour_key[position] == pair_key) & (evidence[position] >= min_evidence)
    stated_value = stated.trust[found]
    behaviour_value = behavioural.trust[position[found]]
    gap = stated_value - behaviour_value
    flagged = np.abs(gap) >= threshold
    order = np.argsort(-np.abs(gap[flagged]), kind="stable")
    return TrustDisagreements(
        rater=stated.rater[found][flagged][order],
        ratee=stated.ratee[found][flagged][order],
        stated=stated_value[flagged][order],
        behavioural=behaviour_value[flagged][order],
        gap=gap[flagged][order],
        threshold=float(threshold),
    )


def analyse_trust(
    *,
    n_nodes: int,
    work: JointWork | None,
    ratings: TrustRatings | None,
    as_of_year: float | None = None,
    half_life_years: float = DEFAULT_HALF_LIFE_YEARS,
    disagreement_threshold: float = 0.25,
) -> TrustAnalysis:
    """Run every trust measure; missing inputs give empty results (and NaN summaries).

    See :func:`behavioural_trust`, :func:`stated_trust`, :func:`rating_reciprocity` and
    :func:`trust_disagreements` for the formulas.
    """
    empty_i = np.zeros(0, dtype=np.int32)
    empty_f = np.zeros(0)
    if work is None:
        work = JointWork(empty_i, empty_i.copy(), empty_f, np.zeros(0, dtype=np.int8))
    if ratings is None:
        ratings = TrustRatings(
            empty_i, empty_i.copy(), empty_f, empty_f.copy(), empty_f.copy(), empty_f.copy()
        )
    behavioural = behavioural_trust(
        work, n_nodes=n_nodes, as_of_year=as_of_year, half_life_years=half_life_years
    )
    stated = stated_trust(
        ratings, n_nodes=n_nodes, as_of_year=as_of_year, half_life_years=half_life_years
    )
    reciprocity, asymmetry = rating_reciprocity(stated, n_nodes)
    disagreements = trust_disagreements(
        stated, behavioural, n_nodes=n_nodes, threshold=disagreement_threshold
    )
    received_sum = weighted_bincount(stated.ratee, weights=stated.trust, minlength=n_nodes)
    received_count = np.bincount(stated.ratee, minlength=n_nodes)
    both = np.concatenate([behavioural.a, behavioural.b])
    behaviour_sum = weighted_bincount(
        both, weights=np.tile(behavioural.trust, 2), minlength=n_nodes
    )
    behaviour_count = np.bincount(both, minlength=n_nodes)
    with np.errstate(invalid="ignore", divide="ignore"):
        stated_received = np.where(received_count > 0, received_sum / received_count, np.nan)
        behavioural_mean = np.where(behaviour_count > 0, behaviour_sum / behaviour_count, np.nan)
    return TrustAnalysis(
        behavioural=behavioural,
        stated=stated,
        reciprocity=reciprocity,
        mean_asymmetry=asymmetry,
        disagreements=disagreements,
        stated_received=stated_received,
        behavioural_mean=behavioural_mean,
    )
