"""Pol.is's PCA: same axes as scikit-learn's PCA of the mean-imputed matrix, Pol.is's scaling."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.decomposition import PCA

from cocity.analytics.opinion import OpinionInputError, polis_pca, vote_matrix_from_dense
from cocity.analytics.opinion import pca as pca_module


def imputed(dense: np.ndarray, moderated: np.ndarray) -> np.ndarray:
    """Pol.is's matrix: moderated columns zeroed, missing votes replaced by column means."""
    x = dense.copy()
    x[:, moderated] = 0.0
    voted = ~np.all(np.isnan(dense), axis=0) | moderated
    x = x[:, voted]
    means = np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0)
    return np.where(np.isnan(x), means, x)


def random_votes(rng: np.random.Generator, n: int, m: int, density: float) -> np.ndarray:
    dense = rng.choice([-1.0, 0.0, 1.0], size=(n, m))
    dense[rng.random((n, m)) > density] = np.nan
    dense[np.arange(n), rng.integers(0, m, n)] = rng.choice([-1.0, 1.0], n)
    return dense


def test_pca_hand_worked_two_statements() -> None:
    # Three participants; statement 0 splits them, statement 1 is unanimous.
    # Column means: (1 - 1 + nan) -> 0 ; (1 + 1 + 1) / 3 = 1. Centred: s0 = (1, -1, 0),
    # s1 = 0 everywhere, so the first axis is statement 0 and participant 2 (who did not
    # vote on it) sits at 0. Scale: sqrt(2 statements / votes) = 1, 1, sqrt(2).
    dense = np.array([[1.0, 1.0], [-1.0, 1.0], [np.nan, 1.0]])
    p = polis_pca(vote_matrix_from_dense(dense), n_components=1)
    np.testing.assert_allclose(p.center, [0.0, 1.0])
    np.testing.assert_allclose(np.abs(p.components[0]), [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(p.participant_scale, [1.0, 1.0, np.sqrt(2.0)])
    np.testing.assert_allclose(np.abs(p.participant_projections[:, 0]), [1.0, 1.0, 0.0])
    # Largest loading is positive (sign rule), so the agreeing participant is on the right.
    assert p.participant_projections[0, 0] > 0


@pytest.mark.parametrize("shape", [(40, 12), (300, 600)])
def test_pca_matches_scikit_learn_on_the_imputed_matrix(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(1)
    dense = random_votes(rng, *shape, density=0.4)
    moderated = np.zeros(shape[1], dtype=bool)
    moderated[[1, 5]] = True
    m = vote_matrix_from_dense(dense)
    ours = polis_pca(m, moderated=moderated)
    x = imputed(dense, moderated)
    reference = PCA(n_components=2, svd_solver="full").fit(x)
    voted = ~np.all(np.isnan(dense), axis=0) | moderated
    for k in range(2):
        assert abs(ours.components[k, voted] @ reference.components_[k]) == pytest.approx(1.0)
    np.testing.assert_allclose(ours.center[voted], np.where(moderated[voted], 0, x.mean(axis=0)))
    # Pol.is's projection = PCA scores of the imputed rows, pushed out by sqrt(m / votes),
    # where a moderated column counts as a vote of everyone (it is 0, not missing).
    votes = (~np.isnan(dense)).sum(axis=1) - (~np.isnan(dense[:, moderated])).sum(axis=1)
    scale = np.sqrt(voted.sum() / np.maximum(votes + moderated.sum(), 1))
    scores = reference.transform(x) * scale[:, None]
    signs = np.sign((ours.participant_projections * scores).sum(axis=0))
    np.testing.assert_allclose(ours.participant_projections, scores * signs, atol=1e-9)
    np.testing.assert_allclose(ours.explained_variance, reference.explained_variance_, rtol=1e-9)


def test_pca_matches_red_dwarf_projections() -> None:
    reducer = pytest.importorskip("reddwarf.utils.reducer.base")
    rng = np.random.default_rng(2)
    dense = random_votes(rng, 60, 15, density=0.5)
    ours = polis_pca(vote_matrix_from_dense(dense)).participant_projections
    theirs, _, _ = reducer.run_reducer(vote_matrix=dense.copy(), reducer="pca")
    signs = np.sign((ours * theirs).sum(axis=0))
    np.testing.assert_allclose(ours, theirs * signs, atol=1e-9)


def test_pca_sparse_path_agrees_with_the_gram_path(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    m = vote_matrix_from_dense(random_votes(rng, 400, 60, density=0.3))
    gram = polis_pca(m)
    monkeypatch.setattr(pca_module, "GRAM_MAX_STATEMENTS", 10)
    lanczos = polis_pca(m, seed=5)
    np.testing.assert_allclose(np.abs(gram.components @ lanczos.components.T), np.eye(2), atol=1e-8)
    np.testing.assert_allclose(
        gram.participant_projections, lanczos.participant_projections, atol=1e-7
    )


def test_pca_keeps_the_previous_orientation() -> None:
    rng = np.random.default_rng(4)
    m = vote_matrix_from_dense(random_votes(rng, 50, 10, density=0.6))
    first = polis_pca(m)
    flipped = polis_pca(m, previous_components=-first.components)
    np.testing.assert_allclose(flipped.components, -first.components)
    np.testing.assert_allclose(flipped.participant_projections, -first.participant_projections)


def test_pca_statement_projection_is_a_lone_agreeing_participant() -> None:
    rng = np.random.default_rng(5)
    dense = random_votes(rng, 30, 8, density=0.7)
    p = polis_pca(vote_matrix_from_dense(dense))
    j = 3
    lone = np.full((1, 8), np.nan)
    lone[0, j] = 1.0
    expected = (1.0 - p.center[j]) * p.components[:, j] * np.sqrt(8)
    np.testing.assert_allclose(p.statement_projections[j], expected)


def test_pca_bad_input() -> None:
    with pytest.raises(OpinionInputError, match="no votes"):
        polis_pca(vote_matrix_from_dense(np.full((2, 2), np.nan)))
    m = vote_matrix_from_dense(np.array([[1.0, -1.0]]))
    with pytest.raises(OpinionInputError, match="moderated must have shape"):
        polis_pca(m, moderated=np.array([True]))
    with pytest.raises(OpinionInputError, match="n_components"):
        polis_pca(m, n_components=0)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 12), st.integers(1, 8)),
        elements=st.sampled_from([-1.0, 0.0, 1.0, np.nan]),
    )
)
def test_pca_properties(dense: np.ndarray) -> None:
    m = vote_matrix_from_dense(dense)
    if m.n_votes == 0:
        with pytest.raises(OpinionInputError):
            polis_pca(m)
        return
    p = polis_pca(m)
    assert np.all(np.isfinite(p.participant_projections))
    norms = np.linalg.norm(p.components, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-9) | (norms < 1e-12))  # unit axes (or none left)
    assert np.all(p.participant_scale >= 1.0 - 1e-12)
    # Unvoted statements carry no weight; a participant with no vote sits at the centre.
    assert np.allclose(p.components[:, ~p.active], 0.0)
    silent = m.votes_per_participant() == 0
    assert np.allclose(p.participant_projections[silent], 0.0)
    # Pol.is's projection uses only cast votes: changing a missing cell's imputation is moot.
    again = polis_pca(m)
    np.testing.assert_array_equal(p.participant_projections, again.participant_projections)
