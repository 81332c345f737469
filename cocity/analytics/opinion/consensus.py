"""Consensus statements and group-informed consensus (Pol.is ``repness.clj``, ``conversation.clj``).

*Consensus* (Pol.is ``consensus-stats`` / ``select-consensus-comments``), over every
participant who voted: for each statement,

    pa = (na + 1) / (ns + 2),   pat = prop_test(na, ns)   (and pd, pdt for disagree)

A statement is an agree-consensus candidate when ``pa > 0.5`` and ``pat > 1.2816``; the
candidates are ranked by ``pa * pat`` and the top 5 are kept (disagree likewise).

*Group-informed consensus* (Pol.is ``group-aware-consensus``): the product over the opinion
groups of each group's smoothed agreement, so a statement scores high only if every group
agrees:

    gac_agree[j] = prod_g (na[g, j] + 1) / (ns[g, j] + 2)

Pol.is publishes the agree form; the disagree form (``nd`` for ``na``) is given too, as in
red-dwarf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix
from cocity.analytics.opinion.repness import PICK_MAX, Z_90, GroupStatementStats, prop_test


@dataclass(frozen=True, slots=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with.

    Attributes
    ----------
    statement_id : int
    n_success : int
        Agrees (or disagrees).
    n_trials : int
        Votes cast, passes included.
    p_success : float
        ``pa`` (or ``pd``), smoothed probability in (0, 1).
    p_test : float
        ``pat`` (or ``pdt``), z-score against 1/2.
    """

    statement_id: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True, slots=True)
class Consensus:
    """The top consensus statements each way (at most ``pick_max`` each)."""

    agree: tuple[ConsensusStatement, ...]
    disagree: tuple[ConsensusStatement, ...]


def consensus_statements(
    matrix: VoteMatrix,
    excluded: NDArray[np.bool_] | None = None,
    pick_max: int = PICK_MAX,
) -> Consensus:
    """Select Pol.is's consensus statements over all voters.

    Parameters
    ----------
    matrix : VoteMatrix
        Every vote (grouped or not: Pol.is uses the whole rating matrix).
    excluded : ndarray of bool, shape (n_statements,), optional
        Statements never to choose (moderated out).
    pick_max : int
        At most this many each way (Pol.is: 5).

    Returns
    -------
    Consensus
        Ranked by decreasing ``p_success * p_test``; ties keep statement order.
    """
    _, m = matrix.shape
    keep = np.ones(m, dtype=bool) if excluded is None else ~np.asarray(excluded, dtype=bool)
    if keep.shape != (m,):
        raise OpinionInputError(f"excluded must have shape ({m},), got {keep.shape}")
    votes = matrix.votes
    na = np.bincount(votes.indices[votes.data == 1], minlength=m)
    nd = np.bincount(votes.indices[votes.data == -1], minlength=m)
    ns = np.bincount(votes.indices, minlength=m)

    def top(successes: NDArray[np.int64]) -> tuple[ConsensusStatement, ...]:
        p = (successes + 1.0) / (ns + 2.0)
        z = prop_test(successes, ns)
        candidates = np.flatnonzero(keep & (p > 0.5) & (z > Z_90))
        order = candidates[np.argsort(-(p * z)[candidates], kind="stable")][:pick_max]
        return tuple(
            ConsensusStatement(
                statement_id=int(matrix.statement_ids[j]),
                n_success=int(successes[j]),
                n_trials=int(ns[j]),
                p_success=float(p[j]),
                p_test=float(z[j]),
            )
            for j in order
        )

    return Consensus(agree=top(na), disagree=top(nd))


def group_aware_consensus(
    stats: GroupStatementStats,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Group-informed consensus of every statement (see the module docstring).

    Parameters
    ----------
    stats : GroupStatementStats

    Returns
    -------
    agree, disagree : ndarray, shape (n_statements,)
        Products over groups of ``pa`` and of ``pd``; each in (0, 1). With no group
        (``n_groups == 0``) both are all ones (the empty product).
    """
    return (
        np.asarray(np.prod(stats.pa, axis=0), dtype=np.float64),
        np.asarray(np.prod(stats.pd, axis=0), dtype=np.float64),
    )
