"""API: proposals (list, read, create, support, workflow) and workshops (list, read)."""

from __future__ import annotations

import pytest

from cocity.coproduction import services
from cocity.coproduction.models import Proposal, ProposalStatus, ProposalSupport
from cocity.coproduction.tests.conftest import in_days, move
from cocity.core.api_testing import api_url, assert_error, queries_for_get, send
from cocity.core.testing import make_member
from cocity.programme.services import challenge_create, initiative_create

pytestmark = pytest.mark.django_db
S = ProposalStatus


def test_proposal_create_by_a_citizen_and_read_back(client_as, territory, mobility):
    client = client_as("citizen")
    body = {"challenge": mobility.pk, "title": "Bike racks", "body": "At every school."}
    created = send(client, "post", api_url(territory, "proposals"), body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "submitted" and data["author"] == "cecilia"
    assert data["supporters"] == 0 and data["history"] == [] and data["supported"] is False
    read = client.get(api_url(territory, "proposals", data["id"]))
    assert read.status_code == 200 and read.json()["title"] == "Bike racks"


def test_proposal_create_rejects_bad_input_with_field_errors(client_as, territory, mobility):
    client = client_as("citizen")
    draft = challenge_create(territory=territory, actor=None, title="Secret", is_draft=True)
    for body, field in (
        ({"challenge": mobility.pk, "title": "", "body": "B"}, "title"),
        ({"challenge": mobility.pk, "title": "T", "body": "x" * 5001}, "body"),
        ({"challenge": draft.pk, "title": "T", "body": "B"}, "challenge"),
        ({"challenge": 10**6, "title": "T", "body": "B"}, "challenge"),
        ({"challenge": mobility.pk, "title": "T", "body": "B", "status": "accepted"}, "status"),
    ):
        error = assert_error(send(client, "post", api_url(territory, "proposals"), body), 422)
        assert field in error["fields"], (body, error)
    assert not Proposal.objects.exists()


def test_proposal_create_needs_a_participant(client, client_as, territory, mobility):
    body = {"challenge": mobility.pk, "title": "T", "body": "B"}
    assert_error(send(client, "post", api_url(territory, "proposals"), body), 401)
    assert_error(send(client_as("observer"), "post", api_url(territory, "proposals"), body), 403)
    assert not Proposal.objects.exists()


def test_proposal_list_sorts_filters_and_counts(client, users, territory, mobility, energy):
    first = services.proposal_create(
        territory=territory, actor=users["citizen"], challenge=mobility, title="A", body="B"
    )
    services.proposal_create(
        territory=territory, actor=users["citizen"], challenge=energy, title="Z", body="B"
    )
    services.proposal_support_set(proposal=first, actor=users["partner"], supported=True)
    comment = services.proposal_comment_create(proposal=first, actor=users["officer"], body="?")
    services.proposal_comment_create(proposal=first, actor=users["officer"], body="!")
    services.proposal_comment_hide(comment=comment, actor=users["officer"], reason="Dup.")
    items = client.get(api_url(territory, "proposals")).json()["items"]
    assert [(p["title"], p["supporters"], p["comments"]) for p in items] == [
        ("A", 1, 1),
        ("Z", 0, 0),
    ]
    newest = client.get(api_url(territory, "proposals") + "?sort=newest").json()["items"]
    assert [p["title"] for p in newest] == ["Z", "A"]
    only = client.get(api_url(territory, "proposals") + f"?challenge={energy.pk}").json()
    assert only["count"] == 1 and only["items"][0]["title"] == "Z"
    assert_error(client.get(api_url(territory, "proposals") + "?sort=random"), 422)
    assert_error(client.get(api_url(territory, "proposals") + "?status=lost"), 422)


def test_proposal_list_query_count_does_not_grow(client, users, territory, mobility):
    def add(n):
        for i in range(n):
            p = services.proposal_create(
                territory=territory, actor=users["citizen"], challenge=mobility,
                title=f"P{Proposal.objects.count()}-{i}", body="B",
            )  # fmt: skip
            services.proposal_support_set(proposal=p, actor=users["partner"], supported=True)

    add(2)
    few = queries_for_get(client, api_url(territory, "proposals"))
    add(15)
    assert queries_for_get(client, api_url(territory, "proposals")) <= few


def test_proposal_support_put_and_delete_are_idempotent(client_as, territory, proposal):
    client = client_as("partner")
    url = api_url(territory, "proposals", proposal.pk) + "support/"
    for _ in range(2):
        response = send(client, "put", url)
        assert response.status_code == 200, response.content
        assert response.json()["supporters"] == 1 and response.json()["supported"] is True
    response = send(client, "delete", url)
    assert response.json()["supporters"] == 0 and response.json()["supported"] is False
    assert send(client, "delete", url).status_code == 200
    assert not ProposalSupport.objects.exists()


def test_proposal_support_refused_for_the_author_and_anonymous(
    client, client_as, territory, proposal
):
    url = api_url(territory, "proposals", proposal.pk) + "support/"
    error = assert_error(send(client_as("citizen"), "put", url), 422)
    assert "your own proposal" in error["message"]
    client.logout()  # client_as signs in the same client
    assert_error(send(client, "put", url), 401)
    assert not ProposalSupport.objects.exists()


def test_proposal_transition_through_the_workflow(client_as, territory, proposal):
    url = api_url(territory, "proposals", proposal.pk) + "transitions/"
    officer = client_as("officer")
    response = send(officer, "post", url, {"to": "under_review"})
    assert response.status_code == 200 and response.json()["status"] == "under_review"
    error = assert_error(send(officer, "post", url, {"to": "declined"}), 422)
    assert error["fields"]["reason"] == ["Say why the proposal is declined."]
    error = assert_error(send(officer, "post", url, {"to": "implemented"}), 422)
    assert "cannot be moved to implemented" in error["fields"]["to"][0]
    response = send(officer, "post", url, {"to": "declined", "reason": "Too costly."})
    data = response.json()
    assert data["status"] == "declined" and data["status_reason"] == "Too costly."
    assert [(h["from_status"], h["to_status"]) for h in data["history"]] == [
        ("submitted", "under_review"),
        ("under_review", "declined"),
    ]


def test_proposal_transition_by_a_citizen_is_403_and_anonymous_401(
    client, client_as, territory, proposal
):
    url = api_url(territory, "proposals", proposal.pk) + "transitions/"
    assert_error(send(client_as("partner"), "post", url, {"to": "under_review"}), 403)
    assert_error(send(client_as("citizen"), "post", url, {"to": "under_review"}), 403)
    assert_error(send(client_as("facilitator"), "post", url, {"to": "lost"}), 422)
    client.logout()  # client_as signs in the same client
    assert_error(send(client, "post", url, {"to": "under_review"}), 401)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_proposal_initiative_id_is_hidden_while_the_initiative_is_a_draft(
    client, client_as, users, territory, proposal
):
    move(proposal, S.UNDER_REVIEW)
    initiative = services.proposal_initiative_create(proposal=proposal, actor=users["officer"])
    url = api_url(territory, "proposals", proposal.pk)
    assert client.get(url).json()["initiative"] == initiative.pk
    initiative.is_draft = True
    initiative.save()
    assert client.get(url).json()["initiative"] is None
    assert client_as("officer").get(url).json()["initiative"] == initiative.pk


def test_private_territory_proposals_and_workshops_are_404(client, client_as, other_territory):
    harbour = challenge_create(territory=other_territory, actor=None, title="Harbour")
    hidden = services.proposal_create(
        territory=other_territory,
        actor=make_member(other_territory, "citizen"),
        challenge=harbour,
        title="Private",
        body="B",
    )
    for role in (None, "facilitator"):  # anonymous, then Lund's facilitator
        reader = client_as(role) if role else client
        assert_error(reader.get(api_url(other_territory, "proposals")), 404)
        assert_error(reader.get(api_url(other_territory, "proposals", hidden.pk)), 404)
        assert_error(reader.get(api_url(other_territory, "workshops")), 404)
    url = api_url(other_territory, "proposals", hidden.pk) + "support/"
    assert_error(send(client_as("facilitator"), "put", url), 404)
    assert not ProposalSupport.objects.exists()


def test_workshop_list_and_detail(client, users, territory, partner_org, proposal):
    initiative = initiative_create(territory=territory, actor=None, title="Night line")
    draft = initiative_create(territory=territory, actor=None, title="Quiet", is_draft=True)
    past = services.workshop_create(
        territory=territory, actor=users["facilitator"], title="Mobility day",
        starts_at=in_days(-10), place="Library", people_count=58, stakeholders=[partner_org],
    )  # fmt: skip
    services.workshop_create(
        territory=territory, actor=users["facilitator"], title="Bus routes",
        starts_at=in_days(10), place="School",
    )  # fmt: skip
    for links in ({"initiative": initiative, "proposal": proposal}, {"initiative": draft}):
        services.workshop_output_create(
            workshop=past, actor=users["facilitator"], kind="decision", text="Go.", **links
        )
    listing = client.get(api_url(territory, "workshops")).json()
    assert [w["title"] for w in listing["items"]] == ["Bus routes", "Mobility day"]
    upcoming = client.get(api_url(territory, "workshops") + "?when=upcoming").json()
    assert [w["title"] for w in upcoming["items"]] == ["Bus routes"]
    detail = client.get(api_url(territory, "workshops", past.pk)).json()
    assert detail["people_count"] == 58 and detail["stakeholders"] == [partner_org.pk]
    assert detail["output_count"] == 2
    assert [(o["initiative"], o["proposal"]) for o in detail["outputs"]] == [
        (initiative.pk, proposal.pk),
        (None, None),  # the draft initiative is not revealed
    ]
    assert_error(client.get(api_url(territory, "workshops") + "?when=someday"), 422)
    assert_error(client.get(api_url(territory, "workshops", 10**6)), 404)
