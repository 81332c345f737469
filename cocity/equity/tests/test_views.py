"""Equity pages: who sees and does what, the map and curves, uploads, exports, query counts."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET  # the S314 noqa below: these parse our own answers
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.analytics.tests.shapefiles import BATH, FIELDS, zipped_shapefile
from cocity.equity import services
from cocity.equity.models import EquityImport, ImportStatus, InvestmentAllocation
from cocity.equity.tests.helpers import ROW, areas_file, counts_points, import_file
from cocity.programme import services as programme
from cocity.territories.models import Area

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def city(territory: Any) -> Any:
    import_file(territory, "areas", areas_file())
    import_file(territory, "assets", counts_points([0, 1, 2, 6]))
    services.equity_result_request(territory=territory, run="now")
    return territory


def url(name: str, territory: Any = "lund", *args: Any) -> str:
    slug = getattr(territory, "slug", territory)
    return reverse(f"equity:{name}", args=[slug, *args])


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def inline_svg(html: str, css_class: str) -> ET.Element:
    found = re.search(rf'<svg [^>]*class="{css_class}".*?</svg>', html, re.DOTALL)
    assert found, f"no {css_class} SVG on the page"
    return ET.fromstring(found.group(0))  # noqa: S314


# --- Reading ---------------------------------------------------------------------------------


def test_index_shows_findings_and_a_map_to_anonymous_visitors(client: Any, city: Any) -> None:
    response = client.get(url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "concentrated in the less deprived areas" in html
    svg = inline_svg(html, "equity-map")
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby", "").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled
    paths = svg.findall(f"{SVG}g/{SVG}path")
    assert len(paths) == 4
    assert paths[0].find(f"{SVG}title").text == "Harbour (A1): 0.00"
    # The darkest colour goes to the area with the most assets per resident.
    assert paths[3].get("fill") == "#253494"
    assert "Old Town" in html and "no asset" in html  # the most deprived area is unserved


def test_index_without_results_explains_what_to_import(client_as: Any, territory: Any) -> None:
    response = client_as("officer").get(url("index"))
    assert response.status_code == 200
    assert b"There are no equity results yet" in response.content
    assert url("data").encode() in response.content


def test_index_map_shows_the_measure_chosen_without_javascript(client: Any, city: Any) -> None:
    response = client.get(url("index"), {"measure": "type:ev_charger"})
    assert response.status_code == 200
    assert inline_svg(response.content.decode(), "equity-map").find(f"{SVG}title").text == (
        "EV charger (number)"
    )
    response = client.get(url("index"), {"measure": "ind:nothing"})
    assert response.status_code == 400
    assert b'class="error"' in response.content
    assert b"equity-map" in response.content  # the default map is still drawn


def test_map_svg_is_a_valid_file_with_one_path_per_area_and_its_legend(
    client: Any, city: Any
) -> None:
    response = client.get(url("map_svg"), {"measure": "decile", "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f"{SVG}g/{SVG}path")) == 4
    legend = [t.text for t in root.findall(f"{SVG}text")]
    assert legend[0] == "Deprivation decile (1 = most deprived)"
    assert client.get(url("map_svg"), {"measure": "nonsense"}).status_code == 404


def test_map_escapes_area_names(client: Any, territory: Any) -> None:
    rows = [{**ROW[0], "name": "<script>alert(1)</script> & co"}, *ROW[1:]]
    import_file(territory, "areas", areas_file(rows))
    services.equity_result_request(territory=territory, run="now")
    response = client.get(url("map_svg"))
    root = ET.fromstring(response.content)  # noqa: S314  # parses: the name was escaped
    titles = [p.find(f"{SVG}title").text for p in root.findall(f"{SVG}g/{SVG}path")]
    assert titles[0].startswith("<script>alert(1)</script> & co (A1)")
    assert b"<script>alert" not in client.get(url("index")).content


def test_curves_page_draws_the_curves_with_a_table(client: Any, city: Any) -> None:
    response = client.get(url("curves"))
    assert response.status_code == 200
    html = response.content.decode()
    svg = inline_svg(html, "equity-curve")
    assert len(svg.findall(f"{SVG}polyline")) == 2  # Lorenz and concentration
    assert "The curves as a table" in html and "By deprivation decile" in html


def test_private_territory_pages_are_hidden_from_outsiders(
    client: Any, client_as: Any, other_territory: Any
) -> None:
    for name in ("index", "curves", "areas", "assets", "reach", "whatif", "map_svg", "data"):
        assert client.get(url(name, other_territory)).status_code == 404, name
    member_of_lund = client_as("facilitator")
    for name in ("index", "export_areas_csv", "export_assets_csv", "data"):
        assert member_of_lund.get(url(name, other_territory)).status_code == 404, name


def test_area_table_lists_every_area_with_few_queries(
    client: Any, city: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        response = client.get(url("areas"), {"sort": "-count"})
    assert response.status_code == 200
    codes = re.findall(r"<td>(A\d)</td>", response.content.decode())
    assert codes == ["A4", "A3", "A2", "A1"]


def test_asset_list_pages_through_assets_with_few_queries(
    client: Any, city: Any, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("cocity.equity.services.asset_imports.CHUNK_POINTS", 2)
    import_file(city, "assets", counts_points([30, 30, 30, 30], asset_type="sensor"))
    with django_assert_max_num_queries(14):
        response = client.get(url("assets"), {"type": "sensor", "page": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Page 2 of 3 (120 in all)" in html
    assert html.count("<td>sensor</td>") == 50


def test_reach_page_costs_the_same_queries_for_many_initiatives(
    client_as: Any, city: Any, django_assert_max_num_queries: Any
) -> None:
    areas = list(Area.objects.filter(territory=city))
    for i in range(12):
        programme.initiative_create(
            territory=city,
            actor=None,
            title=f"Initiative {i}",
            areas=areas[: 1 + i % 4],
            budget=Decimal(1000),
        )
    client = client_as("officer")
    with django_assert_max_num_queries(16):
        response = client.get(url("reach"))
    assert response.status_code == 200
    assert response.content.decode().count("Allocate<span") == 12


def test_whatif_places_new_assets_in_the_most_deprived_areas_first(client: Any, city: Any) -> None:
    response = client.get(url("whatif"), {"new_assets": "2", "max_per_area": "1", "asset_type": ""})
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<td>(A\d)</td>", html)
    assert rows == ["A1", "A2"]
    assert client.get(url("whatif"), {"new_assets": "0"}).status_code == 400


# --- Writing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["citizen", "partner", "observer"])
def test_import_pages_are_for_editors_only(client_as: Any, territory: Any, role: str) -> None:
    client = client_as(role)
    assert client.get(url("data")).status_code == 403
    upload = SimpleUploadedFile("areas.geojson", areas_file())
    assert client.post(url("import", territory, "areas"), {"areas-file": upload}).status_code == 403
    assert client.post(url("compute")).status_code == 403
    assert not Area.objects.exists()


def test_import_pages_send_anonymous_visitors_to_sign_in(client: Any, territory: Any) -> None:
    response = client.get(url("data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(url("import", territory, "areas"))
    assert response.status_code in (302, 403)  # CSRF or sign-in: never a write
    assert not Area.objects.exists()


def test_import_upload_imports_areas_and_computes_the_results(
    client_as: Any, territory: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("officer")
    upload = SimpleUploadedFile("areas.geojson", areas_file())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("import", territory, "areas"), {"areas-file": upload})
    job = EquityImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("import_detail", territory, job.pk)
    assert job.status == ImportStatus.SUCCEEDED and job.created_by.username == "oscar"
    page = client.get(response["Location"])
    assert b"4 new areas, 0 updated." in page.content
    assert client.get(url("index")).status_code == 200
    assert b"equity-map" in client.get(url("index")).content


def test_import_upload_of_a_bad_file_lists_the_rows_and_saves_nothing(
    client_as: Any, territory: Any
) -> None:
    client = client_as("officer")
    rows = [{**ROW[0], "IMD_decile": 0}, *ROW[1:3], {**ROW[3], "code": "A1"}]
    upload = SimpleUploadedFile("areas.geojson", areas_file(rows))
    response = client.post(url("import", territory, "areas"), {"areas-file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: 2 problems were found." in html
    assert "feature 1" in html and "feature 4" in html
    assert not Area.objects.exists()


def test_import_upload_of_an_unreadable_file_shows_the_error_by_the_field(
    client_as: Any, territory: Any
) -> None:
    client = client_as("officer")
    upload = SimpleUploadedFile("assets.zip", b"PK\x03\x04...")
    response = client.post(url("import", territory, "assets"), {"assets-file": upload})
    assert response.status_code == 400
    assert b"Zip archives cannot be read here" in response.content
    assert b'id="id_assets-file_error"' in response.content


def test_import_upload_of_a_broken_zip_for_areas_says_so_and_saves_nothing(
    client_as: Any, territory: Any
) -> None:
    client = client_as("officer")
    upload = SimpleUploadedFile("areas.zip", b"PK\x03\x04...")
    response = client.post(url("import", territory, "areas"), {"areas-file": upload})
    assert response.status_code == 400
    assert b"not a readable zip archive" in response.content
    assert not Area.objects.exists()


def test_import_problems_are_listed_in_the_readers_language(client_as: Any, territory: Any) -> None:
    client = client_as("officer")
    rows = [*ROW[:3], {**ROW[3], "code": "A1"}]
    upload = SimpleUploadedFile("areas.geojson", areas_file(rows))
    response = client.post(
        url("import", territory, "areas"), {"areas-file": upload}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "objekt 4" in html and "förekommer två gånger (första gången i objekt 1)" in html
    broken = SimpleUploadedFile("areas.zip", b"PK\x03\x04...")
    response = client.post(
        url("import", territory, "areas"), {"areas-file": broken}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert "inte ett läsbart zip-arkiv" in response.content.decode()


def test_import_upload_of_a_zipped_shapefile_creates_the_areas_with_their_names(
    client_as: Any, territory: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("officer")
    archive = zipped_shapefile(tmp_path, BATH, FIELDS)  # British National Grid, with a .prj
    upload = SimpleUploadedFile("bath-lsoa.zip", archive.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("import", territory, "areas"), {"areas-file": upload})
    assert response.status_code == 302
    assert EquityImport.objects.get().status == ImportStatus.SUCCEEDED
    areas = {a.code: a for a in Area.objects.filter(territory=territory)}
    assert sorted(areas) == FIELDS["LSOA11CD"]
    assert areas["E01014371"].name == "Bath 007B"
    assert areas["E01014371"].deprivation_decile == 1
    lon, lat = areas["E01014370"].geometry["coordinates"][0][0]
    assert -2.5 < lon < -2.2 and 51.3 < lat < 51.5  # reprojected to WGS84


def test_import_upload_of_a_large_file_queues_a_task_and_shows_progress(
    client_as: Any, territory: Any, settings: Any
) -> None:
    settings.COCITY_EQUITY_TASK_THRESHOLD_BYTES = 10
    client = client_as("officer")
    upload = SimpleUploadedFile("areas.geojson", areas_file())
    response = client.post(url("import", territory, "areas"), {"areas-file": upload})
    job = EquityImport.objects.get()
    assert job.status == ImportStatus.QUEUED
    page = client.get(response["Location"])
    assert b"Waiting to start" in page.content and b"hx-get" in page.content
    progress = client.get(url("import_progress", territory, job.pk), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and "HX-Refresh" not in progress


def test_import_errors_csv_lists_every_problem(client_as: Any, territory: Any) -> None:
    rows = [{**ROW[0], "IMD_decile": 0}, {**ROW[1], "IMD_decile": "=cmd()"}]
    job = import_file(territory, "areas", areas_file(rows))
    response = client_as("officer").get(url("import_errors", territory, job.pk))
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert lines[0] == ["row", "message"]
    assert [line[0] for line in lines[1:]] == ["feature 1", "feature 2"]
    assert "=cmd()" in lines[2][1]  # a typo in the decile column is an error, not a skipped column
    assert client_as("citizen").get(url("import_errors", territory, job.pk)).status_code == 403


def test_batch_delete_removes_a_file_of_assets(client_as: Any, city: Any) -> None:
    batch = EquityImport.objects.get(kind="assets")
    client = client_as("citizen")
    assert client.post(url("batch_delete", city, batch.pk)).status_code == 403
    client = client_as("officer")
    response = client.post(url("batch_delete", city, batch.pk))
    assert response.status_code == 302
    assert not EquityImport.objects.filter(pk=batch.pk).exists()
    assert client.post(url("batch_delete", city, batch.pk)).status_code == 404


def test_compute_asks_for_new_results(client_as: Any, city: Any) -> None:
    area = Area.objects.get(code="A1")
    area.population = 10
    area.save()
    response = client_as("facilitator").post(url("compute"))
    assert response.status_code == 302
    page = client_as("facilitator").get(response["Location"])
    assert b"The results are up to date." in page.content
    assert b"Compute the results again" not in page.content


def test_allocation_edit_saves_amounts_and_refuses_more_than_the_budget(
    client_as: Any, city: Any
) -> None:
    areas = list(Area.objects.filter(territory=city, code__in=["A1", "A2"]))
    initiative = programme.initiative_create(
        territory=city, actor=None, title="Wifi", areas=areas, budget=Decimal(1000)
    )
    client = client_as("officer")
    page = client.get(url("allocation", city, initiative.pk))
    assert page.status_code == 200
    assert b'value="500.00"' in page.content  # the even split is offered
    fields = {f"area_{a.pk}": "600" for a in areas}
    response = client.post(url("allocation", city, initiative.pk), fields)
    assert response.status_code == 400
    assert b"more than the budget" in response.content
    fields = {f"area_{areas[0].pk}": "900", f"area_{areas[1].pk}": "100"}
    response = client.post(url("allocation", city, initiative.pk), fields)
    assert response.status_code == 302
    assert sorted(InvestmentAllocation.objects.values_list("amount", flat=True)) == [100, 900]
    response = client.post(url("allocation", city, initiative.pk), {"action": "reset"})
    assert response.status_code == 302 and not InvestmentAllocation.objects.exists()
    assert client_as("partner").get(url("allocation", city, initiative.pk)).status_code == 403


def test_allocation_edit_hides_drafts_and_other_territories(
    client_as: Any, city: Any, other_territory: Any
) -> None:
    foreign = programme.initiative_create(territory=other_territory, actor=None, title="Theirs")
    client = client_as("officer")
    assert client.get(url("allocation", city, foreign.pk)).status_code == 404


# --- Exports ---------------------------------------------------------------------------------


def test_export_areas_csv_has_one_row_per_area_with_its_measures(client: Any, city: Any) -> None:
    response = client.get(url("export_areas_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["A1", "A2", "A3", "A4"]
    assert [float(r["assets"]) for r in rows] == [0, 1, 2, 6]
    assert [r["covered"] for r in rows] == ["0", "1", "1", "1"]
    assert rows[3]["assets_ev_charger"] == "6.0"


def test_export_areas_geojson_is_a_feature_collection_with_measures(client: Any, city: Any) -> None:
    response = client.get(url("export_areas_geojson"))
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == ["A1", "A2", "A3", "A4"]
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert data["features"][3]["properties"]["assets_per_1000_residents"] == 6


def test_export_assets_csv_lists_every_asset_with_its_area(client: Any, city: Any) -> None:
    response = client.get(url("export_assets_csv"))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 9
    assert sorted({r["area_code"] for r in rows}) == ["A2", "A3", "A4"]
    assert rows[0]["source"] == "assets.csv" and rows[0]["point_in_file"] == "1"


def test_export_report_json_has_findings_and_no_map(client: Any, city: Any) -> None:
    data = json.loads(client.get(url("export_report")).content)
    assert data["is_current"] is True
    assert data["findings"] and "map" not in data
    assert len(data["areas"]) == 4


def test_exports_without_results_answer_404(client: Any, territory: Any) -> None:
    for name in ("export_areas_csv", "export_areas_geojson", "export_report", "map_svg"):
        assert client.get(url(name)).status_code == 404, name


def test_index_costs_a_handful_of_queries(
    client: Any, city: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        assert client.get(url("index")).status_code == 200


def test_imports_of_another_territory_stay_out_of_reach(
    client_as: Any, city: Any, other_territory: Any
) -> None:
    import_file(other_territory, "areas", areas_file())
    theirs = import_file(other_territory, "assets", counts_points([1]))
    client = client_as("facilitator")  # a facilitator of Lund, not of Bristol
    assert client.get(url("import_detail", city, theirs.pk)).status_code == 404
    assert client.get(url("import_errors", city, theirs.pk)).status_code == 404
    assert client.post(url("batch_delete", city, theirs.pk)).status_code == 404
    assert EquityImport.objects.filter(pk=theirs.pk).exists()


def test_admin_lists_equity_records_for_staff(client: Any, city: Any) -> None:
    from cocity.core.testing import make_user

    client.force_login(make_user(is_staff=True, is_superuser=True))
    for model in ("equityimport", "equityresult", "investmentallocation"):
        response = client.get(reverse(f"admin:equity_{model}_changelist"))
        assert response.status_code == 200, model
    job = EquityImport.objects.filter(kind="assets").get()
    assert client.get(reverse("admin:equity_equityimport_change", args=[job.pk])).status_code == 200
