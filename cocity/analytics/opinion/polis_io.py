"""Read and write Pol.is export folders (pure: files in, arrays out; no database).

A Pol.is export folder holds some of:

* ``summary.csv``: ``key,value`` rows (topic, url, voters, comments, groups, ...);
* ``comments.csv``: ``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,
  comment-body`` (``moderated``: 1 accepted, 0 not yet moderated, -1 moderated out);
* ``votes.csv``: ``timestamp,datetime,comment-id,voter-id,vote`` (1 agree, -1 disagree,
  0 pass); a (voter, comment) pair can repeat and the latest vote counts;
* ``participants-votes.csv``: one row per participant, ``participant[,xid],group-id,
  n-comments,n-votes,n-agree,n-disagree`` then one column per comment id (the latest vote,
  empty if none); ``group-id`` is empty for participants Pol.is did not group.

:func:`read_polis_export` accepts a folder with ``votes.csv`` or only
``participants-votes.csv``; :func:`write_polis_export` writes the files back in the same
format, so that reading what was written gives the same export (round trip).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cocity.analytics._i18n import gettext_noop
from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix, vote_matrix_from_events

COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COUNT_COLUMNS = ("n-comments", "n-votes", "n-agree", "n-disagree")


class PolisExportError(OpinionInputError):
    """A Pol.is export file is missing, malformed, or inconsistent (file and row named).

    ``file``, ``line``, ``template`` and ``params`` say the same for a page to put in the
    reader's language: the problem is ``template % params`` (see :mod:`cocity.analytics._i18n`).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        template: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.file, self.line, self.template = file, line, template
        self.params: dict[str, object] = dict(params or {})


def _fail(where: str, template: str, **params: object) -> PolisExportError:
    """The error for ``where`` (``"votes.csv line 7"``, a file or folder, or ``""``)."""
    problem = template % params
    file, sep, line = where.rpartition(" line ")
    if not (sep and line.isdigit()):
        file, line = where, ""
    return PolisExportError(
        f"{where}: {problem}" if where else problem,
        file=file,
        line=int(line) if line else None,
        template=template,
        params=params,
    )


@dataclass(frozen=True, slots=True, eq=False)
class PolisComments:
    """``comments.csv``: one entry per comment, in file order.

    ``timestamp`` is in milliseconds since the epoch; ``datetime`` is kept as written.
    """

    comment_ids: NDArray[np.int64]
    author_ids: NDArray[np.int64]
    timestamps: NDArray[np.int64]
    datetimes: tuple[str, ...]
    agrees: NDArray[np.int64]
    disagrees: NDArray[np.int64]
    moderated: NDArray[np.int64]
    bodies: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class PolisVotes:
    """``votes.csv``: vote events in file order (a pair may repeat; the latest counts)."""

    timestamps: NDArray[np.int64]
    datetimes: tuple[str, ...]
    comment_ids: NDArray[np.int64]
    voter_ids: NDArray[np.int64]
    votes: NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class PolisParticipants:
    """``participants-votes.csv``: one row per participant, in file order.

    Attributes
    ----------
    participant_ids : ndarray of int64, shape (n,)
    xids : tuple of str, or None
        External ids, when the file has an ``xid`` column.
    group_ids : ndarray of int64, shape (n,)
        Pol.is opinion group, ``-1`` where empty (not grouped).
    n_comments, n_votes, n_agree, n_disagree : ndarray of int64, shape (n,)
    comment_ids : ndarray of int64, shape (m,)
        The comment columns, in file order.
    votes : ndarray of float, shape (n, m)
        Latest vote, ``nan`` where empty.
    """

    participant_ids: NDArray[np.int64]
    xids: tuple[str, ...] | None
    group_ids: NDArray[np.int64]
    n_comments: NDArray[np.int64]
    n_votes: NDArray[np.int64]
    n_agree: NDArray[np.int64]
    n_disagree: NDArray[np.int64]
    comment_ids: NDArray[np.int64]
    votes: NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class PolisExport:
    """The files of one Pol.is export folder (``None`` for a file that is absent)."""

    summary: tuple[tuple[str, str], ...]
    comments: PolisComments | None
    votes: PolisVotes | None
    participants: PolisParticipants | None

    def summary_value(self, key: str) -> str | None:
        """The value of ``key`` in ``summary.csv``, or ``None``."""
        return next((v for k, v in self.summary if k == key), None)

    def moderated_out_ids(self) -> NDArray[np.int64]:
        """Comments moderated out (``moderated == -1``); empty without ``comments.csv``."""
        if self.comments is None:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(self.comments.comment_ids[self.comments.moderated == -1], np.int64)

    def vote_matrix(self) -> VoteMatrix:
        """The vote matrix: from ``votes.csv`` (latest vote wins) when present, else from
        ``participants-votes.csv``. Every participant and comment listed anywhere is a row
        or column, voted on or not."""
        extra_t = [] if self.comments is None else [self.comments.comment_ids]
        extra_p = []
        if self.participants is not None:
            extra_p.append(self.participants.participant_ids)
            extra_t.append(self.participants.comment_ids)
        all_t = np.concatenate(extra_t) if extra_t else None
        all_p = np.concatenate(extra_p) if extra_p else None
        if self.votes is not None:
            return vote_matrix_from_events(
                self.votes.voter_ids,
                self.votes.comment_ids,
                self.votes.votes,
                self.votes.timestamps,
                all_participant_ids=all_p,
                all_statement_ids=all_t,
            )
        if self.participants is None:
            raise _fail(
                "", gettext_noop("the export has neither votes.csv nor participants-votes.csv")
            )
        p = self.participants
        rows, cols = np.nonzero(~np.isnan(p.votes))
        return vote_matrix_from_events(
            p.participant_ids[rows],
            p.comment_ids[cols],
            p.votes[rows, cols],
            all_participant_ids=all_p,
            all_statement_ids=all_t,
        )

    def polis_groups(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Participant ids and Pol.is's group ids (``-1`` for not grouped)."""
        if self.participants is None:
            raise _fail("", gettext_noop("participants-votes.csv is needed for Pol.is's groups"))
        return self.participants.participant_ids, self.participants.group_ids


# -- reading -------------------------------------------------------------------------------


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            path.name, gettext_noop("not UTF-8 text (%(reason)s)"), reason=exc.reason
        ) from exc
    except OSError as exc:
        raise _fail(
            path.name, gettext_noop("cannot be read (%(reason)s)"), reason=exc.strerror
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise _fail(
            f"{path.name} line {reader.line_num}", gettext_noop("%(error)s"), error=str(exc)
        ) from exc


def _int(value: str, where: str, column: str, *, empty: int | None = None) -> int:
    text = value.strip()
    if text == "" and empty is not None:
        return empty
    try:
        number = float(text)
    except ValueError:
        raise _fail(
            where, gettext_noop("%(column)s %(value)r is not a number"), column=column, value=value
        ) from None
    if not np.isfinite(number) or number != int(number):
        raise _fail(
            where,
            gettext_noop("%(column)s %(value)r is not a whole number"),
            column=column,
            value=value,
        )
    return int(number)


def _ints(
    values: Sequence[str], where: Sequence[str], column: str, *, empty: int | None = None
) -> NDArray[np.int64]:
    """A column of whole numbers; fast when clean, cell by cell (to name the bad one) if not."""
    try:
        return np.asarray(values, dtype=np.str_).astype(np.int64)
    except ValueError:
        return np.array(
            [_int(v, w, column, empty=empty) for v, w in zip(values, where, strict=True)],
            dtype=np.int64,
        )


def _table(path: Path, expected: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        raise _fail(path.name, gettext_noop("the file is empty (no header)"))
    header = [h.strip() for h in first[1]]
    missing = [c for c in expected if c not in header]
    if missing:
        raise _fail(
            path.name, gettext_noop("missing column(s) %(columns)s"), columns=", ".join(missing)
        )
    out = []
    for line, row in rows:
        if not row or all(cell.strip() == "" for cell in row):
            continue
        if len(row) != len(header):
            raise _fail(
                f"{path.name} line {line}",
                gettext_noop("%(n)s fields, the header has %(header)s"),
                n=len(row),
                header=len(header),
            )
        out.append((f"{path.name} line {line}", dict(zip(header, row, strict=True))))
    return out


def _read_summary(path: Path) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line, row in _rows(path):
        if not row:
            continue
        if len(row) != 2:
            raise _fail(f"{path.name} line {line}", gettext_noop("expected key,value"))
        pairs.append((row[0], row[1]))
    return tuple(pairs)


def _read_comments(path: Path) -> PolisComments:
    rows = _table(path, COMMENTS_HEADER)
    where = [w for w, _ in rows]

    def column(name: str, empty: int | None = None) -> NDArray[np.int64]:
        return _ints([r[name] for _, r in rows], where, name, empty=empty)

    moderated = column("moderated")
    bad = np.flatnonzero(~np.isin(moderated, (-1, 0, 1)))
    if bad.size:
        raise _fail(
            where[bad[0]],
            gettext_noop("moderated %(value)s is not -1, 0 or 1"),
            value=int(moderated[bad[0]]),
        )
    ids = column("comment-id")
    _no_duplicates(ids, where, "comment-id")
    return PolisComments(
        comment_ids=ids,
        author_ids=column("author-id", empty=-1),
        timestamps=column("timestamp", empty=0),
        datetimes=tuple(r["datetime"] for _, r in rows),
        agrees=column("agrees", empty=0),
        disagrees=column("disagrees", empty=0),
        moderated=moderated,
        bodies=tuple(r["comment-body"] for _, r in rows),
    )


def _no_duplicates(ids: NDArray[np.int64], where: Sequence[str], column: str) -> None:
    _, first, counts = np.unique(ids, return_index=True, return_counts=True)
    if np.any(counts > 1):
        value = ids[first[int(np.flatnonzero(counts > 1)[0])]]
        again = np.flatnonzero(ids == value)[1]
        raise _fail(
            where[again],
            gettext_noop("%(column)s %(value)s appears twice"),
            column=column,
            value=int(value),
        )


def _read_votes(path: Path) -> PolisVotes:
    rows = _table(path, VOTES_HEADER)
    where = [w for w, _ in rows]

    def column(name: str) -> NDArray[np.int64]:
        return _ints([r[name] for _, r in rows], where, name)

    votes = column("vote")
    bad = np.flatnonzero((votes < -1) | (votes > 1))
    if bad.size:
        raise _fail(
            where[bad[0]],
            gettext_noop("vote %(value)s is not -1, 0 or 1"),
            value=int(votes[bad[0]]),
        )
    return PolisVotes(
        timestamps=column("timestamp"),
        datetimes=tuple(r["datetime"] for _, r in rows),
        comment_ids=column("comment-id"),
        voter_ids=column("voter-id"),
        votes=votes,
    )


def _read_participants(path: Path) -> PolisParticipants:
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        raise _fail(path.name, gettext_noop("the file is empty (no header)"))
    header = [h.strip() for h in first[1]]
    needed = ("participant", "group-id", *PARTICIPANT_COUNT_COLUMNS)
    missing = [c for c in needed if c not in header]
    if missing:
        raise _fail(
            path.name, gettext_noop("missing column(s) %(columns)s"), columns=", ".join(missing)
        )
    comment_cols = [i for i, h in enumerate(header) if h.lstrip("-").isdigit()]
    known = set(needed) | {"xid"}
    unknown = [h for i, h in enumerate(header) if i not in comment_cols and h not in known]
    if unknown:
        raise _fail(
            path.name, gettext_noop("unexpected column(s) %(columns)s"), columns=", ".join(unknown)
        )
    pos = {h: i for i, h in enumerate(header)}
    body: list[list[str]] = []
    lines: list[str] = []
    for line, row in rows:
        if not row or all(cell.strip() == "" for cell in row):
            continue
        lines.append(f"{path.name} line {line}")
        if len(row) != len(header):
            raise _fail(
                lines[-1],
                gettext_noop("%(n)s fields, the header has %(header)s"),
                n=len(row),
                header=len(header),
            )
        body.append(row)
    cells = np.asarray(body, dtype=np.str_).reshape(len(body), len(header))
    data = {
        c: _ints(cells[:, pos[c]].tolist(), lines, c, empty=-1 if c == "group-id" else None)
        for c in needed
    }
    votes = _vote_cells(cells[:, comment_cols], lines, [header[i] for i in comment_cols])
    ids = data["participant"]
    _no_duplicates(ids, lines, "participant")
    xids = tuple(cells[:, pos["xid"]].tolist()) if "xid" in pos else None
    return PolisParticipants(
        participant_ids=ids,
        xids=xids,
        group_ids=np.array(data["group-id"], dtype=np.int64),
        n_comments=np.array(data["n-comments"], dtype=np.int64),
        n_votes=np.array(data["n-votes"], dtype=np.int64),
        n_agree=np.array(data["n-agree"], dtype=np.int64),
        n_disagree=np.array(data["n-disagree"], dtype=np.int64),
        comment_ids=np.array([int(header[i]) for i in comment_cols], dtype=np.int64),
        votes=votes,
    )


def _vote_cells(
    cells: NDArray[np.str_], where: Sequence[str], columns: Sequence[str]
) -> NDArray[np.float64]:
    """The vote cells of ``participants-votes.csv``: -1, 0, 1, or empty for no vote."""
    stripped = np.char.strip(cells)
    try:
        votes = np.where(stripped == "", "nan", stripped).astype(np.float64)
    except ValueError:
        for (i, j), text in np.ndenumerate(stripped):
            try:
                float(text or "nan")
            except ValueError:
                raise _fail(
                    where[i],
                    gettext_noop("vote %(value)r on comment %(comment)s is not a number"),
                    value=text,
                    comment=columns[j],
                ) from None
        raise
    bad = ~np.isnan(votes) & ~np.isin(votes, (-1.0, 0.0, 1.0))
    if bad.any():
        i, j = (int(x[0]) for x in np.nonzero(bad))
        raise _fail(
            where[i],
            gettext_noop("vote %(value)r on comment %(comment)s is not -1, 0 or 1"),
            value=str(cells[i, j]),
            comment=columns[j],
        )
    return votes


def read_polis_export(folder: str | Path) -> PolisExport:
    """Read a Pol.is export folder.

    Parameters
    ----------
    folder : str or Path
        Holds ``votes.csv`` or ``participants-votes.csv`` (at least one), and optionally
        ``comments.csv`` and ``summary.csv``.

    Returns
    -------
    PolisExport

    Raises
    ------
    PolisExportError
        The folder is missing, has no vote file, or a file is malformed (file and line
        named).
    """
    root = Path(folder)
    if not root.is_dir():
        raise _fail(str(root), gettext_noop("not a folder"))
    files = {p.name for p in root.iterdir() if p.is_file()}
    if "votes.csv" not in files and "participants-votes.csv" not in files:
        raise _fail(
            str(root),
            gettext_noop("neither votes.csv nor participants-votes.csv: not a Pol.is export"),
        )
    return PolisExport(
        summary=_read_summary(root / "summary.csv") if "summary.csv" in files else (),
        comments=_read_comments(root / "comments.csv") if "comments.csv" in files else None,
        votes=_read_votes(root / "votes.csv") if "votes.csv" in files else None,
        participants=_read_participants(root / "participants-votes.csv")
        if "participants-votes.csv" in files
        else None,
    )


# -- writing -------------------------------------------------------------------------------


def polis_datetime(timestamp_ms: int) -> str:
    """Pol.is's ``datetime`` column for a timestamp, in UTC (e.g. ``Wed Jun 18 01:16:54 UTC
    2014``)."""
    when = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
    return when.strftime("%a %b %d %H:%M:%S UTC %Y")


def _write(path: Path, rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows(rows)


def _vote_text(value: float) -> str:
    return "" if np.isnan(value) else str(int(value))


def write_polis_export(folder: str | Path, export: PolisExport) -> None:
    """Write ``export`` as a Pol.is export folder (created if needed; files overwritten).

    Only the files present in ``export`` are written.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    if export.summary:
        _write(root / "summary.csv", export.summary)
    if export.comments is not None:
        c = export.comments
        _write(
            root / "comments.csv",
            [COMMENTS_HEADER]
            + [
                (
                    int(c.timestamps[i]),
                    c.datetimes[i],
                    int(c.comment_ids[i]),
                    "" if c.author_ids[i] < 0 else int(c.author_ids[i]),
                    int(c.agrees[i]),
                    int(c.disagrees[i]),
                    int(c.moderated[i]),
                    c.bodies[i],
                )
                for i in range(c.comment_ids.size)
            ],
        )
    if export.votes is not None:
        v = export.votes
        _write(
            root / "votes.csv",
            [VOTES_HEADER]
            + [
                (
                    int(v.timestamps[i]),
                    v.datetimes[i],
                    int(v.comment_ids[i]),
                    int(v.voter_ids[i]),
                    int(v.votes[i]),
                )
                for i in range(v.votes.size)
            ],
        )
    if export.participants is not None:
        p = export.participants
        head = ["participant"] + (["xid"] if p.xids is not None else []) + ["group-id"]
        header = head + list(PARTICIPANT_COUNT_COLUMNS) + [str(int(t)) for t in p.comment_ids]
        body = []
        for i in range(p.participant_ids.size):
            row: list[object] = [int(p.participant_ids[i])]
            if p.xids is not None:
                row.append(p.xids[i])
            row.append("" if p.group_ids[i] < 0 else int(p.group_ids[i]))
            row += [int(p.n_comments[i]), int(p.n_votes[i]), int(p.n_agree[i])]
            row.append(int(p.n_disagree[i]))
            row += [_vote_text(x) for x in p.votes[i]]
            body.append(row)
        _write(root / "participants-votes.csv", [header, *body])
