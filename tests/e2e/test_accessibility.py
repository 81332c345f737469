"""WCAG 2.2 AA in the browser: axe-core on the main pages, the keyboard, the page language.

axe finds what a machine can find (contrast, names, labels, landmarks, ARIA); the keyboard and
language tests check two things it cannot: where focus goes and what the switcher does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import (
    BLOCKING_IMPACTS,
    City,
    axe_violations,
    describe_violations,
    sign_in_directly,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class MainPage:
    """A page to check: where it is, and what the visitor does there first."""

    url: Callable[[City], str]
    submit_empty_form: bool = False  # show the form's errors before checking
    status: int = 200  # what the page (or the form's answer) is expected to answer


def _t(name: str, *args: Callable[[City], Any]) -> Callable[[City], str]:
    return lambda city: reverse(name, args=[city.territory.slug, *(f(city) for f in args)])


@dataclass(frozen=True)
class PageGroup:
    role: str | None  # who looks: None for an anonymous visitor
    pages: dict[str, MainPage]
    prepare: Callable[[City], None] | None = None  # more data these pages need


def _with_an_assessment_round(city: City) -> None:
    """The default maturity model and a round that three members answered."""
    from cocity.readiness import services as readiness

    facilitator = city.users["facilitator"]
    model = readiness.maturity_model_install_default(territory=city.territory, actor=facilitator)
    respondents = [facilitator, city.users["officer"], city.users["partner"]]
    round_ = readiness.round_open(
        territory=city.territory,
        actor=facilitator,
        model=model,
        title="Readiness 2025",
        invitees=respondents,
    )
    dimensions = list(model.dimensions.all())
    for n, user in enumerate(respondents[1:]):
        readiness.answers_save(
            round_=round_,
            user=user,
            answers={
                d.pk: readiness.AnswerInput(level=1 + (i + n) % model.n_levels, evidence="Seen.")
                for i, d in enumerate(dimensions)
            },
            submit=True,
        )


def _round_pk(city: City) -> int:
    from cocity.readiness.models import AssessmentRound

    return AssessmentRound.objects.get(territory=city.territory).pk


def _model_pk(city: City) -> int:
    from cocity.readiness.models import MaturityModel

    return MaturityModel.objects.get(territory=city.territory).pk


# The main pages, grouped by who looks at them (one signed-in browser per group keeps the run
# short). Facilitators see the most: every action, private trust ratings, members.
PAGE_GROUPS: dict[str, PageGroup] = {
    "public": PageGroup(
        None,
        {
            "home": MainPage(lambda city: reverse("home")),
            "login": MainPage(lambda city: reverse("login")),
            "login-with-errors": MainPage(lambda city: reverse("login"), submit_empty_form=True),
            "dashboard": MainPage(_t("territories:dashboard")),
            "stakeholder-list": MainPage(_t("ecosystem:stakeholder_list")),
        },
    ),
    "ecosystem": PageGroup(
        "facilitator",
        {
            "stakeholder-list": MainPage(_t("ecosystem:stakeholder_list")),
            "stakeholder-detail": MainPage(
                _t("ecosystem:stakeholder_detail", lambda c: c.stakeholders["university"].pk)
            ),
            "partnership-list": MainPage(_t("ecosystem:partnership_list")),
            "partnership-detail": MainPage(
                _t("ecosystem:partnership_detail", lambda c: c.partnership.pk)
            ),
            "joint-work": MainPage(_t("ecosystem:collaboration_list")),
            "trust-ratings": MainPage(_t("ecosystem:trust_list")),
            "leadership-teams": MainPage(_t("ecosystem:leadership_team_list")),
        },
    ),
    "programme-and-places": PageGroup(
        "facilitator",
        {
            "challenge-list": MainPage(_t("programme:challenge_list")),
            "challenge-detail": MainPage(
                _t("programme:challenge_detail", lambda c: c.challenge.pk)
            ),
            "initiative-list": MainPage(_t("programme:initiative_list")),
            "initiative-detail": MainPage(
                _t("programme:initiative_detail", lambda c: c.initiative.pk)
            ),
            "area-list": MainPage(_t("territories:area_list")),
            "area-detail": MainPage(_t("territories:area_detail", lambda c: c.area.pk)),
        },
    ),
    "workspace": PageGroup(
        "facilitator",
        {
            "home": MainPage(lambda city: reverse("home")),
            "dashboard": MainPage(_t("territories:dashboard")),
            "members": MainPage(_t("territories:member_list")),
            "api-tokens": MainPage(lambda city: reverse("token_list")),
            "data": MainPage(_t("data:index")),
            "not-found": MainPage(lambda city: f"/t/{city.territory.slug}/nothing/", status=404),
        },
    ),
    "readiness": PageGroup(
        "facilitator",
        {
            "readiness": MainPage(_t("readiness:index")),
            "maturity-models": MainPage(_t("readiness:model_list")),
            "maturity-model": MainPage(_t("readiness:model_detail", _model_pk)),
            "assessment-rounds": MainPage(_t("readiness:round_list")),
            "assessment-round": MainPage(_t("readiness:round_detail", _round_pk)),
            "assessment-answers": MainPage(_t("readiness:round_answer", _round_pk)),
            "layers": MainPage(_t("readiness:layers")),
            "benchmark": MainPage(_t("readiness:benchmark")),
        },
        prepare=_with_an_assessment_round,
    ),
    "forms": PageGroup(
        "facilitator",
        {
            "stakeholder-form-with-errors": MainPage(
                _t("ecosystem:stakeholder_create"), submit_empty_form=True, status=400
            ),
            "partnership-form": MainPage(_t("ecosystem:partnership_create")),
            "partnership-form-with-errors": MainPage(
                _t("ecosystem:partnership_create"), submit_empty_form=True, status=400
            ),
            "joint-work-form": MainPage(_t("ecosystem:collaboration_create")),
            "trust-rating-form-with-errors": MainPage(
                _t("ecosystem:trust_create"), submit_empty_form=True, status=400
            ),
            "initiative-form": MainPage(_t("programme:initiative_create")),
        },
    ),
}

# Every id an attribute points at must exist, or the label or description is silently lost
# (axe flags a dangling reference only as "needs review").
BROKEN_ID_REFERENCES_JS = """() => {
    const attrs = ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls'];
    const broken = [];
    for (const attr of attrs) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) {
                    broken.push(`<${el.localName} id="${el.id}"> ${attr}="${id}"`);
                }
            }
        }
    }
    return broken;
}"""

# WCAG 1.4.10 (reflow): at 320 CSS pixels only a data table may need sideways scrolling.
OVERFLOWING_AT_320_JS = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('table')) continue;
        const box = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1 && parent.right <= width + 1) {
            const right = Math.round(box.right);
            wide.push(`<${el.localName} class="${el.className}"> ends at ${right}px`);
        }
    }
    return wide;
}"""


def _problems_on(page: Page, spec: MainPage, url: str) -> list[str]:
    """Open ``url`` like a visitor and list what fails: status, axe, id references, reflow."""
    page.set_viewport_size({"width": 1280, "height": 800})
    response = page.goto(url)
    if spec.submit_empty_form:
        form = page.get_by_role("main").locator("form[method=post]").last
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.locator("button[type=submit]").click()
        response = posted.value
        expect(page.get_by_role("alert")).to_be_visible()
    assert response is not None
    if response.status != spec.status:
        return [f"answered {response.status}, not {spec.status}"]
    problems = []
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        print(f"{url}: minor or moderate axe findings:\n{describe_violations(others)}")
    if blocking:
        problems.append(f"serious or critical axe violations:\n{describe_violations(blocking)}")
    for reference in page.evaluate(BROKEN_ID_REFERENCES_JS):
        problems.append(f"points at an id that does not exist: {reference}")
    page.set_viewport_size({"width": 320, "height": 640})
    for element in page.evaluate(OVERFLOWING_AT_320_JS):
        problems.append(f"does not reflow at 320px (WCAG 1.4.10): {element}")
    return problems


@pytest.mark.parametrize("group", list(PAGE_GROUPS))
def test_main_pages_have_no_serious_wcag_violation(
    group: str, context: BrowserContext, page: Page, live_server: Any, city: City
) -> None:
    role, pages = PAGE_GROUPS[group].role, PAGE_GROUPS[group].pages
    if PAGE_GROUPS[group].prepare:
        PAGE_GROUPS[group].prepare(city)
    if role:
        sign_in_directly(context, live_server, city.users[role])
    report = []
    for name, spec in pages.items():
        try:
            url = spec.url(city)
        except NoReverseMatch:
            report.append(f"{name}: its URL no longer resolves")
            continue
        report.extend(f"{name} ({url}) {problem}" for problem in _problems_on(page, spec, url))
    assert not report, f"{group} pages, as {role or 'a visitor'}:\n" + "\n".join(report)


def test_form_errors_are_tied_to_their_fields(
    context: BrowserContext, page: Page, live_server: Any, city: City
) -> None:
    sign_in_directly(context, live_server, city.users["officer"])
    page.goto(reverse("ecosystem:stakeholder_create", args=[city.territory.slug]))
    page.get_by_label("Website").fill("not a web address")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    name = page.get_by_role("textbox", name="Name")
    expect(name).to_have_attribute("aria-invalid", "true")
    # A screen reader reads the error with the field, not only somewhere on the page.
    expect(name).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("Website")).to_have_accessible_description(
        re.compile("valid URL", re.IGNORECASE)
    )
    expect(page.get_by_label("Website")).to_have_value("not a web address")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(
    context: BrowserContext, page: Page, live_server: Any, city: City
) -> None:
    sign_in_directly(context, live_server, city.users["officer"])
    page.goto(reverse("ecosystem:stakeholder_list", args=[city.territory.slug]))

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible once focused, not only to screen readers

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside main, past the whole header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_language_switcher_changes_the_page_language(
    context: BrowserContext, page: Page, live_server: Any, city: City
) -> None:
    url = reverse("ecosystem:partnership_list", args=[city.territory.slug])
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en\b"))

    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url.endswith(url), "the switcher returns to the page it was used on"
    expect(page.locator("#language-switch")).to_have_value("sv")
    # The choice sticks for the next page.
    page.goto(reverse("territories:dashboard", args=[city.territory.slug]))
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_axe_check_reports_a_planted_violation(page: Page, city: City) -> None:
    # Proves the check above can fail: axe is loaded despite the CSP and runs the WCAG rules.
    page.goto(reverse("home"))
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/cocity/none.png';
            document.querySelector('main').append(img);
        }"""
    )
    violations = axe_violations(page)
    image_alt = [v for v in violations if v["id"] == "image-alt"]
    assert image_alt and image_alt[0]["impact"] == "critical"
    assert image_alt[0]["targets"] == ["img"]  # the selector axe gives, shown in the message
    assert "image-alt (critical)" in describe_violations(violations)
