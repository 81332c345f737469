"""Trust: beta-reputation behavioural trust, stated trust, reciprocity and disagreements."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.network import (
    NetworkInputError,
    analyse_trust,
    behavioural_trust,
    joint_work,
    rating_reciprocity,
    stated_trust,
    trust_disagreements,
    trust_ratings,
)


def test_behavioural_trust_hand_worked_with_half_life() -> None:
    # Pair (0, 1): positive now, positive 2 years ago, negative 4 years ago, mixed now.
    # Half-life 2 years: weights 1, 1/2, 1/4, 1.
    # r = 1 + 0.5 + 0.5 (half of the mixed) = 2.0; s = 0.25 + 0.5 = 0.75
    work = joint_work(
        [0, 1, 0, 1], [1, 0, 1, 0], [2024, 2022, 2020, 2024], [1, 1, -1, 0], n_nodes=3
    )
    result = behavioural_trust(work, n_nodes=3, as_of_year=2024, half_life_years=2)
    np.testing.assert_array_equal(result.a, [0])
    np.testing.assert_array_equal(result.b, [1])
    np.testing.assert_allclose(result.positive, [2.0])
    np.testing.assert_allclose(result.negative, [0.75])
    np.testing.assert_allclose(result.trust, [3.0 / 4.75])  # (r + 1) / (r + s + 2)
    np.testing.assert_allclose(result.uncertainty, [2.0 / 4.75])
    np.testing.assert_array_equal(result.n_events, [4])


def test_behavioural_trust_ignores_the_future_and_defaults_to_the_latest_event() -> None:
    work = joint_work([0, 0], [1, 1], [2020, 2030], [1, -1], n_nodes=2)
    as_of_2025 = behavioural_trust(work, n_nodes=2, as_of_year=2025, half_life_years=1)
    assert as_of_2025.n_events.tolist() == [1]
    latest = behavioural_trust(work, n_nodes=2, half_life_years=1)
    assert latest.n_events.tolist() == [2]
    # as of 2030 the 2020 success has decayed to 2**-10, the failure counts fully
    assert latest.trust[0] == pytest.approx((2**-10 + 1) / (2**-10 + 1 + 2))


def test_stated_trust_is_a_recency_weighted_mean() -> None:
    # 0 rates 1 twice: all 5s in 2022, all 1s in 2024; half-life 2 -> weights 0.5 and 1.
    ratings = trust_ratings(
        [0, 0, 2], [1, 1, 1], [5, 1, 3], [5, 1, 4], [5, 1, 5], [2022, 2024, 2024], n_nodes=3
    )
    result = stated_trust(ratings, n_nodes=3, half_life_years=2)
    np.testing.assert_array_equal(result.rater, [0, 2])
    np.testing.assert_array_equal(result.ratee, [1, 1])
    # mean score (0.5 * 5 + 1 * 1) / 1.5 = 7/3 -> (7/3 - 1) / 4 = 1/3
    np.testing.assert_allclose(result.trust, [1 / 3, (4 - 1) / 4])
    np.testing.assert_allclose(result.ability, [7 / 3, 3])
    np.testing.assert_array_equal(result.n_ratings, [2, 1])


def test_reciprocity_matches_networkx_on_a_directed_rating_graph() -> None:
    arcs = [(0, 1), (1, 0), (1, 2), (2, 3), (3, 2), (3, 0), (4, 0)]
    ratings = trust_ratings(
        [a for a, _ in arcs],
        [b for _, b in arcs],
        [4, 2, 3, 5, 5, 1, 2],
        [4, 2, 3, 5, 5, 1, 2],
        [4, 2, 3, 5, 5, 1, 2],
        [2024] * len(arcs),
        n_nodes=5,
    )
    stated = stated_trust(ratings, n_nodes=5)
    reciprocity, asymmetry = rating_reciprocity(stated, 5)
    assert reciprocity == pytest.approx(nx.overall_reciprocity(nx.DiGraph(arcs)), abs=1e-12)
    # mutual pairs: (0,1) scores 4 vs 2 -> |0.75 - 0.25|; (2,3) 5 vs 5 -> 0
    assert asymmetry == pytest.approx(0.25)


def test_disagreements_list_pairs_whose_words_and_deeds_differ() -> None:
    # 0 -> 1 rated 5 (trust 1.0) but three failed collaborations (trust 1/5);
    # 2 -> 3 rated 3 (0.5) with one success and one failure (0.5): no disagreement.
    ratings = trust_ratings([0, 2], [1, 3], [5, 3], [5, 3], [5, 3], [2024, 2024], n_nodes=4)
    work = joint_work([0, 1, 0, 2, 3], [1, 0, 1, 3, 2], [2024] * 5, [-1, -1, -1, 1, -1], n_nodes=4)
    stated = stated_trust(ratings, n_nodes=4)
    behaviour = behavioural_trust(work, n_nodes=4, as_of_year=2024)
    result = trust_disagreements(stated, behaviour, n_nodes=4, threshold=0.25)
    np.testing.assert_array_equal(result.rater, [0])
    np.testing.assert_array_equal(result.ratee, [1])
    np.testing.assert_allclose(result.gap, [1.0 - 1 / 5])


def test_analyse_trust_without_inputs_gives_empty_results() -> None:
    result = analyse_trust(n_nodes=3, work=None, ratings=None)
    assert result.behavioural.trust.size == 0 and result.stated.trust.size == 0
    assert np.isnan(result.reciprocity) and np.isnan(result.mean_asymmetry)
    assert np.isnan(result.stated_received).all() and result.stated_received.shape == (3,)


def test_bad_trust_input_is_refused_clearly() -> None:
    with pytest.raises(NetworkInputError, match="outcome"):
        joint_work([0], [1], [2024], [2], n_nodes=2)
    with pytest.raises(NetworkInputError, match="time"):
        joint_work([0], [1], [np.nan], [1], n_nodes=2)
    with pytest.raises(NetworkInputError, match="ability"):
        trust_ratings([0], [1], [6], [3], [3], [2024], n_nodes=2)
    with pytest.raises(NetworkInputError, match="rates its own rater"):
        trust_ratings([1], [1], [3], [3], [3], [2024], n_nodes=2)
    with pytest.raises(NetworkInputError, match="not a node id"):
        trust_ratings([0], [7], [3], [3], [3], [2024], n_nodes=2)
    work = joint_work([0], [1], [2024], [1], n_nodes=2)
    with pytest.raises(NetworkInputError, match="half_life"):
        behavioural_trust(work, n_nodes=2, half_life_years=0)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4), st.integers(0, 4), st.floats(2000, 2024), st.sampled_from([-1, 0, 1])
        ),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.1, 10),
)
@settings(max_examples=60, deadline=None)
def test_behavioural_trust_is_a_probability_and_more_evidence_means_less_uncertainty(
    events, half_life
) -> None:
    a, b, when, outcome = zip(*events, strict=True)
    work = joint_work(a, b, when, outcome, n_nodes=5)
    result = behavioural_trust(work, n_nodes=5, half_life_years=half_life)
    assert np.all((result.trust > 0) & (result.trust < 1))
    assert np.all((result.uncertainty > 0) & (result.uncertainty <= 1))
    evidence = result.positive + result.negative
    order = np.argsort(evidence)
    assert np.all(np.diff(result.uncertainty[order]) <= 1e-12)
    assert np.all(result.a < result.b)
