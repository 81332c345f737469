"""Ecosystem intelligence in the browser: WCAG 2.2 AA, the network drawn by the vendored
sigma.js under the CSP, and the table without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import (
    BLOCKING_IMPACTS,
    City,
    axe_violations,
    describe_violations,
    sign_in_directly,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def network_city(city: City) -> City:
    from cocity.network import services

    services.network_result_request(territory=city.territory, run="now")
    return city


def _url(city: City) -> str:
    return reverse("network:index", args=[city.territory.slug])


def test_network_page_draws_the_network_and_has_no_serious_wcag_violation(
    context: BrowserContext, page: Page, live_server: Any, network_city: City
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in_directly(context, live_server, network_city.users["facilitator"])
    response = page.goto(_url(network_city))
    assert response is not None and response.status == 200
    canvas = page.locator("#network-canvas")
    expect(canvas).to_be_visible()
    expect(canvas.locator("canvas").first).to_be_attached()
    assert problems == []
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe_violations(blocking)


def test_network_page_without_javascript_shows_the_table(
    new_context: Any, network_city: City
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(_url(network_city))
    expect(page.locator("#network-canvas")).to_be_hidden()
    page.get_by_label("Sort the table by").select_option("name")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Digidel Lund").first).to_be_visible()
    assert "sort=name" in page.url


def test_network_filters_and_stakeholder_insights_for_visitors(
    page: Page, network_city: City
) -> None:
    page.goto(_url(network_city))
    page.get_by_label("Partnership form").select_option("research")
    page.get_by_label("Size by").select_option("degree")
    page.get_by_role("button", name="Show", exact=True).click()
    assert "form=research" in page.url and "size=degree" in page.url
    expect(page.locator("#network-canvas canvas").first).to_be_attached()
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe_violations(blocking)
    university = network_city.stakeholders["university"]
    page.goto(
        reverse("ecosystem:stakeholder_detail", args=[network_city.territory.slug, university.pk])
    )
    expect(page.get_by_role("heading", name="In the ecosystem")).to_be_visible()
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe_violations(blocking)
