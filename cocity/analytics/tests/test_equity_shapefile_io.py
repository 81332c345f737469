"""Areas from zipped Shapefiles: reprojected to WGS84, the same checks as GeoJSON, and the
archive itself checked before GDAL reads it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from cocity.analytics.equity import (
    ImportRejected,
    area_properties,
    assign_points,
    read_areas,
    read_areas_geojson,
    read_areas_shapefile,
)
from cocity.analytics.tests.realdata import real_data
from cocity.analytics.tests.shapefiles import BATH, FIELDS, zipped_shapefile

TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def test_a_zipped_shapefile_in_british_national_grid_gives_wgs84_areas(tmp_path: Path) -> None:
    imported = read_areas(zipped_shapefile(tmp_path, BATH, FIELDS))
    assert imported.code_field == "LSOA11CD"
    assert imported.areas.codes == ("E01014370", "E01014371", "E01014372")
    assert imported.areas.indicators["IMD_decile"].tolist() == [4.0, 1.0, 9.0]
    assert "LSOA11NM" in imported.skipped_properties  # text, kept by area_properties
    for square, polygon in zip(BATH, imported.areas.polygons, strict=True):
        expected = TO_WGS84.transform(square.centroid.x, square.centroid.y)
        assert polygon.centroid.x == pytest.approx(expected[0], abs=1e-6)
        assert polygon.centroid.y == pytest.approx(expected[1], abs=1e-6)
    assert -2.40 < imported.areas.polygons[0].centroid.x < -2.30  # Bath, not Greenwich


def test_area_properties_of_a_shapefile_keep_its_text(tmp_path: Path) -> None:
    rows = area_properties(zipped_shapefile(tmp_path, BATH, FIELDS))
    assert [row["LSOA11NM"] for row in rows] == FIELDS["LSOA11NM"]
    assert rows[1]["IMD_decile"] == 1


def test_a_shapefile_in_a_folder_of_the_archive_is_found(tmp_path: Path) -> None:
    archive = zipped_shapefile(tmp_path, BATH, FIELDS, inside="bath/lsoa/")
    assert read_areas_shapefile(archive).areas.codes[0] == "E01014370"


def test_shapefile_rows_are_checked_like_geojson_features(tmp_path: Path) -> None:
    fields = {**FIELDS, "LSOA11CD": ["E01014370", "E01014370", ""]}
    with pytest.raises(ImportRejected) as caught:
        read_areas(zipped_shapefile(tmp_path, BATH, fields))
    rows = {issue.where for issue in caught.value.issues}
    assert rows == {"feature 2", "feature 3"}
    assert "duplicate" in str(caught.value) and "missing 'LSOA11CD'" in str(caught.value)


def test_a_shapefile_without_prj_in_metres_is_refused_as_projected(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="projected coordinates"):
        read_areas(zipped_shapefile(tmp_path, BATH, FIELDS, crs=None))


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "upload.zip"
    path.write_bytes(data)
    return path


def _archive(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w") as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: _file(d, b"PK\x03\x04 cut short"), "not a readable zip"),
        (lambda d: _archive(d, {"readme.txt": b"hello"}), "no Shapefile (.shp) in the archive"),
        (
            lambda d: _archive(d, {f"{n}.{e}": b"" for n in "ab" for e in ("shp", "shx", "dbf")}),
            "2 Shapefiles in the archive",
        ),
        (
            lambda d: zipped_shapefile(d, BATH, FIELDS, leave_out=[".dbf"]),
            "areas.shp has no .dbf beside it",
        ),
        (
            lambda d: _archive(d, {"a.shp": b"junk", "a.shx": b"junk", "a.dbf": b"junk"}),
            "a.shp is not a readable Shapefile",
        ),
    ],
    ids=["not-a-zip", "no-shp", "two-shp", "no-dbf", "junk-shp"],
)
def test_unusable_archives_are_refused_with_the_reason(tmp_path: Path, make, message) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_areas(make(tmp_path))
    assert message in str(caught.value)
    assert [issue.where for issue in caught.value.issues] == ["file"]


def test_an_archive_that_unpacks_too_large_is_refused_unread(tmp_path: Path) -> None:
    archive = zipped_shapefile(tmp_path, BATH, FIELDS)
    with pytest.raises(ImportRejected, match="the archive unpacks to"):
        read_areas(archive, max_unpacked_bytes=100)


@pytest.mark.realdata
def test_real_banes_areas_as_a_shapefile_match_the_geojson(tmp_path: Path) -> None:
    source = real_data("places", "banes_lsoa11_imd2019.geojson")
    geojson = read_areas_geojson(source)
    features = json.loads(source.read_text())["features"]
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    polygons = [
        shapely.transform(p, lambda c: np.column_stack(to_bng.transform(c[:, 0], c[:, 1])))
        for p in geojson.areas.polygons
    ]
    fields = {
        "LSOA11CD": [f["properties"]["lsoa11_code"] for f in features],
        "IMD_decile": [f["properties"]["IMD_decile"] for f in features],
    }
    shapefile = read_areas(zipped_shapefile(tmp_path, polygons, fields))
    assert shapefile.areas.codes == geojson.areas.codes
    assert np.array_equal(
        shapefile.areas.indicators["IMD_decile"], geojson.areas.indicators["IMD_decile"]
    )
    rng = np.random.default_rng(7)
    xmin, ymin, xmax, ymax = shapely.total_bounds(geojson.areas.polygons)
    lon, lat = rng.uniform(xmin, xmax, 20_000), rng.uniform(ymin, ymax, 20_000)
    there = assign_points(geojson.areas.polygons, lon, lat).area_index
    back = assign_points(shapefile.areas.polygons, lon, lat).area_index
    # The round trip through the grid moves boundaries by under a millimetre.
    assert np.mean(there == back) > 0.999


def test_corrupt_shapefile_parts_are_refused_never_crash(tmp_path: Path) -> None:
    """Flipped bytes, cut files and noise in each part (found by fuzzing: pyogrio raised
    UnicodeDecodeError and UnboundLocalError on some): always a readable refusal."""
    with zipfile.ZipFile(zipped_shapefile(tmp_path, BATH, FIELDS)) as good:
        parts = {name: good.read(name) for name in good.namelist()}
    rng = np.random.default_rng(3)
    for trial in range(80):
        members = {}
        for name, data in parts.items():
            damaged = bytearray(data)
            mode = rng.integers(4)
            if mode == 0 and damaged:
                for at in rng.integers(len(damaged), size=int(rng.integers(1, 20))):
                    damaged[at] = int(rng.integers(256))
            elif mode == 1:
                damaged = damaged[: int(rng.integers(len(damaged) + 1))]
            elif mode == 2:
                damaged = bytearray(rng.bytes(int(rng.integers(200))))
            members[name] = bytes(damaged)
        archive = _archive(tmp_path, members)
        for reader in (read_areas, area_properties):
            try:
                reader(archive)
            except ImportRejected as refused:
                assert str(refused), trial
