"""Reading CSV and XLSX files into rows of strings, with the row numbers a spreadsheet shows.

A file either parses into a :class:`Table` or raises :class:`ParseError` with one message
that says what is wrong with the whole file and how to fix it. Problems with single rows are
left to the importers, so that every bad row can be reported at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The first bytes of a ZIP archive (XLSX) and of an OLE2 compound file (Excel 97-2003 .xls).
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An XLSX that would unpack to more than this is refused before openpyxl reads it (zip bombs).
MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COLUMNS = 100
# Characters that make a spreadsheet treat a cell as a formula; exports prefix them with "'".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_CSV_DELIMITERS = (",", ";", "\t")


class ParseError(Exception):
    """The whole file cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` as the spreadsheet shows it (header = 1), values by column."""

    number: int
    values: dict[str, str]
    overflow: bool = False  # non-empty cells to the right of the last named column


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


def normalise_column(name: str) -> str:
    """``" Leader role "`` → ``"leader_role"``: headers match whatever their case and spacing."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def unescape_cell(value: str) -> str:
    """Undo the ``'`` that exports put before formula characters, so exports round-trip."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def detect_format(file_name: str, data: bytes, requested: str = "") -> str:
    """``"csv"`` or ``"xlsx"``: the requested format, else the extension, else the content."""
    if requested:
        fmt = requested
    else:
        suffix = PurePath(file_name or "").suffix.lower()
        if suffix == ".xls" or data.startswith(OLE_MAGIC):
            raise ParseError(
                _(
                    "This is an old Excel 97-2003 (.xls) file. Open it in a spreadsheet and "
                    "save it as .xlsx or as CSV UTF-8."
                )
            )
        if suffix in {".xlsx", ".xlsm"}:
            fmt = "xlsx"
        elif suffix in {".csv", ".tsv", ".txt"}:
            fmt = "csv"
        else:
            fmt = "xlsx" if data.startswith(ZIP_MAGIC) else "csv"
    if fmt == "csv" and data.startswith(ZIP_MAGIC):
        raise ParseError(
            _("This looks like an Excel (XLSX) file, not CSV. Name it .xlsx or choose XLSX.")
        )
    if fmt not in {"csv", "xlsx"}:
        raise ParseError(_("Unknown file format “%(format)s”: use CSV or XLSX.") % {"format": fmt})
    return fmt


def read_table(data: bytes, fmt: str, *, max_rows: int, max_bytes: int) -> Table:
    """Parse ``data`` (CSV or XLSX) into a :class:`Table`; raise :class:`ParseError`."""
    if len(data) > max_bytes:
        raise ParseError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(len(data) / 1024 / 1024, 1),
                "limit": number_format(max_bytes / 1024 / 1024, 0),
            }
        )
    if not data.strip():
        raise ParseError(_("The file is empty."))
    records = _csv_records(data) if fmt == "csv" else _xlsx_records(data)
    return _table_from_records(records, max_rows=max_rows)


def xlsx_row_hint(data: bytes) -> int | None:
    """Data rows an XLSX file says it has (its ``dimension``), without reading the cells.

    Reading a large workbook takes far longer than a CSV of the same rows, so a web request
    uses this to hand big workbooks to a task at once. ``None`` when the file does not say or
    cannot be opened (the full parse then reports why).
    """
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                return None
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a broken file: let the full parse explain
        return None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        max_row = sheet.max_row if sheet is not None else None
        return max(0, int(max_row) - 1) if max_row else None
    finally:
        workbook.close()


def _table_from_records(records: Iterator[tuple[int, list[str]]], *, max_rows: int) -> Table:
    try:
        _number, header = next(records)
    except StopIteration:
        raise ParseError(_("The file is empty.")) from None
    while header and not header[-1].strip():
        header.pop()  # spreadsheets often carry empty cells after the last column
    if not header:
        raise ParseError(_("The first row must hold the column names; it is empty."))
    if len(header) > MAX_COLUMNS:
        raise ParseError(
            _("The first row has %(n)s columns; at most %(max)s are expected.")
            % {"n": len(header), "max": MAX_COLUMNS}
        )
    columns = tuple(normalise_column(h) for h in header)
    for position, name in enumerate(columns, start=1):
        if not name:
            raise ParseError(
                _("Column %(letter)s has no name in the first row.")
                % {"letter": column_letter(position)}
            )
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise ParseError(_("The column “%(name)s” appears twice.") % {"name": name})
        seen.add(name)

    rows: list[Row] = []
    width = len(columns)
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank lines, often at the end of a sheet
        if len(rows) >= max_rows:
            raise ParseError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": number_format(max_rows, force_grouping=True)}
            )
        values = {
            col: unescape_cell(cells[i].strip()) if i < len(cells) else ""
            for i, col in enumerate(columns)
        }
        overflow = any(c.strip() for c in cells[width:])
        rows.append(Row(number=number, values=values, overflow=overflow))
    if not rows:
        raise ParseError(_("The file has column names but no rows."))
    return Table(columns=columns, rows=rows)


def column_letter(position: int) -> str:
    """1 → A, 27 → AA, as spreadsheets name columns."""
    letters = ""
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- CSV -------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError(_("The file says it is UTF-16 text but is not.")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ParseError(
            _(
                "The file is not UTF-8 text (the first bad character is on line %(line)s). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise ParseError(_("This is not a text file: it holds binary data."))
    return text


def _delimiter(first_line: str) -> str:
    """The separator used in the header: comma, semicolon (European Excel) or tab."""
    counts = {d: first_line.count(d) for d in _CSV_DELIMITERS}
    best = max(_CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    record = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise ParseError(
                _("The CSV file cannot be read near line %(line)s: %(reason)s.")
                % {"line": reader.line_num, "reason": _csv_reason(e)}
            ) from None
        record += 1
        yield record, cells


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return _("a value is longer than %(n)s characters") % {
            "n": number_format(csv.field_size_limit(), force_grouping=True)
        }
    if "quote" in text or "EOF" in text or "delimiter" in text:
        return _("a quotation mark is not closed or is misplaced")
    return text


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    not_xlsx = _("This is not a valid Excel (XLSX) file. Save it again as .xlsx, or as CSV UTF-8.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ParseError(not_xlsx) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ParseError(_("The XLSX file unpacks to too much data; split it into smaller files."))

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a broken file
        raise ParseError(not_xlsx) from None
    try:
        if not workbook.worksheets:
            raise ParseError(_("The workbook has no sheets."))
        sheet = workbook.worksheets[0]
        rows: Iterable[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        try:
            for number, values in enumerate(rows, start=1):
                yield number, [_cell_text(v) for v in values[: MAX_COLUMNS + 1]]
        except ParseError:
            raise
        except Exception:  # a corrupt sheet fails while it is being read
            raise ParseError(not_xlsx) from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)
