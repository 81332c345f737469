"""Pol.is's two-level clustering: base clusters, then opinion groups over their centres.

Pol.is (``math/src/polismath/math/clusters.clj`` and ``conversation.clj``):

1. *Base clusters*: k-means with k = 100 on the 2-D projections of the participants who
   are "in the conversation". A fresh k-means starts from the first k distinct points in
   participant order; an update starts from the previous update's clusters, re-centred on
   their members' new positions (``clean-start-clusters``).
2. *Groups*: for every k in 2..K, with K = min(5, 2 + floor(n_base / 12)), a k-means over
   the base-cluster centres weighted by their sizes; its quality is the silhouette
   coefficient of the base-cluster centres (unweighted; a centre alone in its cluster
   scores 0).
3. *k-smoother*: the k with the best silhouette becomes the group count only after it has
   won ``buffer`` (4) updates in a row; until then the previous count is kept.

Departures (see ``docs/analytics/opinion.md``): on a fresh map, seeded k-means++ starts are
tried (beside Pol.is's deterministic start for the groups) and the lowest-inertia partition
kept (Pol.is's single start often stops in a poor local optimum); silhouettes
within ``k_tolerance`` of the best count as a tie, won by the smaller k; above
``sample_size`` participants the base clusters are fitted on a seeded sample, then refined
on everyone (Pol.is's own large-conversation path samples for its PCA likewise).

k-means itself (Lloyd's algorithm, starts, warm start) is in :mod:`.kmeans`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.kmeans import (
    KMEANS_MAX_ITER,
    distinct_weights,
    first_distinct_rows,
    inertia_of,
    kmeans_plus_plus,
    lloyd_batch,
    lloyd_kmeans,
    warm_start,
    weighted_means,
)

#: Pol.is's defaults (``conversation.clj`` ``base-conv-update-graph``).
BASE_K = 100
MAX_K = 5
K_BUFFER = 4
#: Our defaults for the departures listed above.
RESTARTS = 10
BASE_RESTARTS = 1
K_TOLERANCE = 0.01
SAMPLE_SIZE = 5_000
REFINE_ITER = 5


@dataclass(frozen=True, slots=True, eq=False)
class BaseClusters:
    """Fine-grained clusters of participants in the opinion space.

    Attributes
    ----------
    ids : ndarray of int64, shape (n_clusters,)
        Persistent ids, increasing: a cluster keeps its id across updates.
    labels : ndarray of int64, shape (n_points,)
        Position (in ``ids``) of the base cluster of each clustered point.
    centers : ndarray, shape (n_clusters, 2)
        Mean position of each base cluster, in projection units.
    sizes : ndarray of int64, shape (n_clusters,)
        Number of points in each base cluster (all > 0).
    """

    ids: NDArray[np.int64]
    labels: NDArray[np.int64]
    centers: NDArray[np.float64]
    sizes: NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class GroupClustering:
    """One candidate grouping of the base clusters.

    Attributes
    ----------
    k : int
        The k asked of k-means (the number of groups can be lower if a cluster emptied).
    base_labels : ndarray of int64, shape (n_base,)
        Group of each base cluster, ``0..n_groups-1``; at an update, groups keep the order
        of the previous update's groups.
    centers : ndarray, shape (n_groups, 2)
        Size-weighted mean of the base centres of each group.
    silhouette : float
        Mean silhouette coefficient of the base centres, in [-1, 1].
    inertia : float
        Size-weighted sum of squared distances of base centres to their group centre.
    """

    k: int
    base_labels: NDArray[np.int64]
    centers: NDArray[np.float64]
    silhouette: float
    inertia: float

    @property
    def n_groups(self) -> int:
        """Number of non-empty groups."""
        return int(self.centers.shape[0])


@dataclass(frozen=True, slots=True)
class KSmoother:
    """Pol.is's group-count smoother state (``group-k-smoother``).

    Attributes
    ----------
    last_k : int
        The k with the best silhouette at the last update.
    last_k_count : int
        How many updates in a row ``last_k`` has won.
    smoothed_k : int
        The group count in use.
    """

    last_k: int
    last_k_count: int
    smoothed_k: int


def _fit(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    k: int,
    previous: NDArray[np.int64] | None,
    restarts: int,
    rng: np.random.Generator,
    max_iter: int,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """k-means from the warm start, or on a fresh map from ``restarts`` k-means++ starts
    (Pol.is's first-k-distinct-points start when ``restarts`` is 0).

    Returns labels (positions), centres and the ids of the clusters.
    """
    if previous is not None and np.any(previous >= 0):
        init, init_ids = warm_start(points, weights, previous, k)
        labels, centers, kept = lloyd_kmeans(points, init, weights, max_iter)
        return labels, centers, init_ids[kept]
    distinct = first_distinct_rows(points, points.shape[0])
    k_eff = min(k, distinct.size)
    if restarts > 0 and 1 < k_eff < distinct.size:
        # Seeded k-means++ starts only: Pol.is's start (the first k participants) is a
        # poor quantisation of the whole map and rarely wins.
        unique_points = points[distinct]
        unique_weights = distinct_weights(points, weights, distinct)
        starts = kmeans_plus_plus(unique_points, unique_weights, k_eff, restarts, rng)
    else:
        starts = points[distinct[:k_eff]][None, :, :]
    best = lloyd_kmeans(points, starts[0], weights, max_iter)
    best_inertia = inertia_of(points, best[0], best[1], weights)
    for start in starts[1:]:
        candidate = lloyd_kmeans(points, start, weights, max_iter)
        inertia = inertia_of(points, candidate[0], candidate[1], weights)
        if inertia < best_inertia * (1.0 - 1e-12):
            best, best_inertia = candidate, inertia
    labels, centers, _ = best
    return labels, centers, np.arange(centers.shape[0], dtype=np.int64)


def base_clusters(
    points: NDArray[np.float64],
    k: int = BASE_K,
    previous: NDArray[np.int64] | None = None,
    restarts: int = BASE_RESTARTS,
    seed: int | np.random.Generator = 0,
    sample_size: int = SAMPLE_SIZE,
    max_iter: int = KMEANS_MAX_ITER,
) -> BaseClusters:
    """Pol.is's base clusters: k-means with k (100) clusters on the participant projections.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
        Projections of the participants in the conversation, in participant order.
    k : int
        Number of base clusters (fewer if there are fewer distinct points).
    previous : ndarray of int64, shape (n,), optional
        Base cluster id of each point at the previous update, ``-1`` for newcomers: the
        warm start that keeps clusters (and their ids) steady.
    restarts : int
        Seeded k-means++ starts on a fresh map (no ``previous``) of at most ``sample_size``
        points; the lowest inertia wins. 0 is Pol.is's start (the first k distinct points).
    seed : int or numpy.random.Generator
        Seeds the extra starts and the sample.
    sample_size : int
        Above this many points, a fresh map is fitted (one start) on a seeded sample of
        this size and then refined on all points for at most ``REFINE_ITER`` steps; a warm
        start runs at most ``REFINE_ITER`` steps too.
    max_iter : int

    Returns
    -------
    BaseClusters
    """
    if points.ndim != 2 or points.shape[0] == 0 or points.shape[1] != 2:
        raise OpinionInputError(f"points must be a non-empty (n, 2) array, got {points.shape}")
    if not np.all(np.isfinite(points)):
        raise OpinionInputError("points contain nan or infinite values")
    if k < 1:
        raise OpinionInputError(f"k must be at least 1, got {k}")
    if previous is not None and previous.shape != (points.shape[0],):
        raise OpinionInputError(
            f"previous must give one base id per point ({points.shape[0]}), got {previous.shape}"
        )
    n = points.shape[0]
    weights = np.ones(n)
    rng = np.random.default_rng(seed)
    warm = previous is not None and bool(np.any(previous >= 0))
    if n > sample_size and not warm:
        sample = np.sort(rng.choice(n, size=sample_size, replace=False))
        # One start on the sample (Pol.is's start on a random sample is itself random).
        _, centers, _ = _fit(points[sample], weights[sample], k, None, 0, rng, max_iter)
        labels, centers, _ = lloyd_kmeans(points, centers, weights, REFINE_ITER)
        ids = np.arange(centers.shape[0], dtype=np.int64)
    else:
        steps = REFINE_ITER if n > sample_size else max_iter
        labels, centers, ids = _fit(points, weights, k, previous, restarts, rng, steps)
    order = np.argsort(ids, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    labels = position[labels]
    return BaseClusters(
        ids=ids[order],
        labels=labels,
        centers=centers[order],
        sizes=np.bincount(labels, minlength=order.size).astype(np.int64),
    )


def max_group_k(n_base: int, max_k: int = MAX_K) -> int:
    """Pol.is's ``max-k-fn``: ``min(max_k, 2 + floor(n_base / 12))``."""
    return min(max_k, 2 + n_base // 12)


def silhouette(points: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette coefficient (Rousseeuw 1987), 0 where it is undefined.

    For point i in cluster C: ``a`` = mean distance to the other members of C, ``b`` =
    the smallest mean distance to the members of another cluster, ``s = (b - a) / max(a,
    b)``; a point alone in its cluster scores 0 (as in Pol.is and scikit-learn), and the
    result is 0 with fewer than two clusters.

    Parameters
    ----------
    points : ndarray, shape (n, d)
    labels : ndarray of int, shape (n,)

    Returns
    -------
    float in [-1, 1]
    """
    return _silhouette(cdist(points, points), np.asarray(labels, dtype=np.int64))


def _silhouette(
    dist: NDArray[np.float64], labels: NDArray[np.int64], n_labels: int | None = None
) -> float:
    # Written out over a distance matrix computed once per map: scikit-learn's
    # silhouette_score spends ~8 ms per call validating input on these ~100 points, and it
    # runs for every candidate k of every update. Tests compare it with scikit-learn.
    # ``n_labels``: the labels are already 0..n_labels-1, all used.
    n = labels.size
    if n_labels is None:
        _, codes = np.unique(labels, return_inverse=True)
        codes = codes.ravel()
        k = int(codes.max()) + 1 if n else 0
    else:
        codes, k = labels, n_labels
    if k < 2 or k >= n:
        return 0.0
    member = np.zeros((n, k))
    member[np.arange(n), codes] = 1.0
    counts = member.sum(axis=0)
    sums = dist @ member
    own = counts[codes]
    a = sums[np.arange(n), codes] / np.maximum(own - 1.0, 1.0)
    means = sums / counts[None, :]
    means[np.arange(n), codes] = np.inf
    b = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (b - a) / np.maximum(a, b)
    score = np.where((own > 1) & np.isfinite(score), score, 0.0)
    return float(score.mean())


def group_clusterings(
    base: BaseClusters,
    max_k: int = MAX_K,
    previous: Mapping[int, NDArray[np.int64]] | None = None,
    restarts: int = RESTARTS,
    seed: int | np.random.Generator = 0,
    max_iter: int = KMEANS_MAX_ITER,
) -> tuple[GroupClustering, ...]:
    """Group the base clusters for every candidate k and score each by silhouette.

    Parameters
    ----------
    base : BaseClusters
    max_k : int
        Upper bound on the group count (Pol.is: 5), further capped by :func:`max_group_k`.
    previous : mapping of int to ndarray of int64 (n_base,), optional
        For each k, the group each of *these* base clusters belonged to at the previous
        update (``-1`` for a new base cluster): the warm start.
    restarts : int
        Extra k-means++ starts for each k without a warm start; 0 is Pol.is.
    seed : int or numpy.random.Generator
    max_iter : int

    Returns
    -------
    tuple of GroupClustering
        One per k in ``2..K``, in increasing k; a single one-group clustering (k=1,
        silhouette 0) when there are fewer than two distinct base centres.
    """
    centers = base.centers
    weights = base.sizes.astype(np.float64)
    distinct = first_distinct_rows(centers, centers.shape[0])
    top = min(max_group_k(centers.shape[0], max_k), distinct.size)
    if top < 2:
        labels = np.zeros(centers.shape[0], dtype=np.int64)
        center = np.average(centers, axis=0, weights=weights)[None, :]
        inertia = inertia_of(centers, labels, center, weights)
        return (
            GroupClustering(
                k=1, base_labels=labels, centers=center, silhouette=0.0, inertia=inertia
            ),
        )
    rng = np.random.default_rng(seed)
    ks = list(range(2, top + 1))
    # k-means++ draws its centres one after the other, so the first k of a draw of ``top``
    # centres is a draw of k: one draw serves every k.
    seeds = np.zeros((0, top, 2))
    if restarts > 0 and top < distinct.size:
        unique_weights = distinct_weights(centers, weights, distinct)
        seeds = kmeans_plus_plus(centers[distinct], unique_weights, top, restarts, rng)
    starts_by_k = []
    for k in ks:
        prev = None if previous is None else previous.get(k)
        if prev is not None and prev.shape == (centers.shape[0],) and np.any(prev >= 0):
            # Warm start: the previous groups re-centred on their base clusters.
            starts_by_k.append(warm_start(centers, weights, prev, k)[0][None, :, :])
        else:
            # Pol.is's start (the first k distinct centres), then the k-means++ starts.
            polis_start = centers[distinct[:k]][None, :, :]
            starts_by_k.append(np.concatenate([polis_start, seeds[:, :k]]))
    # Every start of every k runs in one batch: the starts of a smaller k are padded with
    # nan centres, which never take a point.
    padded = np.full((sum(st.shape[0] for st in starts_by_k), top, 2), np.nan)
    owner = np.concatenate([np.full(st.shape[0], i) for i, st in enumerate(starts_by_k)])
    row = 0
    for st in starts_by_k:
        padded[row : row + st.shape[0], : st.shape[1]] = st
        row += st.shape[0]
    labels_all, _, inertias = lloyd_batch(centers, weights, padded, max_iter)
    dist = cdist(centers, centers)
    out = []
    for i, k in enumerate(ks):
        mine = np.flatnonzero(owner == i)
        # Lowest inertia wins; ties go to the earliest start (Pol.is's own).
        best = int(mine[np.argmin(inertias[mine])])
        used, labels = np.unique(labels_all[best], return_inverse=True)
        labels = labels.ravel().astype(np.int64)
        group_centers = weighted_means(centers, labels, weights, used.size)
        out.append(
            GroupClustering(
                k=k,
                base_labels=labels,
                centers=group_centers,
                silhouette=_silhouette(dist, labels, used.size),
                inertia=inertia_of(centers, labels, group_centers, weights),
            )
        )
    return tuple(out)


def smooth_k(
    candidates: tuple[GroupClustering, ...],
    previous: KSmoother | None = None,
    buffer: int = K_BUFFER,
    tolerance: float = K_TOLERANCE,
) -> KSmoother:
    """Pol.is's ``group-k-smoother``: switch k only after it wins ``buffer`` times in a row.

    Parameters
    ----------
    candidates : tuple of GroupClustering
        This update's clusterings; the best has the highest silhouette.
    previous : KSmoother, optional
        State after the previous update.
    buffer : int
        Consecutive wins needed to switch (Pol.is: 4).
    tolerance : float
        Silhouettes within this of the best tie, and the smallest tied k wins
        (Pol.is: 0, where the larger k wins an exact tie).

    Returns
    -------
    KSmoother

    Notes
    -----
    A silhouette gain of less than ``tolerance`` is noise that would flip the group count
    from one update to the next; Pol.is's smoother absorbs it through the conversation's
    history (and its max k grows with the participants, so k starts small), which a fresh
    map does not have, hence the preference for fewer groups. ``smoothed_k`` is only ever
    a k present in ``candidates``: if the previous count is no longer possible (too few
    base clusters), the best k is used at once.
    """
    if not candidates:
        raise OpinionInputError("no candidate clustering to choose a group count from")
    best = max(c.silhouette for c in candidates)
    this_k = min(c.k for c in candidates if c.silhouette >= best - tolerance)
    available = {c.k for c in candidates}
    if previous is None:
        return KSmoother(last_k=this_k, last_k_count=1, smoothed_k=this_k)
    count = previous.last_k_count + 1 if previous.last_k == this_k else 1
    if count >= buffer or previous.smoothed_k not in available:
        smoothed = this_k
    else:
        smoothed = previous.smoothed_k
    return KSmoother(last_k=this_k, last_k_count=count, smoothed_k=smoothed)
