"""k-means as Pol.is runs it, base clusters, candidate groupings, silhouette and k-smoother."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from cocity.analytics.opinion import (
    BaseClusters,
    GroupClustering,
    KSmoother,
    OpinionInputError,
    base_clusters,
    group_clusterings,
    lloyd_kmeans,
    max_group_k,
    silhouette,
    smooth_k,
)
from cocity.analytics.opinion.kmeans import (
    distinct_weights,
    equal_rows,
    first_distinct_rows,
    kmeans_plus_plus,
    lloyd_batch,
    warm_start,
)


def blobs(rng: np.random.Generator, centres: list[tuple[float, float]], n: int) -> np.ndarray:
    return np.vstack([rng.normal(c, 0.3, size=(n, 2)) for c in centres])


def test_first_distinct_rows_is_polis_init_clusters() -> None:
    points = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, 2.0]])
    assert first_distinct_rows(points, 2).tolist() == [0, 2]
    assert first_distinct_rows(points, 10).tolist() == [0, 2, 4]
    # Rows compare by value: a participant projected to -0.0 sits where one at 0.0 does.
    signed = np.array([[0.0, 1.0], [-0.0, 1.0], [1.0, -0.0], [1.0, 0.0]])
    assert first_distinct_rows(signed, 10).tolist() == [0, 2]
    assert distinct_weights(signed, np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 2])).tolist() == [
        3.0,
        7.0,
    ]


@given(
    arrays(np.int8, st.tuples(st.integers(0, 60), st.integers(1, 3)), elements=st.integers(-2, 2))
)
@settings(max_examples=100, deadline=None)
def test_equal_rows_groups_exactly_the_identical_rows(small: np.ndarray) -> None:
    points = small.astype(np.float64) / 2  # few values: many repeated rows
    first, group = equal_rows(points)
    assert group.shape == (points.shape[0],) and first.size == len({tuple(r) for r in points})
    for g, row in enumerate(first):
        members = np.flatnonzero(group == g)
        assert members.min() == row  # the group's first row is its lowest position
        assert (points[members] == points[row]).all()
    for i, j in zip(*np.triu_indices(points.shape[0], 1), strict=True):
        assert (group[i] == group[j]) == bool((points[i] == points[j]).all())


def test_lloyd_matches_scikit_learn_from_the_same_start() -> None:
    rng = np.random.default_rng(0)
    points = blobs(rng, [(0, 0), (3, 0), (0, 3), (3, 3)], 60)
    start = points[rng.choice(points.shape[0], 4, replace=False)]
    weights = rng.uniform(0.5, 2.0, points.shape[0])
    labels, centers, kept = lloyd_kmeans(points, start, weights, max_iter=300, tol=1e-12)
    reference = KMeans(4, init=start, n_init=1, max_iter=300, tol=0).fit(
        points, sample_weight=weights
    )
    assert kept.tolist() == [0, 1, 2, 3]
    assert adjusted_rand_score(reference.labels_, labels) == 1.0
    np.testing.assert_allclose(centers, reference.cluster_centers_[kept], atol=1e-9)


def test_lloyd_drops_a_cluster_that_empties_as_polis_does() -> None:
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 0.0]])
    start = np.array([[0.0, 0.0], [100.0, 100.0], [5.0, 0.0]])
    labels, centers, kept = lloyd_kmeans(points, start)
    assert kept.tolist() == [0, 2]
    assert labels.tolist() == [0, 0, 1]
    np.testing.assert_allclose(centers, [[0.05, 0.0], [5.0, 0.0]])


def test_lloyd_batch_gives_each_start_the_single_run_result() -> None:
    rng = np.random.default_rng(1)
    points = blobs(rng, [(0, 0), (4, 0), (2, 3)], 20)
    weights = rng.integers(1, 5, points.shape[0]).astype(float)
    starts = np.stack([points[rng.choice(60, 3, replace=False)] for _ in range(6)])
    labels, centers, inertia = lloyd_batch(points, weights, starts, tol=1e-12)
    for s in range(6):
        one_labels, one_centers, kept = lloyd_kmeans(points, starts[s], weights, tol=1e-12)
        assert adjusted_rand_score(one_labels, labels[s]) == 1.0
        np.testing.assert_allclose(one_centers, centers[s][kept], atol=1e-9)
        expected = (weights * ((points - one_centers[one_labels]) ** 2).sum(axis=1)).sum()
        assert inertia[s] == pytest.approx(expected)


def test_kmeans_plus_plus_draws_distinct_input_points_reproducibly() -> None:
    points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0]])
    weights = np.ones(5)
    a = kmeans_plus_plus(points, weights, 3, 20, np.random.default_rng(7))
    b = kmeans_plus_plus(points, weights, 3, 20, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    for start in a:
        assert len({tuple(c) for c in start}) == 3
        assert all(any(np.array_equal(c, p) for p in points) for c in start)


def test_warm_start_recentres_on_members_then_adds_the_farthest_point() -> None:
    points = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [0.0, 9.0]])
    previous = np.array([4, 4, 7, -1])  # cluster ids from the last update; a newcomer
    centers, ids = warm_start(points, np.ones(4), previous, k=3)
    np.testing.assert_allclose(centers, [[1.0, 0.0], [10.0, 0.0], [0.0, 9.0]])
    assert ids.tolist() == [4, 7, 8]


def test_base_clusters_with_fewer_points_than_k_are_the_distinct_points() -> None:
    points = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [3.0, 1.0]])
    base = base_clusters(points, k=100)
    assert base.centers.shape == (3, 2)
    assert base.sizes.sum() == 4
    assert base.labels[0] == base.labels[2]


def test_base_clusters_large_input_uses_a_sample_then_refines() -> None:
    rng = np.random.default_rng(2)
    points = blobs(rng, [(0, 0), (5, 0)], 400)
    base = base_clusters(points, k=20, sample_size=100, seed=3)
    assert base.centers.shape[0] <= 20
    assert base.sizes.sum() == 800
    np.testing.assert_allclose(
        base.centers, [points[base.labels == i].mean(axis=0) for i in range(base.ids.size)]
    )


def test_base_clusters_warm_start_keeps_ids() -> None:
    rng = np.random.default_rng(3)
    points = blobs(rng, [(0, 0), (5, 0), (0, 5)], 30)
    first = base_clusters(points, k=3, restarts=5)
    moved = points + 0.01
    again = base_clusters(moved, k=3, previous=first.ids[first.labels])
    np.testing.assert_array_equal(again.ids[again.labels], first.ids[first.labels])


def test_base_clusters_bad_input() -> None:
    with pytest.raises(OpinionInputError, match="non-empty"):
        base_clusters(np.zeros((0, 2)))
    with pytest.raises(OpinionInputError, match="nan"):
        base_clusters(np.array([[np.nan, 0.0]]))
    with pytest.raises(OpinionInputError, match="k must be"):
        base_clusters(np.zeros((3, 2)), k=0)
    with pytest.raises(OpinionInputError, match="one base id per point"):
        base_clusters(np.zeros((3, 2)), previous=np.zeros(2, dtype=np.int64))


def test_max_group_k_is_polis_max_k_fn() -> None:
    # min(5, 2 + floor(n / 12)): Pol.is's max-k-fn.
    assert [max_group_k(n) for n in (0, 11, 12, 24, 35, 36, 100)] == [2, 2, 3, 4, 4, 5, 5]


def test_group_clusterings_recover_well_separated_groups() -> None:
    rng = np.random.default_rng(4)
    points = blobs(rng, [(0, 0), (6, 0), (3, 5)], 40)
    truth = np.repeat([0, 1, 2], 40)
    base = base_clusters(points, k=30, restarts=2)
    candidates = group_clusterings(base)
    assert [c.k for c in candidates] == [2, 3, 4]
    best = max(candidates, key=lambda c: c.silhouette)
    assert best.k == 3
    assert adjusted_rand_score(truth, best.base_labels[base.labels]) == 1.0


def test_group_clusterings_of_one_distinct_centre_is_one_group() -> None:
    base = BaseClusters(
        ids=np.array([0]),
        labels=np.zeros(3, np.int64),
        centers=np.zeros((1, 2)),
        sizes=np.array([3]),
    )
    (only,) = group_clusterings(base)
    assert only.k == 1 and only.n_groups == 1 and only.silhouette == 0.0


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(3, 30), st.just(2)), elements=st.integers(-5, 5)),
    st.data(),
)
def test_silhouette_matches_scikit_learn(points: np.ndarray, data: st.DataObject) -> None:
    labels = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(points), max_size=len(points)))
    )
    n_labels = np.unique(labels).size
    ours = silhouette(points, labels)
    if 2 <= n_labels <= len(points) - 1:
        assert ours == pytest.approx(silhouette_score(points, labels), abs=1e-12)
    else:
        assert ours == 0.0


def candidate(k: int, score: float) -> GroupClustering:
    return GroupClustering(
        k=k,
        base_labels=np.zeros(1, np.int64),
        centers=np.zeros((k, 2)),
        silhouette=score,
        inertia=0.0,
    )


def test_smooth_k_switches_only_after_buffer_wins_in_a_row() -> None:
    # Hand-worked Pol.is group-k-smoother with buffer 4: k=3 must win 4 updates running.
    state = smooth_k((candidate(2, 0.5), candidate(3, 0.4)))
    assert state == KSmoother(last_k=2, last_k_count=1, smoothed_k=2)
    history = []
    for _ in range(4):
        state = smooth_k((candidate(2, 0.4), candidate(3, 0.5)), previous=state)
        history.append(state.smoothed_k)
    assert history == [2, 2, 2, 3]
    # An interruption resets the count.
    state = smooth_k((candidate(2, 0.6), candidate(3, 0.5)), previous=state)
    assert (state.last_k, state.last_k_count, state.smoothed_k) == (2, 1, 3)


def test_smooth_k_near_ties_go_to_fewer_groups() -> None:
    state = smooth_k((candidate(2, 0.480), candidate(3, 0.489), candidate(4, 0.3)))
    assert state.smoothed_k == 2
    assert smooth_k((candidate(2, 0.48), candidate(3, 0.489)), tolerance=0.0).smoothed_k == 3
    with pytest.raises(OpinionInputError):
        smooth_k(())


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 60), st.just(2)), elements=st.integers(-20, 20)),
    st.integers(1, 12),
    st.integers(0, 3),
)
def test_base_and_groups_properties(points: np.ndarray, k: int, restarts: int) -> None:
    base = base_clusters(points, k=k, restarts=restarts, seed=1)
    n_distinct = np.unique(points, axis=0).shape[0]
    assert 1 <= base.ids.size <= min(k, n_distinct)
    assert base.sizes.sum() == points.shape[0] and np.all(base.sizes > 0)
    np.testing.assert_allclose(
        base.centers, [points[base.labels == i].mean(axis=0) for i in range(base.ids.size)]
    )
    for c in group_clusterings(base, restarts=restarts):
        assert c.n_groups <= c.k
        assert set(np.unique(c.base_labels).tolist()) == set(range(c.n_groups))
        assert -1.0 <= c.silhouette <= 1.0
        assert c.inertia >= 0.0
