"""The vote matrix: latest vote wins, passes kept apart from missing votes, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.opinion import (
    OpinionInputError,
    read_polis_export,
    vote_matrix_from_dense,
    vote_matrix_from_events,
)
from cocity.analytics.opinion.matrix import _compact
from cocity.analytics.tests.realdata import real_data


def polis_dir() -> Path:
    return real_data("polis")


def test_vote_matrix_latest_vote_wins_by_timestamp_then_position() -> None:
    # Hand-worked: participant 7 votes on statement 1 at t=20 (agree), then t=10 (disagree,
    # earlier) and twice at t=30 (pass, then disagree: the later line wins the tie).
    m = vote_matrix_from_events(
        [7, 7, 7, 7, 9], [1, 1, 1, 1, 2], [1, -1, 0, -1, 0], [20, 10, 30, 30, 5]
    )
    assert m.participant_ids.tolist() == [7, 9]
    assert m.statement_ids.tolist() == [1, 2]
    dense = m.to_dense()
    assert dense[0, 0] == -1
    assert np.isnan(dense[0, 1])
    assert dense[1, 1] == 0  # a pass is a vote, not a missing value
    assert m.n_votes == 2
    assert m.votes_per_participant().tolist() == [1, 1]


def test_vote_matrix_without_timestamps_keeps_the_last_line() -> None:
    m = vote_matrix_from_events([1, 1], [5, 5], [1, -1])
    assert m.to_dense().tolist() == [[-1.0]]


def test_vote_matrix_extra_ids_give_empty_rows_and_columns() -> None:
    m = vote_matrix_from_events([1], [5], [1], all_participant_ids=[3], all_statement_ids=[9, 5])
    assert m.participant_ids.tolist() == [1, 3]
    assert m.statement_ids.tolist() == [5, 9]
    assert m.votes_per_statement().tolist() == [1, 0]
    assert m.participant_index([3, 4]).tolist() == [1, -1]
    assert m.statement_index([9]).tolist() == [1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"participant_ids": [1, 2], "statement_ids": [1], "votes": [1, 1]}, "same length"),
        ({"participant_ids": [1], "statement_ids": [1], "votes": [2]}, "votes\\[0\\] = 2"),
        ({"participant_ids": [1.5], "statement_ids": [1], "votes": [1]}, "whole number"),
        ({"participant_ids": [np.nan], "statement_ids": [1], "votes": [1]}, "finite"),
        ({"participant_ids": ["a"], "statement_ids": [1], "votes": [1]}, "integers"),
        ({"participant_ids": [[1]], "statement_ids": [1], "votes": [1]}, "one-dimensional"),
        (
            {"participant_ids": [1], "statement_ids": [1], "votes": [1], "timestamps": [1, 2]},
            "timestamps must have shape",
        ),
        (
            {"participant_ids": [1], "statement_ids": [1], "votes": [1], "timestamps": [np.inf]},
            "timestamps\\[0\\]",
        ),
    ],
)
def test_vote_matrix_bad_input_says_what_and_where(kwargs: dict, message: str) -> None:
    with pytest.raises(OpinionInputError, match=message):
        vote_matrix_from_events(**kwargs)


def test_vote_matrix_empty_input_is_an_empty_matrix() -> None:
    m = vote_matrix_from_events([], [], [])
    assert m.shape == (0, 0)
    assert m.n_votes == 0


def test_compact_dense_and_sparse_ids_agree() -> None:
    dense_ids = np.array([5, 3, 5, 0], dtype=np.int64)
    labels, codes = _compact(dense_ids, np.array([9], dtype=np.int64))
    assert labels.tolist() == [0, 3, 5, 9]
    assert codes.tolist() == [2, 1, 2, 0]
    huge = dense_ids * 10**12 - 7  # negative and far apart: the sorting path
    labels, codes = _compact(huge, np.zeros(0, dtype=np.int64))
    assert labels.tolist() == sorted(set(huge.tolist()))
    assert labels[codes].tolist() == huge.tolist()


def test_vote_matrix_from_dense_round_trips() -> None:
    dense = np.array([[1, np.nan, 0], [np.nan, -1, np.nan]])
    m = vote_matrix_from_dense(dense, participant_ids=[10, 20], statement_ids=[1, 2, 3])
    np.testing.assert_array_equal(m.to_dense(), dense)
    swapped = vote_matrix_from_dense(dense, participant_ids=[20, 10])
    np.testing.assert_array_equal(swapped.to_dense(), dense[::-1])
    with pytest.raises(OpinionInputError, match="must not repeat"):
        vote_matrix_from_dense(dense, participant_ids=[10, 10])


events = st.lists(
    st.tuples(
        st.integers(0, 6),  # participant
        st.sampled_from([3, 100, 10**9]),  # statement (dense and sparse ids)
        st.sampled_from([-1, 0, 1]),
        st.integers(0, 5),  # timestamp, with ties
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(events)
def test_vote_matrix_matches_a_dictionary_replay(rows: list[tuple[int, int, int, int]]) -> None:
    # Reference: replay events in (timestamp, line) order into a dict; the last write wins.
    latest: dict[tuple[int, int], int] = {}
    for _, (p, s, v, _) in sorted(enumerate(rows), key=lambda item: (item[1][3], item[0])):
        latest[(p, s)] = v
    if rows:
        p, s, v, t = (list(col) for col in zip(*rows, strict=True))
    else:
        p, s, v, t = [], [], [], []
    m = vote_matrix_from_events(p, s, v, t)
    dense = m.to_dense()
    got = {
        (int(m.participant_ids[i]), int(m.statement_ids[j])): int(dense[i, j])
        for i, j in zip(*np.nonzero(~np.isnan(dense)), strict=True)
    }
    assert got == latest
    assert m.n_votes == len(latest)
    assert m.votes.has_sorted_indices
    # Float timestamps take the stable-argsort path: same result.
    as_float = vote_matrix_from_events(p, s, v, np.asarray(t, dtype=np.float64))
    np.testing.assert_array_equal(as_float.to_dense(), dense)


@pytest.mark.realdata
def test_vote_matrix_of_votes_csv_equals_polis_participants_table() -> None:
    # Reference: Pol.is's own participants-votes.csv holds each participant's latest vote.
    for folder in sorted(polis_dir().iterdir()):
        export = read_polis_export(folder)
        m = export.vote_matrix()
        table = export.participants
        assert table is not None and export.votes is not None
        rows = m.participant_index(table.participant_ids)
        cols = m.statement_index(table.comment_ids)
        ours = m.to_dense()[np.ix_(rows, cols)]
        np.testing.assert_array_equal(ours, table.votes, err_msg=folder.name)
