"""API: every stored result of the ecosystem analysis; stated trust private to facilitators."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from cocity.core.api_testing import api_url, assert_error, queries_for_get, send
from cocity.core.testing import make_stakeholder
from cocity.network import services
from cocity.network.models import NetworkResult
from cocity.network.tests.helpers import make_town


@pytest.fixture
def town(territory: Any) -> Any:
    town = make_town(territory)
    services.network_result_request(territory=territory)
    return town


def test_network_report_gives_the_summary_to_anyone(client: Any, town: Any, territory: Any) -> None:
    report = client.get(api_url(territory, "network")).json()
    assert report["n_stakeholders"] == 6 and report["is_current"] is True
    assert report["isolated"] == [town.lonely.pk]
    assert any("City Hall" in s for s in report["summary"])


def test_network_report_without_an_analysis_is_a_clear_404(client: Any, territory: Any) -> None:
    assert_error(client.get(api_url(territory, "network")), 404, "no_results")
    assert_error(client.get(api_url(territory, "network/trust")), 404, "no_results")


def test_network_endpoints_hide_another_private_territory(
    client_as: Any, other_territory: Any
) -> None:
    make_town(other_territory)
    services.network_result_request(territory=other_territory)
    client = client_as("facilitator")
    for resource in ("network", "network/stakeholders", "network/trust", "network/mixing"):
        assert_error(client.get(api_url(other_territory, resource)), 404)


def test_network_stakeholder_list_sorts_and_pages_in_few_queries(
    client: Any, town: Any, territory: Any
) -> None:
    page = client.get(
        api_url(territory, "network/stakeholders") + "?sort=betweenness&limit=2"
    ).json()
    assert page["count"] == 6 and [r["name"] for r in page["items"]][:1] == ["City Hall"]
    assert len(page["items"]) == 2
    for _ in range(20):
        make_stakeholder(territory)  # new rows do not cost queries: the stored result is read
    assert queries_for_get(client, api_url(territory, "network/stakeholders")) <= 6
    assert_error(client.get(api_url(territory, "network/stakeholders") + "?sort=evil"), 422)


def test_network_recommendation_list_gives_reasons(client: Any, town: Any, territory: Any) -> None:
    recs = client.get(api_url(territory, "network/recommendations")).json()
    assert recs and all(r["reason"] for r in recs)
    mine = client.get(
        api_url(territory, "network/recommendations") + f"?stakeholder={town.uni.pk}"
    ).json()
    assert all(town.uni.pk in (r["a"], r["b"]) for r in mine)
    assert_error(
        client.get(api_url(territory, "network/recommendations") + "?stakeholder=999999"), 404
    )


def test_network_mixing_counts_ties_between_sectors(client: Any, town: Any, territory: Any) -> None:
    mixing = client.get(api_url(territory, "network/mixing")).json()
    rows = {
        row["sector"]: {c["sector"]: c["observed"] for c in row["cells"]} for row in mixing["rows"]
    }
    assert rows["academia"]["industry"] == 0  # the draft merger does not count
    assert rows["public"]["academia"] == 2  # City Hall with Uni and Lab


@pytest.mark.parametrize("role", ["officer", "partner", "citizen", "observer"])
def test_network_trust_gives_only_aggregates_to_non_facilitators(
    role: str, client_as: Any, town: Any, territory: Any
) -> None:
    trust = client_as(role).get(api_url(territory, "network/trust")).json()
    assert (
        trust["weak_stated"] is None
        and trust["one_sided"] is None
        and trust["disagreements"] is None
    )
    industry = next(
        r
        for r in trust["by_sector_pair"]
        if (r["rater_sector"], r["ratee_sector"]) == ("industry", "industry")
    )
    assert industry["n_pairs"] == 1 and industry["n_weak"] == 1 and industry["mean"] is None
    to_city = next(
        r
        for r in trust["by_sector_pair"]
        if r["ratee_sector"] == "public" and r["rater_sector"] == "academia"
    )
    assert to_city["n_pairs"] == 2 and to_city["mean"] is None  # two ratings: still too few to show


def test_network_trust_names_pairs_for_facilitators(
    client_as: Any, town: Any, territory: Any
) -> None:
    trust = client_as("facilitator").get(api_url(territory, "network/trust")).json()
    assert [(r["rater_name"], r["ratee_name"], r["trust"]) for r in trust["weak_stated"]] == [
        ("Shop", "Bike Co", 0.0)
    ]
    assert trust["n_one_sided"] == 4 and len(trust["one_sided"]) == 4


def test_network_compute_is_for_editors_and_reuses_the_current_result(
    client_as: Any, town: Any, territory: Any
) -> None:
    assert_error(send(client_as("citizen"), "POST", api_url(territory, "network/compute")), 403)
    response = send(client_as("officer"), "POST", api_url(territory, "network/compute"))
    assert response.status_code == 202 and response.json()["status"] == "ready"
    assert NetworkResult.objects.count() == 1 and DBTaskResult.objects.count() == 0
