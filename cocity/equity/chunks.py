"""The stored form of a chunk of points: numpy columns in one compressed ``.npz`` archive.

Coordinates are kept as float64, exactly as read, so that an assignment made again from the
stored points is the one made at import. Archives are read with ``allow_pickle=False``: a
stored chunk can only ever hold plain arrays.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class ChunkColumns:
    """The points of one chunk.

    ``type_codes`` index the batch's ``type_names``; ``area_ids`` are ``Area`` primary keys,
    0 for a point in no area; ``attributes`` has one column per name of the batch's
    ``attribute_names``, in that order (NaN where a point has no value).
    """

    lon: FloatArray
    lat: FloatArray
    type_codes: IntArray
    area_ids: IntArray
    attributes: FloatArray

    def __len__(self) -> int:
        return int(self.lon.shape[0])


def encode_chunk(columns: ChunkColumns) -> bytes:
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "lon": np.asarray(columns.lon, dtype=np.float64),
        "lat": np.asarray(columns.lat, dtype=np.float64),
        "type": np.asarray(columns.type_codes, dtype=np.uint16),
        "area": np.asarray(columns.area_ids, dtype=np.int64),
        "attributes": np.asarray(columns.attributes, dtype=np.float64),
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def decode_chunk(data: bytes | memoryview, attribute_names: Sequence[str]) -> ChunkColumns:
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as archive:
        lon = archive["lon"].astype(np.float64)
        n = lon.shape[0]
        attributes = archive["attributes"].astype(np.float64)
        if attributes.shape != (n, len(attribute_names)):
            attributes = attributes.reshape(n, len(attribute_names))
        return ChunkColumns(
            lon=lon,
            lat=archive["lat"].astype(np.float64),
            type_codes=archive["type"].astype(np.int64),
            area_ids=archive["area"].astype(np.int64),
            attributes=attributes,
        )


def with_areas(columns: ChunkColumns, area_ids: IntArray) -> ChunkColumns:
    """The same points with another area per point (after the areas changed)."""
    return ChunkColumns(
        lon=columns.lon,
        lat=columns.lat,
        type_codes=columns.type_codes,
        area_ids=np.asarray(area_ids, dtype=np.int64),
        attributes=columns.attributes,
    )
