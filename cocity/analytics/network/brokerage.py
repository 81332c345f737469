r"""Gould-Fernandez brokerage roles by helix sector, with an exact random-relabelling baseline.

A stakeholder ``b`` brokers an ordered pair ``(a, c)`` when ``a -> b -> c`` and there is no
direct tie ``a -> c`` (Gould & Fernandez 1989). With the sectors of ``a``, ``b``, ``c``:

=================  ===============================  =====================================
role               sectors                          meaning
=================  ===============================  =====================================
coordinator        a = b = c                        brokers inside its own sector
gatekeeper         a != b = c                       lets an outsider into its sector
representative     a = b != c                       speaks for its sector to an outsider
itinerant          a = c != b                       an outsider linking two of a sector
liaison            a, b, c all different            links two sectors, belonging to neither
=================  ===============================  =====================================

Undirected ties count as mutual directed ties, so each open 2-path ``a - b - c`` is
brokered in both directions: coordinator, itinerant and liaison counts are twice the
number of unordered open pairs, and gatekeeper equals representative (as UCINET and the
R package sna do on symmetric data).

Random baseline: every count is compared with its distribution when the sector labels of
the *other* stakeholders are shuffled (a uniform random permutation of the observed
labels, keeping the network and the broker's own sector). Conditional on the network,
mean and variance are exact (formulas in :func:`brokerage_roles`), so z-scores say how
much more a stakeholder brokers across sectors than its position alone would give. This
is Gould & Fernandez's own conditioning on the broker's open 2-paths; sna's
``brokerage()`` instead uses a Bernoulli random graph of the same density, whose
expectation is the same for every stakeholder of a sector whatever its degree.

References
----------
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
brokerage in transaction networks. *Sociological Methodology* 19, 89-126.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
from numpy.typing import ArrayLike, NDArray

from cocity.analytics.network.graph import SECTORS, NetworkInputError, weighted_bincount

ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")

_K = len(SECTORS)
_L = _K + 1  # labels: the sectors plus one for "unknown"
_UNKNOWN = _K


def _role_table() -> NDArray[np.int8]:
    """``table[g, h, k]``: role of broker in sector g between a in h and c in k (-1: none)."""
    table = np.full((_L, _L, _L), -1, dtype=np.int8)
    for g in range(_K):
        for h in range(_K):
            for k in range(_K):
                if h == g and k == g:
                    role = 0
                elif k == g:
                    role = 1
                elif h == g:
                    role = 2
                elif h == k:
                    role = 3
                else:
                    role = 4
                table[g, h, k] = role
    return table


ROLE_TABLE = _role_table()


@dataclass(frozen=True, slots=True, eq=False)
class Brokerage:
    """Brokerage role counts per stakeholder with their random-relabelling baseline.

    Attributes
    ----------
    counts : ndarray of float64, shape (n, 5)
        Ordered open 2-paths brokered in each role (columns in :data:`ROLES` order).
    expected, std : ndarray of float64, shape (n, 5)
        Exact mean and standard deviation of each count when the other stakeholders'
        sectors are randomly permuted (NaN for a broker of unknown sector).
    z : ndarray of float64, shape (n, 5)
        ``(counts - expected) / std``; NaN where ``std`` is 0 or undefined.
    total : ndarray of float64, shape (n,)
        All ordered open 2-paths through each stakeholder (endpoints of unknown sector
        included; they take no role).
    """

    counts: NDArray[np.float64]
    expected: NDArray[np.float64]
    std: NDArray[np.float64]
    z: NDArray[np.float64]
    total: NDArray[np.float64]


def _arc_keys(n: int, src: NDArray[np.int64], dst: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.asarray(src * n + dst, dtype=np.int64)


def _contains(sorted_keys: NDArray[np.int64], query: NDArray[np.int64]) -> NDArray[np.bool_]:
    if sorted_keys.size == 0:
        return np.zeros(query.shape, dtype=bool)
    position = np.minimum(np.searchsorted(sorted_keys, query), sorted_keys.size - 1)
    return np.asarray(sorted_keys[position] == query)


def _index(sorted_keys: NDArray[np.int64], query: NDArray[np.int64]) -> NDArray[np.intp]:
    return np.searchsorted(sorted_keys, query)


def _underlying_triangles(n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
    low = np.minimum(a, b)
    high = np.maximum(a, b)
    keys = np.unique(low * n + high)
    graph = ig.Graph(n=n, edges=np.column_stack([keys // n, keys % n]).tolist())
    listed = graph.list_triangles()
    if not listed:
        return np.zeros((0, 3), dtype=np.int64)
    return np.asarray(listed, dtype=np.int64).reshape(-1, 3)


def _label_probabilities(
    counts: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Probabilities that 2, 3, 4 distinct stakeholders drawn by a random permutation of a
    population with ``counts[l]`` members of label ``l`` carry given labels (falling
    factorials: drawing without replacement)."""
    total = counts.sum()
    eye = np.eye(_L)
    m = counts
    first = m[:, None]
    second = m[None, :] - eye
    p2 = first * second
    third = m[None, None, :] - eye[:, None, :] - eye[None, :, :]
    p3 = p2[:, :, None] * third
    fourth = (
        m[None, None, None, :]
        - eye[:, None, None, :]
        - eye[None, :, None, :]
        - eye[None, None, :, :]
    )
    p4 = p3[:, :, :, None] * fourth
    denominators = [total * (total - 1), total * (total - 1) * (total - 2)]
    denominators.append(denominators[1] * (total - 3))
    out = []
    for p, denominator in zip((p2, p3, p4), denominators, strict=True):
        out.append(np.clip(p, 0.0, None) / denominator if denominator > 0 else np.zeros_like(p))
    return out[0], out[1], out[2]


def brokerage_roles(
    n_nodes: int,
    src: ArrayLike,
    dst: ArrayLike,
    sector: ArrayLike,
    *,
    directed: bool = False,
    triangle_rows: NDArray[np.integer] | None = None,
    triangles_per_tie: NDArray[np.floating] | None = None,
) -> Brokerage:
    r"""Gould-Fernandez brokerage counts per stakeholder and role, with exact z-scores.

    Counting: for broker ``b`` with in-neighbours :math:`I_b`, out-neighbours
    :math:`O_b` and mutual neighbours :math:`I_b \cap O_b`, the ordered pairs with
    sectors ``(h, k)`` are :math:`n^{in}_{bh} n^{out}_{bk} - [h = k]\, n^{mut}_{bh}`;
    the closed ones (``a -> c`` present) are found from the triangles of the underlying
    undirected graph and subtracted. Work is :math:`O(n \cdot 36 + m + t)` for ``t``
    triangles: no 2-path is enumerated.

    Baseline: let :math:`P_b` be b's open ordered pairs, :math:`o_x` (:math:`i_x`) the
    number of them with ``x`` first (second), :math:`R_b` the pairs whose reverse is
    open too. Under a uniform permutation of the other stakeholders' labels, with
    :math:`f(h, k)` the role indicator and :math:`p_2 = E f(L_a, L_c)`:

    .. math::
       E[X] = P_b\, p_2, \qquad
       \mathrm{Var}[X] = P_b (p_2 - p_2^2) + R_b (e_{rev} - p_2^2)
         + S_{ff} (e_{ff} - p_2^2) + S_{ss} (e_{ss} - p_2^2)
         + S_{fs} (e_{fs} + e_{sf} - 2 p_2^2) + D (e_4 - p_2^2)

    where :math:`S_{ff} = \sum_x o_x (o_x - 1)`, :math:`S_{ss} = \sum_x i_x (i_x - 1)`,
    :math:`S_{fs} = \sum_x o_x i_x - R_b` count pairs of pairs sharing one stakeholder in
    the given positions, :math:`D = P_b^2 - P_b - R_b - S_{ff} - S_{ss} - 2 S_{fs}` those
    sharing none, and each :math:`e` is :math:`E[f f']` for that overlap, computed from
    the exact falling-factorial probabilities of drawing labels without replacement.

    Parameters
    ----------
    n_nodes : int
    src, dst : array_like of int
        Ties (``directed=False``) or arcs ``src -> dst``. Self-ties and duplicates are
        ignored.
    sector : array_like of int, shape (n_nodes,)
        Sector codes 0..4, -1 unknown (paths with an unknown endpoint take no role).
    directed : bool
    triangle_rows : ndarray, shape (t, 3), optional
        Triangles of the underlying undirected graph, if already listed.
    triangles_per_tie : ndarray, optional
        Undirected only, when ``src < dst`` are already sorted and unique (as in
        :class:`~cocity.analytics.network.graph.SimpleTies`): the triangles on each tie,
        as returned by :func:`~cocity.analytics.network.measures.structural_holes`.

    Returns
    -------
    Brokerage
    """
    n = int(n_nodes)
    sector_array = np.asarray(sector)
    if sector_array.shape != (n,):
        raise NetworkInputError(f"sector has shape {sector_array.shape}, expected ({n},)")
    labels = np.where(sector_array < 0, _UNKNOWN, sector_array).astype(np.int64)
    if n and (labels.max() > _UNKNOWN or labels.min() < 0):
        raise NetworkInputError("sector codes must lie in -1 .. 4")
    a = np.asarray(src, dtype=np.int64)
    c = np.asarray(dst, dtype=np.int64)
    if a.shape != c.shape or a.ndim != 1:
        raise NetworkInputError("src and dst must be 1-D arrays of the same length")
    if a.size and (min(a.min(), c.min()) < 0 or max(a.max(), c.max()) >= n):
        raise NetworkInputError(f"a tie names a node outside 0 .. {n - 1}")
    keep = a != c
    a, c = a[keep], c[keep]
    if not directed:
        return _undirected(n, a, c, labels, triangle_rows, triangles_per_tie)
    arc_keys = np.unique(_arc_keys(max(n, 1), a, c))
    tail = arc_keys // max(n, 1)
    head = arc_keys % max(n, 1)
    reverse_exists = _contains(arc_keys, head * max(n, 1) + tail)

    # Candidate ordered pairs (a, c) through each broker, by label pair.
    n_in = np.bincount(head * _L + labels[tail], minlength=n * _L).reshape(n, _L).astype(np.float64)
    n_out = (
        np.bincount(tail * _L + labels[head], minlength=n * _L).reshape(n, _L).astype(np.float64)
    )
    # arc x -> b with b -> x present: x is a mutual neighbour of b
    n_mut = (
        np.bincount(head[reverse_exists] * _L + labels[tail[reverse_exists]], minlength=n * _L)
        .reshape(n, _L)
        .astype(np.float64)
    )
    pairs = n_in[:, :, None] * n_out[:, None, :]
    pairs[:, np.arange(_L), np.arange(_L)] -= n_mut

    if triangle_rows is None:
        tri = _underlying_triangles(max(n, 1), a, c) if a.size else np.zeros((0, 3), np.int64)
    else:
        tri = np.asarray(triangle_rows, dtype=np.int64).reshape(-1, 3)
    closed_first = np.zeros(arc_keys.size)
    closed_last = np.zeros(arc_keys.size)
    mutual_closed = np.zeros(n)
    for i, j, k in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        x, b, y = tri[:, i], tri[:, j], tri[:, k]  # path x -> b -> y, closed if x -> y
        key_xb = x * n + b
        key_by = b * n + y
        is_closed = (
            _contains(arc_keys, key_xb)
            & _contains(arc_keys, key_by)
            & _contains(arc_keys, x * n + y)
        )
        x, b, y = x[is_closed], b[is_closed], y[is_closed]
        key_xb, key_by = key_xb[is_closed], key_by[is_closed]
        _bulk_subtract(pairs, b, labels[x], labels[y])
        closed_first += np.bincount(_index(arc_keys, key_xb), minlength=arc_keys.size)
        closed_last += np.bincount(_index(arc_keys, key_by), minlength=arc_keys.size)
    # Triangles {b, x, y} with x and y both mutual neighbours of b: each removes two
    # ordered pairs from those whose reverse could also be open.
    for i, j, k in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):
        b, x, y = tri[:, i], tri[:, j], tri[:, k]
        both = (
            _contains(arc_keys, x * n + b)
            & _contains(arc_keys, b * n + x)
            & _contains(arc_keys, y * n + b)
            & _contains(arc_keys, b * n + y)
        )
        mutual_closed += 2.0 * np.bincount(b[both], minlength=n)

    # Per-broker overlap statistics of its open pairs.
    in_deg = np.bincount(head, minlength=n).astype(np.float64)
    out_deg = np.bincount(tail, minlength=n).astype(np.float64)
    # arc e = x -> b: x's number of open pairs as first element, through broker b
    out_first = out_deg[head] - reverse_exists - closed_first
    # arc e = b -> y: y's number of open pairs as second element, through broker b
    in_second = in_deg[tail] - reverse_exists - closed_last
    s_ff = weighted_bincount(head, weights=out_first * (out_first - 1), minlength=n)
    s_ss = weighted_bincount(tail, weights=in_second * (in_second - 1), minlength=n)
    reverse_index = _index(arc_keys, head * max(n, 1) + tail)
    # for mutual x: arc x -> b (this one) and arc b -> x (its reverse)
    mutual_product = np.where(
        reverse_exists,
        out_first * in_second[np.minimum(reverse_index, max(arc_keys.size - 1, 0))],
        0.0,
    )
    sum_out_in = weighted_bincount(head, weights=mutual_product, minlength=n)
    n_mutual = np.bincount(head[reverse_exists], minlength=n).astype(np.float64)
    reversible = n_mutual * (n_mutual - 1) - mutual_closed
    s_fs = sum_out_in - reversible
    return _with_baseline(labels, pairs, s_ff, s_ss, s_fs, reversible)


def _with_baseline(
    labels: NDArray[np.int64],
    pairs: NDArray[np.float64],
    s_ff: NDArray[np.float64],
    s_ss: NDArray[np.float64],
    s_fs: NDArray[np.float64],
    reversible: NDArray[np.float64],
) -> Brokerage:
    """Role counts from open pairs by label, and their exact permutation moments."""
    n = labels.size
    table = ROLE_TABLE[labels]  # (n, L, L)
    counts = np.zeros((n, len(ROLES)))
    for r in range(len(ROLES)):
        counts[:, r] = np.where(table == r, pairs, 0.0).sum(axis=(1, 2))
    total = pairs.sum(axis=(1, 2))
    disjoint = total**2 - total - reversible - s_ff - s_ss - 2 * s_fs
    population = np.bincount(labels, minlength=_L).astype(np.float64)
    expected = np.full((n, len(ROLES)), np.nan)
    variance = np.full((n, len(ROLES)), np.nan)
    for g in range(_K):
        members = labels == g
        if not members.any():
            continue
        others = population.copy()
        others[g] -= 1
        p2, p3, p4 = _label_probabilities(others)
        for r in range(len(ROLES)):
            f = (ROLE_TABLE[g] == r).astype(np.float64)
            mean = float((f * p2).sum())
            e_rev = float((f * f.T * p2).sum())
            e_ff = float(np.einsum("hk,hl,hkl->", f, f, p3))
            e_ss = float(np.einsum("hk,lk,hkl->", f, f, p3))
            e_fs = float(np.einsum("hk,lh,hkl->", f, f, p3))
            e_sf = float(np.einsum("hk,kl,hkl->", f, f, p3))
            e_4 = float(np.einsum("hk,lq,hklq->", f, f, p4))
            sq = mean * mean
            tot = total[members]
            var = (
                tot * (mean - sq)
                + reversible[members] * (e_rev - sq)
                + s_ff[members] * (e_ff - sq)
                + s_ss[members] * (e_ss - sq)
                + s_fs[members] * (e_fs + e_sf - 2 * sq)
                + disjoint[members] * (e_4 - sq)
            )
            expected[members, r] = tot * mean
            variance[members, r] = np.maximum(var, 0.0)
    std = np.sqrt(variance)
    # Relative tolerance: a variance below rounding noise of its terms is zero.
    noise = 1e-9 * np.maximum(1.0, total[:, None] ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(variance > noise, (counts - expected) / std, np.nan)
    return Brokerage(counts=counts, expected=expected, std=std, z=z, total=total)


def _undirected(
    n: int,
    a: NDArray[np.int64],
    c: NDArray[np.int64],
    labels: NDArray[np.int64],
    triangle_rows: NDArray[np.integer] | None,
    triangles_per_tie: NDArray[np.floating] | None,
) -> Brokerage:
    """Undirected ties: every tie is mutual, so the overlap statistics need only the
    number of triangles on each tie."""
    size = max(n, 1)
    keys = np.minimum(a, c) * size + np.maximum(a, c)
    already_simple = bool(np.all(keys[1:] > keys[:-1]))
    if not already_simple:
        # sort and drop repeats (faster than numpy's hash-based unique at a million ties)
        keys = np.sort(keys)
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    low, high = keys // size, keys % size
    ends = np.concatenate([low, high])
    others = np.concatenate([high, low])
    neighbours = (
        np.bincount(ends * _L + labels[others], minlength=n * _L).reshape(n, _L).astype(np.float64)
    )
    pairs = neighbours[:, :, None] * neighbours[:, None, :]
    pairs[:, np.arange(_L), np.arange(_L)] -= neighbours
    if triangle_rows is None:
        tri = _underlying_triangles(size, low, high) if keys.size else np.zeros((0, 3), np.int64)
    else:
        tri = np.asarray(triangle_rows, dtype=np.int64).reshape(-1, 3)
    tri = np.sort(tri, axis=1)
    per_tie = np.zeros(keys.size)
    if tri.size:
        x, y, z = tri[:, 0], tri[:, 1], tri[:, 2]
        for b, u, v in ((x, y, z), (y, x, z), (z, x, y)):
            _bulk_subtract(pairs, b, labels[u], labels[v])
            _bulk_subtract(pairs, b, labels[v], labels[u])
        if already_simple and triangles_per_tie is not None and triangles_per_tie.size == keys.size:
            per_tie = np.asarray(triangles_per_tie, dtype=np.float64)
        else:
            sides = np.concatenate([x * size + y, y * size + z, x * size + z])
            per_tie = np.bincount(np.searchsorted(keys, sides), minlength=keys.size).astype(
                np.float64
            )
    degree = np.bincount(ends, minlength=n).astype(np.float64)
    open_partners = np.concatenate([degree[low] - 1 - per_tie, degree[high] - 1 - per_tie])
    s_ff = weighted_bincount(ends, weights=open_partners * (open_partners - 1), minlength=n)
    squares = weighted_bincount(ends, weights=open_partners**2, minlength=n)
    total = pairs.sum(axis=(1, 2))
    return _with_baseline(labels, pairs, s_ff, s_ff.copy(), squares - total, total)


def _bulk_subtract(
    pairs: NDArray[np.float64], b: NDArray[np.int64], h: NDArray[np.int64], k: NDArray[np.int64]
) -> None:
    n = pairs.shape[0]
    flat = np.bincount((b * _L + h) * _L + k, minlength=n * _L * _L)
    pairs -= flat.reshape(n, _L, _L)
