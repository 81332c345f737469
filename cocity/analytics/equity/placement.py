"""What-if: where to place N new assets to bring the concentration index closest to 0.

Greedy algorithm
----------------
At each of ``n_new`` steps, every allowed area is tried: one more asset there changes
the concentration index to (closed form, with ``S = Σ f_i y_i R_i`` and ``μ = Σ f_i y_i``
as in :func:`~cocity.analytics.equity.inequality.concentration_index`; the ranks ``R``
do not move because they come from deprivation, not from the assets)::

    C_k = 2 (S + f_k δ_k R_k) / (μ + f_k δ_k) - 1

where ``δ_k`` is how much one asset raises area k's value (1 for counts, ``per /
population_k`` per capita). The area giving the smallest ``|C_k|`` is chosen (ties: the
area with fewer assets, then the lower index), its value raised, and the step repeated.
The goal is no gradient (C = 0), not a reversed one: once C reaches 0 the next assets
go where they keep it there. ``max_per_area`` (1 by default) spreads the new assets.

With population weights ``f_k δ_k = per / Σ population`` is the same for every area, so
the choice depends only on the rank: the most deprived allowed areas come first. The
greedy is optimal step by step, not necessarily over the N steps together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cocity.analytics.equity.errors import EquityInputError
from cocity.analytics.equity.inequality import concentration_index, fractional_rank

__all__ = ["PlacementPlan", "asset_values", "greedy_placement"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class PlacementPlan:
    """The areas chosen for new assets, in the order the greedy chose them.

    Attributes
    ----------
    area_index : ndarray of int64, shape (n_new,)
        Area receiving each new asset (an area appears at most ``max_per_area`` times).
    index_before : float
        Concentration index with the current assets.
    index_after : ndarray of float64, shape (n_new,)
        Concentration index after each placement (the last is the final value).
    """

    area_index: IntArray
    index_before: float
    index_after: FloatArray

    def to_dict(self) -> dict[str, Any]:
        return {
            "area_index": self.area_index.tolist(),
            "index_before": None if not np.isfinite(self.index_before) else self.index_before,
            "index_after": [None if not np.isfinite(x) else float(x) for x in self.index_after],
        }


def asset_values(
    counts: npt.ArrayLike, population: npt.ArrayLike | None = None, *, per: float = 1000.0
) -> tuple[FloatArray, FloatArray | None]:
    """The value the equity measures use per area, and the weights that go with it.

    Returns ``(counts, None)`` without population, else ``(per * counts / population,
    population)``: assets per ``per`` residents, each area weighted by its residents.

    Raises
    ------
    EquityInputError
        If a population is missing, zero or negative.
    """
    y = np.asarray(counts, dtype=np.float64)
    if population is None:
        return y, None
    pop = np.asarray(population, dtype=np.float64)
    if pop.shape != y.shape:
        raise EquityInputError(f"population: expected {y.shape[0]} values, got shape {pop.shape}")
    bad = np.flatnonzero(~np.isfinite(pop) | (pop <= 0))
    if bad.size:
        raise EquityInputError(
            f"population: must be a positive number for every area; missing or <= 0 at "
            f"positions {bad[:10].tolist()}"
        )
    return per * y / pop, pop


def greedy_placement(
    counts: npt.ArrayLike,
    rank_by: npt.ArrayLike,
    n_new: int,
    *,
    population: npt.ArrayLike | None = None,
    max_per_area: int = 1,
    allowed: npt.ArrayLike | None = None,
    per: float = 1000.0,
) -> PlacementPlan:
    """Choose areas for ``n_new`` assets, greedily bringing the concentration index to 0.

    Parameters
    ----------
    counts : array of float, shape (n,)
        Current number (or weighted sum) of assets per area, >= 0.
    rank_by : array of float, shape (n,)
        Deprivation ranking, larger = less deprived (e.g. IMD rank).
    n_new : int
        Number of new assets to place (>= 0).
    population : array of float, shape (n,), optional
        Residents per area: the index is then of assets per ``per`` residents, weighted
        by population (as in the equity report); without it, of counts per area.
    max_per_area : int
        Most new assets one area may receive.
    allowed : array of bool, shape (n,), optional
        Areas that may receive assets (all if omitted).
    per : float
        Scale of the per-capita value.

    Returns
    -------
    PlacementPlan
        Fewer than ``n_new`` placements when the allowed areas run out of room.

    Raises
    ------
    EquityInputError
        On bad shapes or values.

    Examples
    --------
    >>> plan = greedy_placement([0, 1, 2, 3], rank_by=[1, 2, 3, 4], n_new=2)
    >>> plan.area_index.tolist()
    [0, 1]
    """
    if isinstance(n_new, bool) or not isinstance(n_new, (int, np.integer)) or n_new < 0:
        raise EquityInputError(f"n_new: expected a non-negative integer, got {n_new!r}")
    if (
        isinstance(max_per_area, bool)
        or not isinstance(max_per_area, (int, np.integer))
        or max_per_area < 1
    ):
        raise EquityInputError(f"max_per_area: expected a positive integer, got {max_per_area!r}")
    y, weights = asset_values(counts, population, per=per)
    before = concentration_index(y, rank_by, weights)
    n = y.shape[0]
    f = np.full(n, 1.0 / n) if weights is None else weights / weights.sum()
    rank = fractional_rank(rank_by, f)
    delta = np.ones(n) if weights is None else per / weights
    room = np.full(n, int(max_per_area), dtype=np.int64)
    if allowed is not None:
        mask = np.asarray(allowed)
        if mask.shape != (n,) or mask.dtype != np.bool_:
            raise EquityInputError(f"allowed: expected {n} booleans, got {mask.dtype} {mask.shape}")
        room[~mask] = 0
    y = y.copy()
    current = np.asarray(counts, dtype=np.float64).copy()
    s = float(np.sum(f * y * rank))
    mu = float(np.sum(f * y))
    gain = f * delta
    chosen: list[int] = []
    after: list[float] = []
    for _ in range(int(n_new)):
        candidates = np.flatnonzero(room > 0)
        if candidates.size == 0:
            break
        trial = 2.0 * (s + gain[candidates] * rank[candidates]) / (mu + gain[candidates]) - 1.0
        # Round so that floating noise does not beat the documented tie-break.
        objective = np.round(np.abs(trial), 12)
        tied = candidates[objective == objective.min()]
        best = tied[np.lexsort((tied, current[tied]))[0]]
        chosen.append(int(best))
        y[best] += delta[best]
        current[best] += 1
        room[best] -= 1
        s += gain[best] * rank[best]
        mu += gain[best]
        after.append(2.0 * s / mu - 1.0)
    return PlacementPlan(
        area_index=np.array(chosen, dtype=np.int64),
        index_before=before.value,
        index_after=np.array(after, dtype=np.float64),
    )
