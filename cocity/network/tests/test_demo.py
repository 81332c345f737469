"""The demo territory's page tells a facilitator something true: the planted brokers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cocity.core.models import ResultStatus
from cocity.demo import demo_generate
from cocity.network import results
from cocity.network.demo import network_demo_generate
from cocity.territories.models import Territory

PLANTED_BROKERS = {
    "Norrhamn University",
    "Norrhamn Innovation Agency",
    "Norrhamn Municipality – Digital Office",  # noqa: RUF001 - the demo's name has an en dash
}


@pytest.fixture
def demo_city(db: Any) -> Territory:
    demo_generate(password="demo-password-for-tests")
    return Territory.objects.get(slug="demo-city")


def test_network_demo_generate_finds_the_planted_brokers(demo_city: Territory, client: Any) -> None:
    result = network_demo_generate(territory=demo_city, seed=0)
    assert result.status == ResultStatus.READY, result.error
    top = [b["name"] for b in results.top_brokers(result.payload, k=5)]
    assert set(top) >= PLANTED_BROKERS, top
    assert network_demo_generate(territory=demo_city, seed=0).pk == result.pk  # stored, reused

    html = client.get(reverse("network:index", args=[demo_city.slug])).content.decode()
    brokers = html[html.index("Who holds the ecosystem together") :]
    assert all(name in brokers[:3000] for name in PLANTED_BROKERS)
    # the demo's citizens' groups hardly ever work with industry: the mixing table shows it
    mixing = results.mixing_table(result.payload)
    citizens = next(r for r in mixing["rows"] if r["sector"] == "citizens")
    industry = next(c for c in citizens["cells"] if c["sector"] == "industry")
    assert industry["ratio"] is not None and industry["ratio"] < 0.25
