"""Building the network: validation, merging, time slider, tie weights."""

from __future__ import annotations

import numpy as np
import pytest

from cocity.analytics.network import (
    NetworkInputError,
    build_network,
    joint_work,
    joint_work_ties,
    network_as_of,
    partnership_tie_weights,
    sector_codes,
    simple_ties,
)


def test_self_ties_are_dropped_and_duplicates_merged() -> None:
    network = build_network(
        3,
        [0, 1, 2],
        [0, 1, 2, 1],
        [1, 0, 2, 1],
        [1.0, 2.0, 5.0, 9.0],
        start_year=[2020, 2018, 2021, 2022],
        end_year=[np.nan, 2019, np.nan, np.nan],
    )
    assert network.dropped_self_ties == 2  # 2-2 and 1-1
    assert network.n_ties == 2
    ties = simple_ties(network)
    # 0-1 given twice (as 0-1 and 1-0): weights summed, earliest start, open end wins
    np.testing.assert_array_equal(ties.src, [0])
    np.testing.assert_array_equal(ties.dst, [1])
    np.testing.assert_allclose(ties.weight, [3.0])
    np.testing.assert_allclose(ties.start_year, [2018])
    assert np.isnan(ties.end_year[0])
    np.testing.assert_array_equal(ties.multiplicity, [2])


def test_network_as_of_keeps_ties_running_in_that_year() -> None:
    network = build_network(
        4,
        [0, 0, 0, 0],
        [0, 1, 2, 0],
        [1, 2, 3, 3],
        start_year=[2015, 2019, 2023, np.nan],
        end_year=[2018, np.nan, np.nan, np.nan],
    )
    in_2020 = network_as_of(network, 2020)
    # 0-1 ended in 2018; 2-3 starts in 2023; 0-3 undated counts as always there
    assert sorted(zip(in_2020.src.tolist(), in_2020.dst.tolist(), strict=True)) == [(0, 3), (1, 2)]
    assert in_2020.n_nodes == 4
    assert network_as_of(network, 2016).n_ties == 2


def test_partnership_weights_hand_worked() -> None:
    weights = partnership_tie_weights(
        ["Joint venture", "research-cooperation", "licensing", "other"],
        ["active", "completed", "lapsed", "active"],
        [2018, 2015, 2010, 2030],
        [np.nan, 2018, 2012, np.nan],
        as_of_year=2024,
        half_life_years=3,
    )
    # 1.0 * 1.0; 0.8 * 0.8 * 2**(-6/3); 0.4 * 0.3 * 2**(-12/3); not started yet -> 0
    np.testing.assert_allclose(weights, [1.0, 0.64 / 4, 0.12 / 16, 0.0])


def test_joint_work_ties_sum_decayed_events() -> None:
    work = joint_work([0, 1, 2], [1, 0, 0], [2024, 2022, 2030], [1, -1, 1], n_nodes=3)
    src, dst, weight, first = joint_work_ties(
        work, as_of_year=2024, half_life_years=2, weight_per_event=0.25
    )
    np.testing.assert_array_equal(src, [0])
    np.testing.assert_array_equal(dst, [1])
    np.testing.assert_allclose(weight, [0.25 + 0.25 / 2])
    np.testing.assert_allclose(first, [2022])


def test_sector_codes() -> None:
    np.testing.assert_array_equal(
        sector_codes(["public", "Academia", " industry ", "civil", "citizens", "", None]),
        [0, 1, 2, 3, 4, -1, -1],
    )
    with pytest.raises(NetworkInputError, match="'business' at position 1"):
        sector_codes(["public", "business"])


def test_clusters_become_an_incidence_matrix() -> None:
    network = build_network(3, [0, 1, 2], [0], [1], clusters=[{"energy", "ICT"}, set(), {"energy"}])
    assert network.cluster_names == ("ICT", "energy")
    np.testing.assert_array_equal(network.clusters.toarray(), [[1, 1], [0, 0], [0, 1]])
    assert network.challenges.shape == (3, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"src": [0, 5], "dst": [1, 1]}, r"src\[1\] = 5 is not a node id"),
        ({"src": [0, 1], "dst": [1]}, "differ in length"),
        ({"weight": [1.0, -2.0]}, r"weight\[1\] = -2.0 must be finite and > 0"),
        ({"weight": [1.0, np.nan]}, r"weight\[1\]"),
        ({"sector": [0, 1, 7]}, r"sector\[2\] = 7"),
        ({"sector": [0, 1]}, "sector has shape"),
        ({"start_year": [2020, 2020], "end_year": [2019, np.nan]}, "ends .* before it starts"),
        ({"src": [0.5, 1], "dst": [1, 2]}, "not an integer node id"),
        ({"names": ["a"]}, "names has 1 entries"),
    ],
)
def test_bad_input_is_refused_with_what_and_where(kwargs: dict, message: str) -> None:
    arguments = {"n_nodes": 3, "sector": [0, 1, 2], "src": [0, 1], "dst": [1, 2]}
    arguments.update(kwargs)
    with pytest.raises(NetworkInputError, match=message):
        build_network(**arguments)


def test_empty_network_and_single_stakeholder_are_valid() -> None:
    empty = build_network(0, np.zeros(0, dtype=np.int8), [], [])
    assert empty.n_nodes == 0 and empty.n_ties == 0
    single = build_network(1, [3], [], [])
    assert simple_ties(single).src.size == 0


def test_results_are_read_only() -> None:
    network = build_network(2, [0, 1], [0], [1])
    with pytest.raises(ValueError, match="read-only"):
        network.weight[0] = 5.0
