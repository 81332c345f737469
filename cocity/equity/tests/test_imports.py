"""Imports of areas, indicators and assets: all or nothing, every problem with its row."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cocity.core.models import ActivityEntry
from cocity.equity import selectors, services
from cocity.equity.models import AssetChunk, EquityImport, ImportStatus
from cocity.equity.tests.helpers import (
    ROW,
    areas_file,
    centre,
    counts_points,
    feature_collection,
    import_file,
    points_csv,
    square,
)
from cocity.programme import services as programme
from cocity.territories.models import Area


def messages(job: EquityImport) -> list[tuple[str, str]]:
    return [(e["row"], e["message"]) for e in job.errors]


# --- Areas -----------------------------------------------------------------------------------


def test_equity_import_create_areas_fills_the_area_fields_and_keeps_other_numbers(
    territory: Any,
) -> None:
    job = import_file(territory, "areas", areas_file(broadband_pct=93.5))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    areas = {a.code: a for a in Area.objects.filter(territory=territory)}
    assert sorted(areas) == ["A1", "A2", "A3", "A4"]
    a1 = areas["A1"]
    assert (a1.name, a1.deprivation_rank, a1.deprivation_decile, a1.population) == (
        "Harbour",
        100,
        1,
        1000,
    )
    assert a1.indicators == {"broadband_pct": 93.5}
    assert a1.geometry["type"] == "Polygon"
    assert job.rows_total == job.rows_done == 4
    assert any("IMD_decile" in note for note in job.notes)
    assert ActivityEntry.objects.filter(territory=territory, verb="equity_areas_imported").exists()


def test_equity_import_create_areas_updates_by_code_and_keeps_initiative_links(
    territory: Any,
) -> None:
    kept = Area.objects.create(territory=territory, code="Z9", name="Not in the file")
    old = Area.objects.create(territory=territory, code="A1", name="Old name", population=5)
    initiative = programme.initiative_create(
        territory=territory, actor=None, title="Wifi", areas=[old]
    )
    job = import_file(territory, "areas", areas_file())
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.notes[0] == "3 new areas, 1 updated."
    old.refresh_from_db()
    assert (old.name, old.population, old.deprivation_decile) == ("Harbour", 1000, 1)
    assert list(initiative.areas.all()) == [old]
    assert Area.objects.filter(pk=kept.pk).exists()


def test_equity_import_create_areas_rejects_duplicate_codes_and_saves_nothing(
    territory: Any,
) -> None:
    rows = [*ROW[:2], {**ROW[2], "code": "A1"}]
    job = import_file(territory, "areas", areas_file(rows))
    assert job.status == ImportStatus.FAILED
    assert [row for row, _m in messages(job)] == ["feature 3"]
    assert "duplicate" in job.errors[0]["message"]
    assert not Area.objects.filter(territory=territory).exists()


def test_equity_import_create_areas_lists_every_out_of_range_decile(territory: Any) -> None:
    rows = [{**ROW[0], "IMD_decile": 11}, ROW[1], {**ROW[2], "IMD_decile": 2.5}, ROW[3]]
    job = import_file(territory, "areas", areas_file(rows))
    assert job.status == ImportStatus.FAILED
    assert [row for row, _m in messages(job)] == ["feature 1", "feature 3"]
    assert "from 1 to 10" in job.errors[0]["message"]
    assert not Area.objects.exists()


def test_equity_import_create_areas_repairs_a_self_crossing_polygon_and_says_so(
    territory: Any,
) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[0, 51], [0.01, 51.01], [0.01, 51], [0, 51.01], [0, 51]]],
    }
    data = feature_collection([(ROW[0], square(0)), (ROW[1], bowtie)])
    job = import_file(territory, "areas", data)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert any(note.startswith("Repaired feature 2") for note in job.notes)
    repaired = Area.objects.get(territory=territory, code="A2").geometry
    assert repaired["type"] in {"Polygon", "MultiPolygon"}


def test_equity_import_create_areas_reports_geometry_that_is_not_a_polygon(territory: Any) -> None:
    data = feature_collection(
        [(ROW[0], square(0)), (ROW[1], {"type": "Point", "coordinates": [0, 51]}), (ROW[2], None)]
    )
    job = import_file(territory, "areas", data)
    assert job.status == ImportStatus.FAILED
    rows = [row for row, _m in messages(job)]
    assert rows == ["feature 2 (A2)", "feature 3 (A3)"]
    assert not Area.objects.exists()


def test_equity_import_create_areas_reprojects_a_declared_national_grid(territory: Any) -> None:
    from pyproj import Transformer

    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    lon0, lat0 = -2.36, 51.38  # Bath
    corners = [(lon0, lat0), (lon0 + 0.01, lat0), (lon0 + 0.01, lat0 + 0.01), (lon0, lat0 + 0.01)]
    ring = [list(to_grid.transform(x, y)) for x, y in corners]
    ring.append(ring[0])
    data = feature_collection(
        [({"code": "B1"}, {"type": "Polygon", "coordinates": [ring]})], crs="EPSG:27700"
    )
    job = import_file(territory, "areas", data)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    x, y = Area.objects.get(code="B1").geometry["coordinates"][0][0]
    assert x == pytest.approx(lon0, abs=1e-6) and y == pytest.approx(lat0, abs=1e-6)


def test_equity_import_create_areas_rejects_undeclared_projected_coordinates(
    territory: Any,
) -> None:
    ring = [[375000, 165000], [376000, 165000], [376000, 166000], [375000, 165000]]
    job = import_file(
        territory,
        "areas",
        feature_collection([({"code": "B1"}, {"type": "Polygon", "coordinates": [ring]})]),
    )
    assert job.status == ImportStatus.FAILED
    assert "projected" in job.errors[0]["message"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"not json at all", "JSON"),
        (b"", "empty"),
        (b"PK\x03\x04zipped shapefile", "not a readable zip archive"),
        (gzip.compress(b"cut short", mtime=0)[:-6], "cut short"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20, "cannot be unpacked"),
    ],
)
def test_equity_import_create_areas_refuses_an_unreadable_file(
    territory: Any, data: bytes, expected: str
) -> None:
    job = import_file(territory, "areas", data)
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["row"] == ""
    assert expected in job.errors[0]["message"]


def test_equity_import_create_reads_gzip_files(territory: Any) -> None:
    job = import_file(territory, "areas", gzip.compress(areas_file()), name="areas.geojson.gz")
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert Area.objects.filter(territory=territory).count() == 4


def test_equity_import_create_refuses_what_unpacks_past_the_limit(
    territory: Any, settings: Any
) -> None:
    settings.COCITY_EQUITY_MAX_UNPACKED_BYTES = 1000
    job = import_file(territory, "areas", gzip.compress(areas_file()), name="areas.geojson.gz")
    assert job.status == ImportStatus.FAILED
    assert "unpacks to more than" in job.errors[0]["message"]


def test_equity_import_create_refuses_a_file_over_the_size_limit(
    territory: Any, settings: Any
) -> None:
    settings.COCITY_EQUITY_MAX_BYTES = 100
    job = import_file(territory, "areas", areas_file())
    assert job.status == ImportStatus.FAILED
    assert not Area.objects.exists()


def test_equity_import_create_rejects_unknown_options(territory: Any) -> None:
    with pytest.raises(ValidationError):
        import_file(territory, "areas", areas_file(), colour="red")


def test_equity_import_create_names_a_missing_code_column(territory: Any) -> None:
    job = import_file(territory, "areas", areas_file(), code_field="LSOA21CD")
    assert job.status == ImportStatus.FAILED
    assert "LSOA21CD" in job.errors[0]["message"]


# --- Indicators --------------------------------------------------------------------------


def test_equity_import_create_indicators_joins_by_code_and_ignores_other_places(
    territory: Any,
) -> None:
    import_file(territory, "areas", areas_file())
    data = points_csv(
        [["A1", "1500", "71.5"], ["A2", "", "80"], ["E0100", "300", "x"]],
        header=("code", "population", "fibre_pct"),
    )
    # "x" in a row of another place is still a mixed column: the reader refuses it.
    assert import_file(territory, "indicators", data).status == ImportStatus.FAILED
    data = points_csv(
        [["A1", "1500", "71.5"], ["A2", "", "80"], ["E0100", "300", "60"]],
        header=("code", "population", "fibre_pct"),
    )
    job = import_file(territory, "indicators", data)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    a1, a2, a3 = (Area.objects.get(territory=territory, code=c) for c in ("A1", "A2", "A3"))
    assert (a1.population, a1.indicators) == (1500, {"fibre_pct": 71.5})
    assert a2.population == 1000  # an empty cell keeps what the area had
    assert a3.indicators == {}
    assert any("1 rows name codes" in n for n in job.notes)
    assert not Area.objects.filter(code="E0100").exists()


def test_equity_import_create_indicators_lists_bad_values_by_line(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    data = points_csv([["A1", "3"], ["A2", "0"], ["A3", "12"]], header=("code", "IMD_decile"))
    job = import_file(territory, "indicators", data)
    assert job.status == ImportStatus.FAILED
    assert [row for row, _m in messages(job)] == ["line 3", "line 4"]
    assert Area.objects.get(code="A1").deprivation_decile == 1


def test_equity_import_create_indicators_refuses_a_file_of_no_known_code(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    job = import_file(
        territory, "indicators", points_csv([["X1", "3"]], header=("code", "IMD_decile"))
    )
    assert job.status == ImportStatus.FAILED
    assert "None of the 1 codes" in job.errors[0]["message"]


# --- Assets ----------------------------------------------------------------------------------


def test_equity_import_create_assets_places_each_point_in_its_area(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    rows = [
        [*centre(0), "wifi", "100"],
        [*centre(3), "wifi", ""],
        [*centre(3), "charger", "22"],
        [5.0, 5.0, "charger", "7"],  # far away: in no area
    ]
    job = import_file(territory, "assets", points_csv(rows, ("lon", "lat", "type", "speed")))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.counts_by_type == {"wifi": 2, "charger": 2}
    assert job.n_outside == 1
    assert "1 point lies outside every area" in job.notes[0]
    page = selectors.asset_page(territory=territory, offset=0, limit=10)
    assert page.count == 4
    assert [(r.asset_type, r.area_code) for r in page.rows] == [
        ("wifi", "A1"),
        ("wifi", "A4"),
        ("charger", "A4"),
        ("charger", ""),
    ]
    assert page.rows[0].attributes == {"speed": 100.0}
    assert page.rows[1].attributes == {}


def test_equity_import_create_assets_gives_every_point_the_chosen_type(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    job = import_file(
        territory, "assets", points_csv([[*centre(0), "x"], [*centre(1), "y"]]), asset_type="kiosk"
    )
    assert job.counts_by_type == {"kiosk": 2}


def test_equity_import_create_assets_reads_geojson_points(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    data = feature_collection(
        [
            ({"kind": "sensor", "height": 3}, {"type": "Point", "coordinates": list(centre(1))}),
            ({"kind": "sensor"}, {"type": "Point", "coordinates": list(centre(2))}),
        ]
    )
    job = import_file(territory, "assets", data, name="sensors.geojson")
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.counts_by_type == {"sensor": 2}
    assert [
        r.area_code for r in selectors.asset_page(territory=territory, offset=0, limit=5).rows
    ] == ["A2", "A3"]


def test_equity_import_create_assets_with_bad_rows_saves_no_point(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    rows = [[*centre(0), "wifi"], ["", "51", "wifi"], [*centre(1), "wifi"], ["-2.3", "951", "wifi"]]
    job = import_file(territory, "assets", points_csv(rows))
    assert job.status == ImportStatus.FAILED
    assert [row for row, _m in messages(job)] == ["line 3", "line 5"]
    assert not AssetChunk.objects.exists()
    assert selectors.asset_page(territory=territory, offset=0, limit=5).count == 0


def test_equity_import_create_assets_needs_areas_first(territory: Any) -> None:
    job = import_file(territory, "assets", points_csv([[*centre(0), "wifi"]]))
    assert job.status == ImportStatus.FAILED
    assert "import the areas first" in job.errors[0]["message"]


def test_equity_import_create_assets_border_point_goes_to_the_first_code(territory: Any) -> None:
    # Imported east to west, so that the first code is not the first row of the file.
    rows = list(ROW)[::-1]
    features = [(row, square(3 - i)) for i, row in enumerate(rows)]
    import_file(territory, "areas", feature_collection(features))
    border = [[0.01, 51.005, "wifi"], [0.02, 51.005, "wifi"]]  # A1|A2 and A2|A3
    import_file(territory, "assets", points_csv(border))
    page = selectors.asset_page(territory=territory, offset=0, limit=5)
    assert [r.area_code for r in page.rows] == ["A1", "A2"]


def test_equity_import_create_assets_in_chunks_pages_the_same_points(
    territory: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("cocity.equity.services.asset_imports.CHUNK_POINTS", 3)
    import_file(territory, "areas", areas_file())
    rows = [[*centre(i % 4), "wifi" if i % 3 else "charger"] for i in range(11)]
    job = import_file(territory, "assets", points_csv(rows))
    assert job.chunks.count() == 4
    everything = selectors.asset_page(territory=territory, offset=0, limit=100).rows
    assert [r.index for r in everything] == list(range(11))
    for offset, limit in [(2, 4), (5, 3), (9, 10)]:
        page = selectors.asset_page(territory=territory, offset=offset, limit=limit).rows
        assert page == everything[offset : offset + limit]
    chargers = [r for r in everything if r.asset_type == "charger"]
    page = selectors.asset_page(territory=territory, offset=1, limit=2, asset_type="charger")
    assert (page.count, page.rows) == (4, chargers[1:3])
    assert list(selectors.asset_rows_iter(territory=territory)) == everything


def test_asset_batch_delete_removes_the_points(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    job = import_file(territory, "assets", counts_points([1, 2, 0, 0]))
    services.asset_batch_delete(batch=job, actor=None)
    assert not EquityImport.objects.filter(pk=job.pk).exists()
    assert not AssetChunk.objects.exists()
    with pytest.raises(ValidationError):
        services.asset_batch_delete(batch=EquityImport.objects.get(kind="areas"), actor=None)


def test_equity_import_fail_unexpectedly_marks_the_job_and_drops_its_points(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    job = import_file(territory, "assets", counts_points([1]))
    EquityImport.objects.filter(pk=job.pk).update(status=ImportStatus.SAVING)
    services.equity_import_fail_unexpectedly(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "unexpectedly" in job.errors[0]["message"]
    assert not job.chunks.exists()


def test_import_stores_geometry_as_geojson(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    geometry = Area.objects.get(code="A2").geometry
    assert json.loads(json.dumps(geometry)) == geometry
    assert geometry["coordinates"][0][0] == [0.01, 51.0]


def test_equity_import_create_refuses_nul_characters_the_database_cannot_store(
    territory: Any,
) -> None:
    rows = [{**ROW[0], "name": "Har\x00bour"}, ROW[1]]
    job = import_file(territory, "areas", areas_file(rows))
    assert job.status == ImportStatus.FAILED
    assert [row for row, _m in messages(job)] == ["feature 1"]
    import_file(territory, "areas", areas_file())
    data = points_csv([[*centre(0), "wi\x00fi"]])
    job = import_file(territory, "assets", data, name="nul\x00.csv")
    assert job.status == ImportStatus.FAILED and job.file_name == "nul.csv"
    assert "NUL" in job.errors[0]["message"]
    broken = areas_file([{**ROW[0], "name": "\ud800"}])
    assert import_file(territory, "areas", broken).status == ImportStatus.FAILED
