"""The demo's proposals and workshops: every status, real links, the same data every time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from cocity.coproduction.demo import coproduction_demo_generate
from cocity.coproduction.models import (
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalSupport,
    Workshop,
    WorkshopOutput,
)
from cocity.core.models import ActivityEntry
from cocity.core.testing import make_member, make_stakeholder, make_territory
from cocity.programme.services import challenge_create, initiative_create

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def _city(slug: str):
    territory = make_territory(name=slug.title(), slug=slug)
    make_member(territory, "facilitator")
    make_member(territory, "officer")
    citizen = make_member(territory, "citizen", username=f"{slug}-citizen")
    for sector in ("public", "civil", "civil", "academia", "industry"):
        make_stakeholder(territory, sector=sector)
    for title in ("Mobility", "Smart energy", "Lighting"):
        challenge = challenge_create(territory=territory, actor=None, title=title)
        initiative_create(
            territory=territory, actor=None, title=f"{title} pilot", challenges=[challenge]
        )
    return territory, citizen


def _snapshot(territory):
    proposals = Proposal.objects.filter(territory=territory).order_by("created_at", "title")
    return {
        "proposals": [
            (p.title, p.status, p.created_at, p.supports.count(), p.comments.count())
            for p in proposals
        ],
        "workshops": [
            (w.title, w.starts_at, w.people_count, w.stakeholders.count(), w.outputs.count())
            for w in Workshop.objects.filter(territory=territory).order_by("starts_at")
        ],
    }


def test_coproduction_demo_generate_covers_the_workflow_and_workshops():
    territory, citizen = _city("norrhamn")
    made = coproduction_demo_generate(territory=territory, today=TODAY)
    assert made == {"proposals": 30, "initiatives": 2, "workshops": 5}
    proposals = Proposal.objects.filter(territory=territory)
    assert set(proposals.values_list("status", flat=True)) == set(ProposalStatus.values)
    turned = proposals.exclude(initiative=None)
    assert turned.count() == 2
    for proposal in turned:
        assert proposal.status == ProposalStatus.ACCEPTED
        assert list(proposal.initiative.source_proposals.all()) == [proposal]
        assert list(proposal.initiative.challenges.all()) == [proposal.challenge]
    declined = proposals.filter(status=ProposalStatus.DECLINED)
    assert all(p.status_reason for p in declined)
    # The demo citizen has proposals of their own and takes part in others'.
    assert proposals.filter(author=citizen).count() == 3
    assert ProposalComment.objects.filter(author=citizen).exists()
    assert ProposalSupport.objects.filter(user=citizen).exists()
    assert (
        ProposalComment.objects.filter(
            proposal__territory=territory, hidden_by_moderator=True
        ).count()
        == 1
    )
    assert ProposalSupport.objects.filter(proposal__territory=territory).count() > 60
    # Everything happened before today.
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(23, 59)))
    assert all(p.created_at < now for p in proposals)
    ours = ActivityEntry.objects.filter(
        Q(verb__startswith="proposal_") | Q(verb__startswith="workshop_"), territory=territory
    )
    assert ours.count() > 30 and not ours.filter(created_at__gt=now).exists()

    workshops = Workshop.objects.filter(territory=territory)
    start_of_today = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(0)))
    assert workshops.filter(starts_at__lt=start_of_today).count() == 3
    assert workshops.filter(starts_at__gt=start_of_today).count() == 2
    outputs = WorkshopOutput.objects.filter(workshop__territory=territory)
    assert outputs.count() == 10
    assert outputs.exclude(initiative=None).exists() and outputs.exclude(proposal=None).exists()
    assert all(w.stakeholders.count() == 5 for w in workshops)


def test_coproduction_demo_generate_is_deterministic_and_runs_once():
    first, _citizen = _city("first")
    second, _citizen = _city("second")
    coproduction_demo_generate(territory=first, today=TODAY)
    coproduction_demo_generate(territory=second, today=TODAY)
    assert _snapshot(first) == _snapshot(second)
    before = _snapshot(first)
    again = coproduction_demo_generate(territory=first, today=TODAY)
    assert again == {"proposals": 0, "initiatives": 0, "workshops": 0}
    assert _snapshot(first) == before


def test_coproduction_demo_generate_leaves_a_territory_without_challenges_alone():
    territory = make_territory(name="Empty", slug="empty")
    make_member(territory, "facilitator")
    assert coproduction_demo_generate(territory=territory, today=TODAY)["proposals"] == 0
    assert not Proposal.objects.exists() and not Workshop.objects.exists()
