"""Structural measures of the ecosystem network, on one undirected weighted igraph Graph.

igraph's C code does the graph algorithms (PageRank, betweenness, Leiden, coreness,
triangle listing); what no library offers at this scale is written here over numpy
arrays: Burt's constraint and effective size from one pass over the triangles, the helix
mixing matrix and E-I indices, and yearly density and new-tie rates.

Conventions: ``ties`` is a :class:`~cocity.analytics.network.graph.SimpleTies` (one tie per
unordered pair, sorted), and edge ``i`` of ``graph`` is tie ``i``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import chain

import igraph as ig
import numpy as np
from numpy.typing import NDArray

from cocity.analytics.network.graph import SECTORS, NetworkInputError, SimpleTies, weighted_bincount

EXACT_BETWEENNESS_LIMIT = 5_000
"""Largest network (stakeholders) whose betweenness is computed exactly by default."""


@dataclass(frozen=True, slots=True, eq=False)
class Betweenness:
    """Betweenness centrality, exact or estimated from sampled sources.

    Attributes
    ----------
    value : ndarray of float64, shape (n,)
        Number of shortest paths between unordered pairs of other stakeholders that pass
        through each stakeholder, split evenly among equally short paths (Freeman 1977;
        unnormalised, as ``networkx.betweenness_centrality(normalized=False)``).
    standard_error : ndarray of float64, shape (n,)
        Estimated standard error of ``value`` (zeros when exact).
    exact : bool
    n_sources : int
        Source stakeholders used (``n`` when exact).
    """

    value: NDArray[np.float64]
    standard_error: NDArray[np.float64]
    exact: bool
    n_sources: int


@dataclass(frozen=True, slots=True, eq=False)
class Communities:
    """Leiden communities (modularity objective), labelled by size: 0 is the largest."""

    membership: NDArray[np.int32]
    sizes: NDArray[np.int64]
    modularity: float


@dataclass(frozen=True, slots=True, eq=False)
class SectorMixing:
    """Helix mixing: who ties with whom across the five sectors.

    Attributes
    ----------
    counts : ndarray of float64, shape (5, 5)
        Ties between sector ``g`` and ``h``; symmetric, each tie counted from both ends
        (an internal tie adds 2 to the diagonal), as ``networkx.attribute_mixing_matrix``.
    weights : ndarray of float64, shape (5, 5)
        The same with tie weights summed.
    expected : ndarray of float64, shape (5, 5)
        Counts expected if ties ignored sectors: ``2 m p_g p_h`` with ``p`` the share of
        tie ends in each sector (configuration-model expectation).
    ei_whole : float
        Krackhardt-Stern E-I index of the whole network, ``(E - I) / (E + I)`` over ties
        between stakeholders of known sectors (NaN if none).
    ei_sector : ndarray of float64, shape (5,)
        E-I index per sector: ``I`` = ties inside the sector, ``E`` = ties leaving it.
    ei_node : ndarray of float64, shape (n,)
        E-I index per stakeholder over its neighbours of known sector (NaN if none or if
        its own sector is unknown). -1: only ties inside its sector; +1: only outside.
    """

    counts: NDArray[np.float64]
    weights: NDArray[np.float64]
    expected: NDArray[np.float64]
    ei_whole: float
    ei_sector: NDArray[np.float64]
    ei_node: NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class YearlyGrowth:
    """Per calendar year: ties present, density and new-tie rate.

    A tie is present in year ``Y`` when ``floor(start) <= Y <= floor(end)`` (end NaN: still
    running); undated ties are present in every year and never new. ``new_tie_rate[Y]`` is
    ``new_ties[Y] / n_ties[Y - 1]`` (NaN when there were none the year before).
    """

    years: NDArray[np.int64]
    n_ties: NDArray[np.int64]
    density: NDArray[np.float64]
    new_ties: NDArray[np.int64]
    new_tie_rate: NDArray[np.float64]


def degree_and_strength(
    n_nodes: int, ties: SimpleTies
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Degree (number of partners) and strength (sum of tie weights) per stakeholder."""
    ends = np.concatenate([ties.src, ties.dst])
    degree = np.bincount(ends, minlength=n_nodes).astype(np.int64)
    strength = weighted_bincount(ends, weights=np.tile(ties.weight, 2), minlength=n_nodes)
    return degree, strength.astype(np.float64)


def pagerank(graph: ig.Graph, *, damping: float = 0.85) -> NDArray[np.float64]:
    r"""Weighted PageRank (Brin & Page 1998) via igraph's PRPACK solver.

    :math:`\pi = (1 - d)/n + d \sum_j \pi_j w_{ji} / s_j`; isolated stakeholders spread
    their score uniformly. Sums to 1. Returns an empty array for an empty network.
    """
    if not 0 < damping < 1:
        raise NetworkInputError(f"damping must lie in (0, 1), got {damping}")
    if graph.vcount() == 0:
        return np.zeros(0)
    weights = "weight" if graph.ecount() else None
    return np.asarray(
        graph.pagerank(weights=weights, damping=damping, directed=False),
        dtype=np.float64,
    )


def betweenness(
    graph: ig.Graph,
    *,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
    samples: int = 32,
    seed: int | np.random.Generator = 0,
    weighted_paths: bool = False,
) -> Betweenness:
    r"""Betweenness centrality: exact up to ``exact_limit`` stakeholders, sampled above.

    Exact: Brandes (2001) in igraph. Sampled: ``samples`` source stakeholders drawn
    uniformly without replacement (Brandes & Pich 2007); igraph returns the dependencies
    :math:`\delta_s(v)` of each sampled source (``Graph.betweenness(sources=...)``),
    and :math:`\hat B(v) = \frac{n}{k} \sum_{s \in S} \delta_s(v)`, unbiased. Its standard
    error is :math:`SE = n \sqrt{(1 - k/n)\,\hat\sigma^2 / k}`, with :math:`\hat\sigma^2`
    the sample variance of the sources' dependencies :math:`\delta_s(v)` (finite-population
    correction included).

    Parameters
    ----------
    graph : igraph.Graph
        Undirected; the ``weight`` attribute is used only if ``weighted_paths``.
    exact_limit : int
        Largest ``n`` computed exactly.
    samples : int
        Source stakeholders sampled above ``exact_limit`` (at least 2).
    seed : int or numpy.random.Generator
        Randomness for the sample.
    weighted_paths : bool
        If True, path length is the sum of ``1 / weight`` (strong ties are short);
        default False: path length counts ties (hops).

    Returns
    -------
    Betweenness
    """
    n = graph.vcount()
    weights = [1.0 / w for w in graph.es["weight"]] if weighted_paths and graph.ecount() else None
    if n <= exact_limit or n <= samples:
        value = np.asarray(graph.betweenness(directed=False, weights=weights), dtype=np.float64)
        return Betweenness(value.reshape(n), np.zeros(n), True, n)
    if samples < 2:
        raise NetworkInputError(f"samples must be at least 2, got {samples}")
    rng = np.random.default_rng(seed)
    sources = rng.choice(n, size=samples, replace=False)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    for source in sources.tolist():
        # one call per source gives each source's dependencies, hence their variance
        dependency = np.asarray(
            graph.betweenness(directed=False, weights=weights, sources=[source]), dtype=np.float64
        )
        total += dependency
        total_sq += dependency * dependency
    mean = total / samples
    per_source_var = np.maximum(total_sq - samples * mean * mean, 0.0) / (samples - 1)
    value = n * mean
    stderr = n * np.sqrt(max(0.0, 1.0 - samples / n) * per_source_var / samples)
    return Betweenness(value, stderr, False, int(samples))


def triangles(graph: ig.Graph) -> NDArray[np.int32]:
    """All triangles of the graph as rows ``(x, y, z)`` with ``x < y < z``."""
    listed = graph.list_triangles()
    if not listed:
        return np.zeros((0, 3), dtype=np.int32)
    flat = np.fromiter(chain.from_iterable(listed), dtype=np.int32, count=3 * len(listed))
    return np.sort(flat.reshape(-1, 3), axis=1)


def _tie_index(
    n_nodes: int, ties: SimpleTies, a: NDArray[np.int32], b: NDArray[np.int32]
) -> NDArray[np.intp]:
    """Index into ``ties`` of the tie between ``a[i] < b[i]`` (must exist)."""
    keys = ties.src.astype(np.int64) * n_nodes + ties.dst
    return np.searchsorted(keys, a.astype(np.int64) * n_nodes + b)


def structural_holes(
    n_nodes: int, ties: SimpleTies, triangle_rows: NDArray[np.int32]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    r"""Burt's constraint and effective size, plus triangles per tie, in one pass.

    With :math:`p_{ij} = w_{ij} / \sum_k w_{ik}` (the share of i's tie weight spent on j)
    and :math:`m_{jq} = w_{jq} / \max_k w_{jk}`:

    .. math::
       C_i = \sum_{j \in N(i)} \Big(p_{ij} + \sum_{q \in N(i) \cap N(j)} p_{iq} p_{qj}\Big)^2,
       \qquad
       E_i = \sum_{j \in N(i)} \Big(1 - \sum_{q \in N(i) \cap N(j)} p_{iq} m_{jq}\Big)

    (Burt 1992; the same formulas as ``networkx.constraint`` and
    ``networkx.effective_size`` with ``weight``). Both are NaN for isolated stakeholders.
    Written by hand because the indirect terms need only the triangles, which the
    pipeline lists once anyway: igraph's ``constraint()`` costs more than this whole pass
    at a million ties and igraph has no effective size.

    Parameters
    ----------
    n_nodes : int
    ties : SimpleTies
    triangle_rows : ndarray of int32, shape (t, 3)
        From :func:`triangles`.

    Returns
    -------
    constraint, effective_size : ndarray of float64, shape (n_nodes,)
    triangles_per_tie : ndarray of float64, shape (m,)
        Number of triangles each tie closes (common partners of its two ends).
    """
    m = ties.src.size
    ends = np.concatenate([ties.src, ties.dst])
    arc_weight = np.tile(ties.weight, 2)
    strength = weighted_bincount(ends, weights=arc_weight, minlength=n_nodes)
    max_weight = np.zeros(n_nodes)
    np.maximum.at(max_weight, ends, arc_weight)
    # Arc k < m is src -> dst of tie k, arc k + m is dst -> src; p is per arc (from its tail).
    tails = ends
    with np.errstate(divide="ignore", invalid="ignore"):
        p_arc = arc_weight / strength[tails]
    indirect = np.zeros(2 * m)
    redundancy = np.zeros(2 * m)
    per_tie = np.zeros(m)
    if triangle_rows.size:
        x, y, z = triangle_rows[:, 0], triangle_rows[:, 1], triangle_rows[:, 2]
        e_xy = _tie_index(n_nodes, ties, x, y)
        e_yz = _tie_index(n_nodes, ties, y, z)
        e_xz = _tie_index(n_nodes, ties, x, z)
        per_tie = np.bincount(np.concatenate([e_xy, e_yz, e_xz]), minlength=m).astype(np.float64)
        # (tail, head, tie) for each ordered pair inside a triangle; the tie index plus m
        # when the arc runs against the stored src < dst order.
        arcs = {
            ("x", "y"): e_xy,
            ("y", "x"): e_xy + m,
            ("y", "z"): e_yz,
            ("z", "y"): e_yz + m,
            ("x", "z"): e_xz,
            ("z", "x"): e_xz + m,
        }
        nodes = {"x": x, "y": y, "z": z}
        for i, j, q in (
            ("x", "y", "z"),
            ("x", "z", "y"),
            ("y", "x", "z"),
            ("y", "z", "x"),
            ("z", "x", "y"),
            ("z", "y", "x"),
        ):
            arc_ij = arcs[(i, j)]
            p_iq = p_arc[arcs[(i, q)]]
            p_qj = p_arc[arcs[(q, j)]]
            m_jq = arc_weight[arcs[(j, q)]] / max_weight[nodes[j]]
            indirect += weighted_bincount(arc_ij, weights=p_iq * p_qj, minlength=2 * m)
            redundancy += weighted_bincount(arc_ij, weights=p_iq * m_jq, minlength=2 * m)
    local = (p_arc + indirect) ** 2
    constraint = weighted_bincount(tails, weights=local, minlength=n_nodes)
    degree = np.bincount(tails, minlength=n_nodes)
    effective = degree - weighted_bincount(tails, weights=redundancy, minlength=n_nodes)
    isolated = degree == 0
    constraint[isolated] = np.nan
    effective = effective.astype(np.float64)
    effective[isolated] = np.nan
    return constraint, effective, per_tie


def leiden_communities(
    graph: ig.Graph, *, seed: int | np.random.Generator = 0, iterations: int = 2
) -> Communities:
    r"""Communities by the Leiden algorithm (Traag, Waltman & van Eck 2019), weighted modularity.

    Uses igraph's ``community_leiden(objective_function="modularity")``. igraph draws
    from a Python random source that is global to igraph; it is swapped for one seeded
    from ``seed`` during the call and restored afterwards (so results are reproducible;
    do not run two analyses in threads of one process at once).

    Modularity (Newman 2006): :math:`Q = \frac{1}{2W}\sum_{ij}(w_{ij} - \frac{s_i s_j}{2W})
    \delta(c_i, c_j)`; NaN for a network without ties (each stakeholder is then its own
    community).
    """
    n = graph.vcount()
    if graph.ecount() == 0:
        membership = np.arange(n, dtype=np.int32)
        return Communities(membership, np.ones(n, dtype=np.int64), float("nan"))
    int_seed = seed if isinstance(seed, int) else int(seed.integers(2**31))
    ig.set_random_number_generator(random.Random(int_seed))
    try:
        clustering = graph.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=iterations
        )
    finally:
        ig.set_random_number_generator(random)
    raw = np.asarray(clustering.membership, dtype=np.int64)
    sizes = np.bincount(raw)
    order = np.argsort(-sizes, kind="stable")
    relabel = np.empty_like(order)
    relabel[order] = np.arange(order.size)
    membership = relabel[raw].astype(np.int32)
    modularity = float(graph.modularity(membership.tolist(), weights="weight"))
    return Communities(membership, sizes[order], modularity)


def sector_mixing(n_nodes: int, sector: NDArray[np.int8], ties: SimpleTies) -> SectorMixing:
    """Helix mixing matrix and E-I indices (Krackhardt & Stern 1988); see :class:`SectorMixing`."""
    k = len(SECTORS)
    s_src = sector[ties.src].astype(np.int64)
    s_dst = sector[ties.dst].astype(np.int64)
    known = (s_src >= 0) & (s_dst >= 0)
    a, b, w = s_src[known], s_dst[known], ties.weight[known]
    cells = np.concatenate([a * k + b, b * k + a])
    counts = np.bincount(cells, minlength=k * k).reshape(k, k).astype(np.float64)
    weights = weighted_bincount(cells, weights=np.tile(w, 2), minlength=k * k).reshape(k, k)
    ends = counts.sum()
    share = counts.sum(axis=1) / ends if ends else np.zeros(k)
    expected = ends * np.outer(share, share)

    internal = a == b
    n_internal = int(internal.sum())
    n_external = int((~internal).sum())
    ei_whole = _ei(n_external, n_internal)
    internal_per_sector = np.bincount(a[internal], minlength=k)
    external_per_sector = np.bincount(np.concatenate([a[~internal], b[~internal]]), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei_sector = (external_per_sector - internal_per_sector) / (
            external_per_sector + internal_per_sector
        )
    same = (s_src == s_dst) & known
    different = (s_src != s_dst) & known
    node_internal = np.bincount(np.concatenate([ties.src[same], ties.dst[same]]), minlength=n_nodes)
    node_external = np.bincount(
        np.concatenate([ties.src[different], ties.dst[different]]), minlength=n_nodes
    )
    total = node_internal + node_external
    with np.errstate(invalid="ignore", divide="ignore"):
        ei_node = np.where(total > 0, (node_external - node_internal) / total, np.nan)
    ei_node[sector < 0] = np.nan
    return SectorMixing(
        counts=counts,
        weights=weights,
        expected=expected,
        ei_whole=ei_whole,
        ei_sector=ei_sector.astype(np.float64),
        ei_node=ei_node.astype(np.float64),
    )


def _ei(external: int, internal: int) -> float:
    total = external + internal
    return float("nan") if total == 0 else (external - internal) / total


def yearly_growth(n_nodes: int, ties: SimpleTies) -> YearlyGrowth:
    """Ties present, density and new-tie rate per calendar year; see :class:`YearlyGrowth`.

    Density is ties present / ``n (n - 1) / 2`` with ``n`` all stakeholders.
    """
    dated = ~np.isnan(ties.start_year)
    if not dated.any():
        empty_i = np.zeros(0, dtype=np.int64)
        return YearlyGrowth(empty_i, empty_i.copy(), np.zeros(0), empty_i.copy(), np.zeros(0))
    start = np.floor(ties.start_year[dated]).astype(np.int64)
    end_raw = ties.end_year[dated]
    ended = ~np.isnan(end_raw)
    end = np.floor(np.where(ended, end_raw, 0.0)).astype(np.int64)
    first = int(start.min())
    last = int(max(start.max(), end[ended].max() if ended.any() else start.max()))
    span = last - first + 1
    starts = np.bincount(start - first, minlength=span)
    # a tie ending in year e is still present in e and gone from e + 1
    stops = np.bincount(end[ended] - first + 1, minlength=span + 1)[:span]
    undated = int((~dated).sum())
    present = np.cumsum(starts) - np.cumsum(stops) + undated
    pairs = n_nodes * (n_nodes - 1) / 2
    density = present / pairs if pairs else np.full(span, np.nan)
    previous = np.concatenate([[0], present[:-1]])
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(previous > 0, starts / np.maximum(previous, 1), np.nan)
    return YearlyGrowth(
        years=np.arange(first, last + 1, dtype=np.int64),
        n_ties=present.astype(np.int64),
        density=np.asarray(density, dtype=np.float64),
        new_ties=starts.astype(np.int64),
        new_tie_rate=rate.astype(np.float64),
    )


def isolated_and_peripheral(
    graph: ig.Graph, degree: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Isolated stakeholders (no tie) and peripheral ones.

    Peripheral: tied, but hanging on the edge of the network: k-core number 1 (linked
    by a single chain of ties, Seidman 1983) or outside the largest connected component.

    Returns
    -------
    isolated, peripheral : ndarray of int64
        Stakeholder ids, ascending.
    """
    n = graph.vcount()
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    coreness = np.asarray(graph.coreness(), dtype=np.int64)
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    component_size = np.bincount(membership)
    giant = membership == int(np.argmax(component_size))
    isolated = np.flatnonzero(degree == 0)
    peripheral = np.flatnonzero((degree > 0) & ((coreness <= 1) | ~giant))
    return isolated.astype(np.int64), peripheral.astype(np.int64)
