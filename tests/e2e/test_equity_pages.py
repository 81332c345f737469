"""Equity pages in the browser: WCAG 2.2 AA (axe-core), and the map without JavaScript."""

from __future__ import annotations

from decimal import Decimal
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
def equity_city(city: City) -> City:
    """The test city with four areas, digital assets, a budgeted initiative and results."""
    from cocity.equity import services
    from cocity.equity.tests.helpers import areas_file, counts_points, import_file
    from cocity.programme import services as programme
    from cocity.territories.models import Area

    territory = city.territory
    import_file(territory, "areas", areas_file())
    import_file(territory, "assets", counts_points([0, 1, 2, 6]))
    areas = list(Area.objects.filter(territory=territory, code__in=["A1", "A4"]))
    programme.initiative_create(
        territory=territory, actor=None, title="Public wifi", areas=areas, budget=Decimal(1000)
    )
    services.equity_result_request(territory=territory, run="now")
    return city


def _url(city: City, name: str, *args: Any) -> str:
    return reverse(f"equity:{name}", args=[city.territory.slug, *args])


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{url}:\n{describe_violations(blocking)}"


def test_equity_pages_have_no_serious_wcag_violation_for_visitors(
    page: Page, equity_city: City
) -> None:
    for url in (
        _url(equity_city, "index"),
        _url(equity_city, "index") + "?measure=type:ev_charger",
        _url(equity_city, "curves"),
        _url(equity_city, "areas"),
        _url(equity_city, "assets"),
        _url(equity_city, "reach"),
        _url(equity_city, "whatif") + "?new_assets=2&max_per_area=1",
    ):
        _check(page, url)


def test_equity_pages_have_no_serious_wcag_violation_for_editors(
    context: BrowserContext, page: Page, live_server: Any, equity_city: City
) -> None:
    from cocity.equity.models import EquityImport
    from cocity.programme.models import Initiative

    sign_in_directly(context, live_server, equity_city.users["officer"])
    job = EquityImport.objects.filter(kind="assets").get()
    wifi = Initiative.objects.get(title="Public wifi")
    for url in (
        _url(equity_city, "data"),
        _url(equity_city, "import_detail", job.pk),
        _url(equity_city, "allocation", wifi.pk),
        _url(equity_city, "reach"),
    ):
        _check(page, url)
    # A bad upload: the errors are announced and tied to the rows.
    page.goto(_url(equity_city, "data"))
    page.locator("#id_areas-file").set_input_files(
        files=[{"name": "areas.geojson", "mimeType": "application/geo+json", "buffer": b"{}"}]
    )
    page.get_by_role("button", name="Import").first.click()
    expect(page.locator("#id_areas-file_error")).to_be_visible()
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe_violations(blocking)


def test_map_measure_changes_without_javascript(new_context: Any, equity_city: City) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(_url(equity_city, "index"))
    page.get_by_label("Show on the map").select_option("decile")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("img", name="Deprivation decile (1 = most deprived)")).to_be_visible()
    page.get_by_text("The map as a table").click()
    expect(page.get_by_role("cell", name="Old Town")).to_be_visible()


def test_map_zooms_with_its_buttons(page: Page, equity_city: City) -> None:
    page.goto(_url(equity_city, "index"))
    svg = page.locator("svg.equity-map")
    whole = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != whole
    assert float(zoomed.split()[2]) == float(whole.split()[2]) / 2
    page.get_by_role("button", name="Whole territory").click()
    assert svg.get_attribute("viewBox") == whole
