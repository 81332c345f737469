"""Demo equity data: digital assets placed the way commercial roll-outs place them, and results.

:func:`equity_demo_generate` gives a demo territory (one with areas that carry population and
deprivation, as ``cocity demo`` makes) five kinds of digital asset. Fibre-enabled premises, EV
chargers and public wifi follow the returns: each decile less deprived is more likely to get
one (the less deprived west of the demo city has more), which is the cherry-picking the
pages must find. Environmental sensors are spread by population, with no gradient; digital
kiosks were placed by the library service in the more deprived areas on purpose. A few
initiatives aimed at the harbour get allocations that favour their most deprived areas. The
files are imported through the same service as an upload, and the results are computed.

Deterministic: every draw comes from a numpy generator seeded with ``(seed, "equity")``.
"""

from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

import numpy as np
import shapely
from django.db import transaction

from cocity.equity import services
from cocity.equity.models import AssetKind, EquityImport, EquityResult, ImportKind, ImportStatus
from cocity.equity.spatial import territory_areas
from cocity.programme.models import Initiative
from cocity.territories.models import Territory

DEMO_FILE_PREFIX = "demo-"


@dataclass(frozen=True, slots=True)
class AssetPlan:
    """How many assets of a kind, and how strongly they favour the less deprived deciles.

    ``tilt`` is the log-odds per decile less deprived (0: by population only; negative:
    towards the more deprived).
    """

    kind: str
    count: int
    tilt: float
    attribute: str | None = None


PLANS = (
    AssetPlan(AssetKind.FIBRE_PREMISES, 2400, 0.30, "speed_mbps"),
    AssetPlan(AssetKind.EV_CHARGER, 70, 0.28, "power_kw"),
    AssetPlan(AssetKind.PUBLIC_WIFI, 90, 0.16),
    AssetPlan(AssetKind.SENSOR, 160, 0.0),
    AssetPlan(AssetKind.KIOSK, 14, -0.25),
)
ALLOCATED_INITIATIVES = 3


@dataclass(frozen=True, slots=True)
class EquityDemoSummary:
    assets: dict[str, int]
    allocations: int
    result: EquityResult


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(b"equity")])


def _points_in(rng: np.random.Generator, polygon: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` points uniformly inside ``polygon`` (rejection sampling in its bounding box)."""
    xmin, ymin, xmax, ymax = polygon.bounds
    found = np.zeros((0, 2))
    while found.shape[0] < n:
        batch = np.column_stack(
            [rng.uniform(xmin, xmax, 4 * n + 8), rng.uniform(ymin, ymax, 4 * n + 8)]
        )
        inside = shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])
        found = np.vstack([found, batch[inside]])
    return found[:n]


def _attribute(rng: np.random.Generator, plan: AssetPlan, decile: int) -> str:
    if plan.attribute == "speed_mbps":
        tiers = np.array([100, 250, 500, 1000])
        odds = np.exp(0.25 * (decile - 1) * np.array([0.0, 1.0, 2.0, 3.0]))
        return str(int(rng.choice(tiers, p=odds / odds.sum())))
    if plan.attribute == "power_kw":
        return str(int(rng.choice([7, 11, 22, 50, 150], p=[0.35, 0.2, 0.3, 0.1, 0.05])))
    return ""


def _asset_file(rng: np.random.Generator, plan: AssetPlan, areas: Any) -> bytes:
    rows = areas.rows
    population = np.array([float(a.population or 1) for a in rows])
    decile = np.array([float(a.deprivation_decile or 5) for a in rows])
    weights = population * np.exp(plan.tilt * (decile - 1))
    chosen = rng.choice(len(rows), size=plan.count, p=weights / weights.sum())
    counts = np.bincount(chosen, minlength=len(rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lon", "lat"] + ([plan.attribute] if plan.attribute else []))
    for i, n in enumerate(counts.tolist()):
        if not n:
            continue
        for lon, lat in _points_in(rng, areas.polygons[i], n):
            row = [f"{lon:.6f}", f"{lat:.6f}"]
            if plan.attribute:
                row.append(_attribute(rng, plan, int(decile[i])))
            writer.writerow(row)
    return out.getvalue().encode()


def _allocate(territory: Territory) -> int:
    """Allocations that put more of a budget where the need is, for a few initiatives."""
    chosen = 0
    initiatives = (
        Initiative.objects.filter(territory=territory, is_draft=False, budget__isnull=False)
        .prefetch_related("areas")
        .order_by("title")
    )
    for initiative in initiatives:
        areas = [a for a in initiative.areas.all() if a.deprivation_decile]
        if len(areas) < 3 or initiative.budget is None:
            continue
        need = np.array([11.0 - a.deprivation_decile for a in areas])  # type: ignore[operator]
        shares = need / need.sum()
        amounts = {
            area: (initiative.budget * Decimal(str(share))).quantize(
                Decimal("1"), rounding=ROUND_DOWN
            )
            for area, share in zip(areas, shares, strict=True)
        }
        services.investment_allocation_set(initiative=initiative, actor=None, amounts=amounts)
        chosen += 1
        if chosen == ALLOCATED_INITIATIVES:
            break
    return chosen


@transaction.atomic
def equity_demo_generate(*, territory: Territory, seed: int = 2026) -> EquityDemoSummary:
    """Give ``territory`` demo digital assets and allocations, and compute its equity results.

    Safe to repeat: the demo's earlier asset files are removed first. Needs areas with a
    boundary, population and deprivation decile (``cocity demo`` makes them).
    """
    for batch in EquityImport.objects.filter(
        territory=territory,
        kind=ImportKind.ASSETS,
        status=ImportStatus.SUCCEEDED,
        file_name__startswith=DEMO_FILE_PREFIX,
    ):
        services.asset_batch_delete(batch=batch, actor=None)
    areas = territory_areas(territory=territory)
    rng = _rng(seed)
    counts: dict[str, int] = {}
    for plan in PLANS:
        job = services.equity_import_create(
            territory=territory,
            actor=None,
            kind=ImportKind.ASSETS,
            file_name=f"{DEMO_FILE_PREFIX}{plan.kind.replace('_', '-')}.csv",
            data=_asset_file(rng, plan, areas),
            options={"asset_type": plan.kind},
            run="now",
        )
        if job.status != ImportStatus.SUCCEEDED:
            raise RuntimeError(f"demo asset import failed: {job.errors[:3]}")
        counts[plan.kind] = job.rows_total
    allocations = _allocate(territory)
    result = services.equity_result_request(territory=territory, run="now")
    return EquityDemoSummary(assets=counts, allocations=allocations, result=result)
