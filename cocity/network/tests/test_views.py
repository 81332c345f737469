"""The ecosystem intelligence page, its network data and CSV, for each role; privacy of trust."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cocity.network import services
from cocity.network.models import NetworkResult
from cocity.network.tests.helpers import make_town

ROLES = ["facilitator", "officer", "partner", "citizen", "observer"]


@pytest.fixture
def town(territory: Any) -> Any:
    town = make_town(territory)
    services.network_result_request(territory=territory)
    return town


def _url(name: str, territory: Any) -> str:
    return reverse(f"network:{name}", args=[territory.slug])


@pytest.mark.parametrize("role", ROLES)
def test_index_shows_the_analysis_to_every_role(
    role: str, town: Any, territory: Any, client_as: Any
) -> None:
    page = client_as(role).get(_url("index", territory))
    assert page.status_code == 200
    html = page.content.decode()
    assert "City Hall" in html and "Ecosystem health" in html
    assert "Partnerships worth brokering" in html


def test_index_of_another_private_territory_is_not_found(
    town: Any, other_territory: Any, client_as: Any
) -> None:
    for role in ROLES:
        assert client_as(role).get(_url("index", other_territory)).status_code == 404
        assert client_as(role).get(_url("graph", other_territory)).status_code == 404
        assert client_as(role).get(_url("stakeholders_csv", other_territory)).status_code == 404


def test_index_reads_the_stored_analysis_without_computing(
    town: Any, territory: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    make_town_extra = NetworkResult.objects.count(), DBTaskResult.objects.count()
    from cocity.network.tests.helpers import rate

    rate(
        territory, town.lonely, town.bike, 2
    )  # the data changes: the page says so, computes nothing
    with django_assert_max_num_queries(25):
        page = client.get(_url("index", territory))
    assert "this analysis is out of date" in page.content.decode()
    assert (NetworkResult.objects.count(), DBTaskResult.objects.count()) == make_town_extra


def test_index_without_an_analysis_says_so_and_offers_to_run_it(
    territory: Any, client_as: Any
) -> None:
    html = client_as("citizen").get(_url("index", territory)).content.decode()
    assert (
        "The ecosystem has not been analysed yet." in html and "Analyse the ecosystem" not in html
    )
    html = client_as("facilitator").get(_url("index", territory)).content.decode()
    assert "Analyse the ecosystem" in html


def test_index_skips_an_analysis_stored_in_an_older_shape(
    town: Any, territory: Any, client_as: Any
) -> None:
    NetworkResult.objects.update(payload={"schema": 0, "summary": ["old"]})
    html = client_as("facilitator").get(_url("index", territory)).content.decode()
    assert "The ecosystem has not been analysed yet." in html and "Analyse the ecosystem" in html
    detail = reverse("ecosystem:stakeholder_detail", args=[territory.slug, town.hub.pk])
    assert "has not been analysed yet" in client_as("facilitator").get(detail).content.decode()


def test_index_sorts_and_rejects_junk_parameters(town: Any, territory: Any, client: Any) -> None:
    page = client.get(_url("index", territory), {"sort": "name"})
    html = page.content.decode()
    assert html.index("Bike Co</a>") < html.index("City Hall</a>") < html.index("Uni</a>")
    junk = client.get(_url("index", territory), {"sort": "'; drop", "year": "x", "page": "999"})
    assert junk.status_code == 400 and "City Hall" in junk.content.decode()


@pytest.mark.parametrize("role", ["officer", "partner", "citizen", "observer"])
def test_index_shows_stated_trust_only_as_aggregates_to_non_facilitators(
    role: str, town: Any, territory: Any, client_as: Any
) -> None:
    html = client_as(role).get(_url("index", territory)).content.decode()
    assert "Weak stated trust" not in html  # Shop rated Bike Co 1 of 5: never named
    assert 'class="trust-pair"' not in html
    assert "only aggregates are shown" in html


def test_index_names_weak_stated_trust_for_facilitators(
    town: Any, territory: Any, client_as: Any
) -> None:
    html = client_as("facilitator").get(_url("index", territory)).content.decode()
    section = html[html.index("Weak stated trust") :]
    assert "<td>Shop</td><td>Bike Co</td>" in section


def test_graph_json_filters_the_stored_network(town: Any, territory: Any, client: Any) -> None:
    whole = client.get(_url("graph", territory)).json()
    assert len(whole["nodes"]) == 6 and whole["size"] == "betweenness"
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in whole["nodes"])
    ppp = client.get(_url("graph", territory), {"form": "ppp", "size": "degree"}).json()
    assert len(ppp["edges"]) == 3 and ppp["size"] == "degree"
    air = client.get(_url("graph", territory), {"challenge": town.challenge.pk}).json()
    assert {n["label"] for n in air["nodes"]} == {"City Hall", "Uni"}
    assert len(air["edges"]) == 1
    early = client.get(_url("graph", territory), {"year": 2022}).json()
    weight = {tuple(sorted(e[:2])): e[2] for e in whole["edges"]}
    weight_2022 = {tuple(sorted(e[:2])): e[2] for e in early["edges"]}
    assert set(weight_2022) == set(weight)  # the partnerships started in 2022...
    assert sum(weight_2022.values()) < sum(weight.values())  # ...the joint work came later
    bad = client.get(_url("graph", territory), {"form": "telepathy"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["form"]


def test_stakeholders_csv_parses_with_a_row_per_stakeholder(
    town: Any, territory: Any, client_as: Any
) -> None:
    response = client_as("citizen").get(_url("stakeholders_csv", territory))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 6
    hub = next(r for r in rows if r["name"] == "City Hall")
    assert float(hub["betweenness"]) > 0 and hub["sector"] == "public"
    assert hub["stated_trust_received"] != ""  # three stakeholders rated the city hall
    assert float(hub["betweenness_standard_error"]) == 0.0  # six stakeholders: exact
    bike = next(r for r in rows if r["name"] == "Bike Co")
    assert bike["stated_trust_received"] == ""  # one rating only: hidden from a citizen
    as_facilitator = client_as("facilitator").get(_url("stakeholders_csv", territory))
    bike = next(
        r
        for r in csv.DictReader(io.StringIO(as_facilitator.content.decode()))
        if r["name"] == "Bike Co"
    )
    assert float(bike["stated_trust_received"]) == 0.0


def test_progress_of_another_territorys_analysis_is_not_found(
    town: Any, territory: Any, other_territory: Any, client_as: Any
) -> None:
    theirs = services.network_result_request(territory=other_territory)
    url = reverse("network:progress", args=[territory.slug, theirs.pk])
    assert client_as("facilitator").get(url).status_code == 404


def test_compute_is_for_editors(territory: Any, client_as: Any) -> None:
    make_town(territory)
    assert client_as("citizen").post(_url("compute", territory)).status_code == 403
    assert NetworkResult.objects.count() == 0
    response = client_as("officer").post(_url("compute", territory))
    assert response.status_code == 302 and NetworkResult.objects.get().status == "ready"


def test_stakeholder_page_shows_roles_and_suggested_partners(
    town: Any, territory: Any, client: Any
) -> None:
    url = reverse("ecosystem:stakeholder_detail", args=[territory.slug, town.hub.pk])
    html = client.get(url).content.decode()
    assert "In the ecosystem" in html and "1 of 6" in html and "broker" in html
    assert "Trust ratings given: 0; received: 3; returned both ways: 0." in html
    shop = reverse("ecosystem:stakeholder_detail", args=[territory.slug, town.shop.pk])
    html = client.get(shop).content.decode()
    assert "Joint work that went badly with:" in html and "Bike Co</a> (0." in html
    assert "Trust ratings given: 1; received: 0;" in html


def test_stakeholder_page_before_any_analysis_says_so(territory: Any, client: Any) -> None:
    town = make_town(territory)
    url = reverse("ecosystem:stakeholder_detail", args=[territory.slug, town.hub.pk])
    assert "The ecosystem has not been analysed yet" in client.get(url).content.decode()


def test_index_says_when_betweenness_is_estimated_from_a_sample(
    town: Any, territory: Any, client_as: Any
) -> None:
    sentence = "betweenness is estimated from the shortest paths of"
    page = client_as("citizen").get(_url("index", territory)).content.decode()
    assert "City Hall" in page and sentence not in page  # six stakeholders: exact
    result = NetworkResult.objects.filter(territory=territory).latest("pk")
    # What a territory above the exact limit stores (5,000 stakeholders by default).
    result.payload["analysis"]["network"]["betweenness_exact"] = False
    result.payload["analysis"]["network"]["betweenness_sources"] = 2
    result.save(update_fields=["payload"])
    page = client_as("citizen").get(_url("index", territory)).content.decode()
    assert f"With 6 stakeholders, {sentence} 2 stakeholders drawn at random" in page
