"""Maturity scoring checked against hand-worked values, numpy/scipy and properties.

Hand-worked example (also in docs/readiness.md): five respondents rate "Data and analytics"
1, 2, 2, 3, 5 on the five-level model. Sorted, h = (5 - 1) p: the median (p = 0.5, h = 2) is
the third value, 2; Q1 (h = 1) is the second, 2; Q3 (h = 3) is the fourth, 3; IQR = 1.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cocity.analytics.maturity import (
    Answer,
    MaturityInputError,
    PreviousScore,
    benchmark_dimensions,
    dimension_score,
    normalise_level,
    percentile_rank,
    population_band,
    rescale_level,
    score_round,
)

SECTORS = ("public", "academia", "industry", "civil", "citizens")


@st.composite
def levels_and_l(draw: st.DrawFn, min_size: int = 1) -> tuple[list[int | None], int]:
    n_levels = draw(st.integers(2, 10))
    levels = draw(
        st.lists(st.one_of(st.none(), st.integers(1, n_levels)), min_size=min_size, max_size=40)
    )
    return levels, n_levels


def test_dimension_score_hand_worked_example() -> None:
    s = dimension_score([3, 1, 5, 2, 2], n_levels=5)
    assert (s.n, s.median, s.q1, s.q3, s.iqr, s.lowest, s.highest) == (5, 2.0, 2.0, 3.0, 1.0, 1, 5)
    assert s.normalised_median == pytest.approx(0.25)
    assert s.normalised_iqr == pytest.approx(0.25)


def test_dimension_score_interpolates_between_levels_for_even_counts() -> None:
    # Four answers 1..4: h = 3p; Q1 = 1 + 0.75 * 1, median = 2.5, Q3 = 3 + 0.25 * 1.
    s = dimension_score([4, 3, 2, 1], n_levels=5)
    assert (s.q1, s.median, s.q3, s.iqr) == (1.75, 2.5, 3.25, 1.5)


def test_dimension_score_matches_numpy_linear_quantiles() -> None:
    rng = np.random.default_rng(3)
    levels = rng.integers(1, 8, size=37)
    s = dimension_score([int(x) for x in levels], n_levels=7)
    q = np.quantile(levels, [0.25, 0.5, 0.75], method="linear")
    assert (s.q1, s.median, s.q3) == pytest.approx(tuple(q))


def test_dimension_score_single_respondent_has_no_spread() -> None:
    s = dimension_score([4], n_levels=5)
    assert (s.median, s.q1, s.q3, s.iqr) == (4.0, 4.0, 4.0, 0.0)


def test_dimension_score_without_answers_is_empty() -> None:
    s = dimension_score([None, None], n_levels=5)
    assert s.n == 0 and s.median is None and s.iqr is None and s.normalised_median is None


@pytest.mark.parametrize("bad", [0, 6, 2.5, True, "3"])
def test_dimension_score_rejects_a_level_outside_the_model(bad: object) -> None:
    with pytest.raises(MaturityInputError):
        dimension_score([3, bad], n_levels=5)  # type: ignore[list-item]


@pytest.mark.parametrize("n_levels", [1, 11, 0])
def test_dimension_score_rejects_impossible_level_counts(n_levels: int) -> None:
    with pytest.raises(MaturityInputError, match="n_levels"):
        dimension_score([1], n_levels=n_levels)


@settings(max_examples=200, deadline=None)
@given(levels_and_l())
def test_dimension_score_stays_within_level_bounds(data: tuple[list[int | None], int]) -> None:
    levels, n_levels = data
    s = dimension_score(levels, n_levels=n_levels)
    if s.n == 0:
        assert all(x is None for x in levels)
        return
    assert s.q1 is not None and s.median is not None and s.q3 is not None and s.iqr is not None
    assert 1 <= s.q1 <= s.median <= s.q3 <= n_levels
    assert 0 <= s.iqr <= n_levels - 1
    assert s.lowest is not None and s.highest is not None
    assert s.lowest <= s.q1 and s.q3 <= s.highest
    assert 0.0 <= (s.normalised_median or 0.0) <= 1.0
    assert 0.0 <= (s.normalised_iqr or 0.0) <= 1.0


@settings(max_examples=150, deadline=None)
@given(levels_and_l(), st.randoms(use_true_random=False))
def test_dimension_score_ignores_respondent_order(
    data: tuple[list[int | None], int], rnd: random.Random
) -> None:
    levels, n_levels = data
    shuffled = list(levels)
    rnd.shuffle(shuffled)
    assert dimension_score(shuffled, n_levels=n_levels) == dimension_score(
        levels, n_levels=n_levels
    )


@settings(max_examples=100, deadline=None)
@given(levels_and_l(), st.integers(0, 10))
def test_dimension_score_missing_answers_change_nothing(
    data: tuple[list[int | None], int], extra_missing: int
) -> None:
    levels, n_levels = data
    given_only = [x for x in levels if x is not None]
    assert dimension_score(levels + [None] * extra_missing, n_levels=n_levels) == dimension_score(
        given_only, n_levels=n_levels
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 10), st.data())
def test_dimension_score_of_one_respondent_is_their_level(
    n_levels: int, data: st.DataObject
) -> None:
    level = data.draw(st.integers(1, n_levels))
    s = dimension_score([level], n_levels=n_levels)
    assert s.median == s.q1 == s.q3 == level and s.iqr == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 10), st.integers(2, 10), st.data())
def test_rescale_level_keeps_the_normalised_position(
    from_levels: int, to_levels: int, data: st.DataObject
) -> None:
    level = data.draw(st.integers(1, from_levels))
    moved = rescale_level(level, from_levels, to_levels)
    assert 1 <= moved <= to_levels
    assert normalise_level(moved, to_levels) == pytest.approx(normalise_level(level, from_levels))
    assert rescale_level(moved, to_levels, from_levels) == pytest.approx(level)


def test_rescale_level_maps_ends_to_ends() -> None:
    assert rescale_level(1, 3, 7) == 1.0 and rescale_level(3, 3, 7) == 7.0
    assert rescale_level(2, 3, 5) == 3.0


def _answers() -> list[Answer]:
    rows = [
        ("a", "public", {"D1": 2, "D2": 3}),
        ("b", "public", {"D1": 2, "D2": 3}),
        ("c", "academia", {"D1": 4, "D2": 3}),
        ("d", "industry", {"D1": 5, "D2": None}),
        ("e", "industry", {"D1": 1}),
    ]
    return [
        Answer(r, dim, level, sector) for r, sector, dims in rows for dim, level in dims.items()
    ]


def test_score_round_sector_views_side_by_side() -> None:
    scores = score_round(_answers(), dimensions=["D1", "D2", "D3"], n_levels=5, sectors=SECTORS)
    d1 = scores.result("D1")
    assert d1.overall.median == 2.0 and d1.overall.n == 5
    assert [(s, v.median) for s, v in d1.by_sector] == [
        ("public", 2.0),
        ("academia", 4.0),
        ("industry", 3.0),
    ]
    # Sector medians 2, 4 and 3: the sectors are two levels apart.
    assert d1.sector_gap == 2.0
    d2 = scores.result("D2")
    assert [s for s, _v in d2.by_sector] == ["public", "academia"] and d2.sector_gap == 0.0
    d3 = scores.result("D3")
    assert d3.overall.n == 0 and d3.sector_gap is None and d3.by_sector == ()
    assert scores.respondents == 5


def test_score_round_names_dimensions_where_sectors_disagree_most() -> None:
    answers = [
        Answer("a", "D1", 1, "public"),
        Answer("b", "D1", 2, "industry"),
        Answer("a", "D2", 1, "public"),
        Answer("b", "D2", 5, "industry"),
        Answer("a", "D3", 3, "public"),
        Answer("b", "D3", 3, "industry"),
    ]
    scores = score_round(answers, dimensions=["D1", "D2", "D3"], n_levels=5)
    # D3: sectors agree, so it is not named.
    assert scores.most_disagreed == ("D2", "D1")


def test_score_round_turns_target_gaps_into_actions_largest_first() -> None:
    scores = score_round(
        _answers(), dimensions=["D1", "D2", "D3"], n_levels=5, targets={"D1": 4, "D2": 3, "D3": 5}
    )
    assert scores.result("D1").gap == 2.0 and scores.result("D2").gap == 0.0
    assert scores.result("D3").gap is None  # no one answered D3: no current level to compare
    assert [(g.code, g.gap) for g in scores.gaps] == [("D1", 2.0)]


def test_score_round_change_since_an_older_model_with_fewer_levels() -> None:
    # Last round used a 3-level version: its median 2 is the middle, i.e. 3 on five levels.
    scores = score_round(
        _answers(),
        dimensions=["D1", "D2"],
        n_levels=5,
        previous={"D1": PreviousScore(2.0, 3), "D2": PreviousScore(1.0, 5)},
    )
    assert scores.result("D1").previous == 3.0 and scores.result("D1").change == -1.0
    assert scores.result("D2").change == 2.0


def test_score_round_rejects_answers_for_unknown_dimensions_and_bad_targets() -> None:
    with pytest.raises(MaturityInputError, match="unknown dimension"):
        score_round([Answer("a", "D9", 1, "public")], dimensions=["D1"], n_levels=5)
    with pytest.raises(MaturityInputError, match="target"):
        score_round([], dimensions=["D1"], n_levels=5, targets={"D1": 6})


answer_lists = st.integers(2, 10).flatmap(
    lambda n_levels: st.tuples(
        st.just(n_levels),
        st.lists(
            st.builds(
                Answer,
                st.sampled_from("abcdefgh"),
                st.sampled_from(["D1", "D2", "D3"]),
                st.one_of(st.none(), st.integers(1, n_levels)),
                st.sampled_from(SECTORS),
            ),
            max_size=40,
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(answer_lists, st.randoms(use_true_random=False))
def test_score_round_ignores_answer_order(
    data: tuple[int, list[Answer]], rnd: random.Random
) -> None:
    n_levels, answers = data
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    kwargs = {"dimensions": ["D1", "D2", "D3"], "n_levels": n_levels, "sectors": SECTORS}
    assert score_round(shuffled, **kwargs) == score_round(answers, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(answer_lists)
def test_score_round_sector_medians_and_gaps_stay_in_bounds(data: tuple[int, list[Answer]]) -> None:
    n_levels, answers = data
    scores = score_round(answers, dimensions=["D1", "D2", "D3"], n_levels=n_levels)
    for d in scores.dimensions:
        for _sector, s in d.by_sector:
            assert s.median is not None and 1 <= s.median <= n_levels
        if d.sector_gap is not None:
            assert 0 <= d.sector_gap <= n_levels - 1
    assert len(scores.most_disagreed) <= 3


@pytest.mark.parametrize(
    ("value", "peers"),
    [(3.0, [1.0, 2.0, 3.0, 4.0]), (0.5, [0.5, 0.5]), (0.0, [0.1, 0.9]), (1.0, [0.2, 0.4, 1.0])],
)
def test_percentile_rank_matches_scipy_mean_kind(value: float, peers: list[float]) -> None:
    assert percentile_rank(value, peers) == pytest.approx(
        stats.percentileofscore(peers, value, kind="mean")
    )


def test_percentile_rank_without_peers_is_none() -> None:
    assert percentile_rank(0.5, []) is None


@settings(max_examples=150, deadline=None)
@given(
    st.floats(0, 1),
    st.lists(st.floats(0, 1), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_percentile_rank_is_bounded_and_order_free(
    value: float, peers: list[float], rnd: random.Random
) -> None:
    rank = percentile_rank(value, peers)
    assert rank is not None and 0 <= rank <= 100
    shuffled = list(peers)
    rnd.shuffle(shuffled)
    assert percentile_rank(value, shuffled) == rank
    assert rank == pytest.approx(stats.percentileofscore(peers, value, kind="mean"))


def test_benchmark_dimensions_percentile_and_peer_median() -> None:
    out = benchmark_dimensions(
        {"D1": 0.5, "D2": None},
        [{"D1": 0.25, "D2": 0.5}, {"D1": 0.75}, {"D1": 0.5, "D2": 1.0}],
        dimensions=["D1", "D2"],
    )
    d1, d2 = out
    assert d1.n_peers == 3 and d1.peer_median == 0.5 and d1.percentile == 50.0
    assert d2.own is None and d2.percentile is None and d2.n_peers == 2 and d2.peer_median == 0.75
    assert d2.peers == (0.5, None, 1.0)


def test_benchmark_dimensions_rejects_unnormalised_scores() -> None:
    with pytest.raises(MaturityInputError):
        benchmark_dimensions({"D1": 3.0}, [], dimensions=["D1"])


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (None, "unknown"),
        (0, "under_50k"),
        (49_999, "under_50k"),
        (50_000, "50k_200k"),
        (199_999, "50k_200k"),
        (200_000, "200k_1m"),
        (1_000_000, "over_1m"),
    ],
)
def test_population_band_edges(population: int | None, band: str) -> None:
    assert population_band(population) == band
