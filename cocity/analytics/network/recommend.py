r"""Partner recommendations: which new partnerships the city should broker, and why.

Candidates are pairs of stakeholders not yet tied who share at least one partner (the
city can make the introduction through that partner). Each is scored from four
components, each in [0, 1]:

* **proximity**: resource allocation index (Zhou, Lü & Zhang 2009),
  :math:`RA_{ab} = \sum_{c \in N(a) \cap N(b)} 1/k_c`, squashed as
  :math:`1 - e^{-2 RA}`: many shared partners, and selective ones, count most;
* **complementarity**: 0 inside one sector; across sectors
  :math:`\tfrac12 + \tfrac12 \max(0, 1 - O_{gh}/E_{gh})`, more when the two sectors are
  tied less than chance would give (:math:`O`, :math:`E` from the mixing matrix);
* **trust path**: :math:`1 - e^{-2 \sum_c \tau_{ac} \tau_{bc}}` with
  :math:`\tau_{ac} = \max(0, 2 t_{ac} - 1)` the trust of a in c above neutral (stated if
  a rated c, else behavioural from their joint work): both trust the same partners;
* **shared context**: Jaccard similarity of their clusters and challenges.

The score is the weighted sum (:class:`RecommendationWeights`). Only the scoring is
written here; the 2-paths come from scipy's sparse products :math:`A D^{-1} A`, computed
in row blocks, with candidates that cannot reach the current top list dropped before
their other components are computed (an exact bound, so the top list is unchanged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from cocity.analytics.network.graph import SECTORS, NetworkInputError, SimpleTies

COMPONENTS: tuple[str, ...] = ("proximity", "complementarity", "trust_path", "shared_context")


@dataclass(frozen=True, slots=True)
class RecommendationWeights:
    """Weights of the four score components (non-negative; normalised to sum to 1)."""

    proximity: float = 0.35
    complementarity: float = 0.2
    trust_path: float = 0.25
    shared_context: float = 0.2

    def normalised(self) -> NDArray[np.float64]:
        """The weights as an array in :data:`COMPONENTS` order, summing to 1."""
        values = np.array(
            [self.proximity, self.complementarity, self.trust_path, self.shared_context]
        )
        if (values < 0).any() or not np.isfinite(values).all() or values.sum() <= 0:
            raise NetworkInputError(f"recommendation weights must be >= 0 and not all 0: {values}")
        return np.asarray(values / values.sum(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A partnership the city could broker.

    Attributes
    ----------
    a, b : int
        The two stakeholders (``a < b`` in the global list; ``a`` is the focus stakeholder
        in per-stakeholder lists).
    score : float
        Weighted score in [0, 1].
    proximity, complementarity, trust_path, shared_context : float
        The components, each in [0, 1] (see the module docstring).
    shared_partners : tuple of int
        Up to three shared partners, most trusted (then most selective) first.
    shared_labels : tuple of str
        Clusters and challenges both work on.
    reason : str
        Plain-language reason, e.g. "both work on smart energy; both trust Lund University".
    """

    a: int
    b: int
    score: float
    proximity: float
    complementarity: float
    trust_path: float
    shared_context: float
    shared_partners: tuple[int, ...]
    shared_labels: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class RecommendationInputs:
    """Arrays the scoring needs, built once by :func:`recommendation_inputs`."""

    n_nodes: int
    adjacency: sp.csr_array
    ra_right: sp.csr_array
    tie_keys: NDArray[np.int64]
    trust: sp.csr_array
    context: sp.csr_array
    context_bits: NDArray[np.uint64] | None
    context_size: NDArray[np.float64]
    sector_labels: NDArray[np.int64]
    complementarity_table: NDArray[np.float64]
    degree: NDArray[np.float64]
    names: tuple[str, ...]
    context_names: tuple[str, ...]


def recommendation_inputs(
    *,
    n_nodes: int,
    ties: SimpleTies,
    sector: NDArray[np.int8],
    mixing_counts: NDArray[np.float64],
    mixing_expected: NDArray[np.float64],
    trust_pairs: tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]] | None,
    context: sp.csr_array,
    context_names: Sequence[str],
    names: Sequence[str],
) -> RecommendationInputs:
    """Prepare adjacency, trust and context matrices for :func:`recommend_partners`.

    ``trust_pairs`` is ``(truster, trusted, trust in [0, 1])`` for directed pairs; only
    trust above 0.5 contributes to trust paths.
    """
    n = n_nodes
    data = np.ones(2 * ties.src.size)
    rows = np.concatenate([ties.src, ties.dst])
    cols = np.concatenate([ties.dst, ties.src])
    adjacency = sp.csr_array((data, (rows, cols)), shape=(n, n))
    adjacency.sort_indices()
    degree = np.bincount(rows, minlength=n).astype(np.float64)
    with np.errstate(divide="ignore"):
        inverse_degree = np.where(degree > 0, 1.0 / np.maximum(degree, 1.0), 0.0)
    ra_right = sp.csr_array(sp.diags_array(inverse_degree) @ adjacency)
    if trust_pairs is None or trust_pairs[0].size == 0:
        trust = sp.csr_array((n, n))
    else:
        truster, trusted, value = trust_pairs
        above = np.maximum(0.0, 2.0 * np.asarray(value) - 1.0)
        keep = above > 0
        trust = sp.csr_array((above[keep], (truster[keep], trusted[keep])), shape=(n, n))
        trust.sum_duplicates()
    context = sp.csr_array(context, dtype=np.float64)
    k = context.shape[1]
    bits: NDArray[np.uint64] | None = None
    if 0 < k <= 64:
        coo = context.tocoo()
        bits = np.zeros(n, dtype=np.uint64)
        np.bitwise_or.at(bits, coo.row, np.left_shift(np.uint64(1), coo.col.astype(np.uint64)))
    labels = np.where(sector < 0, len(SECTORS), sector).astype(np.int64)
    table = np.zeros((len(SECTORS) + 1, len(SECTORS) + 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        deficit = np.where(mixing_expected > 0, 1.0 - mixing_counts / mixing_expected, 0.0)
    table[: len(SECTORS), : len(SECTORS)] = 0.5 + 0.5 * np.clip(deficit, 0.0, 1.0)
    np.fill_diagonal(table, 0.0)
    table[len(SECTORS), :] = 0.0
    table[:, len(SECTORS)] = 0.0
    return RecommendationInputs(
        n_nodes=n,
        adjacency=adjacency,
        ra_right=ra_right,
        tie_keys=ties.src.astype(np.int64) * n + ties.dst,
        trust=trust,
        context=context,
        context_bits=bits,
        context_size=np.asarray(context.sum(axis=1)).ravel().astype(np.float64),
        sector_labels=labels,
        complementarity_table=table,
        degree=degree,
        names=tuple(names),
        context_names=tuple(context_names),
    )


def _row_blocks(
    inputs: RecommendationInputs, rows: NDArray[np.int64], budget: int
) -> list[NDArray[np.int64]]:
    """Split ``rows`` into blocks whose 2-path counts stay near ``budget``."""
    work = inputs.adjacency @ inputs.degree
    cumulative = np.cumsum(work[rows])
    cut = np.searchsorted(
        cumulative, np.arange(budget, cumulative[-1] if cumulative.size else 0, budget)
    )
    return [block for block in np.split(rows, np.unique(cut)) if block.size]


def _cheap_components(
    inputs: RecommendationInputs, a: NDArray[np.int64], b: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Complementarity and shared context (table look-ups and bit counts)."""
    comp = inputs.complementarity_table[inputs.sector_labels[a], inputs.sector_labels[b]]
    if inputs.context_bits is not None:
        both = np.bitwise_count(inputs.context_bits[a] & inputs.context_bits[b]).astype(np.float64)
    elif inputs.context.shape[1]:
        both = np.asarray(inputs.context[a].multiply(inputs.context[b]).sum(axis=1)).ravel()
    else:
        both = np.zeros(a.size)
    union = inputs.context_size[a] + inputs.context_size[b] - both
    with np.errstate(invalid="ignore", divide="ignore"):
        context = np.where(union > 0, both / np.maximum(union, 1.0), 0.0)
    return comp, context


def _trust_path(
    inputs: RecommendationInputs, a: NDArray[np.int64], b: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Trust-path component: 1 - exp(-2 sum_c tau_ac tau_bc), by row dot products."""
    if not inputs.trust.nnz or a.size == 0:
        return np.zeros(a.size)
    total = np.asarray(inputs.trust[a].multiply(inputs.trust[b]).sum(axis=1)).ravel()
    return np.asarray(1.0 - np.exp(-2.0 * total), dtype=np.float64)


def _tied(
    inputs: RecommendationInputs, a: NDArray[np.int64], b: NDArray[np.int64]
) -> NDArray[np.bool_]:
    keys = inputs.tie_keys
    if keys.size == 0:
        return np.zeros(a.size, dtype=bool)
    query = np.minimum(a, b) * inputs.n_nodes + np.maximum(a, b)
    position = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    return np.asarray(keys[position] == query)


def recommend_partners(
    inputs: RecommendationInputs,
    *,
    top: int = 50,
    focus: Sequence[int] | NDArray[np.integer] | None = None,
    per_node: int = 5,
    max_per_node: int = 3,
    weights: RecommendationWeights | None = None,
    block_budget: int = 2_000_000,
) -> list[Recommendation]:
    """Score candidate partnerships and return the best, each with its reason.

    Parameters
    ----------
    inputs : RecommendationInputs
        From :func:`recommendation_inputs`.
    top : int
        Length of the network-wide list (when ``focus`` is None).
    focus : sequence of int, optional
        If given, recommend ``per_node`` partners for each of these stakeholders instead
        (``a`` is the focus stakeholder), ordered by focus then score.
    per_node : int
        Recommendations per focus stakeholder.
    max_per_node : int
        In the network-wide list, no stakeholder appears more than this many times (so
        the list is not all about one hub).
    weights : RecommendationWeights, optional
    block_budget : int
        Approximate 2-paths per block of rows (memory bound; the result does not depend
        on it).

    Returns
    -------
    list of Recommendation
        Highest score first (within each focus stakeholder); ties broken by ids.
    """
    w = (weights or RecommendationWeights()).normalised()
    n = inputs.n_nodes
    if top < 0 or per_node < 0 or max_per_node < 1:
        raise NetworkInputError("top and per_node must be >= 0 and max_per_node >= 1")
    global_mode = focus is None
    if global_mode:
        rows = np.arange(n, dtype=np.int64)
        pool_size = max(top * 4 * max_per_node, 64)
    else:
        rows = np.unique(np.asarray(focus, dtype=np.int64))
        if rows.size and (rows.min() < 0 or rows.max() >= n):
            raise NetworkInputError(f"focus names a stakeholder outside 0 .. {n - 1}")
        pool_size = 0
    if (
        n == 0
        or rows.size == 0
        or (global_mode and top == 0)
        or (not global_mode and per_node == 0)
    ):
        return []
    threshold = -np.inf
    kept: list[
        tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]
    ] = []
    for block in _row_blocks(inputs, rows, block_budget):
        # Network-wide, each pair is taken once (b > a): columns left of the block's first
        # row can never qualify, so the product skips them (about half the work).
        offset = int(block[0]) if global_mode else 0
        right = inputs.ra_right[:, offset:] if offset else inputs.ra_right
        ra = sp.csr_array(inputs.adjacency[block] @ right).tocoo()
        a = block[ra.row]
        b = ra.col.astype(np.int64) + offset
        keep = (b > a) if global_mode else (b != a)
        a, b = a[keep], b[keep]
        proximity = 1.0 - np.exp(-2.0 * ra.data[keep])
        comp, context = _cheap_components(inputs, a, b)
        partial = w[0] * proximity + w[1] * comp + w[3] * context
        # Exact pruning: even a full trust path cannot lift these into the pool.
        survive = (
            ~_tied(inputs, a, b) if not np.isfinite(threshold) else partial + w[2] >= threshold
        )
        a, b, proximity, comp, context, partial = (
            a[survive],
            b[survive],
            proximity[survive],
            comp[survive],
            context[survive],
            partial[survive],
        )
        if np.isfinite(threshold):
            untied = ~_tied(inputs, a, b)
            a, b, proximity, comp, context, partial = (
                a[untied],
                b[untied],
                proximity[untied],
                comp[untied],
                context[untied],
                partial[untied],
            )
        if a.size == 0:
            continue
        trust_path = _trust_path(inputs, a, b)
        parts = np.column_stack([proximity, comp, trust_path, context])
        score = partial + w[2] * trust_path
        if global_mode:
            if score.size > pool_size:
                best = np.argpartition(-score, pool_size - 1)[:pool_size]
                a, b, score, parts = a[best], b[best], score[best], parts[best]
            kept.append((a, b, score, parts))
            all_scores = np.concatenate([item[2] for item in kept])
            if all_scores.size >= pool_size:
                threshold = float(
                    np.partition(all_scores, all_scores.size - pool_size)[
                        all_scores.size - pool_size
                    ]
                )
        else:
            order = np.lexsort((b, -score, a))
            a, b, score, parts = a[order], b[order], score[order], parts[order]
            first = np.concatenate([[True], a[1:] != a[:-1]])
            starts = np.maximum.accumulate(np.where(first, np.arange(a.size), 0))
            rank = np.arange(a.size) - starts
            take = rank < per_node
            kept.append((a[take], b[take], score[take], parts[take]))
    if not kept:
        return []
    a = np.concatenate([item[0] for item in kept])
    b = np.concatenate([item[1] for item in kept])
    score = np.concatenate([item[2] for item in kept])
    parts = np.concatenate([item[3] for item in kept])
    if global_mode:
        order = np.lexsort((b, a, -score))
        chosen: list[int] = []
        appearances = np.zeros(n, dtype=np.int64)
        for i in order:
            if appearances[a[i]] < max_per_node and appearances[b[i]] < max_per_node:
                chosen.append(int(i))
                appearances[a[i]] += 1
                appearances[b[i]] += 1
                if len(chosen) == top:
                    break
        selection = np.asarray(chosen, dtype=np.int64)
    else:
        selection = np.arange(a.size)
    return [_explain(inputs, int(a[i]), int(b[i]), float(score[i]), parts[i]) for i in selection]


def _explain(
    inputs: RecommendationInputs, a: int, b: int, score: float, parts: NDArray[np.float64]
) -> Recommendation:
    adjacency = inputs.adjacency
    partners_a = adjacency.indices[adjacency.indptr[a] : adjacency.indptr[a + 1]]
    partners_b = adjacency.indices[adjacency.indptr[b] : adjacency.indptr[b + 1]]
    shared = np.intersect1d(partners_a, partners_b)
    trust_a = (
        inputs.trust[[a]].toarray().ravel()[shared] if inputs.trust.nnz else np.zeros(shared.size)
    )
    trust_b = (
        inputs.trust[[b]].toarray().ravel()[shared] if inputs.trust.nnz else np.zeros(shared.size)
    )
    joint = trust_a * trust_b
    order = np.lexsort((shared, inputs.degree[shared], -joint))
    best = shared[order][:3]
    trusted = shared[order][joint[order] > 0][:2]
    labels: tuple[str, ...] = ()
    if inputs.context.shape[1]:
        both = inputs.context[[a]].multiply(inputs.context[[b]]).tocoo().col
        labels = tuple(inputs.context_names[j] for j in sorted(both.tolist()))
    reasons: list[str] = []
    if labels:
        reasons.append("both work on " + _and_list(list(labels[:3]), len(labels)))
    if trusted.size:
        reasons.append(
            "both trust " + _and_list([inputs.names[c] for c in trusted], int((joint > 0).sum()))
        )
    elif best.size:
        reasons.append(
            "both partner with " + _and_list([inputs.names[c] for c in best[:2]], int(shared.size))
        )
    sector_a, sector_b = inputs.sector_labels[a], inputs.sector_labels[b]
    if parts[1] > 0:
        pair = f"{SECTORS[sector_a]} and {SECTORS[sector_b]}"
        if parts[1] > 0.5:
            reasons.append(f"would link {pair}, sectors tied less than chance would give")
        else:
            reasons.append(f"would link {pair}")
    return Recommendation(
        a=a,
        b=b,
        score=score,
        proximity=float(parts[0]),
        complementarity=float(parts[1]),
        trust_path=float(parts[2]),
        shared_context=float(parts[3]),
        shared_partners=tuple(int(c) for c in best),
        shared_labels=labels,
        reason="; ".join(reasons),
    )


def _and_list(items: list[str], total: int) -> str:
    """``["A", "B"]`` with total 4 -> "A, B and 2 more"; ``["A", "B"]`` -> "A and B"."""
    extra = total - len(items)
    if extra > 0:
        return ", ".join(items) + f" and {extra} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
