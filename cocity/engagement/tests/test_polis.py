"""Pol.is exports in and out: real exports round-trip and give Pol.is's map; bad files save
nothing."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from cocity.analytics.opinion import opinion_map, read_polis_export
from cocity.engagement.analysis import SEED, opinion_result_compute
from cocity.engagement.models import Conversation, Participant, Statement, StatementStatus, Vote
from cocity.engagement.polis import (
    conversation_export_polis,
    conversation_import_polis,
    polis_export_write,
    polis_zip,
)

EXPORTS = (
    "london.youth.policing",
    "brexit-consensus",
    "15-per-hour-seattle",
    "canadian-electoral-reform",
    "scoop-hivemind.biodiversity",
    "vtaiwan.uberx",
)


def _triples(export: Any) -> set[tuple[int, int, int]]:
    matrix = export.vote_matrix()
    rows = np.repeat(matrix.participant_ids, matrix.votes_per_participant())
    cols = matrix.statement_ids[matrix.votes.indices]
    return set(
        zip(rows.tolist(), cols.tolist(), matrix.votes.data.astype(int).tolist(), strict=True)
    )


def _zip_of(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, arcname=prefix + path.name)
    return buffer.getvalue()


@pytest.mark.parametrize("name", EXPORTS)
def test_conversation_import_polis_then_export_round_trips(
    shared_data: Path, territory: Any, tmp_path: Path, name: str
) -> None:
    folder = shared_data / "polis" / name
    summary = conversation_import_polis(territory=territory, actor=None, folder=folder)
    original = read_polis_export(folder)
    out = tmp_path / "out"
    polis_export_write(conversation=summary.conversation, folder=out)
    again = read_polis_export(out)

    a, b = original.comments, again.comments
    assert a is not None and b is not None
    order = np.argsort(a.comment_ids)
    assert b.comment_ids.tolist() == a.comment_ids[order].tolist()
    assert list(b.bodies) == [a.bodies[i] for i in order]
    assert b.moderated.tolist() == a.moderated[order].tolist()
    assert b.author_ids.tolist() == a.author_ids[order].tolist()
    assert b.timestamps.tolist() == a.timestamps[order].tolist()
    assert _triples(again) == _triples(original)  # the same latest votes
    assert summary.votes == Vote.objects.filter(conversation=summary.conversation).count()
    assert again.summary_value("topic") == summary.conversation.title


@pytest.mark.parametrize("name", EXPORTS)
def test_opinion_result_compute_of_an_import_equals_the_map_of_the_folder(
    shared_data: Path, territory: Any, name: str
) -> None:
    folder = shared_data / "polis" / name
    conversation = conversation_import_polis(
        territory=territory, actor=None, folder=folder
    ).conversation
    stored = opinion_result_compute(conversation=conversation)
    export = read_polis_export(folder)
    direct = opinion_map(
        export.vote_matrix(), moderated_statement_ids=export.moderated_out_ids(), seed=SEED
    )
    people = stored.payload["participants"]
    assert [p["id"] for p in people] == direct.participant_ids.tolist()
    groups = [-1 if p["group"] is None else p["group"] for p in people]
    assert groups == direct.group_labels.tolist()
    assert stored.payload["n_groups"] == direct.n_groups
    assert stored.version == 1


def test_conversation_import_polis_from_a_zip_in_a_folder(
    shared_data: Path, territory: Any
) -> None:
    folder = shared_data / "polis" / "london.youth.policing"
    data = _zip_of(folder, prefix="london.youth.policing/")
    summary = conversation_import_polis(
        territory=territory, actor=None, zip_data=data, title="Youth"
    )
    assert summary.conversation.title == "Youth"
    assert (summary.participants, summary.statements) == (
        Participant.objects.filter(conversation=summary.conversation).count(),
        39,
    )
    # Moderated-out comments are kept as rejected statements; xids are not kept anywhere.
    assert (
        Statement.objects.filter(
            conversation=summary.conversation, status=StatementStatus.REJECTED
        ).count()
        == 3
    )


def test_conversation_import_polis_with_only_participants_votes(
    shared_data: Path, territory: Any, tmp_path: Path
) -> None:
    source = shared_data / "polis" / "brexit-consensus"
    shutil.copy(source / "participants-votes.csv", tmp_path / "participants-votes.csv")
    summary = conversation_import_polis(territory=territory, actor=None, folder=tmp_path)
    original = read_polis_export(source)
    exported = conversation_export_polis(conversation=summary.conversation)
    assert _triples(exported) == _triples(original)
    first = Statement.objects.filter(conversation=summary.conversation).first()
    assert "text was not in the export" in first.text


def _bad_folder(tmp_path: Path, shared_data: Path) -> Path:
    source = shared_data / "polis" / "london.youth.policing"
    for f in source.iterdir():
        shutil.copy(f, tmp_path / f.name)
    lines = (tmp_path / "votes.csv").read_text().splitlines()
    lines[41] = lines[41].rsplit(",", 1)[0] + ",7"  # a vote of 7 on line 42
    (tmp_path / "votes.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_conversation_import_polis_with_a_bad_line_names_it_and_saves_nothing(
    shared_data: Path, territory: Any, tmp_path: Path
) -> None:
    folder = _bad_folder(tmp_path, shared_data)
    with pytest.raises(ValidationError) as error:
        conversation_import_polis(territory=territory, actor=None, folder=folder)
    assert "votes.csv line 42" in error.value.message_dict["file"][0]
    assert not Conversation.objects.exists() and not Vote.objects.exists()


def test_conversation_import_polis_refuses_a_comment_too_long(
    shared_data: Path, territory: Any, tmp_path: Path
) -> None:
    folder = _bad_folder(tmp_path, shared_data)
    shutil.copy(shared_data / "polis" / "london.youth.policing" / "votes.csv", folder / "votes.csv")
    text = (folder / "comments.csv").read_text().splitlines()
    text[1] = text[1].replace("Eliminate bias", "x" * 500)
    (folder / "comments.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(ValidationError) as error:
        conversation_import_polis(territory=territory, actor=None, folder=folder)
    assert "comment-id 35" in error.value.message_dict["file"][0]
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a zip archive"),
        (b"", "not a zip archive"),
    ],
)
def test_conversation_import_polis_refuses_what_is_not_a_zip(
    territory: Any, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        conversation_import_polis(territory=territory, actor=None, zip_data=data)
    assert message in error.value.message_dict["file"][0]


def test_conversation_import_polis_reads_zip_members_by_name_only(
    territory: Any, tmp_path: Path
) -> None:
    """A member named ../../votes.csv is read as votes.csv, never written outside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "../../votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n"
        )
        archive.writestr("notes.txt", "ignored")
    summary = conversation_import_polis(territory=territory, actor=None, zip_data=buffer.getvalue())
    assert summary.votes == 1
    assert not (tmp_path.parent / "votes.csv").exists()


def test_polis_zip_numbers_participants_and_never_exports_users(
    conversation: Conversation, users: Any
) -> None:
    from cocity.engagement import services

    member = services.participant_create(conversation=conversation, user=users["citizen"])
    member.conversation = conversation
    services.vote_cast(participant=member, statement_id=conversation.statements.first().pk, value=1)
    data = polis_zip(conversation=conversation)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        text = b"".join(archive.read(n) for n in names).decode()
    assert names == {"summary.csv", "comments.csv", "votes.csv", "participants-votes.csv"}
    assert users["citizen"].username not in text
    assert str(member.public_id) not in text and member.public_id.hex not in text
    votes = text.split("timestamp,datetime,comment-id,voter-id,vote\n")[1].splitlines()[0]
    assert votes.endswith(",0,0,1")  # comment 0, voter 0 (the first participant), agree
