"""Structural measures against NetworkX reference values (to 1e-9) and property tests."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from cocity.analytics.network import betweenness as betweenness_of
from cocity.analytics.network import (
    build_network,
    degree_and_strength,
    isolated_and_peripheral,
    leiden_communities,
    pagerank,
    sector_mixing,
    simple_ties,
    structural_holes,
    to_igraph,
    triangles,
    yearly_growth,
)

TOL = 1e-9


def weighted_example() -> nx.Graph:
    """A small weighted graph with a triangle, a bridge and a pendant (hand-made)."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        [(0, 1, 3.0), (1, 2, 1.0), (0, 2, 2.0), (2, 3, 0.5), (3, 4, 4.0), (4, 5, 1.5), (3, 5, 2.5)]
    )
    graph.add_edge(5, 6, weight=0.25)
    return graph


def reference_graphs() -> list[tuple[str, nx.Graph, bool]]:
    """(name, graph with integer nodes 0..n-1, weighted?)"""
    karate = nx.karate_club_graph()
    florentine = nx.convert_node_labels_to_integers(
        nx.florentine_families_graph(), ordering="sorted"
    )
    miserables = nx.convert_node_labels_to_integers(nx.les_miserables_graph(), ordering="sorted")
    return [
        ("karate", karate, False),
        ("karate-weighted", karate, True),
        ("florentine", florentine, False),
        ("les-miserables-weighted", miserables, True),
        ("weighted-example", weighted_example(), True),
    ]


def build(graph: nx.Graph, weighted: bool, sector: np.ndarray | None = None):
    n = graph.number_of_nodes()
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    weight = (
        np.array([d.get("weight", 1.0) for _, _, d in graph.edges(data=True)], dtype=float)
        if weighted
        else None
    )
    sectors = np.zeros(n, dtype=np.int8) if sector is None else sector
    network = build_network(n, sectors, edges[:, 0], edges[:, 1], weight)
    ties = simple_ties(network)
    return network, ties, to_igraph(n, ties)


def as_array(mapping: dict[int, float], n: int) -> np.ndarray:
    return np.array([mapping[i] for i in range(n)], dtype=float)


@pytest.mark.parametrize(("name", "graph", "weighted"), reference_graphs())
def test_degree_strength_pagerank_match_networkx(
    name: str, graph: nx.Graph, weighted: bool
) -> None:
    n = graph.number_of_nodes()
    _, ties, g = build(graph, weighted)
    weight = "weight" if weighted else None
    degree, strength = degree_and_strength(n, ties)
    np.testing.assert_array_equal(degree, as_array(dict(graph.degree()), n))
    np.testing.assert_allclose(strength, as_array(dict(graph.degree(weight=weight)), n), atol=TOL)
    expected = nx.pagerank(graph, weight=weight, tol=1e-15, max_iter=100_000)
    np.testing.assert_allclose(pagerank(g), as_array(expected, n), atol=TOL, rtol=0)


@pytest.mark.parametrize(("name", "graph", "weighted"), reference_graphs())
def test_exact_betweenness_matches_networkx(name: str, graph: nx.Graph, weighted: bool) -> None:
    n = graph.number_of_nodes()
    _, _, g = build(graph, weighted)
    result = betweenness_of(g)
    assert result.exact
    expected = nx.betweenness_centrality(graph, normalized=False)
    np.testing.assert_allclose(result.value, as_array(expected, n), atol=TOL, rtol=0)
    np.testing.assert_array_equal(result.standard_error, np.zeros(n))


@pytest.mark.parametrize(("name", "graph", "weighted"), [r for r in reference_graphs() if r[2]])
def test_weighted_path_betweenness_matches_networkx_with_inverse_weights(
    name: str, graph: nx.Graph, weighted: bool
) -> None:
    # Path lengths are sums of 1/weight. With arbitrary weights, equally short paths can
    # differ in the last bit depending on the order of the sum, and igraph (which compares
    # with a tolerance) and NetworkX (which compares exactly) then split paths
    # differently. Powers of two keep every sum exact, so both must agree to 1e-9.
    dyadic = graph.copy()
    for _, _, data in dyadic.edges(data=True):
        data["weight"] = 2.0 ** (round(data["weight"] * 7) % 4 - 1)
        data["distance"] = 1.0 / data["weight"]
    n = dyadic.number_of_nodes()
    _, _, g = build(dyadic, True)
    expected = nx.betweenness_centrality(dyadic, normalized=False, weight="distance")
    result = betweenness_of(g, weighted_paths=True)
    np.testing.assert_allclose(result.value, as_array(expected, n), atol=TOL, rtol=0)


@pytest.mark.parametrize(("name", "graph", "weighted"), reference_graphs())
def test_constraint_and_effective_size_match_networkx(
    name: str, graph: nx.Graph, weighted: bool
) -> None:
    n = graph.number_of_nodes()
    _, ties, g = build(graph, weighted)
    weight = "weight" if weighted else None
    constraint, effective, per_tie = structural_holes(n, ties, triangles(g))
    np.testing.assert_allclose(
        constraint, as_array(nx.constraint(graph, weight=weight), n), atol=TOL
    )
    # NetworkX 3.6 has two code paths for effective size; the per-node one (taken when
    # ``nodes`` is given) implements Burt's formula. The all-nodes sparse path normalises
    # m_jq by the wrong node on weighted graphs (0.28 off on the weighted karate club),
    # so the per-node path is the reference. See docs/analytics/network.md.
    expected = nx.effective_size(graph, nodes=list(range(n)), weight=weight)
    np.testing.assert_allclose(effective, as_array(expected, n), atol=TOL)
    # triangles per tie = common partners of its two ends
    for i, (u, v) in enumerate(zip(ties.src, ties.dst, strict=True)):
        common = len(set(graph[int(u)]) & set(graph[int(v)]))
        assert per_tie[i] == common


def test_constraint_matches_igraph_on_weighted_graph() -> None:
    graph = nx.convert_node_labels_to_integers(nx.les_miserables_graph(), ordering="sorted")
    n = graph.number_of_nodes()
    _, ties, g = build(graph, True)
    constraint, _, _ = structural_holes(n, ties, triangles(g))
    np.testing.assert_allclose(constraint, g.constraint(weights="weight"), atol=TOL)


def test_structural_holes_of_isolated_stakeholder_is_nan() -> None:
    network = build_network(3, np.zeros(3, dtype=np.int8), [0], [1])
    ties = simple_ties(network)
    constraint, effective, _ = structural_holes(3, ties, triangles(to_igraph(3, ties)))
    assert np.isnan(constraint[2]) and np.isnan(effective[2])
    # a single tie: each end fully constrained (p = 1), effective size 1
    np.testing.assert_allclose(constraint[:2], [1.0, 1.0])
    np.testing.assert_allclose(effective[:2], [1.0, 1.0])


def test_sampled_betweenness_is_unbiased_and_its_stated_error_is_honest() -> None:
    graph = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=3)
    _, _, g = build(graph, False)
    exact = np.asarray(g.betweenness())
    errors, stated = [], []
    for seed in range(30):
        sampled = betweenness_of(g, exact_limit=100, samples=50, seed=seed)
        assert not sampled.exact and sampled.n_sources == 50
        errors.append(sampled.value - exact)
        stated.append(sampled.standard_error)
    errors_array, stated_array = np.array(errors), np.array(stated)
    # unbiased: the mean error over 30 samples is small against one sample's spread
    assert abs(errors_array.mean()) < 0.1 * np.sqrt((errors_array**2).mean())
    # honest: the stated standard error matches the actual root-mean-square error
    # (per-node dependencies are skewed, so coverage of +-2 SE is not 95%; the size is right)
    ratio = np.sqrt((stated_array**2).mean()) / np.sqrt((errors_array**2).mean())
    assert 0.85 < ratio < 1.15


def test_sampled_betweenness_depends_only_on_the_seed() -> None:
    graph = nx.connected_watts_strogatz_graph(200, 4, 0.2, seed=1)
    _, _, g = build(graph, False)
    first = betweenness_of(g, exact_limit=50, samples=20, seed=5)
    again = betweenness_of(g, exact_limit=50, samples=20, seed=5)
    other = betweenness_of(g, exact_limit=50, samples=20, seed=6)
    np.testing.assert_array_equal(first.value, again.value)
    assert not np.array_equal(first.value, other.value)


def test_leiden_modularity_matches_networkx_and_recovers_planted_communities() -> None:
    sizes = [40, 30, 30, 20]
    graph = nx.stochastic_block_model(
        sizes, [[0.5 if i == j else 0.01 for j in range(4)] for i in range(4)], seed=2
    )
    _, _, g = build(graph, False)
    communities = leiden_communities(g, seed=1)
    planted = np.repeat(np.arange(4), sizes)
    assert adjusted_rand_score(planted, communities.membership) > 0.95
    groups = [
        set(np.flatnonzero(communities.membership == c).tolist())
        for c in range(len(communities.sizes))
    ]
    assert communities.modularity == pytest.approx(nx.community.modularity(graph, groups), abs=TOL)
    # labelled by size, largest first
    assert list(communities.sizes) == sorted(communities.sizes, reverse=True)
    np.testing.assert_array_equal(np.bincount(communities.membership), communities.sizes)


def test_leiden_is_reproducible_and_leaves_igraph_randomness_as_it_was() -> None:
    import random

    import igraph as ig

    graph = nx.karate_club_graph()
    _, _, g = build(graph, True)
    first = leiden_communities(g, seed=3)
    second = leiden_communities(g, seed=3)
    np.testing.assert_array_equal(first.membership, second.membership)
    ig.set_random_number_generator(random)  # the default, which must still be in place
    assert first.modularity == pytest.approx(
        nx.community.modularity(
            graph,
            [set(np.flatnonzero(first.membership == c).tolist()) for c in range(len(first.sizes))],
            weight="weight",
        ),
        abs=TOL,
    )


def test_mixing_matrix_matches_networkx_attribute_mixing() -> None:
    graph = nx.karate_club_graph()
    n = graph.number_of_nodes()
    rng = np.random.default_rng(4)
    sector = rng.integers(0, 5, n).astype(np.int8)
    nx.set_node_attributes(graph, {i: int(sector[i]) for i in range(n)}, "sector")
    _, ties, _ = build(graph, True, sector)
    mixing = sector_mixing(n, sector, ties)
    expected = nx.attribute_mixing_matrix(
        graph, "sector", mapping={k: k for k in range(5)}, normalized=False
    )
    np.testing.assert_allclose(mixing.counts, expected, atol=TOL)
    # the weighted matrix sums tie weights the same way
    assert mixing.weights.sum() == pytest.approx(2 * graph.size(weight="weight"))
    # expected matrix keeps the total number of tie ends
    assert mixing.expected.sum() == pytest.approx(mixing.counts.sum())


def test_ei_indices_on_a_hand_worked_example() -> None:
    # sectors: 0 public, 1 public, 2 academia, 3 industry, 4 unknown
    # ties: 0-1 (internal), 0-2, 1-3, 2-3 (external), 3-4 (unknown end: left out)
    sector = np.array([0, 0, 1, 2, -1], dtype=np.int8)
    network = build_network(5, sector, [0, 0, 1, 2, 3], [1, 2, 3, 3, 4])
    mixing = sector_mixing(5, sector, simple_ties(network))
    # whole network: E = 3, I = 1 -> (3 - 1) / 4
    assert mixing.ei_whole == pytest.approx(0.5)
    # public: I = 1 (0-1), E = 2 (0-2, 1-3) -> 1/3; academia: E = 2 -> 1; industry: E = 2 -> 1
    np.testing.assert_allclose(mixing.ei_sector[:3], [1 / 3, 1.0, 1.0])
    assert np.isnan(mixing.ei_sector[3]) and np.isnan(mixing.ei_sector[4])
    # node 0: one inside (1), one outside (2) -> 0; node 3's tie to the unknown node 4 is ignored
    np.testing.assert_allclose(mixing.ei_node[:4], [0.0, 0.0, 1.0, 1.0])
    assert np.isnan(mixing.ei_node[4])


def test_yearly_growth_on_a_hand_worked_example() -> None:
    # tie A 2019-2020, tie B from 2020 (running), tie C from 2021, tie D undated
    network = build_network(
        5,
        np.zeros(5, dtype=np.int8),
        [0, 1, 2, 3],
        [1, 2, 3, 4],
        start_year=[2019, 2020.5, 2021, np.nan],
        end_year=[2020, np.nan, np.nan, np.nan],
    )
    growth = yearly_growth(5, simple_ties(network))
    np.testing.assert_array_equal(growth.years, [2019, 2020, 2021])
    # present: 2019: A + D; 2020: A, B + D; 2021: B, C + D (A ended in 2020)
    np.testing.assert_array_equal(growth.n_ties, [2, 3, 3])
    np.testing.assert_array_equal(growth.new_ties, [1, 1, 1])
    np.testing.assert_allclose(growth.new_tie_rate[1:], [1 / 2, 1 / 3])
    assert np.isnan(growth.new_tie_rate[0])
    np.testing.assert_allclose(growth.density, np.array([2, 3, 3]) / 10)


def test_isolated_and_peripheral_stakeholders() -> None:
    # a 4-cycle 0-1-2-3, a pendant 4 on 0, a separate pair 5-6, and 7 alone
    network = build_network(8, np.zeros(8, dtype=np.int8), [0, 1, 2, 3, 0, 5], [1, 2, 3, 0, 4, 6])
    ties = simple_ties(network)
    degree, _ = degree_and_strength(8, ties)
    isolated, peripheral = isolated_and_peripheral(to_igraph(8, ties), degree)
    np.testing.assert_array_equal(isolated, [7])
    np.testing.assert_array_equal(peripheral, [4, 5, 6])


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[float], list[int]]:
    n = draw(st.integers(3, 12))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    weights = draw(st.lists(st.floats(0.1, 10.0), min_size=len(chosen), max_size=len(chosen)))
    sector = draw(st.lists(st.integers(-1, 4), min_size=n, max_size=n))
    return n, chosen, weights, sector


def measures_of(n: int, edges: list[tuple[int, int]], weights: list[float], sector: list[int]):
    sector_array = np.asarray(sector, dtype=np.int8)
    network = build_network(
        n, sector_array, [e[0] for e in edges], [e[1] for e in edges], np.asarray(weights)
    )
    ties = simple_ties(network)
    g = to_igraph(n, ties)
    constraint, effective, _ = structural_holes(n, ties, triangles(g))
    mixing = sector_mixing(n, sector_array, ties)
    return {
        "degree": degree_and_strength(n, ties)[0].astype(float),
        "strength": degree_and_strength(n, ties)[1],
        "pagerank": pagerank(g),
        "betweenness": betweenness_of(g).value,
        "constraint": constraint,
        "effective": effective,
        "ei": mixing.ei_node,
    }, mixing


@given(small_graphs(), st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_measures_are_invariant_to_relabelling(graph, random) -> None:
    n, edges, weights, sector = graph
    permutation = list(range(n))
    random.shuffle(permutation)
    moved = [(permutation[a], permutation[b]) for a, b in edges]
    moved_sector = [0] * n
    for old, new in enumerate(permutation):
        moved_sector[new] = sector[old]
    before, mix_before = measures_of(n, edges, weights, sector)
    after, mix_after = measures_of(n, moved, weights, moved_sector)
    for key, values in before.items():
        np.testing.assert_allclose(after[key][permutation], values, atol=1e-9, err_msg=key)
    np.testing.assert_allclose(mix_after.counts, mix_before.counts)


@given(small_graphs())
@settings(max_examples=60, deadline=None)
def test_ei_indices_lie_between_minus_one_and_one(graph) -> None:
    n, edges, weights, sector = graph
    _, mixing = measures_of(n, edges, weights, sector)
    for values in (mixing.ei_node, mixing.ei_sector, np.array([mixing.ei_whole])):
        finite = values[np.isfinite(values)]
        assert np.all((finite >= -1) & (finite <= 1))
    np.testing.assert_allclose(mixing.counts, mixing.counts.T)
