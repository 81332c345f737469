"""Pol.is export folders: read, write back byte for byte, build from cocity data, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocity.analytics.opinion import (
    PolisExportError,
    export_with_groups,
    opinion_map,
    polis_export_from_votes,
    read_polis_export,
    write_polis_export,
)
from cocity.analytics.tests.realdata import real_data

FILES = ("summary.csv", "comments.csv", "votes.csv", "participants-votes.csv")


def polis_dir() -> Path:
    return real_data("polis")


SMALL = {
    "summary.csv": "topic,Buses\ngroups,2\n",
    "comments.csv": (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        '1000,Mon,0,1,1,1,1,"More buses, please"\n'
        "2000,Mon,1,2,0,1,-1,Spam\n"
    ),
    "votes.csv": (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1500,Mon,0,1,1\n"
        "1600,Mon,0,2,-1\n"
        "1700,Mon,0,2,1\n"
        "1400,Mon,0,2,0\n"
        "2500,Mon,1,1,-1\n"
    ),
    "participants-votes.csv": (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
        "1,0,1,2,1,1,1,-1\n"
        "2,,1,1,1,0,1,\n"
    ),
}


def write_folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_read_small_export(tmp_path: Path) -> None:
    export = read_polis_export(write_folder(tmp_path / "x", SMALL))
    assert export.summary_value("topic") == "Buses"
    assert export.comments is not None and export.comments.bodies[0] == "More buses, please"
    assert export.moderated_out_ids().tolist() == [1]
    m = export.vote_matrix()
    # Participant 2's latest vote on comment 0 is the one at t=1700 (agree).
    assert m.to_dense().tolist()[1][0] == 1.0
    ids, groups = export.polis_groups()
    assert ids.tolist() == [1, 2] and groups.tolist() == [0, -1]


def test_participants_votes_alone_gives_the_same_matrix(tmp_path: Path) -> None:
    full = read_polis_export(write_folder(tmp_path / "full", SMALL))
    only = {k: v for k, v in SMALL.items() if k == "participants-votes.csv"}
    alone = read_polis_export(write_folder(tmp_path / "alone", only))
    np.testing.assert_array_equal(alone.vote_matrix().to_dense(), full.vote_matrix().to_dense())


def test_small_export_round_trips_byte_for_byte(tmp_path: Path) -> None:
    export = read_polis_export(write_folder(tmp_path / "in", SMALL))
    write_polis_export(tmp_path / "out", export)
    for name in FILES:
        assert (tmp_path / "out" / name).read_text() == SMALL[name], name


@pytest.mark.realdata
def test_real_exports_round_trip_byte_for_byte(tmp_path: Path) -> None:
    for folder in sorted(polis_dir().iterdir()):
        write_polis_export(tmp_path / folder.name, read_polis_export(folder))
        for name in FILES:
            original = (folder / name).read_bytes()
            assert (tmp_path / folder.name / name).read_bytes() == original, (folder.name, name)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,2\n", "line 2: vote 2"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id\n1,x,0,1\n", "missing column"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,a,1\n", "voter-id 'a'"),
        ("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0\n", "3 fields"),
        ("votes.csv", "", "empty"),
        (
            "participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,0,1,1,0,5\n",
            "line 2: vote '5' on comment 0",
        ),
        (
            "participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,0,1,1,0,1\n"
            "1,,0,1,1,0,1\n",
            "line 3: participant 1 appears twice",
        ),
        (
            "participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,color\n1,,0,0,0,0,x\n",
            "unexpected column",
        ),
    ],
)
def test_malformed_files_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    write_folder(tmp_path, {name: text})
    with pytest.raises(PolisExportError, match=message) as caught:
        read_polis_export(tmp_path)
    assert name in str(caught.value)


def test_comments_errors(tmp_path: Path) -> None:
    bad = SMALL["comments.csv"].replace(",-1,Spam", ",7,Spam")
    write_folder(tmp_path, {**SMALL, "comments.csv": bad})
    with pytest.raises(PolisExportError, match=r"comments\.csv line 3: moderated 7"):
        read_polis_export(tmp_path)


def test_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(PolisExportError, match="not a folder"):
        read_polis_export(tmp_path / "missing")
    write_folder(tmp_path, {"summary.csv": "topic,x\n"})
    with pytest.raises(PolisExportError, match=r"not a Pol\.is export"):
        read_polis_export(tmp_path)
    (tmp_path / "votes.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PolisExportError, match="not UTF-8"):
        read_polis_export(tmp_path)


def test_export_with_cocity_groups(tmp_path: Path) -> None:
    export = read_polis_export(write_folder(tmp_path / "in", SMALL))
    result = opinion_map(export.vote_matrix(), moderated_statement_ids=export.moderated_out_ids())
    out = export_with_groups(export, result.group_labels, result.participant_ids, result.n_groups)
    write_polis_export(tmp_path / "out", out)
    again = read_polis_export(tmp_path / "out")
    assert again.summary_value("groups") == str(result.n_groups)
    assert again.summary_value("topic") == "Buses"
    ids, groups = again.polis_groups()
    np.testing.assert_array_equal(
        groups, result.group_labels[np.searchsorted(result.participant_ids, ids)]
    )
    np.testing.assert_array_equal(again.vote_matrix().to_dense(), export.vote_matrix().to_dense())
    assert again.participants is not None and again.participants.n_comments.tolist() == [1, 1]


vote_events = st.lists(
    st.tuples(
        st.integers(0, 5), st.integers(0, 4), st.sampled_from([-1, 0, 1]), st.integers(0, 10**6)
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(vote_events, st.sets(st.integers(0, 4), max_size=2))
def test_cocity_votes_round_trip_through_polis_format(
    tmp_path: Path, events: list[tuple[int, int, int, int]], moderated: set[int]
) -> None:
    p, s, v, t = (np.array(col) for col in zip(*events, strict=True))
    bodies = {i: f'statement {i}, with "quotes"\nand a newline' for i in range(5)}
    export = polis_export_from_votes(
        p, s, v, t * 1000, comment_bodies=bodies, moderated_out_ids=sorted(moderated), topic="t"
    )
    folder = tmp_path / f"rt{abs(hash((tuple(events), tuple(moderated))))}"
    write_polis_export(folder, export)
    again = read_polis_export(folder)
    np.testing.assert_array_equal(again.vote_matrix().to_dense(), export.vote_matrix().to_dense())
    assert again.comments is not None and again.comments.bodies == export.comments.bodies
    assert sorted(again.moderated_out_ids().tolist()) == sorted(moderated)
    write_polis_export(folder / "twice", again)
    for name in FILES:
        assert (folder / "twice" / name).read_bytes() == (folder / name).read_bytes()
