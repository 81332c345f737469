"""Analyses are stored per data version, reused, and sensible on degenerate territories."""

from __future__ import annotations

from typing import Any

from cocity.core.models import ResultStatus
from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import Stakeholder
from cocity.network import results, selectors, services
from cocity.network.models import NetworkResult
from cocity.network.tests.helpers import joint, make_town, partnership, rate


def test_network_result_request_stores_the_analysis_and_reuses_it(territory: Any) -> None:
    town = make_town(territory)
    result = services.network_result_request(territory=territory)
    assert result.status == ResultStatus.READY and result.progress == 100
    assert services.network_result_request(territory=territory).pk == result.pk
    assert NetworkResult.objects.count() == 1
    payload = result.payload
    brokers = results.top_brokers(payload)
    assert brokers[0]["id"] == town.hub.pk  # the city hall links the two groups
    assert payload["analysis"]["network"]["isolated"] == [
        payload["stakeholder_ids"].index(town.lonely.pk)
    ]
    assert any("City Hall" in s for s in payload["summary"])
    rate(territory, town.lonely, town.hub, 3)
    newer = services.network_result_request(territory=territory)
    assert newer.pk != result.pk and newer.status == ResultStatus.READY


def test_network_result_request_of_an_empty_territory_says_so(territory: Any) -> None:
    result = services.network_result_request(territory=territory)
    assert result.status == ResultStatus.READY
    assert result.payload["summary"] == ["The ecosystem has no stakeholders yet."]
    assert results.graph_view(result.payload, results.GraphFilters()) == {"nodes": [], "edges": []}


def test_network_result_request_of_one_stakeholder_gives_defined_results(territory: Any) -> None:
    make_stakeholder(territory, name="Alone")
    result = services.network_result_request(territory=territory)
    assert result.status == ResultStatus.READY, result.error
    rows = results.stakeholder_rows(result.payload, trust_pairs=True)
    assert [(r["name"], r["degree"]) for r in rows] == [("Alone", 0)]
    assert result.payload["layout"] == {"x": [0.5], "y": [0.5]}


def test_network_result_request_merges_duplicate_ties(territory: Any) -> None:
    a = make_stakeholder(territory, name="A", sector="public")
    b = make_stakeholder(territory, name="B", sector="industry")
    partnership(territory, [a, b], form="ppp")
    partnership(territory, [a, b], form="licensing")
    joint(territory, [a, b])
    result = services.network_result_request(territory=territory)
    network = result.payload["analysis"]["network"]
    assert result.payload["analysis"]["n_ties"] == 1
    assert network["merged_duplicate_ties"] == 2
    graph = results.graph_view(result.payload, results.GraphFilters(form="licensing"))
    assert len(graph["edges"]) == 1 and graph["edges"][0][2] < 0.5  # licensing alone is weak


def test_network_result_request_with_a_bad_sector_fails_with_a_reason(territory: Any) -> None:
    good = services.network_result_request(territory=territory)
    odd = make_stakeholder(territory, name="Odd")
    Stakeholder.objects.filter(pk=odd.pk).update(sector="martians")
    result = services.network_result_request(territory=territory)
    assert result.status == ResultStatus.FAILED
    assert "martians" in result.error
    state = selectors.network_state(territory=territory)
    assert state.result == good and state.failed == result and state.is_current is False


def test_network_result_request_queues_a_task_for_a_large_territory(
    territory: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.COCITY_NETWORK_COMPUTE_NOW_MAX_STAKEHOLDERS = 2
    make_town(territory)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.network_result_request(territory=territory)
    result.refresh_from_db()
    assert result.status == ResultStatus.QUEUED and result.task_result_id
    assert selectors.network_state(territory=territory).pending == result


def test_network_result_request_with_missing_sectors_and_lone_records_is_sensible(
    territory: Any, client: Any
) -> None:
    a = make_stakeholder(territory, name="A", sector="public")
    b = make_stakeholder(territory, name="B", sector="industry")
    unknown = make_stakeholder(territory, name="Unknown sector")
    Stakeholder.objects.filter(pk=unknown.pk).update(sector="")
    partnership(territory, [a])  # one member: no tie
    joint(territory, [b])  # joint work of one: no tie
    partnership(territory, [a, unknown])
    result = services.network_result_request(territory=territory)
    assert result.status == ResultStatus.READY, result.error
    assert result.payload["analysis"]["n_ties"] == 1
    rows = {r["name"]: r for r in results.stakeholder_rows(result.payload, trust_pairs=False)}
    assert rows["Unknown sector"]["sector"] is None and rows["Unknown sector"]["degree"] == 1
    page = client.get(f"/t/{territory.slug}/ecosystem-intelligence/").content.decode()
    assert "Sector not given" in page


def test_network_result_request_reports_no_growth_in_future_years(territory: Any) -> None:
    import datetime as dt

    a = make_stakeholder(territory, name="A", sector="public")
    b = make_stakeholder(territory, name="B", sector="industry")
    partnership(
        territory,
        [a, b],
        start=dt.date(2020, 1, 1),
        end=dt.date.today().replace(year=dt.date.today().year + 3),
    )
    result = services.network_result_request(territory=territory)
    years = result.payload["analysis"]["network"]["growth"]["year"]
    assert years and max(years) <= dt.date.today().year
    assert not any(str(dt.date.today().year + 3) in s for s in result.payload["summary"])
