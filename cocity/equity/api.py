"""API of spatial equity: the stored results, the measures per area and the assets.

Everything here is public data of a territory (whoever may read the territory may read it);
asking for new results is for editors. Results are read, never computed, by a GET.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from cocity.core.api_support import (
    ApiError,
    PageQuery,
    page_of,
    readable_territory,
    require,
    responses,
)
from cocity.core.models import ResultStatus
from cocity.equity import selectors, services
from cocity.equity.findings import findings_for, notes_for
from cocity.equity.models import EquityResult

router = Router(tags=["equity"])
T = "{slug:slug}"


class ConcentrationOut(Schema):
    value: float | None = Field(
        None, description="Above 0: concentrated in the less deprived areas; below 0: the more."
    )
    standard_error: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    n: int | None = None


class TypeOut(Schema):
    name: str
    n: int
    covered_areas: int
    coverage_share: float | None
    gini: float | None
    concentration: ConcentrationOut | None


class InvestmentOut(Schema):
    total: float = Field(..., description="In the territory's currency.")
    initiatives: int
    concentration: ConcentrationOut | None


class EquityReportOut(Schema):
    computed_at: str | None
    data_version: str
    is_current: bool = Field(..., description="False when the data changed after the computation.")
    computing: bool = Field(..., description="True while newer results are being computed.")
    measure: str = Field(..., description="What the territory measures are of, in words.")
    currency: str
    n_areas: int
    n_assets: int
    n_outside: int
    asset_types: list[str]
    coverage_share: float | None
    population_coverage_share: float | None
    gini: float | None
    concentration: ConcentrationOut | None
    theil_total: float | None
    theil_between: float | None
    most_deprived: list[str]
    most_deprived_uncovered: list[str]
    types: list[TypeOut]
    investment: InvestmentOut
    findings: list[str] = Field(..., description="The results in sentences, in your language.")
    notes: list[str]


class AreaMeasuresOut(Schema):
    id: int
    code: str
    name: str
    decile: int | None
    rank: int | None
    population: int | None
    count: float = Field(..., description="Digital assets in the area.")
    by_type: dict[str, float]
    km2: float
    density: float | None = Field(None, description="Assets per km².")
    per_1000: float | None = Field(None, description="Assets per 1,000 residents.")
    share: float | None = Field(None, description="The area's share of the territory's assets.")
    covered: bool
    investment: float
    investment_per_person: float | None
    attributes: dict[str, float | None] = Field(
        ..., description="Mean of each numeric attribute of the area's assets."
    )


class AssetOut(Schema):
    batch: int = Field(..., description="The import the asset came from.")
    file_name: str
    index: int = Field(..., description="Position of the asset in its file, from 0.")
    asset_type: str
    lon: float
    lat: float
    area_code: str = Field(..., description="Empty when the asset lies in no area.")
    attributes: dict[str, float]


class AssetFilters(Schema):
    type: str | None = Field(None, max_length=60, description="Only assets of this type.")


class ComputeOut(Schema):
    status: ResultStatus
    data_version: str


AreaPage = page_of(AreaMeasuresOut, "EquityAreaPage")
AssetPage = page_of(AssetOut, "EquityAssetPage")


def _ready(territory: Any) -> tuple[selectors.EquityState, dict[str, Any]]:
    state = selectors.equity_state(territory=territory)
    if state.result is None:
        raise ApiError(
            404,
            "no_results",
            _("There are no equity results yet: import the areas and the digital assets."),
        )
    return state, state.payload


@router.get(f"{T}/equity/", response=responses(200, EquityReportOut))
def equity_report(request: HttpRequest, slug: str) -> Any:
    """The newest equity results: coverage, Gini, concentration index and findings."""
    state, payload = _ready(readable_territory(request, slug))
    summary = payload["summary"]
    theil = summary.get("theil") or {}
    result: EquityResult = state.result  # type: ignore[assignment]
    return {
        "computed_at": result.finished_at.isoformat() if result.finished_at else None,
        "data_version": result.data_version,
        "is_current": state.is_current,
        "computing": state.pending is not None,
        "measure": summary["measure"],
        "currency": payload["computed_with"]["currency"],
        "n_areas": summary["n_areas"],
        "n_assets": summary["n_assets"],
        "n_outside": summary["n_outside"],
        "asset_types": summary["asset_types"],
        "coverage_share": summary.get("coverage_share"),
        "population_coverage_share": summary.get("population_coverage_share"),
        "gini": summary.get("gini"),
        "concentration": summary.get("concentration"),
        "theil_total": theil.get("total"),
        "theil_between": theil.get("between"),
        "most_deprived": summary.get("most_deprived", []),
        "most_deprived_uncovered": summary.get("most_deprived_uncovered", []),
        "types": payload["types"],
        "investment": payload["investment"],
        "findings": findings_for(payload),
        "notes": notes_for(payload),
    }


@router.get(f"{T}/equity/areas/", response=responses(200, AreaPage))
def equity_area_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """The measures of every area (in code order), from the newest results."""
    _state, payload = _ready(readable_territory(request, slug))
    areas = payload["areas"]
    return {
        "count": len(areas),
        "limit": page.limit,
        "offset": page.offset,
        "items": areas[page.offset : page.offset + page.limit],
    }


@router.get(f"{T}/equity/assets/", response=responses(200, AssetPage))
def equity_asset_list(
    request: HttpRequest, slug: str, filters: Query[AssetFilters], page: Query[PageQuery]
) -> Any:
    """The digital assets, in the order they were imported, with the area each lies in."""
    territory = readable_territory(request, slug)
    found = selectors.asset_page(
        territory=territory, offset=page.offset, limit=page.limit, asset_type=filters.type
    )
    return {
        "count": found.count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            {
                "batch": row.batch_id,
                "file_name": row.file_name,
                "index": row.index,
                "asset_type": row.asset_type,
                "lon": row.lon,
                "lat": row.lat,
                "area_code": row.area_code,
                "attributes": row.attributes,
            }
            for row in found.rows
        ],
    }


@router.post(f"{T}/equity/compute/", response=responses(202, ComputeOut))
def equity_compute(request: HttpRequest, slug: str) -> Any:
    """Ask for results of the current data (editors); answers at once with their status."""
    territory = readable_territory(request, slug)
    require(request, "equity.compute_results", territory)
    result = services.equity_result_request(territory=territory, run="queue")
    return Status(202, {"status": result.status, "data_version": result.data_version})
