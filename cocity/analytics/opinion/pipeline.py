"""The whole opinion map of a conversation, Pol.is's method end to end.

1. Vote matrix (latest vote wins), moderated-out statements zeroed (:mod:`.matrix`).
2. PCA to two dimensions with mean imputation and sparsity-aware projection (:mod:`.pca`).
3. Participants "in the conversation": at least ``min(7, n_statements)`` votes, once in
   always in, and the 15 most active while fewer than 15 qualify.
4. Base clusters (k = 100), groups for k in 2..5 chosen by silhouette, k-smoother
   (:mod:`.clustering`).
5. Representative statements per group, consensus and group-informed consensus
   (:mod:`.repness`, :mod:`.consensus`).

An update passes the previous result's :class:`OpinionState`: axes keep their orientation,
k-means starts from the previous centres, participants stay in, and the group count only
changes after the new count has won ``k_buffer`` updates in a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cocity.analytics.opinion.clustering import (
    BASE_K,
    BASE_RESTARTS,
    K_BUFFER,
    K_TOLERANCE,
    MAX_K,
    RESTARTS,
    BaseClusters,
    GroupClustering,
    KSmoother,
    base_clusters,
    group_clusterings,
    smooth_k,
)
from cocity.analytics.opinion.consensus import (
    Consensus,
    consensus_statements,
    group_aware_consensus,
)
from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix
from cocity.analytics.opinion.pca import OpinionPCA, polis_pca
from cocity.analytics.opinion.repness import (
    GroupStatementStats,
    RepresentativeStatement,
    group_statement_stats,
    select_representative,
)

#: Pol.is's vote threshold for clustering and its "greedy" minimum of clustered people.
MIN_VOTES = 7
GREEDY_N = 15


@dataclass(frozen=True, slots=True, eq=False)
class OpinionState:
    """What an update needs from the previous one to hold the map steady.

    Attributes
    ----------
    statement_ids : ndarray of int64, shape (m_prev,)
    components : ndarray, shape (2, m_prev)
        Previous principal axes, over ``statement_ids``.
    in_conv_ids : ndarray of int64, shape (n_in,)
        Participants in the conversation (they stay in).
    base_assignment : ndarray of int64, shape (n_in,)
        Base cluster id of each of ``in_conv_ids``.
    base_ids : ndarray of int64, shape (n_base,)
    group_labels_by_k : mapping of int to ndarray of int64 (n_base,)
        For each candidate k, the group of each of ``base_ids``.
    k_smoother : KSmoother or None
    """

    statement_ids: NDArray[np.int64]
    components: NDArray[np.float64]
    in_conv_ids: NDArray[np.int64]
    base_assignment: NDArray[np.int64]
    base_ids: NDArray[np.int64]
    group_labels_by_k: Mapping[int, NDArray[np.int64]]
    k_smoother: KSmoother | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (lists and numbers only)."""
        return {
            "statement_ids": self.statement_ids.tolist(),
            "components": self.components.tolist(),
            "in_conv_ids": self.in_conv_ids.tolist(),
            "base_assignment": self.base_assignment.tolist(),
            "base_ids": self.base_ids.tolist(),
            "group_labels_by_k": {str(k): v.tolist() for k, v in self.group_labels_by_k.items()},
            "k_smoother": None
            if self.k_smoother is None
            else {
                "last_k": self.k_smoother.last_k,
                "last_k_count": self.k_smoother.last_k_count,
                "smoothed_k": self.k_smoother.smoothed_k,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpinionState:
        """Inverse of :meth:`to_dict`; raises :class:`OpinionInputError` on a bad shape."""
        try:
            smoother = data.get("k_smoother")
            state = cls(
                statement_ids=np.asarray(data["statement_ids"], dtype=np.int64).reshape(-1),
                components=np.asarray(data["components"], dtype=np.float64),
                in_conv_ids=np.asarray(data["in_conv_ids"], dtype=np.int64).reshape(-1),
                base_assignment=np.asarray(data["base_assignment"], dtype=np.int64).reshape(-1),
                base_ids=np.asarray(data["base_ids"], dtype=np.int64).reshape(-1),
                group_labels_by_k={
                    int(k): np.asarray(v, dtype=np.int64).reshape(-1)
                    for k, v in dict(data["group_labels_by_k"]).items()
                },
                k_smoother=None
                if smoother is None
                else KSmoother(
                    last_k=int(smoother["last_k"]),
                    last_k_count=int(smoother["last_k_count"]),
                    smoothed_k=int(smoother["smoothed_k"]),
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise OpinionInputError(f"not a valid opinion state: {exc}") from exc
        if state.components.ndim != 2 or state.components.shape[1] != state.statement_ids.size:
            raise OpinionInputError("opinion state: components need one column per statement")
        if state.base_assignment.size != state.in_conv_ids.size:
            raise OpinionInputError("opinion state: one base id per participant in conversation")
        if any(v.size != state.base_ids.size for v in state.group_labels_by_k.values()):
            raise OpinionInputError("opinion state: one group label per base cluster and k")
        return state


@dataclass(frozen=True, slots=True, eq=False)
class OpinionMap:
    """The opinion map of one conversation version.

    Attributes
    ----------
    participant_ids, statement_ids : ndarray of int64
        Rows and columns of the vote matrix it was computed from.
    moderated : ndarray of bool, shape (n_statements,)
    pca : OpinionPCA
        Axes and 2-D positions of participants and statements.
    in_conv : ndarray of bool, shape (n_participants,)
        Participants who were clustered.
    base : BaseClusters
        Base clusters of the ``in_conv`` participants (labels in participant order).
    candidates : tuple of GroupClustering
        The clustering for each candidate k, with its silhouette.
    k_smoother : KSmoother
    group_labels : ndarray of int64, shape (n_participants,)
        Opinion group of each participant, ``0..n_groups-1``; ``-1`` if not clustered.
    group_centers : ndarray, shape (n_groups, 2)
    stats : GroupStatementStats
        Per group and statement counts and repness statistics.
    repness : tuple of tuple of RepresentativeStatement
        Representative statements of each group.
    consensus : Consensus
    gac_agree, gac_disagree : ndarray, shape (n_statements,)
        Group-informed consensus.
    """

    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    moderated: NDArray[np.bool_]
    pca: OpinionPCA
    in_conv: NDArray[np.bool_]
    base: BaseClusters
    candidates: tuple[GroupClustering, ...]
    k_smoother: KSmoother
    group_labels: NDArray[np.int64]
    group_centers: NDArray[np.float64]
    stats: GroupStatementStats
    repness: tuple[tuple[RepresentativeStatement, ...], ...]
    consensus: Consensus
    gac_agree: NDArray[np.float64]
    gac_disagree: NDArray[np.float64]

    @property
    def n_groups(self) -> int:
        """Number of opinion groups."""
        return int(self.group_centers.shape[0])

    def group_sizes(self) -> NDArray[np.int64]:
        """Number of participants in each group, shape (n_groups,)."""
        grouped = self.group_labels[self.group_labels >= 0]
        return np.bincount(grouped, minlength=self.n_groups).astype(np.int64)

    def state(self) -> OpinionState:
        """What the next update needs to hold this map steady."""
        return OpinionState(
            statement_ids=self.statement_ids,
            components=self.pca.components,
            in_conv_ids=self.participant_ids[self.in_conv],
            base_assignment=self.base.ids[self.base.labels],
            base_ids=self.base.ids,
            group_labels_by_k={c.k: c.base_labels for c in self.candidates},
            k_smoother=self.k_smoother,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: participants, groups, statements, consensus, state."""
        proj = self.pca.participant_projections
        sizes = self.group_sizes()
        return {
            "n_participants": int(self.participant_ids.size),
            "n_statements": int(self.statement_ids.size),
            "n_in_conv": int(self.in_conv.sum()),
            "n_groups": self.n_groups,
            "silhouettes": {str(c.k): c.silhouette for c in self.candidates},
            "participants": [
                {
                    "id": int(pid),
                    "x": float(proj[i, 0]),
                    "y": float(proj[i, 1]) if proj.shape[1] > 1 else 0.0,
                    "in_conv": bool(self.in_conv[i]),
                    "group": None if self.group_labels[i] < 0 else int(self.group_labels[i]),
                }
                for i, pid in enumerate(self.participant_ids.tolist())
            ],
            "groups": [
                {
                    "id": g,
                    "size": int(sizes[g]),
                    "center": self.group_centers[g].tolist(),
                    "repness": [_record(r) for r in self.repness[g]],
                }
                for g in range(self.n_groups)
            ],
            "statements": [
                {
                    "id": int(tid),
                    "moderated": bool(self.moderated[j]),
                    "x": float(self.pca.statement_projections[j, 0]),
                    "y": float(self.pca.statement_projections[j, -1]),
                    "group_aware_consensus_agree": float(self.gac_agree[j]),
                    "group_aware_consensus_disagree": float(self.gac_disagree[j]),
                }
                for j, tid in enumerate(self.statement_ids.tolist())
            ],
            "consensus": {
                "agree": [_record(c) for c in self.consensus.agree],
                "disagree": [_record(c) for c in self.consensus.disagree],
            },
            "state": self.state().to_dict(),
        }


def _record(item: RepresentativeStatement | Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}


def _positions_of(ids: NDArray[np.int64], wanted: NDArray[np.int64]) -> NDArray[np.int64]:
    """Position of each ``wanted`` id in ``ids`` (any order), ``-1`` if absent."""
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    pos = np.searchsorted(sorted_ids, wanted)
    clipped = np.minimum(pos, max(sorted_ids.size - 1, 0))
    found = (sorted_ids.size > 0) & (sorted_ids[clipped] == wanted)
    return np.where(found, order[clipped], -1).astype(np.int64)


def participants_in_conversation(
    matrix: VoteMatrix,
    *,
    min_votes: int = MIN_VOTES,
    greedy_n: int = GREEDY_N,
    always_in: NDArray[np.bool_] | None = None,
) -> NDArray[np.bool_]:
    """Pol.is's ``in-conv``: who is clustered.

    Parameters
    ----------
    matrix : VoteMatrix
    min_votes : int
        A participant is in with at least ``min(min_votes, n_active)`` votes, where
        ``n_active`` is the number of statements with any vote (Pol.is: 7).
    greedy_n : int
        While fewer than this many are in, the most active voters are added (Pol.is: 15).
    always_in : ndarray of bool, shape (n_participants,), optional
        Participants in at the previous update (they stay in) or kept by the caller.

    Returns
    -------
    ndarray of bool, shape (n_participants,)
    """
    counts = matrix.votes_per_participant()
    n_active = int((matrix.votes_per_statement() > 0).sum())
    inside = counts >= max(min(min_votes, n_active), 1)
    if always_in is not None:
        inside |= always_in
    missing = greedy_n - int(inside.sum())
    if missing > 0:
        # Most votes first; equal counts keep participant order (Pol.is leaves ties unordered).
        order = np.argsort(-counts, kind="stable")
        extra = [i for i in order.tolist() if not inside[i] and counts[i] > 0][:missing]
        inside[extra] = True
    return inside


def opinion_map(
    matrix: VoteMatrix,
    *,
    moderated_statement_ids: ArrayLike = (),
    keep_participant_ids: ArrayLike = (),
    previous: OpinionState | OpinionMap | None = None,
    min_votes: int = MIN_VOTES,
    base_k: int = BASE_K,
    max_k: int = MAX_K,
    k_buffer: int = K_BUFFER,
    k_tolerance: float = K_TOLERANCE,
    restarts: int = RESTARTS,
    base_restarts: int = BASE_RESTARTS,
    seed: int | np.random.Generator = 0,
) -> OpinionMap:
    """Compute the Pol.is opinion map of a conversation.

    Parameters
    ----------
    matrix : VoteMatrix
        Every vote of the conversation (latest vote per participant and statement).
    moderated_statement_ids : array_like of int
        Statements moderated out: no weight in the map, never representative or consensus.
        Ids absent from the matrix are ignored.
    keep_participant_ids : array_like of int
        Participants to cluster whatever their vote count (e.g. Pol.is's own in-conv set
        when importing a conversation whose history is lost). Unknown ids are ignored.
    previous : OpinionState or OpinionMap, optional
        The previous update, to hold axes, clusters and the group count steady.
    min_votes : int
        Votes needed to be clustered (Pol.is: 7).
    base_k : int
        Number of base clusters (Pol.is: 100).
    max_k : int
        Largest group count tried (Pol.is: 5).
    k_buffer : int
        Updates in a row a new group count must win before it is used (Pol.is: 4).
    k_tolerance : float
        Silhouettes within this of the best count as a tie, won by the smaller k (Pol.is: 0).
    restarts : int
        Extra seeded k-means++ starts for the group k-means on a fresh map (no
        ``previous``); the lowest-inertia partition is kept. 0 is Pol.is's single start.
    base_restarts : int
        Seeded k-means++ starts for the base clusters on a fresh map of at most 5,000
        participants in the conversation (the lowest inertia wins); 0 is Pol.is's start
        (the first 100 distinct positions).
    seed : int or numpy.random.Generator
        Seeds the sparse SVD of large conversations and the extra k-means starts.

    Returns
    -------
    OpinionMap

    Raises
    ------
    OpinionInputError
        No votes, or bad parameters.
    """
    n, m = matrix.shape
    if n == 0 or matrix.n_votes == 0:
        raise OpinionInputError("the conversation has no votes: there is no map to draw")
    for name, value, low in (
        ("restarts", restarts, 0),
        ("base_restarts", base_restarts, 0),
        ("min_votes", min_votes, 1),
        ("base_k", base_k, 1),
        ("max_k", max_k, 2),
        ("k_buffer", k_buffer, 1),
    ):
        if int(value) < low:
            raise OpinionInputError(f"{name} must be at least {low}, got {value}")
    state = previous.state() if isinstance(previous, OpinionMap) else previous

    moderated = np.zeros(m, dtype=bool)
    mod_pos = matrix.statement_index(np.asarray(moderated_statement_ids, dtype=np.int64))
    moderated[mod_pos[mod_pos >= 0]] = True

    prev_components = None
    always_in = np.zeros(n, dtype=bool)
    keep_pos = matrix.participant_index(np.asarray(keep_participant_ids, dtype=np.int64))
    always_in[keep_pos[keep_pos >= 0]] = True
    if state is not None:
        prev_components = np.zeros((state.components.shape[0], m))
        cols = matrix.statement_index(state.statement_ids)
        found = cols >= 0
        prev_components[:, cols[found]] = state.components[:, found]
        prev_in = matrix.participant_index(state.in_conv_ids)
        always_in[prev_in[prev_in >= 0]] = True

    pca = polis_pca(matrix, moderated=moderated, previous_components=prev_components, seed=seed)
    in_conv = participants_in_conversation(matrix, min_votes=min_votes, always_in=always_in)
    points = pca.participant_projections[in_conv]
    prev_base = None
    if state is not None:
        row_base = np.full(n, -1, dtype=np.int64)
        rows = matrix.participant_index(state.in_conv_ids)
        row_base[rows[rows >= 0]] = state.base_assignment[rows >= 0]
        prev_base = row_base[in_conv]
    base = base_clusters(points, k=base_k, previous=prev_base, restarts=base_restarts, seed=seed)
    prev_groups: dict[int, NDArray[np.int64]] | None = None
    if state is not None:
        where = _positions_of(state.base_ids, base.ids)
        prev_groups = {
            k: np.where(where >= 0, labels[np.maximum(where, 0)], -1)
            for k, labels in state.group_labels_by_k.items()
        }
    candidates = group_clusterings(
        base, max_k=max_k, previous=prev_groups, restarts=restarts, seed=seed
    )
    smoother = smooth_k(
        candidates,
        previous=None if state is None else state.k_smoother,
        buffer=k_buffer,
        tolerance=k_tolerance,
    )
    chosen = next(c for c in candidates if c.k == smoother.smoothed_k)

    group_labels = np.full(n, -1, dtype=np.int64)
    group_labels[in_conv] = chosen.base_labels[base.labels]
    stats = group_statement_stats(matrix, group_labels, chosen.n_groups)
    gac_agree, gac_disagree = group_aware_consensus(stats)
    return OpinionMap(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        moderated=moderated,
        pca=pca,
        in_conv=in_conv,
        base=base,
        candidates=candidates,
        k_smoother=smoother,
        group_labels=group_labels,
        group_centers=chosen.centers,
        stats=stats,
        repness=select_representative(stats, matrix.statement_ids, excluded=moderated),
        consensus=consensus_statements(matrix, excluded=moderated),
        gac_agree=gac_agree,
        gac_disagree=gac_disagree,
    )
