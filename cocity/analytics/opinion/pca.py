"""Pol.is's PCA of a sparse vote matrix: missing votes imputed by the statement's mean.

Pol.is (``math/src/polismath/math/pca.clj``, ``conversation.clj``) replaces each missing
vote by its column mean, centres the columns, finds the first two principal components by
power iteration, then projects each participant using *only the votes they cast* and
pushes the projection outwards by ``sqrt(n_statements / n_votes)`` so that people who voted
little are not all bunched at the centre.

Mean imputation followed by centring turns every missing entry into an exact zero, so the
centred matrix keeps the sparsity pattern of the votes:

    C[i, j] = v[i, j] - mu[j]   if i voted on j,   0 otherwise,
    mu[j]   = mean of the cast votes on j.

Its columns already have zero mean, so the principal components are the right singular
vectors of ``C``: we take them exactly (LAPACK's symmetric eigensolver on ``C^T C`` for up
to 500 statements, ARPACK's Lanczos SVD of the sparse matrix beyond) rather than by
Pol.is's 100 power iterations, and never materialise the dense participants x statements
matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import linalg, sparse
from scipy.sparse import linalg as sparse_linalg

from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix

#: Up to this many statements the axes come from the eigenvectors of the statement Gram
#: matrix; above it, from ARPACK's Lanczos SVD of the sparse matrix.
GRAM_MAX_STATEMENTS = 500
#: Up to this many cells the Gram matrix is a dense BLAS product, faster than a sparse one.
DENSE_GRAM_MAX_CELLS = 4_000_000


@dataclass(frozen=True, slots=True, eq=False)
class OpinionPCA:
    """The two-dimensional opinion space.

    Attributes
    ----------
    center : ndarray, shape (n_statements,)
        Mean cast vote of each statement, in vote units (-1..1); 0 for moderated-out and
        unvoted statements.
    components : ndarray, shape (n_components, n_statements)
        Orthonormal principal axes (unit vectors over statements).
    explained_variance : ndarray, shape (n_components,)
        Variance of the imputed votes along each axis, ``s_k**2 / (n - 1)`` in vote units
        squared.
    participant_projections : ndarray, shape (n_participants, n_components)
        Sparsity-aware projection of each participant (Pol.is's ``proj``), in vote units.
    participant_scale : ndarray, shape (n_participants,)
        The factor ``sqrt(n_active / max(n_counted, 1))`` applied to each projection.
    statement_projections : ndarray, shape (n_statements, n_components)
        Where a participant who agreed with that statement alone would sit (Pol.is's
        comment projection).
    active : ndarray of bool, shape (n_statements,)
        Statements with at least one vote: the columns Pol.is's rating matrix has.
    """

    center: NDArray[np.float64]
    components: NDArray[np.float64]
    explained_variance: NDArray[np.float64]
    participant_projections: NDArray[np.float64]
    participant_scale: NDArray[np.float64]
    statement_projections: NDArray[np.float64]
    active: NDArray[np.bool_]


def polis_pca(
    matrix: VoteMatrix,
    *,
    moderated: NDArray[np.bool_] | None = None,
    n_components: int = 2,
    previous_components: NDArray[np.float64] | None = None,
    seed: int | np.random.Generator = 0,
) -> OpinionPCA:
    """Project participants and statements onto the first principal axes, as Pol.is does.

    Parameters
    ----------
    matrix : VoteMatrix
        All votes (every participant who voted, whatever their number of votes).
    moderated : ndarray of bool, shape (n_statements,), optional
        Statements moderated out. As in Pol.is (``zero-out-columns``) their column becomes 0
        for everyone: it carries no variance, and it counts as a vote of every participant
        in the scale factor.
    n_components : int
        Number of axes (Pol.is: 2).
    previous_components : ndarray, shape (n_components, n_statements), optional
        Axes of the previous update, aligned on this matrix's statements. Each new axis is
        flipped to point the same way, so the map does not mirror between updates.
    seed : int or numpy.random.Generator
        Starting vector of the Lanczos iteration (large matrices only).

    Returns
    -------
    OpinionPCA

    Notes
    -----
    With ``A`` the statements with at least one vote, ``V_i`` the statements participant
    ``i`` voted on and ``W`` the principal axes:

        proj_i = sqrt(|A| / max(|V_i|, 1)) * sum_{j in V_i} (v_ij - mu_j) W[:, j]

    (Pol.is ``sparsity-aware-project-ptpt``; Small et al. 2021, "Polis: Scaling
    deliberation by mapping high dimensional opinion spaces", Recerca 26(2)). The sign of
    each axis is arbitrary; without ``previous_components`` it is fixed so that the
    largest loading is positive (scikit-learn's ``svd_flip`` rule).
    """
    n, m = matrix.shape
    if n == 0 or matrix.n_votes == 0:
        raise OpinionInputError("the vote matrix has no votes: nothing to project")
    if n_components < 1:
        raise OpinionInputError(f"n_components must be at least 1, got {n_components}")
    mod = np.zeros(m, dtype=bool) if moderated is None else np.asarray(moderated, dtype=bool)
    if mod.shape != (m,):
        raise OpinionInputError(f"moderated must have shape ({m},), got {mod.shape}")

    votes = matrix.votes
    counts = matrix.votes_per_statement()
    active = counts > 0
    sums = np.bincount(votes.indices, weights=votes.data.astype(np.float64), minlength=m)
    center = np.divide(sums, counts, out=np.zeros(m), where=active)
    center[mod] = 0.0

    live = ~mod
    centred_data = (votes.data - center[votes.indices]) * live[votes.indices]
    centred = sparse.csr_array(
        (centred_data, votes.indices, votes.indptr), shape=(n, m), copy=False
    )

    # Only columns with variance can carry an axis: the SVD runs on the voted, live ones.
    columns = np.flatnonzero(active & live)
    k = min(n_components, n, columns.size)
    components = np.zeros((n_components, m))
    singular = np.zeros(n_components)
    if k > 0:
        vt, s = _top_right_singular_vectors(centred[:, columns], k, seed)
        # An axis of (numerically) zero variance is arbitrary: leave it at zero.
        keep = s > 1e-10 * max(float(s[0]), 1.0)
        components[np.flatnonzero(keep)[:, None], columns[None, :]] = vt[keep]
        singular[: s.size] = np.where(keep, s, 0.0)
    components = _orient(components, previous_components)

    # Pol.is counts a moderated-out column as a vote of everyone (it is 0, not missing).
    n_mod_active = int((mod & active).sum())
    live_so_far = np.concatenate([[0], np.cumsum(live[votes.indices], dtype=np.int64)])
    counted = live_so_far[votes.indptr[1:]] - live_so_far[votes.indptr[:-1]] + n_mod_active
    n_active = int(active.sum())
    scale = np.sqrt(n_active / np.maximum(counted, 1))
    projections = (centred @ components.T) * scale[:, None]

    statement_proj = ((1.0 - center) * np.sqrt(n_active))[:, None] * components.T
    statement_proj[~active | mod] = 0.0
    dof = max(n - 1, 1)
    return OpinionPCA(
        center=center,
        components=components,
        explained_variance=singular**2 / dof,
        participant_projections=np.asarray(projections, dtype=np.float64),
        participant_scale=scale,
        statement_projections=statement_proj,
        active=active,
    )


def _top_right_singular_vectors(
    centred: sparse.csr_array, k: int, seed: int | np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    n, m = centred.shape
    if m <= GRAM_MAX_STATEMENTS or min(n, m) <= k + 1:
        # Few statements: the m x m Gram matrix is small and its symmetric eigensolver
        # (LAPACK) is exact and several times faster than an SVD of the n x m matrix.
        if n * m <= DENSE_GRAM_MAX_CELLS:
            dense = centred.toarray()
            gram = dense.T @ dense
        else:
            gram = (centred.T @ centred).toarray()
        values, vectors = linalg.eigh(gram, subset_by_index=[m - k, m - 1])
        order = np.argsort(values)[::-1]
        return vectors[:, order].T, np.sqrt(np.maximum(values[order], 0.0))
    rng = np.random.default_rng(seed)
    v0 = rng.standard_normal(min(n, m))
    # ARPACK (implicitly restarted Lanczos) needs only products with the sparse matrix.
    _, s, vt = sparse_linalg.svds(centred, k=k, v0=v0, solver="arpack")
    order = np.argsort(s)[::-1]
    return vt[order], s[order]


def _orient(
    components: NDArray[np.float64], previous: NDArray[np.float64] | None
) -> NDArray[np.float64]:
    out = components.copy()
    for c in range(out.shape[0]):
        ref = None
        if previous is not None and c < previous.shape[0]:
            dot = float(previous[c] @ out[c])
            if dot != 0.0:
                ref = dot
        if ref is None:
            j = int(np.argmax(np.abs(out[c])))
            ref = float(out[c, j])
        if ref < 0:
            out[c] = -out[c]
    return out
