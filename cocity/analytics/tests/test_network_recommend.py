"""Partner recommendations: scores against a plain reference, pruning, reasons."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from cocity.analytics.network import (
    NetworkInputError,
    RecommendationWeights,
    build_network,
    recommend_partners,
    recommendation_inputs,
    sector_mixing,
    simple_ties,
)


def make_inputs(graph: nx.Graph, sector, trust_pairs=None, context=None, names=None):
    n = graph.number_of_nodes()
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    network = build_network(
        n,
        np.asarray(sector, dtype=np.int8),
        edges[:, 0],
        edges[:, 1],
        names=names,
        clusters=context,
    )
    ties = simple_ties(network)
    mixing = sector_mixing(n, network.sector, ties)
    inputs = recommendation_inputs(
        n_nodes=n,
        ties=ties,
        sector=network.sector,
        mixing_counts=mixing.counts,
        mixing_expected=mixing.expected,
        trust_pairs=trust_pairs,
        context=network.clusters,
        context_names=network.cluster_names,
        names=network.names,
    )
    return inputs, mixing, network


def reference_scores(graph, sector, mixing, trust, context_sets, weights):
    """Every non-tied pair at distance 2, scored straight from the definitions."""
    w = np.array(weights) / sum(weights)
    scores = {}
    for a, b, ra in nx.resource_allocation_index(graph):
        if ra == 0:
            continue
        pair = (min(a, b), max(a, b))
        if sector[a] == sector[b]:
            comp = 0.0
        else:
            deficit = (
                1 - mixing.counts[sector[a], sector[b]] / mixing.expected[sector[a], sector[b]]
            )
            comp = 0.5 + 0.5 * min(max(deficit, 0.0), 1.0)
        tau = {k: max(0.0, 2 * v - 1) for k, v in trust.items()}
        path = sum(tau.get((a, c), 0) * tau.get((b, c), 0) for c in range(len(sector)))
        union = context_sets[a] | context_sets[b]
        shared = len(context_sets[a] & context_sets[b]) / len(union) if union else 0.0
        parts = [1 - math.exp(-2 * ra), comp, 1 - math.exp(-2 * path), shared]
        scores[pair] = float(np.dot(w, parts))
    return scores


def test_global_list_matches_a_plain_reference() -> None:
    graph = nx.relaxed_caveman_graph(6, 8, 0.15, seed=4)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))  # rewiring can make one
    n = graph.number_of_nodes()
    rng = np.random.default_rng(2)
    sector = rng.integers(0, 5, n).tolist()
    labels = ["energy", "mobility", "ICT", "health"]
    context_sets = [
        set(rng.choice(labels, size=rng.integers(0, 3), replace=False)) for _ in range(n)
    ]
    trust = {}
    for a, b in graph.edges():
        trust[(a, b)] = float(rng.random())
        trust[(b, a)] = float(rng.random())
    truster = np.array([k[0] for k in trust], dtype=np.int32)
    trusted = np.array([k[1] for k in trust], dtype=np.int32)
    inputs, mixing, _ = make_inputs(
        graph, sector, (truster, trusted, np.array(list(trust.values()))), context_sets
    )
    weights = (0.35, 0.2, 0.25, 0.2)
    expected = reference_scores(graph, sector, mixing, trust, context_sets, weights)
    best = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:10]
    # a tiny block budget forces many blocks, so pruning between blocks is exercised
    got = recommend_partners(inputs, top=10, max_per_node=100, block_budget=50)
    assert [(r.a, r.b) for r in got] == [pair for pair, _ in best]
    np.testing.assert_allclose([r.score for r in got], [score for _, score in best], atol=1e-12)
    for rec in got:
        assert not graph.has_edge(rec.a, rec.b)
        parts = np.array([rec.proximity, rec.complementarity, rec.trust_path, rec.shared_context])
        assert rec.score == pytest.approx(float(np.dot(np.array(weights), parts)))


def test_reason_names_shared_work_trusted_partner_and_sectors() -> None:
    # 0 (industry) and 2 (academia) both trust 1 (public) and both work on smart energy
    graph = nx.Graph([(0, 1), (1, 2), (1, 3)])
    trust = (
        np.array([0, 2], dtype=np.int32),
        np.array([1, 1], dtype=np.int32),
        np.array([1.0, 0.9]),
    )
    inputs, _, _ = make_inputs(
        graph,
        [2, 0, 1, 0],
        trust,
        [{"smart energy"}, set(), {"smart energy", "ICT"}, set()],
        names=["E.ON", "City of Lund", "Lund University", "Region"],
    )
    top = recommend_partners(inputs, top=1)[0]
    assert (top.a, top.b) == (0, 2)
    assert top.shared_partners == (1,)
    assert top.shared_labels == ("smart energy",)
    assert top.reason.startswith(
        "both work on smart energy; both trust City of Lund; would link industry and academia"
    )


def test_focus_lists_per_stakeholder_and_never_propose_existing_partners() -> None:
    graph = nx.karate_club_graph()
    inputs, _, _ = make_inputs(graph, [i % 5 for i in range(34)])
    recs = recommend_partners(inputs, focus=[0, 33], per_node=4)
    assert [r.a for r in recs] == [0] * 4 + [33] * 4
    for rec in recs:
        assert rec.b != rec.a and not graph.has_edge(rec.a, rec.b)
        assert set(graph[rec.a]) & set(graph[rec.b])  # partners of partners only
    scores_0 = [r.score for r in recs if r.a == 0]
    assert scores_0 == sorted(scores_0, reverse=True)


def test_a_hub_does_not_fill_the_whole_list() -> None:
    graph = nx.star_graph(10)
    graph.add_edges_from([(1, 11), (2, 11)])
    inputs, _, _ = make_inputs(graph, [0] * 12)
    recs = recommend_partners(inputs, top=20, max_per_node=2)
    appearances = np.bincount([r.a for r in recs] + [r.b for r in recs], minlength=12)
    assert appearances.max() <= 2


def test_no_candidates_and_bad_arguments() -> None:
    inputs, _, _ = make_inputs(nx.complete_graph(4), [0, 1, 2, 3])
    assert recommend_partners(inputs) == []
    with pytest.raises(NetworkInputError, match="focus"):
        recommend_partners(inputs, focus=[9])
    with pytest.raises(NetworkInputError, match="weights"):
        recommend_partners(inputs, weights=RecommendationWeights(0, 0, 0, 0))
