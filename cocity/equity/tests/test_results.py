"""Stored equity results: the measures, when they are out of date, investment and failures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cocity.core.models import ResultStatus
from cocity.equity import selectors, services
from cocity.equity.chunks import decode_chunk
from cocity.equity.models import EquityResult, InvestmentAllocation
from cocity.equity.tests.helpers import areas_file, counts_points, import_file, square
from cocity.programme import services as programme
from cocity.territories import services as territories
from cocity.territories.models import Area


@pytest.fixture
def city(territory: Any) -> Any:
    """Four areas, most deprived (A1) to least (A4), with 0, 1, 2 and 6 chargers."""
    import_file(territory, "areas", areas_file())
    import_file(territory, "assets", counts_points([0, 1, 2, 6]))
    return territory


def compute(territory: Any) -> EquityResult:
    return services.equity_result_request(territory=territory, run="now")


def test_equity_result_request_stores_the_measures_of_the_hand_worked_example(city: Any) -> None:
    result = compute(city)
    assert result.status == ResultStatus.READY, result.error
    payload = result.payload
    summary = payload["summary"]
    # Equal populations, ranks 1-4, y = 0, 1, 2, 6 per 1,000: C = 2 Σ y R / (n μ) - 1.
    assert summary["concentration"]["value"] == pytest.approx(2 * 6.875 / 9 - 1)
    assert summary["n_assets"] == 9
    assert summary["most_deprived_uncovered"] == ["A1"]
    assert payload["computed_with"] == {
        "rank": "deprivation_rank",
        "group": "deprivation_decile",
        "population": True,
        "currency": "SEK",
        "most_deprived_share": 0.2,
    }
    assert [a["count"] for a in payload["areas"]] == [0, 1, 2, 6]
    assert [a["per_1000"] for a in payload["areas"]] == [0, 1, 2, 6]
    assert [d["assets"] for d in payload["deciles"] if d["areas"]] == [0, 1, 2, 6]
    assert payload["types"][0]["name"] == "ev_charger"
    assert len(payload["map"]["paths"]) == 4
    assert payload["concentration_curve"]["y"][-1] == pytest.approx(1.0)


def test_equity_result_request_returns_the_ready_result_while_nothing_changed(city: Any) -> None:
    first = compute(city)
    again = services.equity_result_request(territory=city)
    assert again.pk == first.pk
    assert EquityResult.objects.count() == 1


def test_equity_state_says_when_the_data_changed_since(city: Any) -> None:
    compute(city)
    assert selectors.equity_state(territory=city).is_current
    area = Area.objects.get(territory=city, code="A2")
    territories.area_update(area=area, actor=None, population=2000)
    state = selectors.equity_state(territory=city)
    assert state.result is not None and not state.is_current
    compute(city)
    state = selectors.equity_state(territory=city)
    assert state.is_current
    assert state.payload["areas"][1]["per_1000"] == 0.5


def test_equity_data_version_changes_with_what_the_results_depend_on(city: Any) -> None:
    versions = [selectors.equity_data_version(territory=city)]
    area = Area.objects.get(territory=city, code="A1")
    initiative = programme.initiative_create(
        territory=city, actor=None, title="Wifi", areas=[area], budget=Decimal(100), is_draft=True
    )
    # A draft is not counted: the results do not change.
    assert selectors.equity_data_version(territory=city) == versions[0]
    programme.initiative_update(initiative=initiative, actor=None, is_draft=False)
    versions.append(selectors.equity_data_version(territory=city))
    services.investment_allocation_set(initiative=initiative, actor=None, amounts={area: 40})
    versions.append(selectors.equity_data_version(territory=city))
    import_file(city, "assets", counts_points([1]))
    versions.append(selectors.equity_data_version(territory=city))
    assert len(set(versions)) == 4


def test_equity_result_execute_places_points_again_when_an_area_changed(city: Any) -> None:
    # A4 moves north: its six chargers now lie in no area.
    area = Area.objects.get(territory=city, code="A4")
    territories.area_update(area=area, actor=None, geometry=square(3, lat=52.0))
    result = compute(city)
    assert [a["count"] for a in result.payload["areas"]] == [0, 1, 2, 0]
    assert result.payload["summary"]["n_outside"] == 6
    batch = selectors.asset_batch_list(territory=city).get()
    assert batch.n_outside == 6
    stored = decode_chunk(batch.chunks.get().data, batch.attribute_names)
    assert sorted(stored.area_ids.tolist()).count(0) == 6
    # The stored areas are now those of the new boundaries: no second placement.
    version = batch.areas_version
    compute(city)
    assert selectors.asset_batch_list(territory=city).get().areas_version == version


def test_equity_result_request_fails_clearly_without_areas(territory: Any) -> None:
    result = compute(territory)
    assert result.status == ResultStatus.FAILED
    assert "import the areas first" in result.error
    state = selectors.equity_state(territory=territory)
    assert state.result is None and state.failed == result


def test_equity_result_request_without_population_counts_areas_equally(territory: Any) -> None:
    rows = [{"code": f"A{i + 1}", "IMD_decile": d} for i, d in enumerate([1, 4, 7, 10])]
    import_file(territory, "areas", areas_file(rows))
    import_file(territory, "assets", counts_points([0, 1, 2, 6]))
    payload = compute(territory).payload
    assert payload["computed_with"]["rank"] == "deprivation_decile"
    assert payload["computed_with"]["population"] is False
    assert payload["notes"] == [{"code": "no_population", "n": 4}]
    assert payload["areas"][0]["per_1000"] is None
    assert payload["summary"]["concentration"]["value"] == pytest.approx(2 * 6.875 / 9 - 1)


def test_equity_result_with_no_assets_says_there_is_nothing_to_measure(territory: Any) -> None:
    import_file(territory, "areas", areas_file())
    result = compute(territory)
    assert result.status == ResultStatus.READY, result.error
    assert result.payload["summary"]["concentration"] is None or (
        result.payload["summary"]["concentration"]["value"] is None
    )
    assert result.payload["concentration_curve"] is None


def test_equity_result_execute_keeps_the_last_results_only(city: Any) -> None:
    area = Area.objects.get(territory=city, code="A1")
    for population in range(1, 9):
        territories.area_update(area=area, actor=None, population=population)
        compute(city)
    assert EquityResult.objects.filter(territory=city).count() == services.RESULTS_KEPT


# --- Investment ----------------------------------------------------------------------------


def _initiative(territory: Any, codes: list[str], budget: str | None = "1000", **extra: Any) -> Any:
    areas = list(Area.objects.filter(territory=territory, code__in=codes))
    return programme.initiative_create(
        territory=territory,
        actor=None,
        title=extra.pop("title", "Free wifi"),
        areas=areas,
        budget=Decimal(budget) if budget else None,
        **extra,
    )


def test_investment_by_area_splits_a_budget_evenly_unless_allocated(city: Any) -> None:
    even = _initiative(city, ["A1", "A2", "A4"], budget="1000", title="Even")
    _initiative(city, ["A1"], budget="500", title="Draft", is_draft=True)
    _initiative(city, ["A1"], budget="500", title="Euros", currency="EUR")
    ids = dict(Area.objects.filter(territory=city).values_list("code", "pk"))
    money = selectors.investment_by_area(territory=city)
    assert money.amounts == {
        ids["A1"]: Decimal("333.33"),
        ids["A2"]: Decimal("333.33"),
        ids["A4"]: Decimal("333.34"),
    }
    assert money.other_currency == ["Euros"]
    a1 = Area.objects.get(pk=ids["A1"])
    services.investment_allocation_set(initiative=even, actor=None, amounts={a1: "900"})
    assert selectors.investment_by_area(territory=city).amounts == {ids["A1"]: Decimal("900.00")}
    payload = compute(city).payload
    assert payload["investment"]["total"] == 900
    assert payload["areas"][0]["investment"] == 900
    assert {"code": "other_currency", "titles": ["Euros"]} in payload["notes"]


def test_investment_allocation_set_refuses_areas_not_served_and_totals_over_budget(
    city: Any,
) -> None:
    initiative = _initiative(city, ["A1", "A2"], budget="1000")
    a1, a3 = Area.objects.get(code="A1"), Area.objects.get(code="A3")
    with pytest.raises(ValidationError, match="does not serve"):
        services.investment_allocation_set(initiative=initiative, actor=None, amounts={a3: 1})
    with pytest.raises(ValidationError, match="more than the budget"):
        services.investment_allocation_set(initiative=initiative, actor=None, amounts={a1: 1001})
    for bad in ["-1", "abc", "1.001", "NaN"]:
        with pytest.raises(ValidationError):
            services.investment_allocation_set(initiative=initiative, actor=None, amounts={a1: bad})
    assert not InvestmentAllocation.objects.exists()


def test_investment_allocation_set_refuses_an_area_of_another_territory(
    city: Any, other_territory: Any
) -> None:
    initiative = _initiative(city, ["A1"])
    foreign = Area.objects.create(territory=other_territory, code="A1", name="Elsewhere")
    with pytest.raises(ValidationError):
        services.investment_allocation_set(initiative=initiative, actor=None, amounts={foreign: 1})


def test_investment_allocation_reset_goes_back_to_the_even_split(city: Any) -> None:
    initiative = _initiative(city, ["A1", "A2"], budget="100")
    a1 = Area.objects.get(code="A1")
    services.investment_allocation_set(initiative=initiative, actor=None, amounts={a1: 100})
    services.investment_allocation_reset(initiative=initiative, actor=None)
    assert sorted(selectors.investment_by_area(territory=city).amounts.values()) == [50, 50]


def test_initiative_reach_list_counts_areas_and_money_by_decile(city: Any, users: Any) -> None:
    _initiative(city, ["A1", "A4"], budget="100", title="Reach")
    _initiative(city, ["A1"], budget="10", title="Hidden", is_draft=True)
    reaches = selectors.initiative_reach_list(territory=city, user=users["citizen"])
    assert [r.initiative.title for r in reaches] == ["Reach"]
    reach = reaches[0]
    assert reach.areas_by_decile == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert reach.money_by_decile[0] == reach.money_by_decile[9] == 50
    assert reach.most_deprived_share == 0.5
    assert len(selectors.initiative_reach_list(territory=city, user=users["officer"])) == 2


def test_equity_result_request_now_computes_a_result_left_in_the_queue(
    city: Any, settings: Any
) -> None:
    settings.COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS = 0
    queued = services.equity_result_request(territory=city)
    assert queued.status == ResultStatus.QUEUED
    done = services.equity_result_request(territory=city, run="now")
    assert (done.pk, done.status) == (queued.pk, ResultStatus.READY)
