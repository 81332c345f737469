from __future__ import annotations

import io
import os
import zipfile

import pytest

from cocity.dataio.parsers import (
    ParseError,
    column_letter,
    detect_format,
    read_table,
)
from cocity.dataio.tests.helpers import csv_bytes, xlsx_bytes

LIMITS = {"max_rows": 1000, "max_bytes": 10 * 1024 * 1024}


def read(data: bytes, fmt: str = "csv", **limits: int):  # type: ignore[no-untyped-def]
    return read_table(data, fmt, **{**LIMITS, **limits})


def test_read_table_csv_numbers_rows_as_the_spreadsheet_shows_them() -> None:
    data = b"Name, Sector ,Leader role\nAcme,industry,CEO\n\n\nBeta,public,\n"
    table = read(data)
    assert table.columns == ("name", "sector", "leader_role")
    assert [(r.number, r.values["name"]) for r in table.rows] == [(2, "Acme"), (5, "Beta")]
    assert table.rows[1].values["leader_role"] == ""


def test_read_table_csv_with_byte_order_mark_reads_the_first_column() -> None:
    table = read(csv_bytes(["name", "sector"], [["Å-huset", "public"]], bom=True))
    assert table.columns == ("name", "sector")
    assert table.rows[0].values["name"] == "Å-huset"


def test_read_table_csv_semicolon_separated_as_european_excel_saves_it() -> None:
    table = read("name;sector;clusters\nMalmö stad;public;ICT, Health\n".encode())
    assert table.rows[0].values == {
        "name": "Malmö stad",
        "sector": "public",
        "clusters": "ICT, Health",
    }


def test_read_table_csv_multiline_cell_keeps_row_numbers_of_records() -> None:
    data = b'name,description\nA,"line one\nline two"\nB,x\n'
    table = read(data)
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].values["description"] == "line one\nline two"


def test_read_table_latin1_file_says_it_is_not_utf8_and_where() -> None:
    data = "name,sector\nAcme,industry\nMalmö,public\n".encode("latin-1")
    with pytest.raises(ParseError) as error:
        read(data)
    assert "not UTF-8" in error.value.message
    assert "line 3" in error.value.message


def test_read_table_utf16_with_bom_is_read() -> None:
    data = "name\tsector\nGöteborg\tpublic\n".encode("utf-16")
    table = read(data)
    assert table.rows[0].values == {"name": "Göteborg", "sector": "public"}


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_read_table_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match="empty"):
        read(data)


def test_read_table_header_only_says_there_are_no_rows() -> None:
    with pytest.raises(ParseError, match="no rows"):
        read(b"name,sector\n,\n")


def test_read_table_over_size_limit_is_refused_before_reading() -> None:
    junk = os.urandom(10 * 1024 * 1024 + 1)
    with pytest.raises(ParseError, match="limit is 10 MB"):
        read(junk)


def test_read_table_random_bytes_under_the_limit_are_not_text() -> None:
    with pytest.raises(ParseError) as error:
        read(os.urandom(200_000))
    assert "UTF-8" in error.value.message or "binary" in error.value.message


def test_read_table_binary_with_nul_bytes_is_refused() -> None:
    with pytest.raises(ParseError, match="binary"):
        read(b"name,sector\nA\x00B,public\n")


def test_read_table_unclosed_quote_names_the_line() -> None:
    with pytest.raises(ParseError, match="line"):
        read(b'name,sector\n"Acme,industry\nB,public\n')


def test_read_table_too_many_rows_is_refused() -> None:
    data = csv_bytes(["name"], [[f"n{i}"] for i in range(11)])
    with pytest.raises(ParseError, match="more than 10 rows"):
        read(data, max_rows=10)


def test_read_table_duplicate_and_unnamed_columns_are_refused() -> None:
    with pytest.raises(ParseError, match="appears twice"):
        read(b"name,Name\nA,B\n")
    with pytest.raises(ParseError, match="Column B has no name"):
        read(b"name,,sector\nA,x,public\n")


def test_read_table_marks_values_beyond_the_last_column() -> None:
    table = read(b"name,sector,,\nA,public,,\nB,public,,extra\n")
    assert [r.overflow for r in table.rows] == [False, True]


def test_read_table_removes_the_formula_guard_of_exports() -> None:
    table = read(b"name,description\nA,'=1+1\nB,'plain\n")
    assert table.rows[0].values["description"] == "=1+1"
    assert table.rows[1].values["description"] == "'plain"


def test_read_table_xlsx_turns_cells_into_text() -> None:
    import datetime as dt

    data = xlsx_bytes(
        ["Name", "start_date", "value", "count"],
        [
            ["Acme", dt.date(2024, 3, 1), 1500.5, 3],
            [None, None, None, None],
            ["B", None, 2.0, None],
        ],
    )
    table = read(data, "xlsx")
    assert table.columns == ("name", "start_date", "value", "count")
    assert [r.number for r in table.rows] == [2, 4]
    assert table.rows[0].values == {
        "name": "Acme",
        "start_date": "2024-03-01",
        "value": "1500.5",
        "count": "3",
    }
    assert table.rows[1].values["value"] == "2"


def test_read_table_xlsx_junk_is_not_a_valid_workbook() -> None:
    with pytest.raises(ParseError, match="not a valid Excel"):
        read(b"PK\x03\x04" + os.urandom(5000), "xlsx")
    with pytest.raises(ParseError, match="not a valid Excel"):
        read(b"name,sector\nA,public\n", "xlsx")


def test_read_table_xlsx_zip_without_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ParseError, match="not a valid Excel"):
        read(out.getvalue(), "xlsx")


def test_detect_format_uses_name_then_content() -> None:
    assert detect_format("list.CSV", b"a,b") == "csv"
    assert detect_format("list.xlsx", b"PK\x03\x04...") == "xlsx"
    assert detect_format("upload", b"PK\x03\x04...") == "xlsx"
    assert detect_format("upload", b"name,sector") == "csv"
    assert detect_format("list.xlsx", b"a,b", "csv") == "csv"


def test_detect_format_refuses_old_excel_and_zip_named_csv() -> None:
    with pytest.raises(ParseError, match=r"\.xls"):
        detect_format("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
    with pytest.raises(ParseError, match="looks like an Excel"):
        detect_format("list.csv", b"PK\x03\x04rest")


def test_column_letter_names_columns_like_a_spreadsheet() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_xlsx_row_hint_is_the_row_count_the_workbook_declares() -> None:
    from cocity.dataio.parsers import xlsx_row_hint

    assert xlsx_row_hint(xlsx_bytes(["name"], [[f"n{i}"] for i in range(7)])) == 7
    assert xlsx_row_hint(b"PK\x03\x04 broken") is None
