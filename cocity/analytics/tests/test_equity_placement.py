"""The greedy what-if: each step checked against brute force and recomputed indices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.equity import EquityInputError, concentration_index, greedy_placement


def _brute_force_step(counts, rank, population, room):
    """Try every allowed area with concentration_index itself; return the best |C|."""
    best = None
    for k in np.flatnonzero(room > 0):
        trial = counts.copy()
        trial[k] += 1
        if population is None:
            c = concentration_index(trial, rank).value
        else:
            c = concentration_index(1000 * trial / population, rank, population).value
        key = (round(abs(c), 12), counts[k], k)
        if best is None or key < best[0]:
            best = (key, k, c)
    return best


@given(
    st.lists(st.integers(0, 5), min_size=2, max_size=12),
    st.integers(1, 6),
    st.booleans(),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
@settings(max_examples=60, deadline=None)
def test_each_greedy_step_is_the_brute_force_best(counts, n_new, with_population, cap, rnd):
    n = len(counts)
    counts = np.array(counts, dtype=float)
    rank = np.arange(1, n + 1, dtype=float)
    rnd.shuffle(rank)
    population = (
        np.array([rnd.randint(500, 3000) for _ in range(n)], float) if with_population else None
    )
    if counts.sum() == 0:
        counts[0] = 1
    plan = greedy_placement(counts, rank, n_new, population=population, max_per_area=cap)
    current = counts.copy()
    room = np.full(n, cap)
    assert plan.area_index.size == min(n_new, n * cap)
    for step, area in enumerate(plan.area_index):
        _, expected_area, expected_c = _brute_force_step(current, rank, population, room)
        assert area == expected_area
        assert plan.index_after[step] == pytest.approx(expected_c, abs=1e-9)
        current[area] += 1
        room[area] -= 1
    assert np.bincount(plan.area_index, minlength=n).max() <= cap


def test_worked_example_goes_to_the_most_deprived_first() -> None:
    # Counts 0, 1, 1, 2, 6 over IMD ranks 1..5 (C = 0.52): one more asset in the most
    # deprived area gives C = 2 (7.6 + 0.1) / 11 - 1 = 0.4.
    plan = greedy_placement([0, 1, 1, 2, 6], [1, 2, 3, 4, 5], 2)
    assert plan.index_before == pytest.approx(0.52)
    assert plan.area_index.tolist() == [0, 1]
    assert plan.index_after[0] == pytest.approx(0.4)


def test_allowed_mask_and_running_out_of_room() -> None:
    plan = greedy_placement(
        [0, 1, 1, 2, 6], [1, 2, 3, 4, 5], 5, allowed=np.array([False, True, True, False, False])
    )
    assert plan.area_index.tolist() == [1, 2]


def test_bad_arguments() -> None:
    with pytest.raises(EquityInputError, match="n_new"):
        greedy_placement([1, 2], [1, 2], -1)
    with pytest.raises(EquityInputError, match="max_per_area"):
        greedy_placement([1, 2], [1, 2], 1, max_per_area=0)
    with pytest.raises(EquityInputError, match="population"):
        greedy_placement([1, 2], [1, 2], 1, population=[100, 0])
    with pytest.raises(EquityInputError, match="allowed"):
        greedy_placement([1, 2], [1, 2], 1, allowed=[1, 0])
