"""Building the stored equity results of a territory from its rows (run by a task or service).

Rows become the analytics' arrays here: the areas with a boundary (in code order), every
imported point with the area stored at import, and the money of the published initiatives
per area. :func:`cocity.analytics.equity.equity_report` computes the measures; this module
adds what the pages need beside them: the same measures per asset type and for investment,
the concentration curve, per-decile totals, and the map's SVG paths, so that a page only
reads and draws.

Choices, each recorded in the results' ``computed_with``:

- Deprivation ranking: the areas' deprivation rank if every area has one, else their decile,
  else none (then there is no concentration index, no most-deprived list).
- Population: used (measures per 1,000 residents, areas weighted by people) when every area
  has a positive population; otherwise each area counts the same.
- Points: the area stored with each point; when the areas changed since a file was imported,
  its points are placed again and the stored areas updated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from cocity.analytics.equity import (
    Areas,
    EquityInputError,
    PointAssignment,
    Points,
    asset_values,
    assign_points,
    concentration_index,
    equity_report,
    gini,
)
from cocity.equity.chunks import decode_chunk, encode_chunk, with_areas
from cocity.equity.models import AssetChunk, EquityImport, ImportKind, ImportStatus
from cocity.equity.selectors import PAYLOAD_SCHEMA, equity_data_version, investment_by_area
from cocity.equity.spatial import TerritoryAreas, territory_areas
from cocity.territories.models import Territory

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAP_WIDTH = 800.0
MAP_PADDING = 4.0
SIMPLIFY_PX = 0.35
MOST_DEPRIVED_SHARE = 0.2
MAX_INDICATORS = 20
RESERVED_INDICATORS = ("deprivation_rank", "deprivation_decile", "population")


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _column(values: Sequence[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _complete(values: FloatArray, *, positive: bool = False) -> bool:
    if values.size == 0 or not np.isfinite(values).all():
        return False
    return bool((values > 0).all()) if positive else bool((values >= 0).all())


# --- Points --------------------------------------------------------------------------------


def _load_points(territory: Territory, areas: TerritoryAreas) -> tuple[Points, IntArray]:
    """Every imported point, and its area as an index into ``areas`` (-1: none)."""
    batches = list(
        EquityImport.objects.filter(
            territory=territory, kind=ImportKind.ASSETS, status=ImportStatus.SUCCEEDED
        )
        .defer("payload", "errors")
        .order_by("pk")
    )
    type_names: list[str] = []
    for batch in batches:
        type_names.extend(t for t in batch.type_names if t not in type_names)
    attribute_names: list[str] = []
    for batch in batches:
        attribute_names.extend(a for a in batch.attribute_names if a not in attribute_names)
    lon: list[FloatArray] = []
    lat: list[FloatArray] = []
    codes: list[IntArray] = []
    index: list[IntArray] = []
    attributes: dict[str, list[FloatArray]] = {name: [] for name in attribute_names}
    for batch in batches:
        to_global = np.array([type_names.index(t) for t in batch.type_names], dtype=np.int64)
        stale = batch.areas_version != areas.version
        outside = 0
        for chunk in batch.chunks.order_by("seq").iterator(chunk_size=1):
            columns = decode_chunk(chunk.data, batch.attribute_names)
            if stale:
                placed = assign_points(areas.polygons, columns.lon, columns.lat).area_index
                columns = with_areas(columns, areas.ids_of_index(placed))
                AssetChunk.objects.filter(pk=chunk.pk).update(data=encode_chunk(columns))
                outside += int(np.count_nonzero(placed < 0))
            lon.append(columns.lon)
            lat.append(columns.lat)
            codes.append(to_global[columns.type_codes] if len(columns) else columns.type_codes)
            index.append(areas.index_of_ids(columns.area_ids))
            for j, name in enumerate(batch.attribute_names):
                attributes[name].append(columns.attributes[:, j])
            for name in attribute_names:
                if name not in batch.attribute_names:
                    attributes[name].append(np.full(len(columns), np.nan))
        if stale:
            EquityImport.objects.filter(pk=batch.pk).update(
                areas_version=areas.version, n_outside=outside
            )

    def joined(parts: list[Any], dtype: Any) -> Any:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    points = Points(
        lon=joined(lon, np.float64),
        lat=joined(lat, np.float64),
        type_codes=joined(codes, np.int64),
        type_names=tuple(type_names),
        attributes={name: joined(parts, np.float64) for name, parts in attributes.items()},
    )
    return points, joined(index, np.int64)


# --- Measures beside the report ------------------------------------------------------------


def _concentration(values: FloatArray, rank: FloatArray | None, weights: FloatArray | None) -> Any:
    if rank is None or values.size < 2 or not np.any(values > 0):
        return None
    return concentration_index(values, rank, weights).to_dict()


def _concentration_curve(
    values: FloatArray, rank: FloatArray | None, weights: FloatArray | None
) -> dict[str, list[float]] | None:
    """Cumulative share of people (or areas), most deprived first, against share of value."""
    if rank is None or not np.any(values > 0):
        return None
    w = np.ones(values.shape[0]) if weights is None else weights
    order = np.lexsort((np.arange(values.shape[0]), rank))
    x = np.concatenate([[0.0], np.cumsum(w[order]) / w.sum()])
    y = np.concatenate([[0.0], np.cumsum((w * values)[order]) / float((w * values).sum())])
    return {"x": [round(float(v), 6) for v in x], "y": [round(float(v), 6) for v in y]}


def _type_summaries(
    count_by_type: Mapping[str, FloatArray],
    rank: FloatArray | None,
    population: FloatArray | None,
) -> list[dict[str, Any]]:
    out = []
    for name, counts in count_by_type.items():
        values, weights = asset_values(counts, population)
        covered = counts > 0
        out.append(
            {
                "name": name,
                "n": round(float(counts.sum())),
                "covered_areas": int(covered.sum()),
                "coverage_share": float(covered.mean()) if counts.size else None,
                "population_coverage_share": (
                    float(population[covered].sum() / population.sum())
                    if population is not None
                    else None
                ),
                "gini": _num(gini(values, weights)) if np.any(values > 0) else None,
                "concentration": _concentration(values, rank, weights),
            }
        )
    return out


def _indicator_summaries(
    areas: TerritoryAreas, rank: FloatArray | None, population: FloatArray | None
) -> list[dict[str, Any]]:
    """The concentration index of every per-area value imported (complete and >= 0)."""
    if rank is None:
        return []
    names: list[str] = []
    for area in areas.rows:
        names.extend(
            k
            for k, v in (area.indicators or {}).items()
            if k not in names and isinstance(v, (int, float)) and not isinstance(v, bool)
        )
    out = []
    for name in names:
        if name in RESERVED_INDICATORS:
            continue
        values = _column(
            [
                v if isinstance(v := (a.indicators or {}).get(name), (int, float)) else None
                for a in areas.rows
            ]
        )
        if not _complete(values) or not np.any(values > 0):
            continue
        out.append({"name": name, "concentration": _concentration(values, rank, population)})
        if len(out) >= MAX_INDICATORS:
            break
    return out


# --- The map ---------------------------------------------------------------------------------


def _ring_path(coords: FloatArray) -> str:
    points = [f"{x:.1f} {y:.1f}" for x, y in coords[:-1]]
    return "M" + "L".join(points) + "Z" if len(points) >= 3 else ""


def map_paths(polygons: npt.NDArray[np.object_]) -> dict[str, Any]:
    """SVG path data per polygon, in an equirectangular projection scaled by cos(latitude).

    The map is :data:`MAP_WIDTH` wide; north is up. Rings are simplified to about a third of
    a pixel, so a path stays small without a visible change.
    """
    if polygons.size == 0:
        return {"width": MAP_WIDTH, "height": 0.0, "paths": []}
    xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
    k = math.cos(math.radians((ymin + ymax) / 2))
    width_deg = (xmax - xmin) * k
    scale = (MAP_WIDTH - 2 * MAP_PADDING) / width_deg if width_deg > 0 else 1.0
    if (ymax - ymin) * scale > 4 * MAP_WIDTH:  # a very tall territory: keep the page usable
        scale = 4 * MAP_WIDTH / (ymax - ymin)
    height = (ymax - ymin) * scale + 2 * MAP_PADDING

    def project(coords: FloatArray) -> FloatArray:
        x = (coords[:, 0] - xmin) * k * scale + MAP_PADDING
        y = (ymax - coords[:, 1]) * scale + MAP_PADDING
        return np.column_stack([x, y])

    paths = []
    for polygon in polygons:
        projected = shapely.simplify(
            shapely.transform(polygon, project), SIMPLIFY_PX, preserve_topology=True
        )
        parts = []
        for part in shapely.get_parts(projected):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            parts.append(_ring_path(np.asarray(part.exterior.coords)))
            parts.extend(_ring_path(np.asarray(r.coords)) for r in part.interiors)
        paths.append("".join(p for p in parts if p))
    return {"width": MAP_WIDTH, "height": round(float(height), 1), "paths": paths}


# --- The payload -----------------------------------------------------------------------------


def _deciles(
    decile: FloatArray,
    population: FloatArray | None,
    count: FloatArray,
    money: FloatArray,
) -> list[dict[str, Any]]:
    rows = []
    for d in range(1, 11):
        mask = decile == d
        rows.append(
            {
                "decile": d,
                "areas": int(mask.sum()),
                "population": int(population[mask].sum()) if population is not None else None,
                "assets": float(count[mask].sum()),
                "covered": int((count[mask] > 0).sum()),
                "investment": float(money[mask].sum()),
            }
        )
    return rows


def equity_payload_build(*, territory: Territory) -> tuple[str, dict[str, Any]]:
    """Compute the equity results of ``territory``: ``(data version, JSON-ready payload)``.

    Raises
    ------
    EquityInputError
        When the territory has no area with a usable boundary.
    """
    version = equity_data_version(territory=territory)
    areas = territory_areas(territory=territory)
    if not len(areas):
        raise EquityInputError("no area has a usable boundary: import the areas first")
    points, area_index = _load_points(territory, areas)
    rows = areas.rows
    rank_col = _column([a.deprivation_rank for a in rows])
    decile_col = _column([a.deprivation_decile for a in rows])
    population_col = _column([a.population for a in rows])
    notes: list[dict[str, Any]] = []
    if _complete(rank_col, positive=True):
        rank_name: str | None = "deprivation_rank"
    elif _complete(decile_col, positive=True):
        rank_name = "deprivation_decile"
    else:
        rank_name = None
        notes.append({"code": "no_deprivation", "n": int((~np.isfinite(decile_col)).sum())})
    group_name = "deprivation_decile" if _complete(decile_col, positive=True) else None
    has_population = _complete(population_col, positive=True)
    if not has_population:
        notes.append(
            {
                "code": "no_population",
                "n": int((~np.isfinite(population_col) | (population_col <= 0)).sum()),
            }
        )
    if areas.left_out:
        notes.append(
            {"code": "no_boundary", "n": len(areas.left_out), "codes": list(areas.left_out[:10])}
        )
    indicators = {"deprivation_rank": rank_col, "deprivation_decile": decile_col}
    if has_population:
        indicators["population"] = population_col
    analytic_areas = Areas(codes=areas.codes, polygons=areas.polygons, indicators=indicators)
    report = equity_report(
        analytic_areas,
        points,
        assignment=PointAssignment(area_index, len(areas), "stored"),
        rank_indicator=rank_name,
        group_indicator=group_name,
        population_indicator="population" if has_population else None,
        most_deprived_share=MOST_DEPRIVED_SHARE,
    )
    rank = rank_col if rank_name == "deprivation_rank" else decile_col if rank_name else None
    population = population_col if has_population else None

    investment = investment_by_area(territory=territory)
    money = np.array(
        [float(investment.amounts.get(a.pk, Decimal(0))) for a in rows], dtype=np.float64
    )
    money_values, money_weights = asset_values(money, population, per=1.0)
    if investment.other_currency:
        notes.append({"code": "other_currency", "titles": investment.other_currency[:10]})

    measures = report.areas
    data = report.to_dict()
    summary = {k: v for k, v in data.items() if k not in ("areas", "lorenz", "placement")}
    values, weights = asset_values(measures.count, population)
    payload: dict[str, Any] = {
        "schema": PAYLOAD_SCHEMA,
        "computed_with": {
            "rank": rank_name,
            "group": group_name,
            "population": has_population,
            "currency": territory.currency,
            "most_deprived_share": MOST_DEPRIVED_SHARE,
        },
        "notes": notes,
        "summary": summary,
        "lorenz": {
            "x": [
                round(x, 6) if x is not None else None for x in data["lorenz"]["population_share"]
            ],
            "y": [round(y, 6) if y is not None else None for y in data["lorenz"]["value_share"]],
        },
        "concentration_curve": _concentration_curve(values, rank, weights),
        "types": _type_summaries(measures.count_by_type, rank, population),
        "investment": {
            "total": float(money.sum()),
            "initiatives": investment.initiatives,
            "without_areas": investment.without_areas[:20],
            "concentration": _concentration(money_values, rank, money_weights),
            "curve": _concentration_curve(money_values, rank, money_weights),
        },
        "indicators": _indicator_summaries(areas, rank, population),
        "deciles": _deciles(decile_col, population, measures.count, money),
        "map": map_paths(areas.polygons),
        "areas": [
            {
                "id": area.pk,
                "code": area.code,
                "name": area.name,
                "decile": area.deprivation_decile,
                "rank": area.deprivation_rank,
                "population": area.population,
                "count": float(measures.count[i]),
                "by_type": {k: float(v[i]) for k, v in measures.count_by_type.items()},
                "km2": round(float(measures.area_km2[i]), 6),
                "density": _num(measures.density_per_km2[i]),
                "per_1000": (
                    _num(measures.per_1000_people[i])
                    if measures.per_1000_people is not None
                    else None
                ),
                "share": _num(measures.share_of_assets[i]),
                "covered": bool(measures.covered[i]),
                "investment": float(money[i]),
                "investment_per_person": (
                    _num(money[i] / population[i]) if population is not None else None
                ),
                "attributes": {k: _num(v[i]) for k, v in measures.attribute_mean.items()},
                "indicators": {
                    k: v
                    for k, v in (area.indicators or {}).items()
                    if isinstance(v, (int, float)) and not isinstance(v, bool)
                },
            }
            for i, area in enumerate(rows)
        ],
    }
    return version, payload
