"""Co-creation pages in the browser: axe finds no serious violation, and the flows need no JS.

The proposal and workshop pages are checked as a visitor, as a citizen (who supports and
comments) and as a facilitator (who sees every review action and form, with their errors).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import City, sign_in_directly
from tests.e2e.test_accessibility import MainPage, _problems_on

pytestmark = pytest.mark.e2e


def _with_co_creation(city: City) -> dict[str, Any]:
    """A proposal under review with a comment and a hidden one, and a workshop with outputs."""
    from cocity.coproduction import services
    from cocity.coproduction.tests.conftest import in_days

    users = city.users
    proposal = services.proposal_create(
        territory=city.territory,
        actor=users["citizen"],
        challenge=city.challenge,
        title="Energy advice café in every library",
        body="A monthly drop-in where volunteers help tenants read their bills.",
    )
    services.proposal_transition(proposal=proposal, actor=users["facilitator"], to="under_review")
    services.proposal_support_set(proposal=proposal, actor=users["partner"], supported=True)
    services.proposal_comment_create(proposal=proposal, actor=users["partner"], body="Yes!")
    rude = services.proposal_comment_create(
        proposal=proposal, actor=users["officer"], body="Off-topic remark."
    )
    services.proposal_comment_hide(comment=rude, actor=users["facilitator"], reason="Off topic.")
    workshop = services.workshop_create(
        territory=city.territory,
        actor=users["facilitator"],
        title="Energy café for tenants",
        starts_at=in_days(-5),
        place="Varvet library",
        people_count=22,
        challenge=city.challenge,
        stakeholders=[city.stakeholders["ngo"], city.stakeholders["energy"]],
    )
    services.workshop_create(
        territory=city.territory,
        actor=users["facilitator"],
        title="Bus routes for the harbour",
        starts_at=in_days(12),
        place="Kajen school",
    )
    for kind, links in (("decision", {"initiative": city.initiative}), ("action", {})):
        services.workshop_output_create(
            workshop=workshop,
            actor=users["facilitator"],
            kind=kind,
            text="Run an energy café every month.",
            owner=city.stakeholders["ngo"],
            proposal=proposal,
            **links,
        )
    return {"proposal": proposal.pk, "workshop": workshop.pk}


def _u(name: str, *args: Any) -> Any:
    return lambda city, ids: reverse(
        f"coproduction:{name}", args=[city.territory.slug, *(ids[a] for a in args)]
    )


PAGES: dict[str | None, dict[str, tuple[Any, MainPage]]] = {
    None: {
        "proposal-list": (_u("proposal_list"), MainPage(lambda c: "")),
        "proposal-detail": (_u("proposal_detail", "proposal"), MainPage(lambda c: "")),
        "workshop-list": (_u("workshop_list"), MainPage(lambda c: "")),
        "workshop-detail": (_u("workshop_detail", "workshop"), MainPage(lambda c: "")),
    },
    "citizen": {
        "proposal-detail": (_u("proposal_detail", "proposal"), MainPage(lambda c: "")),
        "proposal-form-with-errors": (
            _u("proposal_create"),
            MainPage(lambda c: "", submit_empty_form=True, status=400),
        ),
    },
    "facilitator": {
        "proposal-list": (_u("proposal_list"), MainPage(lambda c: "")),
        "proposal-detail": (_u("proposal_detail", "proposal"), MainPage(lambda c: "")),
        "make-initiative": (_u("proposal_make_initiative", "proposal"), MainPage(lambda c: "")),
        "workshop-detail": (_u("workshop_detail", "workshop"), MainPage(lambda c: "")),
        "workshop-form-with-errors": (
            _u("workshop_create"),
            MainPage(lambda c: "", submit_empty_form=True, status=400),
        ),
        "output-form": (_u("output_create", "workshop"), MainPage(lambda c: "")),
    },
}


@pytest.mark.parametrize("role", list(PAGES))
def test_co_creation_pages_have_no_serious_wcag_violation(
    role: str | None, context: BrowserContext, page: Page, live_server: Any, city: City
) -> None:
    ids = _with_co_creation(city)
    if role:
        sign_in_directly(context, live_server, city.users[role])
    report = []
    for name, (url_of, spec) in PAGES[role].items():
        url = url_of(city, ids)
        report.extend(f"{name} ({url}) {problem}" for problem in _problems_on(page, spec, url))
    assert not report, f"co-creation pages, as {role or 'a visitor'}:\n" + "\n".join(report)


def test_citizen_supports_comments_and_proposes_without_javascript(
    new_context: Any, live_server: Any, city: City
) -> None:
    ids = _with_co_creation(city)
    context = new_context(java_script_enabled=False)
    sign_in_directly(context, live_server, city.users["officer"])
    page = context.new_page()
    page.goto(_u("proposal_detail", "proposal")(city, ids))
    page.get_by_role("button", name="Support this proposal").click()
    expect(page.get_by_text("2 people support this proposal.")).to_be_visible()
    page.get_by_label("Your comment").fill("Our library in Kajen would host it.")
    page.get_by_role("button", name="Publish comment").click()
    expect(page.get_by_text("Our library in Kajen would host it.")).to_be_visible()
    page.get_by_role("button", name="Withdraw my support").click()
    expect(page.get_by_text("1 person supports this proposal.")).to_be_visible()

    page.goto(_u("proposal_create")(city, ids))
    page.get_by_label("Challenge").select_option(label=city.challenge.title)
    page.get_by_label("Title").fill("Warm rooms in winter")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Warm rooms in winter")
    page.get_by_label("Proposal").fill("Open heated rooms on the coldest days.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warm rooms in winter")
