"""The vote matrix: one row per participant, one column per statement, latest vote wins.

Votes use Pol.is's export convention: ``+1`` agree, ``-1`` disagree, ``0`` pass. A cast
vote is an *explicit* entry of the sparse matrix, so a pass (``0``) is told apart from a
missing vote by the sparsity pattern, never by its value. Nothing here ever calls
``eliminate_zeros`` on the matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from cocity.analytics.opinion.errors import OpinionInputError

AGREE = 1
DISAGREE = -1
PASS = 0


@dataclass(frozen=True, slots=True, eq=False)
class VoteMatrix:
    """Votes of participants on statements.

    Attributes
    ----------
    participant_ids : ndarray of int64, shape (n_participants,)
        Row labels, strictly increasing.
    statement_ids : ndarray of int64, shape (n_statements,)
        Column labels, strictly increasing.
    votes : scipy.sparse.csr_array of int8, shape (n_participants, n_statements)
        ``votes[i, j]`` is the latest vote of participant ``i`` on statement ``j`` (+1, 0,
        -1); an absent entry means "not voted". Indices are sorted, with no duplicates.
    """

    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    votes: sparse.csr_array

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_participants, n_statements)``."""
        return (int(self.participant_ids.size), int(self.statement_ids.size))

    @property
    def n_votes(self) -> int:
        """Number of cast votes (passes included)."""
        return int(self.votes.nnz)

    def votes_per_participant(self) -> NDArray[np.int64]:
        """Number of statements each participant voted on (passes count), shape (n,)."""
        return np.asarray(np.diff(self.votes.indptr), dtype=np.int64)

    def votes_per_statement(self) -> NDArray[np.int64]:
        """Number of participants who voted on each statement (passes count), shape (m,)."""
        return np.bincount(self.votes.indices, minlength=self.shape[1]).astype(np.int64)

    def to_dense(self) -> NDArray[np.float64]:
        """Dense float copy with ``nan`` where no vote was cast (for small matrices only)."""
        dense = np.full(self.shape, np.nan)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.votes.indptr))
        dense[rows, self.votes.indices] = self.votes.data
        return dense

    def participant_index(self, ids: ArrayLike) -> NDArray[np.int64]:
        """Row positions of the given participant ids; ``-1`` for ids not in the matrix."""
        return _positions(self.participant_ids, ids)

    def statement_index(self, ids: ArrayLike) -> NDArray[np.int64]:
        """Column positions of the given statement ids; ``-1`` for ids not in the matrix."""
        return _positions(self.statement_ids, ids)


def _positions(sorted_ids: NDArray[np.int64], ids: ArrayLike) -> NDArray[np.int64]:
    wanted = np.asarray(ids, dtype=np.int64).ravel()
    if sorted_ids.size == 0:
        return np.full(wanted.size, -1, dtype=np.int64)
    pos = np.searchsorted(sorted_ids, wanted)
    pos_clipped = np.minimum(pos, sorted_ids.size - 1)
    found = sorted_ids[pos_clipped] == wanted
    return np.where(found, pos_clipped, -1).astype(np.int64)


def _as_int_ids(values: ArrayLike, name: str) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise OpinionInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            bad = int(np.flatnonzero(~np.isfinite(arr))[0])
            raise OpinionInputError(f"{name}[{bad}] is not a finite number")
        if not np.all(arr == np.round(arr)):
            bad = int(np.flatnonzero(arr != np.round(arr))[0])
            raise OpinionInputError(f"{name}[{bad}] = {arr[bad]!r} is not a whole number")
    elif arr.dtype.kind not in "iub":
        raise OpinionInputError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def _time_order(ts: NDArray[np.generic]) -> NDArray[np.int64]:
    """Event positions in time order, equal times in input order (a stable argsort).

    Integer times whose span times ``n`` fits in 62 bits take one plain SIMD sort of
    ``(t - t_min) * n + position``, several times faster than a stable argsort.
    """
    n = ts.size
    if ts.dtype.kind in "iu":
        low, high = int(ts.min()), int(ts.max())
        if (high - low + 1) * n < 2**62:
            key = (ts.astype(np.int64) - low) * n + np.arange(n, dtype=np.int64)
            return np.asarray(np.sort(key) % n, dtype=np.int64)
    return np.asarray(np.argsort(ts, kind="stable"), dtype=np.int64)


def _compact(
    ids: NDArray[np.int64], extra: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sorted distinct labels of ``ids`` and ``extra``, and the position of each of ``ids``.

    Dense, non-negative ids (database keys) take a linear-time table lookup instead of a
    sort.
    """
    both = np.concatenate([ids, extra]) if extra.size else ids
    if both.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low, high = int(both.min()), int(both.max())
    if low >= 0 and high < 8 * both.size + 1024:
        present = np.zeros(high + 1, dtype=bool)
        present[both] = True
        lookup = np.cumsum(present, dtype=np.int64) - 1
        return np.flatnonzero(present).astype(np.int64), lookup[ids]
    labels = np.unique(both)
    return labels.astype(np.int64), np.searchsorted(labels, ids).astype(np.int64)


def vote_matrix_from_events(
    participant_ids: ArrayLike,
    statement_ids: ArrayLike,
    votes: ArrayLike,
    timestamps: ArrayLike | None = None,
    *,
    all_participant_ids: ArrayLike | None = None,
    all_statement_ids: ArrayLike | None = None,
) -> VoteMatrix:
    """Build the vote matrix from vote events; a participant's latest vote on a statement wins.

    Parameters
    ----------
    participant_ids, statement_ids : array_like of int, shape (n_events,)
        Who voted on what.
    votes : array_like of int, shape (n_events,)
        +1 agree, -1 disagree, 0 pass (Pol.is export convention).
    timestamps : array_like of int or float, shape (n_events,), optional
        When each vote was cast (any unit, e.g. ms since the epoch). The vote with the
        greatest timestamp wins; ties, and all events when no timestamps are given, are
        broken by position: the later event wins.
    all_participant_ids, all_statement_ids : array_like of int, optional
        Extra row / column labels to include even when they have no vote (e.g. statements
        nobody has voted on yet).

    Returns
    -------
    VoteMatrix
        Rows and columns sorted by id.

    Raises
    ------
    OpinionInputError
        Arrays of different lengths, non-integer ids, votes outside {-1, 0, 1}, or
        non-finite timestamps.

    Examples
    --------
    >>> m = vote_matrix_from_events([7, 7, 9], [1, 1, 2], [1, -1, 0], [10, 20, 5])
    >>> m.to_dense().tolist()
    [[-1.0, nan], [nan, 0.0]]
    """
    pids = _as_int_ids(participant_ids, "participant_ids")
    tids = _as_int_ids(statement_ids, "statement_ids")
    vals = _as_int_ids(votes, "votes")
    n = pids.size
    if tids.size != n or vals.size != n:
        raise OpinionInputError(
            "participant_ids, statement_ids and votes must have the same length, got "
            f"{pids.size}, {tids.size} and {vals.size}"
        )
    bad_vote = (vals < -1) | (vals > 1)
    if bad_vote.any():
        i = int(np.flatnonzero(bad_vote)[0])
        raise OpinionInputError(f"votes[{i}] = {vals[i]} is not one of -1, 0, 1")

    # Position of each event in time: its index, or its rank by timestamp (stable, so that
    # equal timestamps keep input order). Skipped when already sorted, as events usually
    # come out of a database in the order they were written.
    when = np.arange(n, dtype=np.int64)
    if timestamps is not None:
        ts = np.asarray(timestamps)
        if ts.shape != (n,):
            raise OpinionInputError(
                f"timestamps must have shape ({n},) like the votes, got {ts.shape}"
            )
        if ts.dtype.kind not in "iuf":
            raise OpinionInputError(f"timestamps must be numbers, got dtype {ts.dtype}")
        if ts.dtype.kind == "f" and not np.all(np.isfinite(ts)):
            i = int(np.flatnonzero(~np.isfinite(ts))[0])
            raise OpinionInputError(f"timestamps[{i}] is not a finite number")
        if n > 1 and np.any(ts[1:] < ts[:-1]):
            when[_time_order(ts)] = np.arange(n, dtype=np.int64)

    extra_p = (
        np.zeros(0, np.int64)
        if all_participant_ids is None
        else _as_int_ids(all_participant_ids, "all_participant_ids")
    )
    extra_t = (
        np.zeros(0, np.int64)
        if all_statement_ids is None
        else _as_int_ids(all_statement_ids, "all_statement_ids")
    )
    row_ids, rows = _compact(pids, extra_p)
    col_ids, cols = _compact(tids, extra_t)
    n_rows, n_cols = row_ids.size, col_ids.size

    # Latest vote wins: order events by cell, then by time; the last event of each run of
    # equal cells is the latest vote. When it fits in 63 bits, one composite key per event
    # (cell * n + time position, unique) is ordered by a plain SIMD sort, several times
    # faster than a stable argsort.
    cell_of_event = rows * n_cols + cols
    span = max(n, 1)
    if n_rows * n_cols * span < 2**62:
        composite = np.sort(cell_of_event * span + when)
        cell, time_pos = composite // span, composite % span
    else:
        order = np.lexsort((when, cell_of_event))
        cell, time_pos = cell_of_event[order], when[order]
    last = np.ones(n, dtype=bool)
    if n > 1:
        last[:-1] = cell[1:] != cell[:-1]
    cell = cell[last]
    event_at = np.empty(n, dtype=np.int64)
    event_at[when] = np.arange(n, dtype=np.int64)
    winner = event_at[time_pos[last]]
    kept_rows, kept_cols = cell // max(n_cols, 1), cell % max(n_cols, 1)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept_rows, minlength=n_rows), out=indptr[1:])
    index_dtype = np.int32 if max(n_cols, cell.size) < np.iinfo(np.int32).max else np.int64
    matrix = sparse.csr_array(
        (vals[winner].astype(np.int8), kept_cols.astype(index_dtype), indptr.astype(index_dtype)),
        shape=(n_rows, n_cols),
    )
    matrix.has_sorted_indices = True
    matrix.has_canonical_format = True
    return VoteMatrix(
        participant_ids=row_ids.astype(np.int64),
        statement_ids=col_ids.astype(np.int64),
        votes=matrix,
    )


def vote_matrix_from_dense(
    dense: ArrayLike,
    participant_ids: ArrayLike | None = None,
    statement_ids: ArrayLike | None = None,
) -> VoteMatrix:
    """Build the vote matrix from a dense array with ``nan`` for "not voted".

    Parameters
    ----------
    dense : array_like of float, shape (n_participants, n_statements)
        Entries in {-1, 0, 1} or ``nan``.
    participant_ids, statement_ids : array_like of int, optional
        Row and column labels, distinct; default ``0..n-1``.

    Returns
    -------
    VoteMatrix
        Rows and columns sorted by id.
    """
    arr = np.asarray(dense, dtype=np.float64)
    if arr.ndim != 2:
        raise OpinionInputError(f"dense must be two-dimensional, got shape {arr.shape}")
    n, m = arr.shape
    pids = np.arange(n) if participant_ids is None else _as_int_ids(participant_ids, "ids")
    tids = np.arange(m) if statement_ids is None else _as_int_ids(statement_ids, "ids")
    if pids.size != n or tids.size != m:
        raise OpinionInputError(
            f"ids must match the shape {arr.shape}, got {pids.size} and {tids.size} labels"
        )
    if np.unique(pids).size != n or np.unique(tids).size != m:
        raise OpinionInputError("participant_ids and statement_ids must not repeat")
    rows, cols = np.nonzero(~np.isnan(arr))
    return vote_matrix_from_events(
        pids[rows],
        tids[cols],
        arr[rows, cols],
        all_participant_ids=pids,
        all_statement_ids=tids,
    )
