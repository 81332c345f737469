"""Gould-Fernandez brokerage: hand-worked counts and the exact random-relabelling baseline.

The hand-worked examples are drawn and explained in docs/analytics/network.md.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.network import ROLES, NetworkInputError, brokerage_roles
from cocity.analytics.network.brokerage import ROLE_TABLE

P, A, IND, C, Z = 0, 1, 2, 3, 4  # public, academia, industry, civil, citizens
COORD, GATE, REP, ITIN, LIAISON = range(5)


def brute_force_counts(n: int, arcs: set[tuple[int, int]], sector: list[int]) -> np.ndarray:
    """Enumerate every ordered triple: the definition, written as plainly as possible."""
    counts = np.zeros((n, 6))
    for a, b, c in itertools.permutations(range(n), 3):
        if (a, b) in arcs and (b, c) in arcs and (a, c) not in arcs:
            counts[b, 5] += 1
            labels = [5 if sector[v] < 0 else sector[v] for v in (a, b, c)]
            role = ROLE_TABLE[labels[1], labels[0], labels[2]]
            if role >= 0:
                counts[b, role] += 1
    return counts


def test_directed_hand_worked_example() -> None:
    # docs/analytics/network.md, "Directed example". Sectors: 0 P, 1 P, 2 A, 3 IND, 4 A, 5 P, 6 IND.
    sector = [P, P, A, IND, A, P, IND]
    arcs = [(0, 1), (1, 2), (2, 3), (2, 4), (4, 2), (3, 5), (0, 6), (6, 5), (1, 5), (1, 4), (3, 4)]
    result = brokerage_roles(7, [a for a, _ in arcs], [b for _, b in arcs], sector, directed=True)
    expected = np.zeros((7, 5))
    expected[1, COORD] = 1  # 0 -> 1 -> 5: P P P
    expected[1, REP] = 2  # 0 -> 1 -> 2 and 0 -> 1 -> 4: P P A
    expected[2, LIAISON] = 1  # 1 -> 2 -> 3: P A IND   (1 -> 2 -> 4 is closed by 1 -> 4)
    expected[2, REP] = 1  # 4 -> 2 -> 3: A A IND
    expected[3, LIAISON] = 1  # 2 -> 3 -> 5: A IND P   (2 -> 3 -> 4 is closed by 2 -> 4)
    expected[4, GATE] = 1  # 3 -> 4 -> 2: IND A A   (1 -> 4 -> 2 is closed by 1 -> 2)
    expected[6, ITIN] = 1  # 0 -> 6 -> 5: P IND P
    np.testing.assert_array_equal(result.counts, expected)
    np.testing.assert_array_equal(result.total, [0, 3, 2, 1, 1, 0, 1])


def test_undirected_hand_worked_example() -> None:
    # docs/analytics/network.md, "Undirected example": 0 P - 1 A, 1 - 2 IND, 1 - 3 A, 2 - 3.
    result = brokerage_roles(4, [0, 1, 1, 2], [1, 2, 3, 3], [P, A, IND, A])
    expected = np.zeros((4, 5))
    expected[1, LIAISON] = 2  # 0 - 1 - 2 both ways: P A IND and IND A P
    expected[1, GATE] = 1  # 0 -> 1 -> 3: P A A
    expected[1, REP] = 1  # 3 -> 1 -> 0: A A P
    # 2 - 1 - 3 is closed by the tie 2 - 3; nodes 2 and 3 broker nothing (their partners are tied)
    np.testing.assert_array_equal(result.counts, expected)
    np.testing.assert_array_equal(result.total, [0, 4, 0, 0])


def test_duplicates_and_self_ties_do_not_change_counts() -> None:
    clean = brokerage_roles(4, [0, 1, 1, 2], [1, 2, 3, 3], [P, A, IND, A])
    noisy = brokerage_roles(4, [0, 1, 1, 2, 1, 2, 3], [1, 2, 3, 3, 0, 2, 1], [P, A, IND, A])
    np.testing.assert_array_equal(clean.counts, noisy.counts)
    np.testing.assert_allclose(clean.z, noisy.z, equal_nan=True)


def permutation_moments(n: int, arcs: set[tuple[int, int]], sector: list[int]):
    """Exact mean and variance of each broker's counts over all permutations of the other
    stakeholders' labels (the reference for the analytic baseline)."""
    mean = np.zeros((n, 5))
    var = np.zeros((n, 5))
    for b in range(n):
        others = [v for v in range(n) if v != b]
        samples = []
        for labels in itertools.permutations([sector[v] for v in others]):
            relabelled = list(sector)
            for v, label in zip(others, labels, strict=True):
                relabelled[v] = label
            samples.append(brute_force_counts(n, arcs, relabelled)[b, :5])
        values = np.array(samples)
        mean[b], var[b] = values.mean(axis=0), values.var(axis=0)
    return mean, var


@st.composite
def small_networks(draw: st.DrawFn):
    n = draw(st.integers(4, 6))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    arcs = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=12, unique=True))
    sector = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
    directed = draw(st.booleans())
    return n, arcs, sector, directed


@given(small_networks())
@settings(max_examples=25, deadline=None)
def test_counts_and_exact_baseline_match_enumeration(network) -> None:
    n, arcs, sector, directed = network
    arc_set = set(arcs) if directed else set(arcs) | {(b, a) for a, b in arcs}
    result = brokerage_roles(
        n, [a for a, _ in arcs], [b for _, b in arcs], sector, directed=directed
    )
    brute = brute_force_counts(n, arc_set, sector)
    np.testing.assert_array_equal(result.counts, brute[:, :5])
    np.testing.assert_array_equal(result.total, brute[:, 5])
    mean, var = permutation_moments(n, arc_set, sector)
    known = np.asarray(sector) >= 0
    np.testing.assert_allclose(result.expected[known], mean[known], atol=1e-9)
    np.testing.assert_allclose(result.std[known] ** 2, var[known], atol=1e-9)
    assert np.isnan(result.expected[~known]).all()


def test_z_scores_on_a_star_of_sectors() -> None:
    # A hub in academia tied to 3 of each other sector: every pair of its partners is open.
    leaves = [P, P, P, IND, IND, IND, C, C, C, Z, Z, Z]
    sector = [A, *leaves]
    hub_ties = list(range(1, 13))
    result = brokerage_roles(13, [0] * 12, hub_ties, sector)
    # ordered pairs of leaves: 12 * 11 = 132; none in academia, so no coordinator,
    # gatekeeper or representative; itinerant when both leaves share a sector (4 * 3 * 2)
    np.testing.assert_array_equal(result.counts[0], [0, 0, 0, 24, 108])
    assert result.total[0] == 132
    # academia holds only the hub, so under relabelling no partner can be in academia:
    # the expected counts equal the observed ones and the variance is zero -> z undefined
    np.testing.assert_allclose(result.expected[0, :3], 0.0)
    assert np.isnan(result.z[0, :3]).all()


def test_roles_are_named_in_column_order() -> None:
    assert ROLES == ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")


@given(small_networks())
@settings(max_examples=40, deadline=None)
def test_role_counts_add_up_to_the_open_paths_with_known_sectors(network) -> None:
    n, arcs, sector, directed = network
    result = brokerage_roles(
        n, [a for a, _ in arcs], [b for _, b in arcs], sector, directed=directed
    )
    assert np.all(result.counts.sum(axis=1) <= result.total + 1e-12)
    if min(sector) >= 0:
        np.testing.assert_allclose(result.counts.sum(axis=1), result.total)
    if not directed:
        np.testing.assert_array_equal(result.counts[:, GATE], result.counts[:, REP])


@given(small_networks(), st.randoms(use_true_random=False))
@settings(max_examples=30, deadline=None)
def test_brokerage_is_invariant_to_relabelling(network, random) -> None:
    n, arcs, sector, directed = network
    permutation = list(range(n))
    random.shuffle(permutation)
    moved_sector = [0] * n
    for old, new in enumerate(permutation):
        moved_sector[new] = sector[old]
    before = brokerage_roles(
        n, [a for a, _ in arcs], [b for _, b in arcs], sector, directed=directed
    )
    after = brokerage_roles(
        n,
        [permutation[a] for a, _ in arcs],
        [permutation[b] for _, b in arcs],
        moved_sector,
        directed=directed,
    )
    np.testing.assert_array_equal(after.counts[permutation], before.counts)
    np.testing.assert_allclose(after.z[permutation], before.z, atol=1e-9, equal_nan=True)


def test_empty_and_tiny_networks() -> None:
    empty = brokerage_roles(0, [], [], [])
    assert empty.counts.shape == (0, 5)
    one = brokerage_roles(1, [], [], [P])
    np.testing.assert_array_equal(one.counts, np.zeros((1, 5)))
    assert np.isnan(one.z).all()
    pair = brokerage_roles(2, [0], [1], [P, A])
    np.testing.assert_array_equal(pair.total, [0, 0])


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(NetworkInputError, match="sector has shape"):
        brokerage_roles(3, [0], [1], [P, A])
    with pytest.raises(NetworkInputError, match=r"outside 0 \.\. 2"):
        brokerage_roles(3, [0], [5], [P, A, IND])
    with pytest.raises(NetworkInputError, match="sector codes"):
        brokerage_roles(3, [0], [1], [P, A, 9])
