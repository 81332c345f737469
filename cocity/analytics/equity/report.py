"""The per-territory equity report: who is served by digital assets, and who is left out.

:func:`equity_report` assigns the assets to areas and computes, per area, counts,
density (per km², :func:`~cocity.analytics.equity.geodesy.polygon_area_km2`), assets
per 1,000 residents and coverage; per territory, the Lorenz curve and Gini, the
concentration index against deprivation (with its standard error), the Theil index
split between and within deprivation groups, the most deprived areas with no asset, a
greedy what-if for new assets, and findings in plain English.

The value the territory measures use
    With a population indicator: assets per 1,000 residents, each area weighted by its
    population (so the measures are about people). Without one: assets per area, areas
    weighted equally (LSOAs are built to have similar populations, 1,000-3,000).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cocity.analytics.equity.assign import PointAssignment, assign_points
from cocity.analytics.equity.errors import EquityInputError
from cocity.analytics.equity.geodesy import polygon_area_km2
from cocity.analytics.equity.inequality import (
    ConcentrationIndex,
    LorenzCurve,
    TheilDecomposition,
    concentration_index,
    gini,
    lorenz_curve,
    theil_decomposition,
)
from cocity.analytics.equity.model import Areas, Points
from cocity.analytics.equity.placement import PlacementPlan, asset_values, greedy_placement

__all__ = ["AreaMeasures", "EquityReport", "equity_report"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_MAX_LISTED = 10


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass(frozen=True, slots=True, eq=False)
class AreaMeasures:
    """Per-area figures, aligned with the areas' codes.

    Attributes
    ----------
    codes : tuple of str
    count : ndarray of float64
        Assets in the area (sum of the assets' weights when the report is weighted).
    count_by_type : mapping of str to ndarray of float64
        The same, per asset type.
    area_km2 : ndarray of float64
        Area on the WGS84 ellipsoid, km².
    density_per_km2 : ndarray of float64
        ``count / area_km2``.
    per_1000_people : ndarray of float64 or None
        ``1000 * count / population`` when a population indicator was given.
    share_of_assets : ndarray of float64
        The area's share of the territory's assets (NaN when there are none).
    covered : ndarray of bool
        At least one asset.
    attribute_mean : mapping of str to ndarray of float64
        Per numeric point attribute (speed, ...), its mean over the area's assets that
        have a value; NaN where none has.
    """

    codes: tuple[str, ...]
    count: FloatArray
    count_by_type: Mapping[str, FloatArray]
    area_km2: FloatArray
    density_per_km2: FloatArray
    per_1000_people: FloatArray | None
    share_of_assets: FloatArray
    covered: BoolArray
    attribute_mean: Mapping[str, FloatArray]

    def to_dict(self) -> list[dict[str, Any]]:
        """One JSON-ready row per area."""
        rows = []
        for i, code in enumerate(self.codes):
            rows.append(
                {
                    "code": code,
                    "count": float(self.count[i]),
                    "count_by_type": {k: float(v[i]) for k, v in self.count_by_type.items()},
                    "area_km2": float(self.area_km2[i]),
                    "density_per_km2": float(self.density_per_km2[i]),
                    "per_1000_people": None
                    if self.per_1000_people is None
                    else _num(self.per_1000_people[i]),
                    "share_of_assets": _num(self.share_of_assets[i]),
                    "covered": bool(self.covered[i]),
                    "attribute_mean": {k: _num(v[i]) for k, v in self.attribute_mean.items()},
                }
            )
        return rows


@dataclass(frozen=True, slots=True, eq=False)
class EquityReport:
    """Equity of one territory's digital assets across its areas.

    Attributes
    ----------
    n_areas, n_assets : int
        Areas and assets (all assets given, including those outside every area).
    n_outside : int
        Assets in no area (left out of every measure).
    asset_types : tuple of str
    measure : str
        In words, the value the territory measures use (see the module docstring).
    areas : AreaMeasures
    coverage_share : float
        Share of areas with at least one asset.
    population_coverage_share : float or None
        Share of residents living in an area with at least one asset.
    lorenz : LorenzCurve
    gini : float
        NaN when there are no assets.
    concentration : ConcentrationIndex or None
        Against the deprivation ranking, when one was given.
    theil : TheilDecomposition or None
        Split by the deprivation groups, when given.
    most_deprived : tuple of str
        Codes of the most deprived areas (``most_deprived_share`` of them, most
        deprived first).
    most_deprived_uncovered : tuple of str
        Those of them with no asset.
    placement : PlacementPlan or None
        The what-if for new assets, when asked for.
    placement_codes : tuple of str
        The area codes of ``placement.area_index``.
    findings : tuple of str
        The results in plain English, most important first.
    """

    n_areas: int
    n_assets: int
    n_outside: int
    asset_types: tuple[str, ...]
    measure: str
    areas: AreaMeasures
    coverage_share: float
    population_coverage_share: float | None
    lorenz: LorenzCurve
    gini: float
    concentration: ConcentrationIndex | None
    theil: TheilDecomposition | None
    most_deprived: tuple[str, ...]
    most_deprived_uncovered: tuple[str, ...]
    placement: PlacementPlan | None
    placement_codes: tuple[str, ...]
    findings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (NaN becomes null)."""
        return {
            "n_areas": self.n_areas,
            "n_assets": self.n_assets,
            "n_outside": self.n_outside,
            "asset_types": list(self.asset_types),
            "measure": self.measure,
            "coverage_share": _num(self.coverage_share),
            "population_coverage_share": None
            if self.population_coverage_share is None
            else _num(self.population_coverage_share),
            "gini": _num(self.gini),
            "lorenz": self.lorenz.to_dict(),
            "concentration": None if self.concentration is None else self.concentration.to_dict(),
            "theil": None if self.theil is None else self.theil.to_dict(),
            "most_deprived": list(self.most_deprived),
            "most_deprived_uncovered": list(self.most_deprived_uncovered),
            "placement": None
            if self.placement is None
            else {**self.placement.to_dict(), "area_codes": list(self.placement_codes)},
            "findings": list(self.findings),
            "areas": self.areas.to_dict(),
        }


def _complete_indicator(areas: Areas, name: str) -> FloatArray:
    values = areas.indicator(name)
    missing = np.flatnonzero(~np.isfinite(values))
    if missing.size:
        codes = ", ".join(areas.codes[i] for i in missing[:_MAX_LISTED])
        more = f" and {missing.size - _MAX_LISTED} more" if missing.size > _MAX_LISTED else ""
        raise EquityInputError(
            f"indicator {name!r} is missing for {missing.size} of {len(areas)} areas "
            f"({codes}{more}); join an indicator table that covers every area"
        )
    return values


def equity_report(
    areas: Areas,
    points: Points,
    *,
    assignment: PointAssignment | None = None,
    rank_indicator: str | None = None,
    rank_higher_is_less_deprived: bool = True,
    group_indicator: str | None = None,
    population_indicator: str | None = None,
    weighted: bool = False,
    most_deprived_share: float = 0.2,
    new_assets: int = 0,
    max_per_area: int = 1,
) -> EquityReport:
    """Build the equity report of one territory.

    Parameters
    ----------
    areas : Areas
        The territory's areas with their indicators.
    points : Points
        The assets (filter them first with :meth:`Points.of_types` to report on one
        type).
    assignment : PointAssignment, optional
        A precomputed :func:`assign_points` result for these areas and points.
    rank_indicator : str, optional
        Deprivation ranking (e.g. ``"IMD_rank"``); without it there is no
        concentration index, no most-deprived list and no what-if.
    rank_higher_is_less_deprived : bool
        True for IMD ranks and deciles (1 = most deprived); False for a score where
        higher is more deprived.
    group_indicator : str, optional
        Groups for the Theil split (e.g. ``"IMD_decile"``).
    population_indicator : str, optional
        Residents per area: enables per-capita measures and population weights.
    weighted : bool
        Count the assets' weights (capacity...) instead of the assets.
    most_deprived_share : float
        Share of areas, most deprived first, checked for missing coverage (0.2: the
        most deprived fifth).
    new_assets : int
        Assets to place in the what-if (0: none).
    max_per_area : int
        Most new assets per area in the what-if.

    Returns
    -------
    EquityReport

    Raises
    ------
    EquityInputError
        On an unknown or incomplete indicator, a non-positive population, or bad
        options.
    """
    if not 0 < most_deprived_share <= 1:
        raise EquityInputError(
            f"most_deprived_share: expected a share in (0, 1], got {most_deprived_share}"
        )
    if weighted and points.weights is None:
        raise EquityInputError("weighted: the points have no weights")
    if assignment is None:
        assignment = assign_points(areas.polygons, points.lon, points.lat)
    elif assignment.area_index.shape[0] != len(points) or assignment.n_areas != len(areas):
        raise EquityInputError("assignment: it was computed for other areas or points")
    point_weight = points.weights if weighted else None
    count = assignment.totals(point_weight)
    by_type = {}
    for code, name in enumerate(points.type_names):
        w = (points.type_codes == code).astype(np.float64)
        if point_weight is not None:
            w = w * point_weight
        by_type[name] = assignment.totals(w)
    attribute_mean = {}
    for key, attribute in points.attributes.items():
        known = np.isfinite(attribute)
        sums = assignment.totals(np.where(known, attribute, 0.0))
        n_known = assignment.totals(known.astype(np.float64))
        attribute_mean[key] = np.divide(
            sums, n_known, out=np.full(len(areas), np.nan), where=n_known > 0
        )
    area_km2 = polygon_area_km2(areas.polygons)
    population = (
        _complete_indicator(areas, population_indicator)
        if population_indicator is not None
        else None
    )
    values, weights = asset_values(count, population)
    total = float(count.sum())
    covered = count > 0
    measure = (
        "assets per 1,000 residents, areas weighted by population"
        if population is not None
        else "assets per area, areas weighted equally"
    )
    if weighted:
        measure = measure.replace("assets", "weighted assets", 1)

    rank = None
    if rank_indicator is not None:
        raw_rank = _complete_indicator(areas, rank_indicator)
        rank = raw_rank if rank_higher_is_less_deprived else -raw_rank
    concentration = (
        concentration_index(values, rank, weights) if rank is not None and len(areas) > 1 else None
    )
    theil = (
        theil_decomposition(values, _complete_indicator(areas, group_indicator), weights)
        if group_indicator is not None
        else None
    )
    most_deprived: tuple[str, ...] = ()
    uncovered: tuple[str, ...] = ()
    plan = None
    plan_codes: tuple[str, ...] = ()
    if rank is not None:
        order = np.lexsort((np.arange(len(areas)), rank))
        k = max(1, round(most_deprived_share * len(areas)))
        most_deprived = tuple(areas.codes[i] for i in order[:k])
        uncovered = tuple(areas.codes[i] for i in order[:k] if not covered[i])
        if new_assets > 0 and len(areas) > 1:
            plan = greedy_placement(
                count, rank, new_assets, population=population, max_per_area=max_per_area
            )
            plan_codes = tuple(areas.codes[i] for i in plan.area_index)

    population_coverage = (
        float(population[covered].sum() / population.sum()) if population is not None else None
    )
    report = EquityReport(
        n_areas=len(areas),
        n_assets=len(points),
        n_outside=assignment.n_outside,
        asset_types=points.type_names,
        measure=measure,
        areas=AreaMeasures(
            codes=areas.codes,
            count=count,
            count_by_type=by_type,
            area_km2=area_km2,
            density_per_km2=count / area_km2,
            per_1000_people=values if population is not None else None,
            share_of_assets=count / total if total > 0 else np.full(len(areas), np.nan),
            covered=covered,
            attribute_mean=attribute_mean,
        ),
        coverage_share=float(covered.mean()),
        population_coverage_share=population_coverage,
        lorenz=lorenz_curve(values, weights),
        gini=gini(values, weights),
        concentration=concentration,
        theil=theil,
        most_deprived=most_deprived,
        most_deprived_uncovered=uncovered,
        placement=plan,
        placement_codes=plan_codes,
        findings=(),
    )
    findings = _findings(report, rank_indicator, group_indicator, most_deprived_share)
    return EquityReport(**{**_fields(report), "findings": findings})


def _fields(report: EquityReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in EquityReport.__slots__}


def _c(x: float) -> str:
    """A concentration index to 3 decimals, never printed as -0.000."""
    return f"{round(x, 3) + 0.0:.3f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _codes(codes: Sequence[str]) -> str:
    shown = ", ".join(codes[:_MAX_LISTED])
    return shown + (f" and {len(codes) - _MAX_LISTED} more" if len(codes) > _MAX_LISTED else "")


def _findings(
    report: EquityReport, rank_indicator: str | None, group_indicator: str | None, share: float
) -> tuple[str, ...]:
    """The report in plain English, most important first."""
    out: list[str] = []
    kinds = ", ".join(report.asset_types) or "assets"
    inside = report.n_assets - report.n_outside
    if inside == 0:
        out.append(
            f"No asset ({kinds}) lies in any of the {report.n_areas} areas, "
            "so there is nothing to measure."
        )
        if report.n_outside:
            out.append(
                f"All {report.n_outside} assets lie outside the areas: "
                "check that both files cover the same place."
            )
        return tuple(out)
    c = report.concentration
    if c is not None and np.isfinite(c.value):
        interval = (
            f"C = {_c(c.value)}, 95% CI {_c(c.ci_low)} to {_c(c.ci_high)}, p = {c.p_value:.2g}"
        )
        if c.significantly_positive:
            out.append(
                f"Cherry-picking: {kinds} are concentrated in the less deprived areas "
                f"(concentration index against {rank_indicator}: {interval}). "
                "Provision favours the better-off neighbourhoods."
            )
        elif c.significantly_negative:
            out.append(
                f"{kinds} are concentrated in the more deprived areas "
                f"(concentration index against {rank_indicator}: {interval}): provision "
                "favours the neighbourhoods in greatest need."
            )
        else:
            out.append(f"No significant gradient with deprivation ({rank_indicator}): {interval}.")
    covered = int(report.areas.covered.sum())
    line = (
        f"{covered} of {report.n_areas} areas ({_pct(report.coverage_share)}) "
        "have at least one asset"
    )
    if report.population_coverage_share is not None:
        line += f", home to {_pct(report.population_coverage_share)} of residents"
    out.append(line + ".")
    if report.most_deprived:
        k = len(report.most_deprived)
        if report.most_deprived_uncovered:
            out.append(
                f"{len(report.most_deprived_uncovered)} of the {k} most deprived areas "
                f"(the most deprived {_pct(share)}) have no asset: "
                f"{_codes(report.most_deprived_uncovered)}."
            )
        else:
            out.append(f"Every one of the {k} most deprived areas has at least one asset.")
    if np.isfinite(report.gini):
        level = (
            "very unevenly"
            if report.gini >= 0.6
            else "unevenly"
            if report.gini >= 0.3
            else "fairly evenly"
        )
        out.append(
            f"Assets are spread {level} across areas: Gini {report.gini:.2f} "
            f"(0 = the same everywhere, 1 = all in one area; {report.measure})."
        )
    t = report.theil
    if t is not None and np.isfinite(t.total) and t.total > 0:
        out.append(
            f"{_pct(t.between_share)} of the inequality (Theil T = {t.total:.3f}) lies between "
            f"the {group_indicator} groups, {_pct(1 - t.between_share)} within them."
        )
    plan = report.placement
    if plan is not None and plan.area_index.size:
        out.append(
            f"What-if: {plan.area_index.size} new assets in {_codes(report.placement_codes)} "
            f"would move the concentration index from {_c(plan.index_before)} to "
            f"{_c(plan.index_after[-1])}."
        )
    if report.n_outside:
        out.append(
            f"{report.n_outside} of {report.n_assets} assets lie outside every area "
            "and are not counted."
        )
    return tuple(out)
