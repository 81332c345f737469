"""Inequality measures checked against hand-worked values, independent formulas and
properties.

The hand-worked example (also in docs/analytics/equity.md): five areas ranked by
deprivation (IMD rank 1 = most deprived) holding 0, 1, 1, 2 and 6 assets.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cocity.analytics.equity import (
    EquityInputError,
    concentration_index,
    fractional_rank,
    gini,
    lorenz_curve,
    theil_decomposition,
)

COUNTS = np.array([0.0, 1.0, 1.0, 2.0, 6.0])
IMD_RANK = np.array([1.0, 2.0, 3.0, 4.0, 5.0])

values_strategy = arrays(
    np.float64,
    st.integers(2, 40),
    # No subnormal values: halving 5e-324 gives 0, so "invariant to scale" would compare a
    # Gini with the undefined Gini of all zeros. Tiny values have tests of their own below.
    elements=st.floats(0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False),
)


def _mean_absolute_difference_gini(y: np.ndarray) -> float:
    """Gini as Σ_i Σ_j |y_i - y_j| / (2 n² μ): an independent formula."""
    n = y.shape[0]
    return float(np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * y.mean()))


def test_gini_hand_worked_example() -> None:
    # Pairs: 0 vs (1,1,2,6) = 10; 1 vs (1,2,6) = 6; 1 vs (2,6) = 6; 2 vs 6 = 4 -> 26.
    # G = 2 * 26 / (2 * 5² * 2) = 0.52.
    assert gini(COUNTS) == pytest.approx(0.52, abs=1e-12)


def test_gini_matches_mean_absolute_difference_on_random_data() -> None:
    rng = np.random.default_rng(7)
    y = rng.gamma(0.7, 3.0, size=300)
    assert gini(y) == pytest.approx(_mean_absolute_difference_gini(y), rel=1e-12)


def test_weighted_gini_equals_gini_of_replicated_units() -> None:
    y = np.array([3.0, 0.0, 5.0, 1.0])
    w = np.array([2, 1, 3, 4])
    assert gini(y, w) == pytest.approx(gini(np.repeat(y, w)), abs=1e-12)


def test_gini_extremes_and_zero_total() -> None:
    assert gini([2.0, 2.0, 2.0]) == 0.0
    assert gini([0.0, 0.0, 0.0, 4.0]) == pytest.approx(0.75)
    assert math.isnan(gini([0.0, 0.0]))


@given(values_strategy, st.randoms(use_true_random=False), st.floats(1e-3, 1e3))
@settings(max_examples=60, deadline=None)
def test_gini_in_unit_interval_and_invariant_to_order_and_scale(y, rnd, scale) -> None:
    assume(y.sum() > 0)
    g = gini(y)
    assert 0.0 <= g <= 1.0
    shuffled = y.copy()
    rnd.shuffle(shuffled)
    assert gini(shuffled) == pytest.approx(g, abs=1e-9)
    assert gini(y * scale) == pytest.approx(g, abs=1e-9)
    assert g == pytest.approx(_mean_absolute_difference_gini(y), abs=1e-9)


def test_lorenz_curve_hand_worked() -> None:
    curve = lorenz_curve(COUNTS)
    np.testing.assert_allclose(curve.population_share, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(curve.value_share, [0, 0, 0.1, 0.2, 0.4, 1.0])


def test_concentration_index_hand_worked_value_and_standard_error() -> None:
    # R = 0.1, 0.3, 0.5, 0.7, 0.9; μ = 2; Σ y R = 7.6 -> C = 2 * 7.6 / (5 * 2) - 1 = 0.52.
    # q = 0, .1, .2, .4, 1; a = 2, 1.44, 1.44, 1.28, 1.44 (mean 1.52 = 1 + C);
    # mean a² = 2.37184 -> var = (2.37184 - 1.52²) / 5 = 0.012288.
    c = concentration_index(COUNTS, IMD_RANK)
    assert c.value == pytest.approx(0.52, abs=1e-12)
    assert c.standard_error == pytest.approx(math.sqrt(0.012288), rel=1e-9)
    assert c.significantly_positive
    assert c.n == 5


def test_concentration_index_equals_convenient_regression() -> None:
    # O'Donnell et al. (2008) eq. 8.7: regress 2 var(R) y/mean(y) on R; the slope is C.
    rng = np.random.default_rng(3)
    y = rng.poisson(3.0, size=500).astype(float)
    rank = rng.permutation(500).astype(float)
    r = fractional_rank(rank)
    lhs = 2 * r.var() * y / y.mean()
    slope = np.polyfit(r, lhs, 1)[0]
    assert concentration_index(y, rank).value == pytest.approx(slope, rel=1e-9)


def test_concentration_index_standard_error_close_to_jackknife() -> None:
    rng = np.random.default_rng(11)
    n = 400
    rank = rng.permutation(n).astype(float)
    y = rng.poisson(1.0 + 2.0 * rank / n).astype(float)
    full = concentration_index(y, rank)
    leave_one_out = np.array(
        [concentration_index(np.delete(y, i), np.delete(rank, i)).value for i in range(n)]
    )
    jackknife = math.sqrt((n - 1) / n * np.sum((leave_one_out - leave_one_out.mean()) ** 2))
    assert full.standard_error == pytest.approx(jackknife, rel=0.1)


def test_weighted_concentration_index_equals_replicated_units() -> None:
    y = np.array([4.0, 0.0, 1.0, 3.0, 2.0])
    rank = np.array([5.0, 1.0, 2.0, 4.0, 3.0])
    w = np.array([1, 3, 2, 2, 1])
    weighted = concentration_index(y, rank, w)
    replicated = concentration_index(np.repeat(y, w), np.repeat(rank, w))
    assert weighted.value == pytest.approx(replicated.value, abs=1e-12)
    # Weights shape the distribution, n stays the number of units (survey weights).
    assert weighted.standard_error == pytest.approx(
        replicated.standard_error * math.sqrt(w.sum() / len(y)), rel=1e-9
    )


def test_concentration_index_equals_gini_when_ranked_by_value() -> None:
    rng = np.random.default_rng(5)
    y = rng.gamma(1.0, 1.0, size=50)
    assert concentration_index(y, y).value == pytest.approx(gini(y), abs=1e-12)


@given(values_strategy, st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_concentration_index_flips_sign_when_ranking_reversed(y, rnd) -> None:
    assume(y.sum() > 0)
    rank = np.arange(y.shape[0], dtype=float)
    rnd.shuffle(rank)
    c = concentration_index(y, rank)
    reversed_c = concentration_index(y, -rank)
    assert -1.0 <= c.value <= 1.0
    assert reversed_c.value == pytest.approx(-c.value, abs=1e-9)
    # When every value is equal the true SE is 0; the computed one is the square root of
    # rounding noise (~1e-16), i.e. ~1e-8, so the absolute tolerance sits above that.
    assert reversed_c.standard_error == pytest.approx(c.standard_error, rel=1e-6, abs=1e-6)
    assert concentration_index(y * 7.5, rank).value == pytest.approx(c.value, abs=1e-9)


def test_concentration_index_zero_total_is_nan_and_bad_input_raises() -> None:
    assert math.isnan(concentration_index([0.0, 0.0, 0.0], [1, 2, 3]).value)
    with pytest.raises(EquityInputError, match="NaN"):
        concentration_index([1.0, float("nan")], [1, 2])
    with pytest.raises(EquityInputError, match="negative"):
        concentration_index([1.0, -1.0], [1, 2])
    with pytest.raises(EquityInputError, match="rank_by"):
        concentration_index([1.0, 2.0], [1, 2, 3])
    with pytest.raises(EquityInputError, match="two units"):
        concentration_index([1.0], [1])
    with pytest.raises(EquityInputError, match="rank_by: NaN"):
        concentration_index([1.0, 2.0], [1, float("nan")])


def test_fractional_rank_ties_share_their_mean_rank() -> None:
    np.testing.assert_allclose(fractional_rank([3, 1, 1, 2]), [0.875, 0.25, 0.25, 0.625])


def test_theil_hand_worked_decomposition() -> None:
    # y/μ = 0, .5, .5, 1, 3: T = (2 * .5 ln .5 + 3 ln 3) / 5.
    groups = np.array([1, 1, 2, 2, 2])
    t = theil_decomposition(COUNTS, groups)
    assert t.total == pytest.approx((math.log(0.5) + 3 * math.log(3)) / 5, abs=1e-12)
    # Value shares 0.1 and 0.9; group means 0.5 and 3 against μ = 2.
    assert t.between == pytest.approx(0.1 * math.log(0.25) + 0.9 * math.log(1.5), abs=1e-12)
    t1 = math.log(2)  # (0 + 2 ln 2) / 2
    t2 = (math.log(1 / 3) / 3 + 2 * math.log(2 / 3) / 3 + 2 * math.log(2)) / 3
    assert t.within == pytest.approx(0.1 * t1 + 0.9 * t2, abs=1e-12)
    assert t.groups == ("1", "2")
    np.testing.assert_allclose(t.value_share, [0.1, 0.9])


def test_theil_equals_log_n_minus_entropy_of_shares() -> None:
    # Unweighted, T = ln n - H(s) with s_i = y_i / Σ y: an independent formula.
    from scipy.stats import entropy

    rng = np.random.default_rng(2)
    y = rng.gamma(0.5, 2.0, size=200)
    t = theil_decomposition(y, np.zeros(200))
    assert t.total == pytest.approx(math.log(200) - entropy(y / y.sum()), rel=1e-10)
    assert t.between == pytest.approx(0.0, abs=1e-12)


@given(values_strategy, st.data())
@settings(max_examples=60, deadline=None)
def test_theil_parts_add_up_and_are_non_negative(y, data) -> None:
    assume(y.sum() > 0)
    groups = np.array(data.draw(st.lists(st.integers(0, 3), min_size=len(y), max_size=len(y))))
    t = theil_decomposition(y, groups)
    assert t.total >= -1e-12
    assert t.between >= -1e-12
    assert t.within >= -1e-12
    assert t.between + t.within == pytest.approx(t.total, abs=1e-9)
    assert t.total <= math.log(len(y)) + 1e-9


def test_theil_rejects_missing_group_and_handles_zero_total() -> None:
    with pytest.raises(EquityInputError, match="groups"):
        theil_decomposition([1.0, 2.0], [1.0, float("nan")])
    assert math.isnan(theil_decomposition([0.0, 0.0], [1, 2]).total)


def test_weighted_theil_equals_replicated_units() -> None:
    y = np.array([1.0, 4.0, 0.0, 2.0])
    g = np.array(["a", "b", "a", "b"])
    w = np.array([3, 1, 2, 2])
    weighted = theil_decomposition(y, g, w)
    replicated = theil_decomposition(np.repeat(y, w), np.repeat(g, w))
    for part in ("total", "between", "within"):
        assert getattr(weighted, part) == pytest.approx(getattr(replicated, part), abs=1e-12)


def test_bad_shapes_raise_clear_errors() -> None:
    with pytest.raises(EquityInputError, match="1-D"):
        gini(np.ones((2, 2)))
    with pytest.raises(EquityInputError, match="at least one"):
        gini([])
    with pytest.raises(EquityInputError, match="weights"):
        gini([1.0, 2.0], [1.0])
    with pytest.raises(EquityInputError, match="sum to zero"):
        gini([1.0, 2.0], [0.0, 0.0])


def test_all_permutations_of_small_example_give_same_gini() -> None:
    g = gini(COUNTS)
    for perm in itertools.permutations(range(5)):
        assert gini(COUNTS[list(perm)]) == pytest.approx(g, abs=1e-12)


def test_gini_of_tiny_equal_values_is_zero_not_nan() -> None:
    # Found by hypothesis: weight shares times subnormal values used to underflow to a zero total.
    assert gini(np.array([5e-324, 5e-324])) == 0.0
    assert gini(np.array([5e-324, 0.0])) == pytest.approx(0.5)


def test_concentration_index_of_tiny_values_is_defined() -> None:
    c = concentration_index(np.array([2.2e-309, 2.2e-309]), rank_by=[1, 2])
    assert c.value == pytest.approx(0.0, abs=1e-12)
    tiny = concentration_index(np.array([0.0, 1e-310]), rank_by=[1, 2])
    assert tiny.value == pytest.approx(concentration_index([0.0, 1.0], rank_by=[1, 2]).value)
