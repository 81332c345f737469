"""k-means as Pol.is runs it: Lloyd's algorithm, its starts, and its warm start.

Pol.is (``math/src/polismath/math/clusters.clj``) runs plain Lloyd iterations: assign each
point to its nearest centre, move each centre to the (weighted) mean of its points, drop a
centre left without points, stop when no centre moved more than 0.01. A fresh clustering
starts from the first k distinct points (``init-clusters``); an update starts from the
previous clusters re-centred on their members (``clean-start-clusters``).

Written out rather than taken from scikit-learn: ``KMeans`` costs 10-30 ms per call in
thread-pool set-up alone, which is more than a whole map of a small conversation, and it
cannot drop empty clusters the way Pol.is does. The nearest-centre search, where the time
goes on large inputs, is SciPy's compiled :func:`scipy.cluster.vq.vq`. Tests check the
result against scikit-learn's ``KMeans`` from the same start.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.vq import vq
from scipy.spatial.distance import cdist

#: Pol.is's defaults: at most 100 steps; converged when no centre moved 0.01
#: (``same-clustering?``).
KMEANS_MAX_ITER = 100
KMEANS_TOLERANCE = 0.01
# Largest n * n for which k-means++ keeps a table of all squared distances (32 MB).
_KMPP_TABLE_MAX = 4_000_000


def first_distinct_rows(points: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """Positions of the first ``k`` distinct rows of ``points``, in row order.

    This is Pol.is's ``init-clusters``: a deterministic k-means start.
    """
    first, _ = equal_rows(points)
    return np.sort(first)[:k]


def equal_rows(points: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Groups of identical rows: ``first[g]``, the lowest position of group ``g``, and
    ``group[i]``, the group of row ``i`` (groups in no particular order).

    Rows compare by value (0.0 equals -0.0). Written out because ``np.unique(axis=0)``
    compares rows as raw bytes (so 0.0 and -0.0 differ) and costs ~50 µs per call on the
    100 base centres, a call the map makes several times per update.
    """
    n = points.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort(points.T[::-1])  # stable: equal rows stay in position order
    ranked = points[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.any(ranked[1:] != ranked[:-1], axis=1, out=starts[1:])
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    return order[starts].astype(np.int64), group


def weighted_means(
    points: NDArray[np.float64], labels: NDArray[np.int64], weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    totals = np.bincount(labels, weights=weights, minlength=n)
    sums = np.stack(
        [
            np.bincount(labels, weights=weights * points[:, d], minlength=n)
            for d in range(points.shape[1])
        ],
        axis=1,
    )
    return np.asarray(sums / np.maximum(totals, np.finfo(np.float64).tiny)[:, None])


def lloyd_kmeans(
    points: NDArray[np.float64],
    init_centers: NDArray[np.float64],
    weights: NDArray[np.float64] | None = None,
    max_iter: int = KMEANS_MAX_ITER,
    tol: float = KMEANS_TOLERANCE,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """Weighted Lloyd's k-means from explicit starting centres, as Pol.is runs it.

    Each step assigns every point to its nearest centre and moves each centre to the
    weighted mean of its points; a centre left without points is dropped (Pol.is
    ``cluster-step``). It stops when no centre moved more than ``tol`` or after
    ``max_iter`` steps.

    Parameters
    ----------
    points : ndarray, shape (n, d)
    init_centers : ndarray, shape (k, d), k >= 1
    weights : ndarray, shape (n,), optional
        Non-negative weights (Pol.is weighs base centres by their sizes); default 1.
    max_iter : int
    tol : float
        Convergence distance, in the units of ``points`` (Pol.is: 0.01).

    Returns
    -------
    labels : ndarray of int64, shape (n,)
        Cluster of each point, ``0..k'-1``.
    centers : ndarray, shape (k', d)
        Weighted mean of each cluster's points.
    kept : ndarray of int64, shape (k',)
        Which of ``init_centers`` each returned cluster descends from.
    """
    w = np.ones(points.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = np.asarray(init_centers, dtype=np.float64).copy()
    kept = np.arange(centers.shape[0], dtype=np.int64)
    labels = np.zeros(points.shape[0], dtype=np.int64)
    for _ in range(max(max_iter, 1)):
        raw, _ = vq(points, centers, check_finite=False)
        totals = np.bincount(raw, weights=w, minlength=centers.shape[0])
        sums = [
            np.bincount(raw, weights=w * points[:, d], minlength=centers.shape[0])
            for d in range(points.shape[1])
        ]
        used = np.flatnonzero(totals > 0)
        new = np.stack([s_[used] for s_ in sums], axis=1) / totals[used, None]
        moved = float(np.max(((new - centers[used]) ** 2).sum(axis=1)))
        if used.size < centers.shape[0]:
            relabel = np.full(centers.shape[0], -1, dtype=np.int64)
            relabel[used] = np.arange(used.size)
            labels = relabel[raw]
        else:
            labels = raw.astype(np.int64)
        centers, kept = new, kept[used]
        if moved < tol * tol:
            break
    return labels, centers, kept


def lloyd_batch(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    starts: NDArray[np.float64],
    max_iter: int = KMEANS_MAX_ITER,
    tol: float = KMEANS_TOLERANCE,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`lloyd_kmeans` for many starts at once on a small point set (the base centres).

    ``starts`` may hold ``nan`` centres (padding); a centre that loses every point is
    dropped likewise (Pol.is drops it) and never takes a point again. Stops when no centre
    of any start moved more than ``tol``, or no point changed cluster. Returns labels
    ``(S, n)``, centres ``(S, k, d)`` with ``nan`` for dropped centres, and the weighted
    inertia ``(S,)``.
    """
    n_starts, k, dims = starts.shape
    n = points.shape[0]
    # A dropped centre sits at infinity: it is never the nearest.
    centres = np.where(np.isnan(starts), np.inf, starts).astype(np.float64)
    flat_points = np.ascontiguousarray(points, dtype=np.float64)
    # Every start weighs the points alike: the first ``a`` rows, flattened, are the weights
    # of ``a`` starts side by side.
    w_rows = np.tile(weights, (n_starts, 1))
    m_rows = [np.tile(weights * points[:, d], (n_starts, 1)) for d in range(dims)]
    offsets = (np.arange(n_starts) * k)[:, None]
    labels = np.full((n_starts, n), -1, dtype=np.int64)
    active = np.arange(n_starts)
    tol2 = tol * tol
    # Dropped centres are inf: their means divide by zero and their steps are inf - inf.
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(max(max_iter, 1)):
            # Only starts still moving are computed: most settle in a few steps. Distances
            # are laid out (point, start, centre) so the nearest centre is found along a
            # contiguous axis (half the time of the (start, centre, point) layout). SciPy's
            # squared distances are the same floats as (x - cx)**2 + (y - cy)**2.
            a = active.size
            current = centres[active]
            dist = cdist(flat_points, current.reshape(a * k, dims), "sqeuclidean")
            new_labels = dist.reshape(n, a, k).argmin(axis=2).T
            changed = (new_labels != labels[active]).any(axis=1)
            if not changed.all():
                active, new_labels, current = active[changed], new_labels[changed], current[changed]
            a = active.size
            if a == 0:
                break
            labels[active] = new_labels
            flat = (new_labels + offsets[:a]).ravel()
            totals = np.bincount(flat, weights=w_rows[:a].ravel(), minlength=a * k)
            new = np.empty((a * k, dims))
            for d in range(dims):
                new[:, d] = np.bincount(flat, weights=m_rows[d][:a].ravel(), minlength=a * k)
            new /= totals[:, None]
            new[totals == 0] = np.inf
            new = new.reshape(a, k, dims)
            # A centre dropped earlier gives nan (never "moving"); one dropped now, inf.
            moving = (((new - current) ** 2).sum(axis=2) >= tol2).any(axis=1)
            centres[active] = new
            # Pol.is's test: a start is done when none of its centres moved ``tol`` or more.
            active = active[moving]
            if active.size == 0:
                break
    stacked = centres
    nearest = stacked[np.arange(n_starts)[:, None], labels]
    inertia = (weights[None, :] * ((points[None, :, :] - nearest) ** 2).sum(axis=2)).sum(axis=1)
    return labels, np.where(np.isinf(stacked), np.nan, stacked), inertia


def kmeans_plus_plus(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    k: int,
    n_starts: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Weighted k-means++ seeding (Arthur & Vassilvitskii 2007) for ``n_starts`` starts.

    Each next centre is drawn with probability proportional to weight times the squared
    distance to the nearest centre already drawn. Written out (vectorised over starts)
    because scikit-learn's ``kmeans_plusplus`` seeds one start per call at ~10 ms of set-up.
    ``points`` must be distinct and at least ``k``. Returns ``(n_starts, k, d)``.
    """
    n = points.shape[0]
    centers = np.empty((n_starts, k, points.shape[1]))
    centers[:, 0] = points[rng.choice(n, size=n_starts, p=weights / weights.sum())]
    if n_starts == 1:
        return _kmeans_plus_plus_one(points, weights, centers, rng)
    nearest = ((points[None, :, :] - centers[:, :1, :]) ** 2).sum(axis=2)
    for j in range(1, k):
        mass = np.cumsum(nearest * weights[None, :], axis=1)
        target = rng.random(n_starts) * mass[:, -1]
        pick = np.minimum((mass < target[:, None]).sum(axis=1), n - 1)
        # Distinct points keep every remaining point's mass positive, so a drawn point
        # is never one already chosen.
        centers[:, j] = points[pick]
        step = ((points[None, :, :] - centers[:, j : j + 1, :]) ** 2).sum(axis=2)
        nearest = np.minimum(nearest, step)
    return centers


def _kmeans_plus_plus_one(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    centers: NDArray[np.float64],
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """:func:`kmeans_plus_plus` for a single start (the 100 base centres): one-dimensional
    steps, several times cheaper per centre than the batched form."""
    n, k = points.shape[0], centers.shape[1]
    columns = [np.ascontiguousarray(points[:, d]) for d in range(points.shape[1])]
    # Few points per centre: every squared distance at once (SciPy's are the same floats
    # as the column sums below), so each draw costs one minimum instead of a distance
    # pass. The table costs n * n distances against k * n for the passes: it pays up to
    # about four points per centre (measured: 0.35 against 0.52 ms at 140 points and 100
    # centres, 2.3 against 0.9 ms at 1,219).
    use_table = n <= 4 * k and n * n <= _KMPP_TABLE_MAX
    table = cdist(points, points, "sqeuclidean") if use_table else None
    nearest = np.zeros(n)
    for d, col in enumerate(columns):
        nearest += (col - centers[0, 0, d]) ** 2
    draws = rng.random(size=(k,)).tolist()
    uniform = bool(np.all(weights == 1.0))
    mass = np.empty(n)
    # Array methods and preallocated buffers: this loop runs ~100 times per map, and on
    # small conversations the per-call overhead of the numpy functions is its cost.
    for j in range(1, k):
        # Unit weights (the base clusters' participants) leave the masses as they are.
        (nearest if uniform else nearest * weights).cumsum(out=mass)
        pick = min(int(mass.searchsorted(draws[j] * mass[-1], side="right")), n - 1)
        centers[0, j] = points[pick]
        if table is not None:
            np.minimum(nearest, table[pick], out=nearest)
            continue
        step = (columns[0] - points[pick, 0]) ** 2
        for d in range(1, len(columns)):
            step += (columns[d] - points[pick, d]) ** 2
        np.minimum(nearest, step, out=nearest)
    return centers


def warm_start(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    previous: NDArray[np.int64],
    k: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Pol.is's ``clean-start-clusters``: starting centres from the previous memberships.

    Each previous cluster is re-centred on the *current* positions of its members (so a
    rotated or rescaled map does not matter); clusters that lost every member are dropped,
    identical centres merged; then, while fewer than ``min(k, distinct points)`` clusters
    exist, the point farthest from every centre starts a new cluster.

    Returns the starting centres and their ids (previous ids, then new ones).
    """
    members = previous >= 0
    keys, inverse = np.unique(previous[members], return_inverse=True)
    centers = weighted_means(
        points[members], inverse.astype(np.int64).ravel(), weights[members], keys.size
    )
    first = np.sort(equal_rows(centers)[0])
    centers, ids = centers[first], keys[first].astype(np.int64)
    target = min(k, first_distinct_rows(points, points.shape[0]).size)
    if centers.shape[0] >= target:
        return centers[:target], ids[:target]
    _, dist = vq(points, centers, check_finite=False)
    nearest = dist**2
    next_id = int(ids.max()) + 1 if ids.size else 0
    extra_c: list[NDArray[np.float64]] = []
    extra_i: list[int] = []
    while centers.shape[0] + len(extra_c) < target:
        far = int(np.argmax(nearest))
        if nearest[far] <= 0.0:
            break
        extra_c.append(points[far])
        extra_i.append(next_id)
        next_id += 1
        nearest = np.minimum(nearest, ((points - points[far]) ** 2).sum(axis=1))
    if extra_c:
        centers = np.vstack([centers, np.asarray(extra_c)])
        ids = np.concatenate([ids, np.asarray(extra_i, dtype=np.int64)])
    return centers, ids


def inertia_of(
    points: NDArray[np.float64],
    labels: NDArray[np.int64],
    centers: NDArray[np.float64],
    weights: NDArray[np.float64],
) -> float:
    return float((weights * ((points - centers[labels]) ** 2).sum(axis=1)).sum())


def distinct_weights(
    points: NDArray[np.float64], weights: NDArray[np.float64], distinct: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Total weight of the points identical to each of ``points[distinct]``."""
    _, inverse = equal_rows(points)
    totals = np.bincount(inverse, weights=weights)
    return np.asarray(totals[inverse[distinct]], dtype=np.float64)
