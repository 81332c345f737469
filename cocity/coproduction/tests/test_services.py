"""The proposal workflow, support, comments, turning into an initiative, and workshops."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocity.coproduction import services
from cocity.coproduction.models import (
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
    Workshop,
    WorkshopOutput,
)
from cocity.coproduction.tests.conftest import in_days, move
from cocity.core.models import ActivityEntry
from cocity.core.testing import make_member, make_stakeholder
from cocity.programme.models import Initiative
from cocity.programme.services import challenge_create, initiative_create

pytestmark = pytest.mark.django_db

S = ProposalStatus
VALID = {
    (S.SUBMITTED, S.UNDER_REVIEW): "facilitator",
    (S.SUBMITTED, S.WITHDRAWN): "citizen",
    (S.UNDER_REVIEW, S.ACCEPTED): "officer",
    (S.UNDER_REVIEW, S.DECLINED): "facilitator",
    (S.UNDER_REVIEW, S.WITHDRAWN): "citizen",
    (S.ACCEPTED, S.IMPLEMENTED): "officer",
}
INVALID = [pair for pair in itertools.product(S.values, S.values) if pair not in VALID]


# --- creating and editing ----------------------------------------------------------------------


def test_proposal_create_by_a_citizen_is_submitted_and_announced(users, territory, mobility):
    proposal = services.proposal_create(
        territory=territory,
        actor=users["citizen"],
        challenge=mobility,
        title="  Car-free Sundays  ",
        body="Close the old town to cars once a month.",
    )
    assert proposal.status == S.SUBMITTED and proposal.author == users["citizen"]
    assert proposal.title == "Car-free Sundays"
    entry = ActivityEntry.objects.get(territory=territory, verb="proposal_created")
    assert "Car-free Sundays" in entry.summary and entry.is_public


@pytest.mark.parametrize("role", ["observer"])
def test_proposal_create_refused_for_observers(users, territory, mobility, role):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            territory=territory, actor=users[role], challenge=mobility, title="X", body="Y"
        )
    assert not Proposal.objects.exists()


def test_proposal_create_rejects_a_challenge_of_another_territory(
    users, territory, other_territory
):
    foreign = challenge_create(territory=other_territory, actor=None, title="Harbour")
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            territory=territory, actor=users["citizen"], challenge=foreign, title="X", body="Y"
        )
    assert "challenge" in caught.value.message_dict
    assert not Proposal.objects.exists()


def test_proposal_create_rejects_draft_challenge_and_blank_text(users, territory):
    draft = challenge_create(territory=territory, actor=None, title="Secret", is_draft=True)
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            territory=territory, actor=users["citizen"], challenge=draft, title="X", body="Y"
        )
    assert "draft" in caught.value.message_dict["challenge"][0]
    public = challenge_create(territory=territory, actor=None, title="Public")
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            territory=territory, actor=users["citizen"], challenge=public, title=" ", body="Y"
        )
    assert "title" in caught.value.message_dict


def test_proposal_create_rejects_a_body_over_the_limit(users, territory, mobility):
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            territory=territory,
            actor=users["citizen"],
            challenge=mobility,
            title="Long",
            body="x" * 5001,
        )
    assert "body" in caught.value.message_dict


def test_proposal_update_by_its_author_only_while_submitted(users, proposal, energy):
    services.proposal_update(
        proposal=proposal, actor=users["citizen"], title="Night bus", challenge=energy
    )
    proposal.refresh_from_db()
    assert proposal.title == "Night bus" and proposal.challenge == energy
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=proposal, actor=users["partner"], title="Mine")
    move(proposal, S.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="until its review starts"):
        services.proposal_update(proposal=proposal, actor=users["citizen"], title="Later")
    proposal.refresh_from_db()
    assert proposal.title == "Night bus"


# --- the workflow ------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "to"), list(VALID))
def test_proposal_transition_valid_step_is_recorded(users, proposal, start, to):
    move(proposal, start)
    actor = users[VALID[(start, to)]]
    reason = "Too costly for now." if to == S.DECLINED else ""
    services.proposal_transition(proposal=proposal, actor=actor, to=to, reason=reason)
    proposal.refresh_from_db()
    assert proposal.status == to and proposal.status_reason == reason
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.by) == (start, to, actor)


@pytest.mark.parametrize(("start", "to"), INVALID)
def test_proposal_transition_invalid_step_is_refused_with_a_message(users, proposal, start, to):
    move(proposal, start)
    for role in ("facilitator", "citizen"):  # a reviewer and the author
        with pytest.raises(ValidationError) as caught:
            services.proposal_transition(
                proposal=proposal, actor=users[role], to=to, reason="Because."
            )
        assert caught.value.message_dict["to"][0].startswith(("A proposal that is", "The proposal"))
    proposal.refresh_from_db()
    assert proposal.status == start
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.parametrize(("start", "to"), list(VALID))
def test_proposal_transition_by_the_wrong_person_is_denied(users, proposal, start, to):
    move(proposal, start)
    # Reviewer steps are not the author's; withdrawing is not the reviewer's.
    wrong = "citizen" if VALID[(start, to)] != "citizen" else "facilitator"
    for role in (wrong, "partner", "observer"):
        with pytest.raises(PermissionDenied):
            services.proposal_transition(
                proposal=proposal, actor=users[role], to=to, reason="Because."
            )
    proposal.refresh_from_db()
    assert proposal.status == start


def test_proposal_transition_decline_needs_a_reason(users, proposal):
    move(proposal, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        services.proposal_transition(
            proposal=proposal, actor=users["facilitator"], to=S.DECLINED, reason="   "
        )
    assert caught.value.message_dict["reason"] == ["Say why the proposal is declined."]
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW


def test_proposal_transition_rejects_an_unknown_status(users, proposal):
    with pytest.raises(ValidationError) as caught:
        services.proposal_transition(proposal=proposal, actor=users["facilitator"], to="lost")
    assert "Unknown status" in caught.value.message_dict["to"][0]


def test_proposal_transitions_allowed_depend_on_who_asks(users, proposal):
    allowed = services.proposal_transitions_allowed
    assert allowed(proposal=proposal, user=users["facilitator"]) == [S.UNDER_REVIEW]
    assert allowed(proposal=proposal, user=users["citizen"]) == [S.WITHDRAWN]
    assert allowed(proposal=proposal, user=users["partner"]) == []
    move(proposal, S.UNDER_REVIEW)
    assert allowed(proposal=proposal, user=users["officer"]) == [S.ACCEPTED, S.DECLINED]


# --- support -----------------------------------------------------------------------------------


def test_proposal_support_set_counts_once_per_person_and_toggles(users, proposal):
    partner, officer = users["partner"], users["officer"]
    assert services.proposal_support_set(proposal=proposal, actor=partner, supported=True)
    assert not services.proposal_support_set(proposal=proposal, actor=partner, supported=True)
    services.proposal_support_set(proposal=proposal, actor=officer, supported=True)
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 2
    assert services.proposal_support_set(proposal=proposal, actor=partner, supported=False)
    assert not services.proposal_support_set(proposal=proposal, actor=partner, supported=False)
    assert list(ProposalSupport.objects.values_list("user", flat=True)) == [officer.pk]


def test_proposal_support_set_refuses_the_author_observers_and_closed_proposals(users, proposal):
    with pytest.raises(ValidationError, match="your own proposal"):
        services.proposal_support_set(proposal=proposal, actor=users["citizen"], supported=True)
    with pytest.raises(PermissionDenied):
        services.proposal_support_set(proposal=proposal, actor=users["observer"], supported=True)
    services.proposal_support_set(proposal=proposal, actor=users["partner"], supported=True)
    move(proposal, S.DECLINED)
    with pytest.raises(ValidationError, match="takes no more support"):
        services.proposal_support_set(proposal=proposal, actor=users["officer"], supported=True)
    # Taking support back stays possible after the decision.
    services.proposal_support_set(proposal=proposal, actor=users["partner"], supported=False)
    assert not ProposalSupport.objects.exists()


def test_proposal_support_set_refuses_a_member_of_another_territory(proposal, other_territory):
    stranger = make_member(other_territory, "facilitator")
    with pytest.raises(PermissionDenied):
        services.proposal_support_set(proposal=proposal, actor=stranger, supported=True)


# --- comments and moderation -------------------------------------------------------------------


def test_proposal_comment_create_and_moderation(users, proposal):
    comment = services.proposal_comment_create(
        proposal=proposal, actor=users["partner"], body="  We could help test it.  "
    )
    assert comment.body == "We could help test it."
    with pytest.raises(PermissionDenied):
        services.proposal_comment_hide(comment=comment, actor=users["citizen"], reason="No.")
    with pytest.raises(ValidationError) as caught:
        services.proposal_comment_hide(comment=comment, actor=users["officer"], reason=" ")
    assert "reason" in caught.value.message_dict
    services.proposal_comment_hide(comment=comment, actor=users["officer"], reason="Off topic.")
    comment.refresh_from_db()
    assert comment.hidden_by_moderator and comment.hidden_reason == "Off topic."
    assert comment.body == "We could help test it."  # kept, so it can be shown again
    services.proposal_comment_restore(comment=comment, actor=users["facilitator"])
    comment.refresh_from_db()
    assert not comment.hidden_by_moderator and comment.hidden_reason == ""


def test_proposal_comment_create_refuses_blank_long_observer_and_withdrawn(users, proposal):
    for body in ("   ", "x" * 2001):
        with pytest.raises(ValidationError) as caught:
            services.proposal_comment_create(proposal=proposal, actor=users["partner"], body=body)
        assert "body" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.proposal_comment_create(proposal=proposal, actor=users["observer"], body="Hi")
    move(proposal, S.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.proposal_comment_create(proposal=proposal, actor=users["partner"], body="Hi")
    assert not ProposalComment.objects.exists()


# --- turning a proposal into an initiative -----------------------------------------------------


def test_proposal_initiative_create_keeps_the_link_both_ways(users, proposal, mobility):
    move(proposal, S.UNDER_REVIEW)
    initiative = services.proposal_initiative_create(
        proposal=proposal, actor=users["officer"], stage="concept"
    )
    proposal.refresh_from_db()
    assert proposal.initiative == initiative and proposal.status == S.ACCEPTED
    assert list(initiative.source_proposals.all()) == [proposal]
    assert initiative.title == proposal.title and initiative.description == proposal.body
    assert initiative.stage == "concept" and list(initiative.challenges.all()) == [mobility]
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert change.to_status == S.ACCEPTED and initiative.title in change.reason
    assert ActivityEntry.objects.filter(verb="proposal_initiative").count() == 1


def test_proposal_initiative_create_from_accepted_keeps_the_status(users, proposal):
    move(proposal, S.ACCEPTED)
    initiative = services.proposal_initiative_create(
        proposal=proposal, actor=users["facilitator"], title="Night line pilot", description=""
    )
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED and proposal.initiative == initiative
    assert initiative.title == "Night line pilot"
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.parametrize("status", [S.SUBMITTED, S.DECLINED, S.WITHDRAWN, S.IMPLEMENTED])
def test_proposal_initiative_create_refused_outside_review(users, proposal, status):
    move(proposal, status)
    with pytest.raises(ValidationError, match="under review or accepted"):
        services.proposal_initiative_create(proposal=proposal, actor=users["facilitator"])
    assert not Initiative.objects.exists()


def test_proposal_initiative_create_refused_twice_for_citizens_and_late_stages(users, proposal):
    move(proposal, S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.proposal_initiative_create(proposal=proposal, actor=users["citizen"])
    with pytest.raises(ValidationError) as caught:
        services.proposal_initiative_create(
            proposal=proposal, actor=users["facilitator"], stage="pilot"
        )
    assert "stage" in caught.value.message_dict
    assert not Initiative.objects.exists()
    services.proposal_initiative_create(proposal=proposal, actor=users["facilitator"])
    with pytest.raises(ValidationError, match="already become"):
        services.proposal_initiative_create(proposal=proposal, actor=users["facilitator"])
    assert Initiative.objects.count() == 1


# --- workshops ---------------------------------------------------------------------------------


def test_workshop_create_with_attending_organisations(users, territory, partner_org, mobility):
    ngo = make_stakeholder(territory, name="Digidel", sector="civil")
    workshop = services.workshop_create(
        territory=territory,
        actor=users["officer"],
        title="Mobility co-design day",
        starts_at=in_days(10),
        place="City library",
        people_count=40,
        challenge=mobility,
        stakeholders=[partner_org, ngo],
    )
    assert set(workshop.stakeholders.all()) == {partner_org, ngo}
    assert workshop.created_by == users["officer"]


def test_workshop_create_refuses_citizens_foreign_rows_and_bad_counts(
    users, territory, other_territory
):
    base = {"territory": territory, "title": "W", "starts_at": in_days(3), "place": "Hall"}
    with pytest.raises(PermissionDenied):
        services.workshop_create(actor=users["citizen"], **base)
    foreign = make_stakeholder(other_territory)
    with pytest.raises(ValidationError) as caught:
        services.workshop_create(actor=users["officer"], stakeholders=[foreign], **base)
    assert "stakeholders" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.workshop_create(actor=users["officer"], people_count=-1, **base)
    assert "people_count" in caught.value.message_dict
    assert not Workshop.objects.exists()


def test_workshop_output_links_to_initiatives_and_proposals_of_the_territory(
    users, territory, other_territory, proposal, partner_org
):
    workshop = services.workshop_create(
        territory=territory, actor=users["facilitator"], title="W", starts_at=in_days(-5),
        place="Hall",
    )  # fmt: skip
    initiative = initiative_create(territory=territory, actor=None, title="Night line")
    output = services.workshop_output_create(
        workshop=workshop,
        actor=users["facilitator"],
        kind="decision",
        text="Test a night line for six months.",
        owner=partner_org,
        initiative=initiative,
        proposal=proposal,
    )
    assert output.status == "open"
    services.workshop_output_update(output=output, actor=users["officer"], status="done")
    output.refresh_from_db()
    assert output.status == "done"
    foreign = initiative_create(territory=other_territory, actor=None, title="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        services.workshop_output_update(output=output, actor=users["officer"], initiative=foreign)
    assert "initiative" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.workshop_output_update(output=output, actor=users["partner"], status="open")
    output.refresh_from_db()
    assert output.initiative == initiative and output.status == "done"
    services.workshop_output_delete(output=output, actor=users["officer"])
    assert not WorkshopOutput.objects.exists()
