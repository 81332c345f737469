"""The territory equity report: figures tie out with the measures, findings read right."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from cocity.analytics.equity import (
    Areas,
    EquityInputError,
    Points,
    assign_points,
    concat_points,
    concentration_index,
    equity_report,
    gini,
    read_areas_geojson,
    read_points,
)
from cocity.analytics.tests.realdata import shared_data_dir


def _worked_example(population: bool = False) -> tuple[Areas, Points]:
    """The documented example: five areas in a row, IMD rank 1..5, 0, 1, 1, 2, 6 assets."""
    polygons = np.array(
        [shapely.box(i * 0.01, 51, (i + 1) * 0.01, 51.01) for i in range(5)], dtype=object
    )
    indicators = {"IMD_rank": [1, 2, 3, 4, 5], "IMD_decile": [1, 1, 2, 2, 2]}
    if population:
        indicators["population"] = [1000, 1000, 2000, 1000, 1500]
    areas = Areas(codes=("A", "B", "C", "D", "E"), polygons=polygons, indicators=indicators)
    counts = [0, 1, 1, 2, 6]
    lon = np.concatenate([np.full(c, i * 0.01 + 0.005) for i, c in enumerate(counts)])
    lon = np.append(lon, 5.0)  # one asset outside every area
    points = Points(
        lon=lon,
        lat=np.full(lon.shape, 51.005),
        type_codes=np.zeros(lon.shape[0], np.int64),
        type_names=("ev_charger",),
    )
    return areas, points


def test_worked_example_report_figures_and_findings() -> None:
    areas, points = _worked_example()
    report = equity_report(
        areas, points, rank_indicator="IMD_rank", group_indicator="IMD_decile", new_assets=2
    )
    np.testing.assert_array_equal(report.areas.count, [0, 1, 1, 2, 6])
    assert report.n_outside == 1
    assert report.coverage_share == pytest.approx(0.8)
    assert report.gini == pytest.approx(0.52)
    assert report.concentration is not None
    assert report.concentration.value == pytest.approx(0.52)
    assert report.most_deprived == ("A",)
    assert report.most_deprived_uncovered == ("A",)
    assert report.placement_codes == ("A", "B")
    area = report.areas.area_km2[0]
    assert 0.6 < area < 0.8  # 0.01° x 0.01° at 51°N: about 0.70 km x 1.11 km
    assert report.areas.density_per_km2[4] == pytest.approx(6 / report.areas.area_km2[4])
    text = "\n".join(report.findings)
    assert text.startswith("Cherry-picking: ev_charger are concentrated in the less deprived areas")
    assert "C = 0.52" in text
    assert "1 of the 1 most deprived areas (the most deprived 20%) have no asset: A." in text
    assert "What-if: 2 new assets in A, B would move the concentration index from 0.520 to" in text
    assert "1 of 11 assets lie outside every area" in text


def test_population_switches_to_per_capita_weighted_measures() -> None:
    areas, points = _worked_example(population=True)
    report = equity_report(
        areas, points, rank_indicator="IMD_rank", population_indicator="population"
    )
    pop = np.array([1000, 1000, 2000, 1000, 1500], float)
    per_capita = 1000 * np.array([0, 1, 1, 2, 6]) / pop
    np.testing.assert_allclose(report.areas.per_1000_people, per_capita)
    assert report.gini == pytest.approx(gini(per_capita, pop))
    assert report.concentration.value == pytest.approx(
        concentration_index(per_capita, [1, 2, 3, 4, 5], pop).value
    )
    assert report.population_coverage_share == pytest.approx(5500 / 6500)
    assert "home to 85% of residents" in " ".join(report.findings)


def test_score_where_higher_is_more_deprived_reverses_the_sign() -> None:
    areas, points = _worked_example()
    by_rank = equity_report(areas, points, rank_indicator="IMD_rank")
    by_score = equity_report(
        areas, points, rank_indicator="IMD_rank", rank_higher_is_less_deprived=False
    )
    assert by_score.concentration.value == pytest.approx(-by_rank.concentration.value)
    assert "concentrated in the more deprived areas" in by_score.findings[0]


def test_no_assets_in_any_area_says_so() -> None:
    areas, _ = _worked_example()
    far = Points(lon=[10.0], lat=[10.0], type_codes=[0], type_names=("wifi",))
    report = equity_report(areas, far, rank_indicator="IMD_rank")
    assert "nothing to measure" in report.findings[0]
    assert np.isnan(report.gini)
    json.dumps(report.to_dict(), allow_nan=False)


def test_missing_or_incomplete_indicators_raise_clear_errors() -> None:
    areas, points = _worked_example()
    with pytest.raises(EquityInputError, match="'population' not found; the areas have"):
        equity_report(areas, points, population_indicator="population")
    holes = Areas(
        codes=areas.codes, polygons=areas.polygons, indicators={"IMD_rank": [1, 2, np.nan, 4, 5]}
    )
    with pytest.raises(EquityInputError, match="missing for 1 of 5 areas \\(C\\)"):
        equity_report(holes, points, rank_indicator="IMD_rank")
    with pytest.raises(EquityInputError, match="no weights"):
        equity_report(areas, points, weighted=True)


@pytest.mark.realdata
def test_banes_report_on_real_assets_is_json_ready() -> None:
    places = shared_data_dir() / "places"
    if not places.is_dir():
        pytest.skip(f"real data not found at {places}")
    areas = read_areas_geojson(places / "banes_lsoa11_imd2019.geojson").areas
    parts = [read_points(p).points for p in sorted((places / "banes_assets").glob("*.geojson"))]
    points = concat_points(parts)
    report = equity_report(
        areas, points, rank_indicator="IMD_rank", group_indicator="IMD_decile", new_assets=5
    )
    assert report.n_assets == 6583
    assert report.areas.count.sum() == 6583 - report.n_outside
    # Mean broadband speed per LSOA, by hand from the assignment, for one area.
    speed = points.attributes["max_speed"]
    first = int(np.flatnonzero(report.areas.count_by_type["ofcom_broadband_2013"] > 0)[0])
    where = assign_points(areas.polygons, points.lon, points.lat).area_index == first
    expected = np.nanmean(speed[where]) if np.isfinite(speed[where]).any() else np.nan
    np.testing.assert_allclose(report.areas.attribute_mean["max_speed"][first], expected)
    assert sum(v.sum() for v in report.areas.count_by_type.values()) == report.areas.count.sum()
    assert report.theil.between + report.theil.within == pytest.approx(report.theil.total)
    assert 0 <= report.gini <= 1
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert len(data["areas"]) == 115
    assert data["placement"]["area_codes"] == list(report.placement_codes)
