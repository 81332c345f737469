"""Consultation pages in headless Chromium: axe finds no serious or critical WCAG 2.2 AA
violation; voting works by keyboard, with HTMX and without JavaScript."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import sign_in_directly
from tests.e2e.test_accessibility import MainPage, _problems_on

pytestmark = pytest.mark.e2e


@dataclass
class Consultation:
    territory: Any
    users: dict[str, Any]
    conversation: Any
    pending: Any

    def url(self, name: str, *extra: Any) -> str:
        return reverse(
            f"engagement:{name}", args=[self.territory.slug, self.conversation.pk, *extra]
        )


@pytest.fixture
def consultation(live_server: Any) -> Consultation:
    from cocity.core.testing import make_member, make_territory
    from cocity.engagement.demo import engagement_demo_generate
    from cocity.engagement.models import Statement
    from cocity.programme.services import challenge_create
    from cocity.territories.models import Area

    territory = make_territory(name="Lund", slug="lund", currency="SEK")
    for i in range(6):
        Area.objects.create(
            territory=territory,
            code=f"LU-{i:02d}",
            name=f"District {i}",
            population=3000 + 500 * i,
            deprivation_decile=1 + 2 * i,
        )
    challenge_create(territory=territory, actor=None, title="Mobility")
    users = {
        role: make_member(territory, role, username=name)
        for role, name in (("facilitator", "fiona"), ("officer", "oscar"), ("citizen", "cecilia"))
    }
    summary = engagement_demo_generate(
        territory=territory, seed=3, today=dt.date(2026, 6, 30), n_participants=120
    )
    pending = Statement.objects.filter(conversation=summary.conversation, status="pending").first()
    return Consultation(territory, users, summary.conversation, pending)


def _check(page: Page, pages: dict[str, str]) -> list[str]:
    report = []
    for name, url in pages.items():
        spec = MainPage(lambda _city, url=url: url)  # type: ignore[misc]
        report.extend(f"{name} ({url}) {p}" for p in _problems_on(page, spec, url))
    return report


def test_consultation_pages_for_visitors_have_no_serious_wcag_violation(
    page: Page, consultation: Consultation
) -> None:
    c = consultation
    pages = {
        "list": reverse("engagement:conversation_list", args=[c.territory.slug]),
        "detail": c.url("conversation_detail"),
        "vote (profile questions)": c.url("vote"),
        "vote (statement)": c.url("vote") + "?skip_profile=1",
        "map": c.url("map"),
        "report": c.url("report"),
    }
    report = _check(page, pages)
    assert not report, "\n".join(report)


def test_consultation_pages_for_facilitators_have_no_serious_wcag_violation(
    context: BrowserContext, page: Page, live_server: Any, consultation: Consultation
) -> None:
    c = consultation
    sign_in_directly(context, live_server, c.users["facilitator"])
    pages = {
        "detail": c.url("conversation_detail"),
        "edit": c.url("conversation_edit"),
        "statements": c.url("statement_list"),
        "moderation": c.url("moderation_queue"),
        "participants": c.url("participant_list"),
        "new": reverse("engagement:conversation_create", args=[c.territory.slug]),
        "import": reverse("engagement:conversation_import", args=[c.territory.slug]),
    }
    report = _check(page, pages)
    assert not report, "\n".join(report)


def test_vote_by_keyboard_with_htmx_moves_focus_to_the_next_statement(
    page: Page, consultation: Consultation
) -> None:
    c = consultation
    page.goto(c.url("vote"))
    page.get_by_role("button", name="Skip these questions").click()
    first = page.locator("#statement-text").inner_text()
    expect(page.get_by_text("Statement 1 of")).to_be_visible()
    agree = page.get_by_role("button", name="Agree", exact=True)
    agree.focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    expect(page.get_by_text("Statement 2 of")).to_be_visible()
    statement = page.locator("#statement-text")
    expect(statement).to_be_focused()  # the screen reader reads the new statement
    assert statement.inner_text() != first
    from cocity.engagement.models import Participant, Vote

    participant = Participant.objects.filter(conversation=c.conversation, user=None).latest("pk")
    assert list(
        Vote.objects.filter(participant=participant).values_list("statement__text", "value")
    ) == [(first, 1)]


def test_vote_without_javascript(new_context: Any, consultation: Consultation) -> None:
    c = consultation
    page = new_context(java_script_enabled=False).new_page()
    page.goto(c.url("vote"))
    page.get_by_label("Which of these best describes you here?").select_option("citizens")
    page.get_by_role("button", name="Save and start").click()
    for n in (1, 2, 3):
        expect(page.get_by_text(f"Statement {n} of")).to_be_visible()
        page.get_by_role("button", name="Disagree").click()
    expect(page.get_by_text("Statement 4 of")).to_be_visible()
    from cocity.engagement.models import Participant

    participant = Participant.objects.filter(conversation=c.conversation).latest("pk")
    assert participant.sector == "citizens"
    assert participant.votes.filter(value=-1).count() == 3
