"""API: the stored equity results, the measures per area and the assets, page by page."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from cocity.core.api_testing import api_url, assert_error, queries_for_get, send
from cocity.core.models import ResultStatus
from cocity.equity import services
from cocity.equity.models import EquityResult
from cocity.equity.tests.helpers import areas_file, counts_points, import_file
from cocity.territories import services as territories
from cocity.territories.models import Area


@pytest.fixture
def city(territory: Any) -> Any:
    import_file(territory, "areas", areas_file())
    import_file(territory, "assets", counts_points([0, 1, 2, 6]))
    services.equity_result_request(territory=territory, run="now")
    return territory


def test_equity_report_gives_the_measures_and_findings_to_anyone(client: Any, city: Any) -> None:
    response = client.get(api_url(city, "equity"))
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["is_current"] is True and report["computing"] is False
    assert (report["n_areas"], report["n_assets"], report["currency"]) == (4, 9, "SEK")
    assert report["concentration"]["value"] == pytest.approx(2 * 6.875 / 9 - 1)
    assert report["most_deprived_uncovered"] == ["A1"]
    assert report["types"][0]["name"] == "ev_charger"
    assert report["findings"][0].startswith("Cherry-picking")


def test_equity_report_without_results_is_a_clear_404(client: Any, territory: Any) -> None:
    error = assert_error(client.get(api_url(territory, "equity")), 404, "no_results")
    assert "import the areas" in error["message"]


def test_equity_report_says_when_the_data_changed(client: Any, city: Any) -> None:
    area = Area.objects.get(code="A1")
    territories.area_update(area=area, actor=None, population=10)
    assert client.get(api_url(city, "equity")).json()["is_current"] is False


def test_equity_endpoints_hide_private_territories(
    client: Any, client_as: Any, other_territory: Any
) -> None:
    for resource in ("equity", "equity/areas", "equity/assets"):
        assert_error(client.get(api_url(other_territory, resource)), 404)
        assert_error(client_as("facilitator").get(api_url(other_territory, resource)), 404)


def test_equity_area_list_pages_the_measures_in_code_order(client: Any, city: Any) -> None:
    page = client.get(api_url(city, "equity/areas"), {"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [(a["code"], a["count"]) for a in page["items"]] == [("A2", 1.0), ("A3", 2.0)]
    assert page["items"][1]["by_type"] == {"ev_charger": 2.0}
    assert_error(client.get(api_url(city, "equity/areas"), {"limit": 0}), 422)


def test_equity_asset_list_pages_assets_with_their_area(client: Any, city: Any) -> None:
    import_file(city, "assets", counts_points([3], asset_type="sensor"))
    page = client.get(api_url(city, "equity/assets"), {"limit": 4, "offset": 7}).json()
    assert page["count"] == 12
    assert [(a["asset_type"], a["area_code"]) for a in page["items"]] == [
        ("ev_charger", "A4"), ("ev_charger", "A4"), ("sensor", "A1"), ("sensor", "A1"),
    ]  # fmt: skip
    sensors = client.get(api_url(city, "equity/assets"), {"type": "sensor"}).json()
    assert sensors["count"] == 3 and {a["index"] for a in sensors["items"]} == {0, 1, 2}
    assert client.get(api_url(city, "equity/assets"), {"type": "nothing"}).json()["count"] == 0


def test_equity_list_endpoints_cost_a_constant_number_of_queries(
    client: Any, city: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("cocity.equity.services.asset_imports.CHUNK_POINTS", 5)
    import_file(city, "assets", counts_points([20, 20, 20, 20], asset_type="sensor"))
    for resource in ("equity/assets", "equity/areas", "equity"):
        url = api_url(city, resource)
        assert queries_for_get(client, url + "?limit=50") <= 12, resource


@pytest.mark.parametrize(("role", "status"), [("citizen", 403), ("partner", 403), (None, 401)])
def test_equity_compute_is_for_editors(
    client: Any, client_as: Any, city: Any, role: Any, status: int
) -> None:
    caller = client_as(role) if role else client
    assert_error(send(caller, "post", api_url(city, "equity/compute"), {}), status)


def test_equity_compute_queues_new_results_for_an_editor(
    client_as: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    area = Area.objects.get(code="A1")
    territories.area_update(area=area, actor=None, population=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client_as("officer"), "post", api_url(city, "equity/compute"), {})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    queued = EquityResult.objects.get(status=ResultStatus.QUEUED)
    assert queued.data_version == response.json()["data_version"]
    assert DBTaskResult.objects.filter(task_path="cocity.equity.tasks.equity_result_run").exists()
