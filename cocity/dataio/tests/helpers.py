"""Building import files in tests: CSV text and real XLSX workbooks."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

STAKEHOLDER_HEADER = (
    "name",
    "sector",
    "type",
    "description",
    "website",
    "leader_role",
    "clusters",
    "areas",
)


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], *, bom: bool = False) -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def stakeholder_rows(n: int, *, prefix: str = "Org") -> list[list[str]]:
    sectors = ["public", "Academia & research", "INDUSTRY", "civil", "citizens"]
    return [
        [f"{prefix} {i:05d}", sectors[i % 5], "other", f"About {i}", "", "", "", ""]
        for i in range(n)
    ]
