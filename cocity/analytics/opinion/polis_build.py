"""Pol.is export tables built from cocity's own data (for :func:`write_polis_export`).

:func:`participants_table` makes Pol.is's ``participants-votes`` table from a vote matrix
and opinion groups; :func:`export_with_groups` swaps an export's groups for cocity's;
:func:`polis_export_from_votes` exports a cocity consultation in Pol.is's format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike

from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix, vote_matrix_from_events
from cocity.analytics.opinion.polis_io import (
    PolisComments,
    PolisExport,
    PolisParticipants,
    PolisVotes,
    polis_datetime,
)


def participants_table(
    matrix: VoteMatrix,
    group_labels: ArrayLike | None = None,
    comments: PolisComments | None = None,
) -> PolisParticipants:
    """Pol.is's ``participants-votes`` table for a vote matrix and (optional) groups.

    Parameters
    ----------
    matrix : VoteMatrix
    group_labels : array_like of int, shape (n_participants,), optional
        Opinion group of each row (``-1`` for none); default all ``-1``.
    comments : PolisComments, optional
        Used to count the comments each participant wrote (``n-comments``).

    Returns
    -------
    PolisParticipants
        Rows in participant-id order, columns in comment-id order.
    """
    n, _ = matrix.shape
    labels = (
        np.full(n, -1, dtype=np.int64)
        if group_labels is None
        else np.asarray(group_labels, dtype=np.int64)
    )
    if labels.shape != (n,):
        raise OpinionInputError(f"group_labels must have shape ({n},), got {labels.shape}")
    dense = matrix.to_dense()
    authored = np.zeros(n, dtype=np.int64)
    if comments is not None:
        rows = matrix.participant_index(comments.author_ids)
        np.add.at(authored, rows[rows >= 0], 1)
    return PolisParticipants(
        participant_ids=matrix.participant_ids,
        xids=None,
        group_ids=labels,
        n_comments=authored,
        n_votes=matrix.votes_per_participant(),
        n_agree=(dense == 1).sum(axis=1).astype(np.int64),
        n_disagree=(dense == -1).sum(axis=1).astype(np.int64),
        comment_ids=matrix.statement_ids,
        votes=dense,
    )


def export_with_groups(
    export: PolisExport,
    group_labels: ArrayLike,
    participant_ids: ArrayLike,
    n_groups: int,
    summary_updates: Mapping[str, str] | None = None,
) -> PolisExport:
    """The same export with ``participants-votes.csv`` rebuilt around new opinion groups.

    Parameters
    ----------
    export : PolisExport
    group_labels : array_like of int, shape (n,)
        Group of each of ``participant_ids`` (``-1`` for none), e.g. an
        :class:`~cocity.analytics.opinion.pipeline.OpinionMap`'s ``group_labels``.
    participant_ids : array_like of int, shape (n,)
    n_groups : int
        Written to ``summary.csv`` as ``groups``.
    summary_updates : mapping of str to str, optional
        Other summary keys to set.

    Returns
    -------
    PolisExport
    """
    matrix = export.vote_matrix()
    labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    ids = np.asarray(participant_ids, dtype=np.int64)
    given = np.asarray(group_labels, dtype=np.int64)
    if ids.shape != given.shape:
        raise OpinionInputError("participant_ids and group_labels must have the same length")
    rows = matrix.participant_index(ids)
    labels[rows[rows >= 0]] = given[rows >= 0]
    table = participants_table(matrix, labels, export.comments)
    if export.participants is not None and export.participants.xids is not None:
        old = dict(
            zip(export.participants.participant_ids.tolist(), export.participants.xids, strict=True)
        )
        table = replace(table, xids=tuple(old.get(int(p), "") for p in table.participant_ids))
    updates = {"groups": str(int(n_groups)), **(summary_updates or {})}
    summary = [(k, updates.pop(k, v)) for k, v in export.summary]
    summary += list(updates.items())
    return replace(export, summary=tuple(summary), participants=table)


def polis_export_from_votes(
    participant_ids: ArrayLike,
    statement_ids: ArrayLike,
    votes: ArrayLike,
    timestamps_ms: ArrayLike,
    *,
    comment_bodies: Mapping[int, str] | None = None,
    moderated_out_ids: ArrayLike = (),
    group_labels: ArrayLike | None = None,
    topic: str = "",
) -> PolisExport:
    """A Pol.is export of cocity's own vote events (e.g. a consultation).

    Parameters
    ----------
    participant_ids, statement_ids, votes, timestamps_ms : array_like, shape (n_events,)
        Vote events; timestamps in milliseconds since the epoch.
    comment_bodies : mapping of int to str, optional
        Statement texts by id.
    moderated_out_ids : array_like of int
        Statements written with ``moderated = -1`` (others ``1``).
    group_labels : array_like of int, optional
        Opinion group of each participant *in id order* (as in the vote matrix), or none.
    topic : str
        Written to ``summary.csv``.

    Returns
    -------
    PolisExport
        With ``summary.csv``, ``comments.csv``, ``votes.csv`` and
        ``participants-votes.csv``. Author ids are unknown (left empty).
    """
    ts = np.asarray(timestamps_ms, dtype=np.int64)
    matrix = vote_matrix_from_events(
        participant_ids,
        statement_ids,
        votes,
        ts,
        all_statement_ids=None if comment_bodies is None else list(comment_bodies),
    )
    order = np.argsort(ts, kind="stable")
    pids = np.asarray(participant_ids, dtype=np.int64)[order]
    tids = np.asarray(statement_ids, dtype=np.int64)[order]
    vals = np.asarray(votes, dtype=np.int64)[order]
    ts = ts[order]
    dense = matrix.to_dense()
    voted, first = np.unique(tids, return_index=True)
    out_ids = set(np.asarray(moderated_out_ids, dtype=np.int64).tolist())
    bodies = comment_bodies or {}
    cids = matrix.statement_ids
    # A comment's timestamp: its first vote (cocity keeps statement dates elsewhere).
    c_ts = np.zeros(cids.size, dtype=np.int64)
    pos = matrix.statement_index(voted)
    c_ts[pos] = ts[first]
    comments = PolisComments(
        comment_ids=cids,
        author_ids=np.full(cids.size, -1, dtype=np.int64),
        timestamps=c_ts,
        datetimes=tuple(polis_datetime(int(t)) for t in c_ts),
        agrees=(dense == 1).sum(axis=0).astype(np.int64),
        disagrees=(dense == -1).sum(axis=0).astype(np.int64),
        moderated=np.array([-1 if int(t) in out_ids else 1 for t in cids], dtype=np.int64),
        bodies=tuple(bodies.get(int(t), "") for t in cids),
    )
    vote_file = PolisVotes(
        timestamps=ts,
        datetimes=tuple(polis_datetime(int(t)) for t in ts),
        comment_ids=tids,
        voter_ids=pids,
        votes=vals,
    )
    labels = None if group_labels is None else np.asarray(group_labels, dtype=np.int64)
    table = participants_table(matrix, labels, None)
    n_groups = 0 if labels is None or labels.size == 0 else int(labels.max()) + 1
    summary = (
        ("topic", topic),
        ("voters", str(matrix.shape[0])),
        ("comments", str(cids.size)),
        ("groups", str(n_groups)),
    )
    return PolisExport(summary=summary, comments=comments, votes=vote_file, participants=table)
