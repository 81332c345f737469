"""Pol.is export folders in and out of a territory's consultations.

* :func:`conversation_import_polis` reads a Pol.is export folder (``comments.csv``,
  ``votes.csv``, or only ``participants-votes.csv``; or a zip of it) with the pure reader
  :func:`cocity.analytics.opinion.read_polis_export` and writes a new conversation with its
  statements, participants and latest votes in one transaction: all or nothing.
* :func:`conversation_export_polis` writes a conversation in the same format (and
  :func:`polis_zip` as a zip), with the groups of its latest stored map. Importing an export
  and exporting it again gives the same comments and the same latest votes.

Identity: Pol.is participant and comment ids become participant and statement *numbers*;
exports only ever carry those numbers, never user ids, usernames, tokens or Pol.is ``xid``
values (external ids are dropped on import).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.analytics.opinion import (
    PolisComments,
    PolisExport,
    PolisExportError,
    PolisVotes,
    participants_table,
    read_polis_export,
    vote_matrix_from_events,
    write_polis_export,
)
from cocity.analytics.opinion.polis_io import polis_datetime
from cocity.core.analytics_text import analytics_text
from cocity.core.services import activity_record
from cocity.engagement import selectors
from cocity.engagement.models import (
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from cocity.engagement.services import (
    conversation_create,
    opinion_recompute_request,
    statement_text_clean,
)
from cocity.engagement.services.conversations import _conversation_url
from cocity.programme.models import Challenge
from cocity.territories.models import Territory

POLIS_FILES = ("summary.csv", "comments.csv", "votes.csv", "participants-votes.csv")
ZIP_MAX_BYTES = 200 * 1024 * 1024
"""Largest uncompressed export read from a zip (vTaiwan's UberX export is 3 MB)."""
ZIP_MAX_MEMBERS = 50
BATCH = 5000
MODERATION = {1: StatementStatus.ACCEPTED, 0: StatementStatus.PENDING, -1: StatementStatus.REJECTED}


@dataclass(frozen=True)
class ImportSummary:
    conversation: Conversation
    participants: int
    statements: int
    votes: int


def _error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def polis_problem(exc: PolisExportError) -> str:
    """What is wrong with a Pol.is export, in the reader's language."""
    if not exc.template:
        return str(exc)
    problem = analytics_text(exc.template, exc.params, exc.template % exc.params)
    if exc.line is not None:
        return _("%(file)s line %(line)s: %(problem)s") % {
            "file": exc.file,
            "line": exc.line,
            "problem": problem,
        }
    if exc.file:
        return _("%(file)s: %(problem)s") % {"file": exc.file, "problem": problem}
    return problem


# --- Reading ----------------------------------------------------------------------------------


def polis_folder_from_zip(data: bytes, into: Path) -> Path:
    """Write the Pol.is files of a zip (at its root or in one folder) into ``into``.

    Only the four Pol.is file names are read, by name, never extracted by path, so a zip
    cannot write outside ``into``. Raises ``ValidationError`` for a bad or oversized zip.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _error(_("This file is not a zip archive.")) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > ZIP_MAX_MEMBERS:
            raise _error(_("The zip holds too many files to be a Pol.is export."))
        if sum(m.file_size for m in members) > ZIP_MAX_BYTES:
            raise _error(_("The zip is too large once unpacked."))
        folders: dict[str, dict[str, zipfile.ZipInfo]] = {}
        for member in members:
            path = PurePosixPath(member.filename)
            if path.name in POLIS_FILES and not path.name.startswith("."):
                folders.setdefault(str(path.parent), {})[path.name] = member
        exports = {
            folder: files
            for folder, files in folders.items()
            if "votes.csv" in files or "participants-votes.csv" in files
        }
        if not exports:
            raise _error(
                _("The zip holds no votes.csv or participants-votes.csv: not a Pol.is export.")
            )
        if len(exports) > 1:
            raise _error(_("The zip holds several exports; upload one at a time."))
        (files,) = exports.values()
        into.mkdir(parents=True, exist_ok=True)
        for name, member in files.items():
            try:
                (into / name).write_bytes(archive.read(member))
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
                raise _error(
                    _("%(name)s cannot be read from the zip (%(reason)s).")
                    % {"name": name, "reason": exc}
                ) from None
    return into


def _read(folder: Path) -> PolisExport:
    try:
        return read_polis_export(folder)
    except PolisExportError as exc:
        raise _error(polis_problem(exc)) from None


# --- Import -----------------------------------------------------------------------------------


def _latest_vote_times(export: PolisExport, voters: np.ndarray, comments: np.ndarray) -> np.ndarray:
    """The time (ms) of each matrix cell's latest vote, from ``votes.csv`` (0 without it)."""
    times = np.zeros(voters.size, dtype=np.int64)
    if export.votes is None or voters.size == 0:
        return times
    v = export.votes
    span = int(max(comments.max(), v.comment_ids.max())) + 1
    cells = v.voter_ids * span + v.comment_ids
    order = np.lexsort((v.timestamps, cells))
    last = np.ones(order.size, dtype=bool)
    last[:-1] = cells[order][1:] != cells[order][:-1]
    latest_cells, latest_times = cells[order][last], v.timestamps[order][last]
    wanted = voters * span + comments
    pos = np.searchsorted(latest_cells, wanted)
    pos = np.minimum(pos, latest_cells.size - 1)
    found = latest_cells[pos] == wanted
    times[found] = latest_times[pos[found]]
    return times


def _when(ms: int, fallback: Any) -> Any:
    if ms <= 0:
        return fallback
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def _statements_of(export: PolisExport, matrix_ids: np.ndarray, now: Any) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    c = export.comments
    if c is not None:
        for i, cid in enumerate(c.comment_ids.tolist()):
            try:
                text = statement_text_clean(c.bodies[i], keep_layout=True)
            except ValidationError as exc:
                raise _error(
                    _("comments.csv, comment-id %(id)s: %(error)s")
                    % {"id": cid, "error": " ".join(exc.messages)}
                ) from None
            rows[cid] = {
                "text": text,
                "author": int(c.author_ids[i]),
                "status": MODERATION[int(c.moderated[i])],
                "created": _when(int(c.timestamps[i]), now),
            }
    for cid in matrix_ids.tolist():
        rows.setdefault(
            cid,
            {
                "text": _("Pol.is comment %(id)s (its text was not in the export)") % {"id": cid},
                "author": -1,
                "status": StatementStatus.ACCEPTED,
                "created": now,
            },
        )
    return [{"number": cid, **rows[cid]} for cid in sorted(rows)]


@transaction.atomic
def conversation_import_polis(
    *,
    territory: Territory,
    actor: Any,
    folder: Path | None = None,
    zip_data: bytes | None = None,
    title: str = "",
    question: str = "",
    challenge: Challenge | None = None,
    status: str = ConversationStatus.CLOSED,
    is_public: bool = True,
) -> ImportSummary:
    """Import a Pol.is export (a folder, or the bytes of a zip of it) as a new conversation.

    All or nothing: a malformed file, a comment too long, anything wrong raises
    ``ValidationError`` (field ``file``, naming the file and the line or comment) and writes
    nothing. The title defaults to the export's topic. The opinion map is recomputed by the
    task right after.
    """
    if (folder is None) == (zip_data is None):
        raise ValueError("give either folder or zip_data")
    if zip_data is not None:
        with tempfile.TemporaryDirectory(prefix="cocity-polis-") as tmp:
            export = _read(polis_folder_from_zip(zip_data, Path(tmp)))
    else:
        export = _read(Path(folder))  # type: ignore[arg-type]
    try:
        matrix = export.vote_matrix()
    except PolisExportError as exc:
        raise _error(polis_problem(exc)) from None
    now = timezone.now()
    statements = _statements_of(export, matrix.statement_ids, now)
    topic = (export.summary_value("topic") or "").strip()
    conversation = conversation_create(
        territory=territory,
        actor=actor,
        title=(title.strip() or topic or _("Imported Pol.is conversation"))[:200],
        question=question.strip() or (export.summary_value("conversation-description") or ""),
        challenge=challenge,
        status=status,
        is_public=is_public,
        allow_statements=True,
    )

    # Participants: everyone listed anywhere (votes, the participants table, authors).
    rows = np.repeat(np.arange(matrix.shape[0]), matrix.votes_per_participant())
    voters = matrix.participant_ids[rows]
    cids = matrix.statement_ids[matrix.votes.indices]
    times = _latest_vote_times(export, voters, cids)
    authors = np.array([s["author"] for s in statements if s["author"] >= 0], dtype=np.int64)
    numbers = np.union1d(matrix.participant_ids, authors)
    first_vote: dict[int, int] = {}
    if times.size:
        order = np.lexsort((times, voters))
        uniq, first = np.unique(voters[order], return_index=True)
        first_vote = dict(zip(uniq.tolist(), times[order][first].tolist(), strict=True))
    created = Participant.objects.bulk_create(
        [
            Participant(
                conversation=conversation,
                number=int(n),
                created_at=_when(first_vote.get(int(n), 0), now),
            )
            for n in numbers.tolist()
        ],
        batch_size=BATCH,
    )
    participant_pk = {p.number: p.pk for p in created}
    if any(pk is None for pk in participant_pk.values()):  # a backend that returns no ids
        participant_pk = dict(
            Participant.objects.filter(conversation=conversation).values_list("number", "pk")
        )

    made = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                number=s["number"],
                text=s["text"],
                author_id=participant_pk.get(s["author"]),
                status=s["status"],
                moderation_reason=_("Moderated out in Pol.is.")
                if s["status"] == StatementStatus.REJECTED
                else "",
                moderated_at=None if s["status"] == StatementStatus.PENDING else now,
                created_at=s["created"],
            )
            for s in statements
        ],
        batch_size=BATCH,
    )
    statement_pk = {s.number: s.pk for s in made}
    if any(pk is None for pk in statement_pk.values()):
        statement_pk = dict(
            Statement.objects.filter(conversation=conversation).values_list("number", "pk")
        )

    values = matrix.votes.data.astype(np.int64)
    Vote.objects.bulk_create(
        (
            Vote(
                conversation_id=conversation.pk,
                participant_id=participant_pk[p],
                statement_id=statement_pk[c],
                value=v,
                updated_at=_when(t, now),
            )
            for p, c, v, t in zip(
                voters.tolist(), cids.tolist(), values.tolist(), times.tolist(), strict=True
            )
        ),
        batch_size=BATCH,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        next_statement_number=max(statement_pk, default=-1) + 1,
        next_participant_number=int(numbers.max(initial=-1)) + 1,
    )
    activity_record(
        territory=territory,
        actor=actor,
        verb="conversation_imported",
        sentence=lambda: (
            _("Consultation imported from Pol.is: %(title)s") % {"title": conversation.title}
        ),
        url=_conversation_url(conversation),
        is_public=is_public and status != ConversationStatus.DRAFT,
    )
    opinion_recompute_request(conversation_id=conversation.pk, delay=0)
    conversation.refresh_from_db()
    return ImportSummary(
        conversation=conversation,
        participants=int(numbers.size),
        statements=len(statements),
        votes=int(values.size),
    )


# --- Export -----------------------------------------------------------------------------------


def _ms(when: dt.datetime) -> int:
    return round(when.timestamp() * 1000)


def conversation_export_polis(*, conversation: Conversation) -> PolisExport:
    """The conversation as a Pol.is export (summary, comments, votes, participants-votes).

    Latest votes only (one row per participant and statement), revoked participants left
    out; groups from the latest stored opinion map. Ids are statement and participant numbers.
    """
    arrays = selectors.vote_arrays(conversation=conversation)
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("number")
        .values_list(
            "number", "text", "author__number", "author__revoked_at", "status", "created_at"
        )
    )
    vote_rows = list(
        Vote.objects.filter(conversation=conversation, participant__revoked_at__isnull=True)
        .order_by("updated_at", "participant__number", "statement__number")
        .values_list("updated_at", "statement__number", "participant__number", "value")
    )
    ts = np.array([_ms(r[0]) for r in vote_rows], dtype=np.int64)
    tids = np.array([r[1] for r in vote_rows], dtype=np.int64)
    pids = np.array([r[2] for r in vote_rows], dtype=np.int64)
    vals = np.array([r[3] for r in vote_rows], dtype=np.int64)
    matrix = vote_matrix_from_events(
        pids,
        tids,
        vals,
        ts,
        all_statement_ids=arrays.statement_numbers,  # rows: participants who voted, as Pol.is
    )
    dense = matrix.to_dense()
    moderated: dict[str, int] = {str(v): k for k, v in MODERATION.items()}
    c_ts = np.array([_ms(s[5]) for s in statements], dtype=np.int64)
    authors = np.array(
        [-1 if s[2] is None or s[3] is not None else s[2] for s in statements], dtype=np.int64
    )
    cols = matrix.statement_index([s[0] for s in statements])
    comments = PolisComments(
        comment_ids=np.array([s[0] for s in statements], dtype=np.int64),
        author_ids=authors,
        timestamps=c_ts,
        datetimes=tuple(polis_datetime(int(t)) for t in c_ts),
        agrees=(dense == 1).sum(axis=0).astype(np.int64)[cols],
        disagrees=(dense == -1).sum(axis=0).astype(np.int64)[cols],
        moderated=np.array([moderated[s[4]] for s in statements], dtype=np.int64),
        bodies=tuple(s[1] for s in statements),
    )
    votes = PolisVotes(
        timestamps=ts,
        datetimes=tuple(polis_datetime(int(t)) for t in ts),
        comment_ids=tids,
        voter_ids=pids,
        votes=vals,
    )
    labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    result = selectors.result_latest(conversation=conversation)
    n_groups, in_conv = 0, 0
    if result is not None:
        people = result.payload.get("participants", [])
        ids = np.array([p["id"] for p in people], dtype=np.int64)
        groups = np.array([-1 if p["group"] is None else p["group"] for p in people], np.int64)
        rows = matrix.participant_index(ids)
        labels[rows[rows >= 0]] = groups[rows >= 0]
        n_groups = int(result.payload.get("n_groups", 0))
        in_conv = int(result.payload.get("n_in_conv", 0))
    table = participants_table(matrix, labels, comments)
    summary = (
        ("topic", conversation.title),
        ("url", _conversation_url(conversation)),
        ("voters", str(int((matrix.votes_per_participant() > 0).sum()))),
        ("voters-in-conv", str(in_conv)),
        ("commenters", str(int(np.unique(authors[authors >= 0]).size))),
        ("comments", str(len(statements))),
        ("groups", str(n_groups)),
        ("conversation-description", conversation.question),
    )
    return PolisExport(summary=summary, comments=comments, votes=votes, participants=table)


def polis_export_write(*, conversation: Conversation, folder: Path) -> None:
    write_polis_export(folder, conversation_export_polis(conversation=conversation))


def polis_zip(*, conversation: Conversation) -> bytes:
    """The Pol.is export of ``conversation`` as the bytes of a zip (files at its root)."""
    export = conversation_export_polis(conversation=conversation)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="cocity-polis-") as tmp:
        write_polis_export(tmp, export)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in POLIS_FILES:
                path = Path(tmp) / name
                if path.exists():
                    archive.write(path, arcname=name)
    return buffer.getvalue()
