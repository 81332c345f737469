"""Downloads of the results: areas as CSV and GeoJSON, assets as CSV, the report as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from cocity.core.tenancy import territory_view
from cocity.dataio.exporters import escape_formula
from cocity.equity import selectors
from cocity.equity.findings import findings_for
from cocity.equity.views.csv_download import _csv_response
from cocity.equity.views.page_context import VIEW
from cocity.territories.models import Area, Territory

AREA_COLUMNS = (
    "code", "name", "deprivation_decile", "deprivation_rank", "population", "assets",
    "covered", "area_km2", "assets_per_km2", "assets_per_1000_residents", "share_of_assets",
    "investment", "investment_per_resident",
)  # fmt: skip


def _area_record(area: dict[str, Any], types: list[str]) -> dict[str, Any]:
    return {
        "code": area["code"],
        "name": area["name"],
        "deprivation_decile": area.get("decile"),
        "deprivation_rank": area.get("rank"),
        "population": area.get("population"),
        "assets": area["count"],
        "covered": area["covered"],
        "area_km2": area["km2"],
        "assets_per_km2": area["density"],
        "assets_per_1000_residents": area.get("per_1000"),
        "share_of_assets": area.get("share"),
        "investment": area["investment"],
        "investment_per_resident": area.get("investment_per_person"),
        **{f"assets_{t}": area["by_type"].get(t, 0.0) for t in types},
        **{f"mean_{k}": v for k, v in area.get("attributes", {}).items()},
    }


def _ready_payload(territory: Territory) -> dict[str, Any]:
    payload = selectors.equity_state(territory=territory).payload
    if not payload:
        raise Http404
    return payload


@require_GET
@territory_view(VIEW)
def export_areas_csv(request: HttpRequest, territory: Territory) -> HttpResponseBase:
    payload = _ready_payload(territory)
    types = [t["name"] for t in payload["types"]]
    attributes: list[str] = []
    for area in payload["areas"]:
        attributes.extend(k for k in area.get("attributes", {}) if k not in attributes)
    header = [*AREA_COLUMNS, *(f"assets_{t}" for t in types), *(f"mean_{a}" for a in attributes)]

    def rows() -> Iterator[list[Any]]:
        yield header
        for area in payload["areas"]:
            record = _area_record(area, types)
            yield [
                escape_formula(str(v))
                if isinstance(v, str)
                else ("" if v is None else int(v) if isinstance(v, bool) else v)
                for v in (record.get(column) for column in header)
            ]

    return _csv_response(rows(), f"{territory.slug}-equity-areas.csv")


@require_GET
@territory_view(VIEW)
def export_areas_geojson(request: HttpRequest, territory: Territory) -> HttpResponse:
    payload = _ready_payload(territory)
    types = [t["name"] for t in payload["types"]]
    geometry = dict(Area.objects.filter(territory=territory).values_list("code", "geometry"))
    features = [
        {
            "type": "Feature",
            "geometry": geometry.get(area["code"]),
            "properties": _area_record(area, types),
        }
        for area in payload["areas"]
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False
    )
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    response["Content-Disposition"] = (
        f'attachment; filename="{territory.slug}-equity-areas.geojson"'
    )
    return response


@require_GET
@territory_view(VIEW)
def export_assets_csv(request: HttpRequest, territory: Territory) -> HttpResponseBase:
    attributes = selectors.asset_attribute_names(territory=territory)

    def rows() -> Iterator[list[Any]]:
        yield ["source", "point_in_file", "asset_type", "lon", "lat", "area_code", *attributes]
        for row in selectors.asset_rows_iter(territory=territory):
            yield [
                escape_formula(row.file_name),
                row.index + 1,
                escape_formula(row.asset_type),
                repr(row.lon),
                repr(row.lat),
                escape_formula(row.area_code),
                *(row.attributes.get(a, "") for a in attributes),
            ]

    return _csv_response(rows(), f"{territory.slug}-assets.csv")


@require_GET
@territory_view(VIEW)
def export_report_json(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    if state.result is None:
        raise Http404
    payload = {k: v for k, v in state.payload.items() if k != "map"}
    body = {
        "territory": territory.slug,
        "computed_at": state.result.finished_at.isoformat() if state.result.finished_at else None,
        "data_version": state.result.data_version,
        "is_current": state.is_current,
        "findings": findings_for(state.payload),
        **payload,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{territory.slug}-equity.json"'
    return response
