"""The full ecosystem pipeline: results, JSON, time slider, parallel run, edge cases."""

from __future__ import annotations

import json
import multiprocessing

import numpy as np
import pytest

from cocity.analytics.network import (
    ROLES,
    analyse_ecosystem,
    build_network,
    joint_work,
    summary_sentences,
    trust_ratings,
)
from cocity.analytics.network.synthetic import synthetic_ecosystem


@pytest.fixture(scope="module")
def small():
    return synthetic_ecosystem(300, 1500, seed=3)


@pytest.fixture(scope="module")
def analysis(small):
    return analyse_ecosystem(small.network, work=small.work, ratings=small.ratings, seed=1)


def test_synthetic_generator_plants_what_it_says(small) -> None:
    # a smoke test of the benchmark's generator at a tiny size
    network = small.network
    assert network.n_nodes == 300
    assert 1300 < network.n_ties <= 1500
    same = small.planted_community[network.src] == small.planted_community[network.dst]
    assert same.mean() > 0.7  # about 80% of ties drawn inside a community
    assert set(np.unique(network.sector)) <= set(range(5))
    assert small.work.a.size > 0 and small.ratings.rater.size > 0
    again = synthetic_ecosystem(300, 1500, seed=3)
    np.testing.assert_array_equal(again.network.src, network.src)


def test_analysis_holds_every_measure_per_stakeholder(analysis, small) -> None:
    n = small.network.n_nodes
    for values in (
        analysis.degree,
        analysis.strength,
        analysis.pagerank,
        analysis.betweenness.value,
        analysis.constraint,
        analysis.effective_size,
        analysis.communities.membership,
        analysis.mixing.ei_node,
        analysis.trust.stated_received,
    ):
        assert values.shape == (n,)
    assert analysis.brokerage.counts.shape == (n, len(ROLES))
    assert analysis.pagerank.sum() == pytest.approx(1.0)
    assert analysis.betweenness.exact  # 300 stakeholders: below the exact limit
    assert 0 < analysis.communities.modularity < 1
    assert analysis.density == pytest.approx(analysis.n_ties / (n * (n - 1) / 2))
    assert len(analysis.recommendations) == 50
    assert analysis.trust.disagreements.gap.size > 0  # the generator plants some


def test_to_dict_is_strict_json(analysis) -> None:
    payload = analysis.to_dict()
    text = json.dumps(payload, allow_nan=False)
    back = json.loads(text)
    assert back["n_nodes"] == analysis.n_nodes
    assert len(back["nodes"]["pagerank"]) == analysis.n_nodes
    assert back["recommendations"][0]["reason"]
    assert set(back["nodes"]) >= {f"brokerage_{role}_z" for role in ROLES}
    capped = analysis.to_dict(max_list=5)
    assert len(capped["trust"]["behavioural"]["a"]) == 5


def test_summary_sentences_speak_plainly(analysis) -> None:
    sentences = summary_sentences(analysis)
    text = " ".join(sentences)
    assert sentences[0].startswith("The ecosystem has 300 stakeholders")
    assert "hold the ecosystem together" in text
    assert "communities" in text
    assert "most worth brokering" in text
    assert all(s.endswith(".") for s in sentences)


def test_time_slider_analyses_the_network_of_a_given_year(small) -> None:
    earlier = analyse_ecosystem(
        small.network, work=small.work, ratings=small.ratings, as_of_year=2018
    )
    later = analyse_ecosystem(
        small.network, work=small.work, ratings=small.ratings, as_of_year=2024
    )
    assert earlier.as_of_year == 2018
    assert earlier.n_ties < later.n_ties
    assert earlier.trust.behavioural.n_events.sum() < later.trust.behavioural.n_events.sum()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_parallel_run_gives_identical_results(small) -> None:
    kwargs = {
        "work": small.work,
        "ratings": small.ratings,
        "seed": 2,
        "exact_betweenness_limit": 100,
    }
    serial = analyse_ecosystem(small.network, **kwargs)
    parallel = analyse_ecosystem(small.network, n_jobs=2, **kwargs)
    np.testing.assert_array_equal(serial.betweenness.value, parallel.betweenness.value)
    np.testing.assert_array_equal(serial.communities.membership, parallel.communities.membership)
    assert serial.to_dict()["recommendations"] == parallel.to_dict()["recommendations"]


def test_empty_network() -> None:
    result = analyse_ecosystem(build_network(0, np.zeros(0, dtype=np.int8), [], []))
    assert result.n_nodes == 0 and result.n_ties == 0 and np.isnan(result.density)
    assert summary_sentences(result) == ["The ecosystem has no stakeholders yet."]
    json.dumps(result.to_dict(), allow_nan=False)


def test_one_stakeholder() -> None:
    result = analyse_ecosystem(build_network(1, [2], [], [], names=["Solo Ltd"]))
    np.testing.assert_array_equal(result.isolated, [0])
    assert result.pagerank.tolist() == [1.0]
    assert np.isnan(result.constraint[0])
    assert result.recommendations == ()
    assert "every partnership is still to be made" in " ".join(summary_sentences(result))
    json.dumps(result.to_dict(), allow_nan=False)


def test_self_ties_duplicates_and_missing_sectors_are_handled() -> None:
    network = build_network(
        4, [0, -1, 2, -1], [0, 0, 1, 1, 2], [0, 1, 0, 2, 3], [1.0, 1.0, 2.0, 1.0, 1.0]
    )
    result = analyse_ecosystem(network)
    assert result.dropped_self_ties == 1
    assert result.merged_duplicate_ties == 1
    assert result.n_ties == 3
    assert np.isnan(result.mixing.ei_node[1])  # unknown sector
    assert np.isnan(result.brokerage.z[1]).all()
    json.dumps(result.to_dict(), allow_nan=False)


def test_trust_enters_the_pipeline() -> None:
    network = build_network(3, [0, 1, 2], [0, 1], [1, 2], start_year=[2020, 2021])
    work = joint_work([0, 0], [1, 1], [2021, 2022], [1, 1], n_nodes=3)
    ratings = trust_ratings([0], [1], [2], [2], [2], [2022], n_nodes=3)
    result = analyse_ecosystem(network, work=work, ratings=ratings)
    assert result.trust.behavioural.trust[0] > 0.5
    assert result.trust.disagreements.rater.tolist() == [0]
    # 0 and 2 share partner 1: the only candidate partnership
    assert [(r.a, r.b) for r in result.recommendations] == [(0, 2)]


def test_bad_seed_is_refused() -> None:
    network = build_network(2, [0, 1], [0], [1])
    with pytest.raises(ValueError, match="seed"):
        analyse_ecosystem(network, seed=1.5)  # type: ignore[arg-type]
