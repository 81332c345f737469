"""Turning an uploaded file into a file on disk that the analytics readers can open.

The readers take paths and pick the format from the suffix, so the upload is written to a
temporary file named for its format. A gzip upload is unpacked here, with a limit on the
unpacked size, so that a small file cannot unpack to fill the memory of a worker.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
DEFAULT_TASK_THRESHOLD_BYTES = 1024 * 1024


class UploadError(ValueError):
    """The upload as a whole cannot be read; the message says why, translated."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "COCITY_EQUITY_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "COCITY_EQUITY_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES))


def task_threshold_bytes() -> int:
    """Uploads larger than this are imported by a background task."""
    return int(
        getattr(settings, "COCITY_EQUITY_TASK_THRESHOLD_BYTES", DEFAULT_TASK_THRESHOLD_BYTES)
    )


def _megabytes(n: int) -> str:
    return number_format(n / 1024 / 1024, 1)


def _unpack(data: bytes) -> bytes:
    """Unpack every gzip member of ``data``, refusing to go past the size limit."""
    limit = max_unpacked_bytes()
    parts: list[bytes] = []
    size = 0
    rest = data
    while rest:
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = unpacker.decompress(rest, limit + 1 - size)
        except zlib.error:
            raise UploadError(
                _("The file looks compressed (gzip) but cannot be unpacked.")
            ) from None
        size += len(out)
        if size > limit or unpacker.unconsumed_tail:
            raise UploadError(
                _("The file unpacks to more than %(limit)s MB; split it into smaller files.")
                % {"limit": _megabytes(limit)}
            )
        if not unpacker.eof:
            raise UploadError(_("The compressed file is cut short; upload it again."))
        parts.append(out)
        rest = unpacker.unused_data
    return b"".join(parts)


def _suffix(name: str, head: bytes, allowed: tuple[str, ...]) -> str:
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    for suffix in allowed:
        if lowered.endswith(suffix):
            return suffix
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")) and (".geojson" in allowed or ".json" in allowed):
        return ".geojson"
    if ".csv" in allowed:
        return ".csv"
    return allowed[0]


@contextmanager
def upload_as_file(data: bytes, file_name: str, allowed: tuple[str, ...]) -> Iterator[Path]:
    """A temporary file holding ``data`` (unpacked when gzip), with a suffix of ``allowed``.

    A zip archive is kept whole as ``.zip`` where ``allowed`` has it (a zipped Shapefile).
    Raises :class:`UploadError` for an empty or broken gzip file, or a zip not allowed.
    """
    if not data:
        raise UploadError(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        if ".zip" not in allowed:
            raise UploadError(
                _(
                    "Zip archives cannot be read here: upload the GeoJSON or CSV file itself "
                    "(gzip-compressed files are accepted; zipped Shapefiles are for areas)."
                )
            )
        # The reader checks the archive (one Shapefile, its size unpacked) before reading.
        with tempfile.TemporaryDirectory(prefix="cocity-equity-") as folder:
            path = Path(folder) / "upload.zip"
            path.write_bytes(data)
            yield path
        return
    if data.startswith(GZIP_MAGIC):
        data = _unpack(data)
        if not data:
            raise UploadError(_("The file is empty."))
    suffix = _suffix(file_name, data[:64], allowed)
    with tempfile.TemporaryDirectory(prefix="cocity-equity-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        yield path
