"""Reading areas, indicators and assets from files: all-or-nothing, row-numbered errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from cocity.analytics.equity import (
    Areas,
    EquityInputError,
    ImportRejected,
    Points,
    concat_points,
    join_indicators,
    read_areas_geojson,
    read_indicators_csv,
    read_points,
    read_points_csv,
    read_points_geojson,
)
from cocity.analytics.tests.realdata import shared_data_dir


def _square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _write_geojson(path: Path, features: list, crs: str | None = None) -> Path:
    data: dict = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data))
    return path


def test_areas_with_numeric_indicators_and_text_skipped(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "areas.geojson",
        [
            _feature({"code": "A", "name": "North", "IMD_rank": 3, "pop": "1200"}, _square(0, 51)),
            _feature({"code": "B", "name": "South", "IMD_rank": 1, "pop": None}, _square(0.01, 51)),
        ],
        crs="urn:ogc:def:crs:OGC:1.3:CRS84",
    )
    imported = read_areas_geojson(path)
    assert imported.code_field == "code"
    assert imported.areas.codes == ("A", "B")
    np.testing.assert_array_equal(imported.areas.indicators["IMD_rank"], [3, 1])
    np.testing.assert_array_equal(imported.areas.indicators["pop"], [1200, np.nan])
    assert imported.skipped_properties == {"name": "text"}


def test_bad_areas_are_all_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "bad.geojson",
        [
            _feature({"code": "A"}, _square(0, 51)),
            _feature({"code": "A"}, _square(1, 51)),  # duplicate
            _feature({"code": ""}, _square(2, 51)),  # missing code
            _feature({"code": "D"}, {"type": "Point", "coordinates": [0, 51]}),
            _feature({"code": "E"}, None),
            _feature({"code": "F"}, _square(350000, 160000, 100)),  # British National Grid
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        read_areas_geojson(path)
    text = str(caught.value)
    assert "nothing was imported" in text
    wheres = [issue.where for issue in caught.value.issues]
    assert wheres == ["feature 2", "feature 3", "feature 4 (D)", "feature 5 (E)", "feature 6 (F)"]
    assert "duplicate code 'A' (first at feature 1)" in text
    assert "Point, expected Polygon" in text
    assert "projected" in text


def test_invalid_geometry_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[0, 51], [0.01, 51.01], [0.01, 51], [0, 51.01], [0, 51]]],
    }
    path = _write_geojson(tmp_path / "a.geojson", [_feature({"code": "X"}, bowtie)])
    imported = read_areas_geojson(path)
    assert imported.areas.polygons[0].is_valid
    assert imported.areas.polygons[0].area == pytest.approx(0.01 * 0.01 / 2)
    assert len(imported.repaired) == 1 and "Self-intersection" in imported.repaired[0].message


def test_declared_projected_crs_is_reprojected_with_pyproj(tmp_path: Path) -> None:
    pytest.importorskip("pyproj")
    # A 100 m square in British National Grid near Bath.
    path = _write_geojson(
        tmp_path / "bng.geojson",
        [_feature({"code": "B"}, _square(375000, 164800, 100))],
        crs="EPSG:27700",
    )
    polygon = read_areas_geojson(path).areas.polygons[0]
    lon, lat = polygon.centroid.x, polygon.centroid.y
    assert -2.37 < lon < -2.35 and 51.37 < lat < 51.39


def test_points_in_a_declared_projected_crs_are_reprojected(tmp_path: Path) -> None:
    pytest.importorskip("pyproj")
    point = {"type": "Point", "coordinates": [375111.0, 164857.0]}  # Guildhall, Bath (BNG)
    path = _write_geojson(tmp_path / "aq.geojson", [_feature({}, point)], crs="EPSG:27700")
    points = read_points_geojson(path).points
    # The B&NES file gives this station at -2.35902, 51.38221 in WGS84.
    assert points.lon[0] == pytest.approx(-2.35902, abs=2e-4)
    assert points.lat[0] == pytest.approx(51.38221, abs=2e-4)


def test_declared_projected_crs_without_pyproj_is_rejected(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyproj", None)  # import pyproj now raises ImportError
    path = _write_geojson(
        tmp_path / "bng.geojson",
        [_feature({"code": "B"}, _square(375000, 164800, 100))],
        crs="EPSG:27700",
    )
    with pytest.raises(ImportRejected, match="needs the pyproj package"):
        read_areas_geojson(path)


def test_indicator_csv_join(tmp_path: Path) -> None:
    areas = Areas(
        codes=("A", "B", "C"),
        polygons=np.array([shapely.box(i, 0, i + 1, 1) for i in range(3)], dtype=object),
        indicators={"population": [1.0, 2.0, 3.0]},
    )
    csv_path = tmp_path / "ind.csv"
    csv_path.write_text("code,population,decile,name\nB,1500,2,b\nA,1200,n/a,a\nZ,9,9,z\n")
    table = read_indicators_csv(csv_path)
    assert table.skipped_columns == {"name": "text"}
    joined = join_indicators(areas, table)
    np.testing.assert_array_equal(joined.areas.indicators["population"], [1200, 1500, np.nan])
    np.testing.assert_array_equal(joined.areas.indicators["decile"], [np.nan, 2, np.nan])
    assert joined.missing_codes == ("C",)
    assert joined.unmatched_codes == ("Z",)
    assert joined.replaced == ("population",)


def test_indicator_csv_errors_name_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "ind.csv"
    path.write_text('code,population\nA,1200\nA,1300\n,5\nC,"1,234"\nD,7\n')
    with pytest.raises(ImportRejected) as caught:
        read_indicators_csv(path)
    assert [str(i) for i in caught.value.issues] == [
        "line 3: duplicate code 'A' (first at line 2)",
        "line 4: empty 'code'",
        "line 5: 'population': '1,234' is not a number",
    ]


def test_points_csv_with_auto_columns_types_and_weights(tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "Longitude;Latitude;type;sockets;speed\n-2.36;51.38;ev_charger;2;\n-2.35;51.39;;4;30\n"
    )
    imported = read_points_csv(path, weight_field="sockets")
    points = imported.points
    np.testing.assert_array_equal(points.lon, [-2.36, -2.35])
    assert points.type_names == ("ev_charger", "assets")  # empty type: the file's name
    np.testing.assert_array_equal(points.weights, [2, 4])
    np.testing.assert_array_equal(points.attributes["speed"], [np.nan, 30])
    assert imported.rows == ("line 2", "line 3")


def test_points_csv_errors_name_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text("lon,lat\n-2.36,51.38\n,51.0\n51.38,-200\nabc,1\n")
    with pytest.raises(ImportRejected) as caught:
        read_points_csv(path)
    assert [i.where for i in caught.value.issues] == ["line 3", "line 4", "line 5"]
    assert "swapped" in str(caught.value)
    header_only = tmp_path / "empty.csv"
    header_only.write_text("lon,lat\n")
    with pytest.raises(ImportRejected, match="no data rows"):
        read_points_csv(header_only)
    no_coords = tmp_path / "nocoords.csv"
    no_coords.write_text("a,b\n1,2\n")
    with pytest.raises(ImportRejected, match="no longitude/latitude"):
        read_points_csv(no_coords)


def test_points_geojson_rejects_non_points(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "wifi.geojson",
        [
            _feature({"speed": 100}, {"type": "Point", "coordinates": [-2.3, 51.3]}),
            _feature({}, {"type": "MultiPoint", "coordinates": [[-2.3, 51.3]]}),
            _feature({}, _square(0, 51)),
        ],
    )
    with pytest.raises(ImportRejected, match=r"feature 3: geometry is a Polygon, expected Point"):
        read_points_geojson(path)


def test_read_points_dispatches_on_suffix_and_concat_merges_types(tmp_path: Path) -> None:
    csv_path = tmp_path / "sensors.csv"
    csv_path.write_text("lon,lat\n0.1,51.1\n")
    geo_path = _write_geojson(
        tmp_path / "wifi.geojson", [_feature({}, {"type": "Point", "coordinates": [0.2, 51.2]})]
    )
    both = concat_points([read_points(csv_path).points, read_points(geo_path).points])
    assert both.type_names == ("sensors", "wifi")
    assert both.type_codes.tolist() == [0, 1]
    assert len(both.of_types(["wifi"])) == 1
    with pytest.raises(EquityInputError, match=r"\.csv or \.geojson"):
        read_points(tmp_path / "x.txt")
    with pytest.raises(EquityInputError, match="file not found"):
        read_points(tmp_path / "missing.csv")


def test_model_checks_its_inputs() -> None:
    box = shapely.box(0, 0, 1, 1)
    with pytest.raises(EquityInputError, match="duplicate code"):
        Areas(codes=("A", "A"), polygons=np.array([box, box], dtype=object))
    with pytest.raises(EquityInputError, match="expected Polygon"):
        Areas(codes=("A",), polygons=np.array([shapely.Point(0, 0)], dtype=object))
    with pytest.raises(EquityInputError, match="invalid"):
        bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
        Areas(codes=("A",), polygons=np.array([bowtie], dtype=object))
    with pytest.raises(EquityInputError, match="expected 1 values"):
        Areas(codes=("A",), polygons=np.array([box], dtype=object), indicators={"x": [1, 2]})
    with pytest.raises(EquityInputError, match="non-finite"):
        Points(lon=[np.nan], lat=[1.0], type_codes=[0], type_names=("s",))
    with pytest.raises(EquityInputError, match="type_codes"):
        Points(lon=[1.0], lat=[1.0], type_codes=[3], type_names=("s",))
    with pytest.raises(EquityInputError, match="weights"):
        Points(lon=[1.0], lat=[1.0], type_codes=[0], type_names=("s",), weights=[-1.0])


@pytest.mark.realdata
def test_real_files_read_completely() -> None:
    places = shared_data_dir() / "places"
    if not places.is_dir():
        pytest.skip(f"real data not found at {places}")
    bristol = read_areas_geojson(places / "bristol_lsoa11_imd2019.geojson")
    assert len(bristol.areas) == 263 and bristol.code_field == "lsoa11_code"
    assert bristol.areas.indicators["IMD_decile"].min() == 1
    broadband = read_points(places / "banes_assets" / "ofcom_broadband_2013.geojson")
    assert len(broadband.points) == 6494
    assert "max_speed" in broadband.points.attributes
