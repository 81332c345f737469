"""What-if: where N new assets would do most for equity, from the stored per-area counts.

A light computation on stored numbers (the greedy of
:func:`cocity.analytics.equity.greedy_placement`, a few milliseconds for a city), so the form
answers at once; the heavy measures are never recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cocity.analytics.equity import greedy_placement


@dataclass(frozen=True, slots=True)
class WhatIfStep:
    area: dict[str, Any]
    current: float
    index_after: float | None


@dataclass(frozen=True, slots=True)
class WhatIfPlan:
    steps: list[WhatIfStep]
    index_before: float | None
    index_after: float | None
    asset_type: str | None
    requested: int

    @property
    def placed(self) -> int:
        return len(self.steps)


def whatif_plan(
    payload: dict[str, Any], *, new_assets: int, asset_type: str | None, max_per_area: int
) -> WhatIfPlan | None:
    """Where ``new_assets`` assets (of ``asset_type``, or of every type) bring the index to 0.

    None when the result has no deprivation ranking (nothing to aim at).
    """
    used = payload.get("computed_with", {})
    areas = payload.get("areas", [])
    if not used.get("rank") or len(areas) < 2:
        return None
    rank_key = "rank" if used["rank"] == "deprivation_rank" else "decile"
    rank = np.array([float(a[rank_key]) for a in areas])
    if asset_type:
        counts = np.array([float(a["by_type"].get(asset_type, 0.0)) for a in areas])
    else:
        counts = np.array([float(a["count"]) for a in areas])
    population = (
        np.array([float(a["population"]) for a in areas]) if used.get("population") else None
    )
    plan = greedy_placement(
        counts, rank, new_assets, population=population, max_per_area=max_per_area
    )

    def finite(x: float) -> float | None:
        return float(x) if np.isfinite(x) else None

    steps = [
        WhatIfStep(areas[i], float(counts[i]), finite(after))
        for i, after in zip(plan.area_index.tolist(), plan.index_after.tolist(), strict=True)
    ]
    return WhatIfPlan(
        steps=steps,
        index_before=finite(plan.index_before),
        index_after=steps[-1].index_after if steps else finite(plan.index_before),
        asset_type=asset_type,
        requested=new_assets,
    )
