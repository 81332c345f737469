"""Small files for equity tests: a row of square areas and points in them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from cocity.equity import services
from cocity.equity.models import EquityImport

LAT = 51.0
STEP = 0.01
# Four squares west to east: A1 is the most deprived, A4 the least.
ROW = (
    {"code": "A1", "name": "Harbour", "IMD_rank": 100, "IMD_decile": 1, "population": 1000},
    {"code": "A2", "name": "Docks", "IMD_rank": 400, "IMD_decile": 4, "population": 1000},
    {"code": "A3", "name": "Park", "IMD_rank": 700, "IMD_decile": 7, "population": 1000},
    {"code": "A4", "name": "Old Town", "IMD_rank": 1000, "IMD_decile": 10, "population": 1000},
)


def square(i: int, lat: float = LAT) -> dict[str, Any]:
    """The ``i``-th square from longitude 0, counter-clockwise."""
    x0, x1 = i * STEP, (i + 1) * STEP
    ring = [[x0, lat], [x1, lat], [x1, lat + STEP], [x0, lat + STEP], [x0, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def centre(i: int, dx: float = 0.0) -> tuple[float, float]:
    return (i + 0.5) * STEP + dx * STEP, LAT + STEP / 2


def feature_collection(
    features: Iterable[tuple[dict[str, Any], dict[str, Any] | None]], crs: str | None = None
) -> bytes:
    data: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": geometry}
            for props, geometry in features
        ],
    }
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data).encode()


def areas_file(rows: Sequence[dict[str, Any]] = ROW, **extra: Any) -> bytes:
    return feature_collection([({**row, **extra}, square(i)) for i, row in enumerate(rows)])


def points_csv(
    rows: Iterable[Sequence[Any]], header: Sequence[str] = ("lon", "lat", "type")
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def import_file(
    territory: Any, kind: str, data: bytes, name: str = "", **options: Any
) -> EquityImport:
    default = {"areas": "areas.geojson", "indicators": "indicators.csv", "assets": "assets.csv"}
    return services.equity_import_create(
        territory=territory,
        actor=None,
        kind=kind,
        file_name=name or default[kind],
        data=data,
        options=options,
        run="now",
    )


def counts_points(counts: Sequence[int], asset_type: str = "ev_charger") -> bytes:
    """``counts[i]`` points spread inside square ``i``."""
    rows = []
    for i, n in enumerate(counts):
        for k in range(n):
            lon, lat = centre(i, dx=(k % 7 - 3) * 0.1)
            rows.append([f"{lon:.6f}", f"{lat + (k // 7) * 0.0005:.6f}", asset_type])
    return points_csv(rows)
