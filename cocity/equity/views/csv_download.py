"""CSV files streamed as downloads."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase


def _csv_response(rows: Iterator[list[Any]], filename: str) -> HttpResponseBase:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo(), lineterminator="\r\n")

    def lines() -> Iterator[bytes]:
        yield "\ufeff".encode()
        for row in rows:
            yield writer.writerow(row).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
