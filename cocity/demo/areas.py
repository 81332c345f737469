"""The demo city's neighbourhoods: a jittered grid of polygons with people and deprivation.

Pure numpy (no Django), so the geometry can be checked on its own. The grid's interior
vertices are moved at random by less than a quarter of a cell, and neighbouring cells share
their vertices, so the polygons stay simple, never overlap and tile the city without gaps.
Deprivation is spatially autocorrelated: the harbour and the old shipyard in the east and a
post-war estate in the north-west are more deprived, the old town in the centre-west less,
plus smoothed noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cocity.demo.names import DISTRICTS

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
JITTER = 0.22
"""Largest move of a grid vertex, as a share of a cell's side (below 0.25 keeps cells simple)."""


@dataclass(frozen=True, slots=True)
class AreaPlan:
    """One neighbourhood: GeoJSON polygon in WGS84, people, and its deprivation (1 = most)."""

    code: str
    name: str
    district: str
    row: int
    col: int
    geometry: dict[str, Any]
    population: int
    deprivation_rank: int
    deprivation_decile: int
    indicators: dict[str, Any] = field(default_factory=dict)


def _smoothed_noise(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Normal noise averaged over each cell's rook neighbourhood twice, rescaled to unit sd."""
    noise = rng.normal(size=(rows, cols))
    for _ in range(2):
        padded = np.pad(noise, 1, mode="edge")
        noise = (
            padded[1:-1, 1:-1]
            + padded[:-2, 1:-1]
            + padded[2:, 1:-1]
            + padded[1:-1, :-2]
            + padded[1:-1, 2:]
        ) / 5
    return np.asarray(noise / float(noise.std()))


def _district_of(x: float, y: float) -> str:
    best = min(DISTRICTS, key=lambda d: (d[1] - x) ** 2 + (d[2] - y) ** 2)
    return best[0]


def area_grid(
    rng: np.random.Generator,
    *,
    centre: tuple[float, float],
    rows: int = 10,
    cols: int = 10,
    width_km: float = 8.0,
    height_km: float = 7.0,
    people: int = 148_000,
    code_prefix: str = "NH",
) -> list[AreaPlan]:
    """``rows * cols`` areas covering ``width_km`` x ``height_km`` around ``centre`` (lon, lat).

    Rows run north to south and columns west to east; codes follow that order
    (``NH001`` is the north-west corner). Populations add up to about ``people``.
    """
    lon0, lat0 = centre
    # Vertices on the unit square; x east, y north. Outer vertices slide along the border only.
    xs = np.linspace(0.0, 1.0, cols + 1)
    ys = np.linspace(0.0, 1.0, rows + 1)
    vx = np.tile(xs, (rows + 1, 1))
    vy = np.tile(ys[:, None], (1, cols + 1))
    jitter_x = rng.uniform(-JITTER, JITTER, size=vx.shape) / cols
    jitter_y = rng.uniform(-JITTER, JITTER, size=vy.shape) / rows
    jitter_x[:, [0, -1]] = 0.0
    jitter_y[[0, -1], :] = 0.0
    vx = vx + jitter_x
    vy = vy + jitter_y
    lon = np.round(
        lon0
        + (vx - 0.5) * width_km / (KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))),
        6,
    )
    lat = np.round(lat0 + (vy - 0.5) * height_km / KM_PER_DEGREE_LAT, 6)

    # Cell centres, indexed [row from south, col from west].
    cx = (xs[:-1] + xs[1:]) / 2
    cy = (ys[:-1] + ys[1:]) / 2
    gx, gy = np.meshgrid(cx, cy)
    score = (
        1.8 * gx
        + 1.6 * np.exp(-((gx - 0.15) ** 2 + (gy - 0.85) ** 2) / 0.02)  # post-war estate, north-west
        + 0.7 * np.exp(-((gx - 0.85) ** 2 + (gy - 0.12) ** 2) / 0.04)  # the old shipyard
        - 0.9 * np.exp(-((gx - 0.40) ** 2 + (gy - 0.48) ** 2) / 0.03)  # the old town
        + 0.3 * _smoothed_noise(rng, rows, cols)
    )
    centrality = np.exp(-((gx - 0.45) ** 2 + (gy - 0.5) ** 2) / 0.12)
    raw_people = (0.75 + 0.5 * centrality) * rng.lognormal(0.0, 0.12, size=gx.shape)
    population = np.round(raw_people / raw_people.sum() * people, -1).astype(int)

    n = rows * cols
    # North-west first: flip rows so that index 0 is the northernmost row.
    order_rc = [(rows - 1 - r, c) for r in range(rows) for c in range(cols)]
    flat_score = np.array([score[r, c] for r, c in order_rc])
    ranking = np.argsort(-flat_score, kind="stable")
    rank = np.empty(n, dtype=int)
    rank[ranking] = np.arange(1, n + 1)
    decile = (rank - 1) * 10 // n + 1

    districts = [_district_of(float(gx[r, c]), float(gy[r, c])) for r, c in order_rc]
    seen: dict[str, int] = {}
    plans: list[AreaPlan] = []
    for i, (r, c) in enumerate(order_rc):
        ring = [
            [float(lon[r, c]), float(lat[r, c])],
            [float(lon[r, c + 1]), float(lat[r, c + 1])],
            [float(lon[r + 1, c + 1]), float(lat[r + 1, c + 1])],
            [float(lon[r + 1, c]), float(lat[r + 1, c])],
            [float(lon[r, c]), float(lat[r, c])],
        ]  # counter-clockwise, as RFC 7946 asks of exterior rings
        district = districts[i]
        seen[district] = seen.get(district, 0) + 1
        deprivation = float(flat_score[i])
        income = 420_000 - 95_000 * deprivation + rng.normal(0, 12_000)
        plans.append(
            AreaPlan(
                code=f"{code_prefix}{i + 1:03d}",
                name=f"{district} {seen[district]}",
                district=district,
                row=rows - 1 - r,
                col=c,
                geometry={"type": "Polygon", "coordinates": [ring]},
                population=int(population[r, c]),
                deprivation_rank=int(rank[i]),
                deprivation_decile=int(decile[i]),
                indicators={
                    "district": district,
                    "median_income_sek": int(round(max(income, 150_000), -3)),
                    "fixed_broadband_pct": round(
                        float(np.clip(97 - 6 * deprivation + rng.normal(0, 1.5), 60, 100)), 1
                    ),
                    "residents_over_65_pct": round(float(np.clip(18 + rng.normal(0, 4), 6, 35)), 1),
                },
            )
        )
    return plans
