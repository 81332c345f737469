"""The core flow in a real browser: sign in, add a stakeholder, form a partnership, find both.

It runs twice, with and without JavaScript: the core flows must work on plain HTML forms.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cocity.core.testing import PASSWORD
from tests.e2e.conftest import City, sign_in_with_form

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_officer_adds_stakeholder_and_partnership_and_sees_them_listed(
    new_context: Any, city: City, javascript: bool
) -> None:
    page: Page = new_context(java_script_enabled=javascript).new_page()

    sign_in_with_form(page, "oscar", PASSWORD)
    expect(page.get_by_role("button", name="Sign out oscar")).to_be_visible()
    # The page's own scripts (htmx) ran only where JavaScript is on.
    htmx = page.evaluate("() => typeof window.htmx")
    assert htmx == ("object" if javascript else "undefined")

    # From the home page into the territory, then to the stakeholder directory.
    page.get_by_role("link", name="Lund", exact=True).first.click()
    nav = page.get_by_role("navigation", name="Territory")
    nav.get_by_role("link", name="Stakeholders").click()
    page.get_by_role("link", name="Add a stakeholder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a stakeholder")
    page.get_by_label("Name", exact=False).first.fill("Skåne Open Data Cooperative")
    page.get_by_label("Helix sector").select_option(label="Civil society & not-for-profit")
    page.get_by_label("Type", exact=False).first.select_option(label="NGO")
    page.get_by_label("Website").fill("https://opendata.example.org")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Skåne Open Data Cooperative")
    expect(page.get_by_role("status")).to_contain_text("Stakeholder added.")

    # A partnership between the new stakeholder (lead) and the university.
    nav.get_by_role("link", name="Partnerships").click()
    page.get_by_role("link", name="New partnership").click()
    page.get_by_label("Name", exact=False).first.fill("Open heat data for Lund")
    page.get_by_label("Form", exact=False).first.select_option(label="Technical cooperation")
    page.get_by_label("Status").select_option(label="Agreed")
    page.get_by_label("Member 1", exact=True).select_option(label="Skåne Open Data Cooperative")
    page.get_by_label("Role of member 1", exact=True).select_option(label="Lead")
    page.get_by_label("Member 2", exact=True).select_option(label="Lund University")
    page.get_by_label("Role of member 2", exact=True).select_option(label="Partner")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Open heat data for Lund")
    expect(page.get_by_role("status")).to_contain_text("Partnership saved.")

    nav.get_by_role("link", name="Partnerships").click()
    row = page.get_by_role("row").filter(has_text="Open heat data for Lund")
    expect(row).to_contain_text("Skåne Open Data Cooperative (lead)")
    expect(row).to_contain_text("Lund University")
    expect(row).to_contain_text("Agreed")

    nav.get_by_role("link", name="Stakeholders").click()
    row = page.get_by_role("row").filter(has_text="Skåne Open Data Cooperative")
    expect(row).to_contain_text("Civil society & not-for-profit")
    expect(row.get_by_role("cell").last).to_have_text("1")  # its one partnership


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_partnership_form_with_one_member_keeps_the_input_and_says_why(
    new_context: Any, city: City, javascript: bool
) -> None:
    page: Page = new_context(java_script_enabled=javascript).new_page()
    sign_in_with_form(page, "oscar", PASSWORD)
    page.goto(f"/t/{city.territory.slug}/ecosystem/partnerships/new/")
    page.get_by_label("Name", exact=False).first.fill("A partnership of one")
    page.get_by_label("Form", exact=False).first.select_option(label="Licensing")
    page.get_by_label("Member 1", exact=True).select_option(label="Kraftringen")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.compile("two", re.IGNORECASE))
    # Nothing typed is lost.
    expect(page.get_by_label("Name", exact=False).first).to_have_value("A partnership of one")
    expect(page.get_by_label("Member 1", exact=True)).to_have_value(
        str(city.stakeholders["energy"].pk)
    )
    page.get_by_role("navigation", name="Territory").get_by_role(
        "link", name="Partnerships"
    ).click()
    expect(page.get_by_role("main")).not_to_contain_text("A partnership of one")


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page: Page, city: City) -> None:
    sign_in_with_form(page, "oscar", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_label("Username")).to_have_value("oscar")
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_have_count(0)
