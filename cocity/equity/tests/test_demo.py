"""The demo territory shows a real equity finding, on the map and in words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from cocity.core.models import ResultStatus
from cocity.demo import demo_generate
from cocity.equity.demo import equity_demo_generate
from cocity.equity.findings import gradient_of
from cocity.equity.models import EquityImport, InvestmentAllocation
from cocity.territories.models import Territory


@pytest.fixture
def demo_city(db: Any) -> Territory:
    demo_generate(password="demo-password-for-tests")
    return Territory.objects.get(slug="demo-city")


def test_equity_demo_generate_finds_cherry_picking_in_the_demo_city(
    demo_city: Territory, client: Any
) -> None:
    summary = equity_demo_generate(territory=demo_city)
    assert summary.result.status == ResultStatus.READY, summary.result.error
    assert summary.assets == {
        "fibre_premises": 2400, "ev_charger": 70, "public_wifi": 90, "sensor": 160, "kiosk": 14,
    }  # fmt: skip
    assert (
        summary.allocations
        == InvestmentAllocation.objects.values("initiative").distinct().count()
        > 0
    )
    payload = summary.result.payload
    overall = gradient_of(payload["summary"]["concentration"])
    assert overall is not None and overall.direction == "less_deprived"
    by_type = {t["name"]: gradient_of(t["concentration"]) for t in payload["types"]}
    assert by_type["fibre_premises"].direction == "less_deprived"
    assert by_type["ev_charger"].direction == "less_deprived"
    assert by_type["kiosk"].direction == "more_deprived"

    page = client.get(reverse("equity:index", args=[demo_city.slug]))
    html = page.content.decode()
    assert "Cherry-picking: digital assets are concentrated in the less deprived areas" in html
    assert "Digital kiosk: concentrated in the more deprived areas" in html
    map_svg = re.search(r'<svg [^>]*class="equity-map".*?</svg>', html, re.DOTALL)
    assert map_svg and map_svg.group(0).count("<path ") == 100


def test_equity_demo_generate_is_deterministic_and_safe_to_repeat(demo_city: Territory) -> None:
    first = equity_demo_generate(territory=demo_city, seed=7).result.payload
    second = equity_demo_generate(territory=demo_city, seed=7).result.payload
    assert [a["count"] for a in first["areas"]] == [a["count"] for a in second["areas"]]
    assert first["summary"]["concentration"] == second["summary"]["concentration"]
    assert EquityImport.objects.filter(territory=demo_city, kind="assets").count() == 5
