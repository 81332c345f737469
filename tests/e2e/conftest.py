"""Browser tests: Debian's headless Chromium, driven by Playwright, against the live server.

One browser per test session (so one per xdist worker) and a fresh context per test, so cookies,
sessions and the language choice never leak between tests. The data each test sees is built
through the services, like a real territory's, in ``city``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no outside network: without these Chromium floods refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The WCAG 2.2 AA rule sets (axe tags rules by the version that introduced them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Each test makes its users afresh (the live server needs a flushed database), and PBKDF2
    # takes about half a second a user on two shared cores; these tests are about pages.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed: the browser tests need Debian's chromium "
            "(run `make chromium`, or `apt-get install chromium`). "
            "Playwright's own browser downloads are not used.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio event loop running in this thread while the
    # browser lives, so Django believes every ORM call made here afterwards (building test data,
    # and any later test in this worker) comes from async code and refuses it with
    # SynchronousOnlyOperation. The calls are plain synchronous ones: the loop only talks to the
    # browser, and the live server answers in its own thread. Runs without the browser tests
    # (-m "not e2e") never get here and keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser: Browser, live_server: Any, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    context = _new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Any]:
    """``new_context(java_script_enabled=False)``: a further context, closed after the test."""
    opened: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = _new_context(browser, live_server, **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def sign_in_directly(context: BrowserContext, live_server: Any, user: Any) -> None:
    """Give ``context`` a session for ``user`` without the login form (for pages under test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def sign_in_with_form(page: Page, username: str, password: str) -> None:
    """Sign in the way a person does: the header's link, the form, the button."""
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; its violations of WCAG 2.2 A/AA.

    The app's Content-Security-Policy (``script-src 'self'``) blocks an injected ``<script>``
    tag, so axe is evaluated through the DevTools protocol, which the policy does not govern.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const r = await axe.run(document, options);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    return list(result)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"      at {target}" for target in v["targets"][:10])
        for v in violations
    )


@dataclass
class City:
    """A small territory with something on every page, and one member per role."""

    territory: Any
    users: dict[str, Any]
    stakeholders: dict[str, Any]
    partnership: Any
    challenge: Any
    initiative: Any
    area: Any
    team: Any


def build_city() -> City:
    from cocity.core.testing import make_member, make_territory
    from cocity.ecosystem import services as ecosystem
    from cocity.programme import services as programme
    from cocity.territories import services as territories

    territory = make_territory(name="Lund", slug="lund", currency="SEK")
    facilitator = make_member(territory, "facilitator", username="fiona")
    cluster = territories.cluster_create(territory=territory, actor=facilitator, name="ICT")
    area = territories.area_create(
        territory=territory,
        actor=facilitator,
        code="LU-01",
        name="Norra Fäladen",
        population=6200,
        deprivation_decile=3,
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[13.19, 55.72], [13.21, 55.72], [13.21, 55.73], [13.19, 55.73], [13.19, 55.72]]
            ],
        },
    )

    def stakeholder(name: str, sector: str, type_: str) -> Any:
        return ecosystem.stakeholder_create(
            territory=territory,
            actor=facilitator,
            name=name,
            sector=sector,
            type=type_,
            description=f"{name} works on the city's digital strategy.",
            clusters=[cluster],
            areas=[area],
        )

    stakeholders = {
        "city": stakeholder("Lund Municipality", "public", "municipality"),
        "university": stakeholder("Lund University", "academia", "university"),
        "energy": stakeholder("Kraftringen", "industry", "utility"),
        "ngo": stakeholder("Digidel Lund", "civil", "ngo"),
    }
    users = {
        "facilitator": facilitator,
        "officer": make_member(territory, "officer", username="oscar"),
        "partner": make_member(
            territory, "partner", stakeholder=stakeholders["university"], username="petra"
        ),
        "citizen": make_member(territory, "citizen", username="cecilia"),
    }
    challenge = programme.challenge_create(
        territory=territory,
        actor=facilitator,
        title="Smart energy in homes",
        description="Cut household energy use without leaving anyone behind.",
        mission="planetary_health",
    )
    initiative = programme.initiative_create(
        territory=territory,
        actor=facilitator,
        title="Heat sensors in social housing",
        stage="pilot",
        description="Sensors and a dashboard for tenants and the utility.",
        lead=stakeholders["energy"],
        partners=[stakeholders["university"], stakeholders["city"]],
        challenges=[challenge],
        areas=[area],
        layers={"sensing": 60, "data": 30},
        budget=Decimal("1200000"),
        currency="SEK",
        start_date=dt.date(2024, 3, 1),
    )
    partnership = ecosystem.partnership_create(
        territory=territory,
        actor=facilitator,
        name="Lund Energy Living Lab",
        form="research",
        status="active",
        members=[(stakeholders["university"], "lead"), (stakeholders["energy"], "partner")],
        start_date=dt.date(2023, 9, 1),
        value=Decimal("500000"),
        currency="SEK",
        initiatives=[initiative],
    )
    ecosystem.collaboration_create(
        territory=territory,
        actor=facilitator,
        title="Tenant workshop on heat data",
        kind="workshop",
        date=dt.date(2024, 5, 14),
        outcome="positive",
        stakeholders=[stakeholders["university"], stakeholders["energy"], stakeholders["ngo"]],
        partnership=partnership,
    )
    ecosystem.trust_rating_create(
        territory=territory,
        actor=facilitator,
        rater=stakeholders["university"],
        ratee=stakeholders["energy"],
        ability=4,
        benevolence=3,
        integrity=5,
        rated_on=dt.date(2024, 6, 1),
        comment="Delivered the sensors on time.",
    )
    team = ecosystem.leadership_team_create(
        territory=territory,
        actor=facilitator,
        name="Energy leadership team",
        theme="Household energy",
        challenge=challenge,
        members=[
            (stakeholders["city"], "Head of digital"),
            (stakeholders["university"], "Professor of energy systems"),
            (stakeholders["ngo"], "Chair"),
        ],
    )
    return City(
        territory=territory,
        users=users,
        stakeholders=stakeholders,
        partnership=partnership,
        challenge=challenge,
        initiative=initiative,
        area=area,
        team=team,
    )


@pytest.fixture
def city(live_server: Any) -> City:
    return build_city()
