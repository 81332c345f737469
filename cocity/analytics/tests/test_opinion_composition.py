"""Group make-up by category, and representativeness against reference shares."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cocity.analytics.opinion import OpinionInputError, group_composition, representativeness


def test_group_composition_hand_worked() -> None:
    # Group 0: two "public", one "industry", one unknown; group 1: one "citizens";
    # an ungrouped participant (-1) is left out.
    labels = [0, 0, 0, 0, 1, -1]
    codes = [0, 0, 1, -1, 2, 0]
    comp = group_composition(labels, codes, ["public", "industry", "citizens"])
    assert comp.counts.tolist() == [[2, 1, 0], [0, 0, 1]]
    assert comp.unknown.tolist() == [1, 0]
    np.testing.assert_allclose(comp.shares, [[2 / 3, 1 / 3, 0], [0, 0, 1]])


def test_group_composition_nan_is_unknown_and_empty_group_has_nan_shares() -> None:
    comp = group_composition([0, 1], [np.nan, 0.0], 2, n_groups=3)
    assert comp.unknown.tolist() == [1, 0, 0]
    assert np.all(np.isnan(comp.shares[0])) and np.all(np.isnan(comp.shares[2]))


@pytest.mark.parametrize(
    ("labels", "codes", "message"),
    [
        ([0, 1], [0], "differ in length"),
        ([0], [5], "not a category code"),
        ([0], [0.5], "whole-number"),
        ([-2], [0], "-1 \\(no group\\)"),
        ([0.5], [0], "integer array"),
    ],
)
def test_group_composition_bad_input(labels: list, codes: list, message: str) -> None:
    with pytest.raises(OpinionInputError, match=message):
        group_composition(labels, codes, 2)


def test_representativeness_hand_worked() -> None:
    # 100 participants across three areas whose populations are 50%, 30%, 20%.
    # Observed 70 / 25 / 5; expected 50 / 30 / 20.
    codes = [0] * 70 + [1] * 25 + [2] * 5 + [-1] * 3
    rep = representativeness(codes, [5000, 3000, 2000], ["A", "B", "C"])
    assert rep.observed.tolist() == [70, 25, 5]
    np.testing.assert_allclose(rep.expected, [50, 30, 20])
    # chi2 = 400/50 + 25/30 + 225/20
    assert rep.chi_square == pytest.approx(8 + 25 / 30 + 11.25)
    assert rep.p_value == pytest.approx(stats.chi2.sf(rep.chi_square, 2))
    # D = 1/2 (|.70 - .50| + |.25 - .30| + |.05 - .20|) = 0.2
    assert rep.dissimilarity == pytest.approx(0.2)
    # Adjusted residual of C: (5 - 20) / sqrt(20 * 0.8) = -3.75 -> under-represented.
    assert rep.adjusted_residuals[2] == pytest.approx(-3.75)
    assert rep.under_represented == ("C",)
    assert rep.over_represented == ("A",)
    assert rep.n_unknown == 3


def test_representativeness_perfect_match() -> None:
    rep = representativeness([0, 0, 1, 1], [1, 1])
    assert rep.chi_square == 0 and rep.dissimilarity == 0
    assert rep.under_represented == () and rep.over_represented == ()


@pytest.mark.parametrize(
    ("codes", "reference", "message"),
    [
        ([-1, -1], [1, 1], "no participant"),
        ([0], [0, 0], "not all zero"),
        ([0], [1, -1], "non-negative"),
        ([0], [np.nan, 1], "finite"),
        ([1], [1, 0], "reference share of 0"),
        ([0], [], "non-empty"),
    ],
)
def test_representativeness_bad_input(codes: list, reference: list, message: str) -> None:
    with pytest.raises(OpinionInputError, match=message):
        representativeness(codes, reference)


def test_representativeness_names_must_match() -> None:
    with pytest.raises(OpinionInputError, match="2 category names for 3"):
        representativeness([0], [1, 1, 1], ["a", "b"])
    with pytest.raises(OpinionInputError, match="distinct"):
        representativeness([0], [1, 1], ["a", "a"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-1, 3), min_size=1, max_size=60),
    st.lists(st.floats(0.01, 100), min_size=4, max_size=4),
)
def test_representativeness_properties(codes: list[int], reference: list[float]) -> None:
    if all(c < 0 for c in codes):
        with pytest.raises(OpinionInputError):
            representativeness(codes, reference)
        return
    rep = representativeness(codes, reference)
    assert rep.observed.sum() + rep.n_unknown == len(codes)
    assert rep.observed_shares.sum() == pytest.approx(1.0)
    assert rep.reference_shares.sum() == pytest.approx(1.0)
    assert 0.0 <= rep.dissimilarity <= 1.0
    assert rep.chi_square >= 0 and 0 <= rep.p_value <= 1
    assert set(rep.under_represented).isdisjoint(rep.over_represented)
    for name in rep.under_represented:
        i = rep.categories.index(name)
        assert rep.observed_shares[i] < rep.reference_shares[i]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 2), st.integers(-1, 3)), max_size=50))
def test_group_composition_counts_every_grouped_participant(pairs: list[tuple[int, int]]) -> None:
    labels = [g for g, _ in pairs]
    codes = [c for _, c in pairs]
    comp = group_composition(labels, codes, 4, n_groups=3)
    grouped = sum(1 for g in labels if g >= 0)
    assert comp.counts.sum() + comp.unknown.sum() == grouped
    known_rows = comp.counts.sum(axis=1) > 0
    np.testing.assert_allclose(comp.shares[known_rows].sum(axis=1), 1.0)
