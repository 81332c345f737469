"""Reads of co-production, always scoped to one territory.

Proposals answering a draft challenge stay with the editors who see drafts; everything else
is readable by whoever may read the territory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cocity.coproduction.models import (
    Proposal,
    ProposalComment,
    ProposalStatusChange,
    ProposalSupport,
    Workshop,
    WorkshopOutput,
)
from cocity.ecosystem.models import Stakeholder
from cocity.programme.models import Initiative
from cocity.territories.models import Territory

SORTS = ("support", "newest")


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated ``COUNT`` of ``queryset`` (filtered on ``proposal=OuterRef("pk")``).

    Subqueries keep the two counts of a proposal from multiplying each other, as two joins
    would, and cost one query for the whole page.
    """
    counted = (
        queryset.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _visible_proposals(territory: Territory, user: Any) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(territory=territory)
    if not user.has_perm("core.view_drafts", territory):
        qs = qs.filter(Q(challenge__isnull=True) | Q(challenge__is_draft=False))
    return qs


def proposal_list(
    *,
    territory: Territory,
    user: Any,
    challenge: int | None = None,
    status: str = "",
    sort: str = "support",
    author: Any = None,
) -> QuerySet[Proposal]:
    """Proposals with ``n_supports`` and ``n_comments`` (visible ones), by support or newest.

    ``sort="support"`` puts the most supported first (newest first among equals).
    """
    qs = _visible_proposals(territory, user)
    if challenge:
        qs = qs.filter(challenge_id=challenge)
    if status:
        qs = qs.filter(status=status)
    if author is not None:
        qs = qs.filter(author=author)
    qs = qs.annotate(
        n_supports=_count_of(ProposalSupport.objects.all()),
        n_comments=_count_of(ProposalComment.objects.filter(hidden_by_moderator=False)),
    ).select_related("challenge", "author", "initiative")
    if sort == "newest":
        return qs.order_by("-created_at", "-id")
    return qs.order_by("-n_supports", "-created_at", "-id")


def proposal_get(*, territory: Territory, user: Any, pk: int) -> Proposal:
    """One proposal with its history and comments (authors fetched with them); DoesNotExist."""
    return (
        proposal_list(territory=territory, user=user)
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=ProposalStatusChange.objects.select_related("by").order_by("at", "id"),
            ),
            Prefetch(
                "comments",
                queryset=ProposalComment.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "workshop_outputs",
                queryset=WorkshopOutput.objects.select_related("workshop").order_by(
                    "workshop__starts_at", "id"
                ),
            ),
        )
        .get(pk=pk)
    )


def proposal_comment_get(*, proposal: Proposal, pk: int) -> ProposalComment:
    return ProposalComment.objects.select_related("proposal__territory").get(
        proposal=proposal, pk=pk
    )


def proposal_is_supported_by(*, proposal: Proposal, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProposalSupport.objects.filter(proposal=proposal, user=user).exists()


def proposal_ids_supported_by(*, territory: Territory, user: Any, ids: list[int]) -> set[int]:
    """Which of the proposals ``ids`` ``user`` supports (one query, for a list page)."""
    if not getattr(user, "is_authenticated", False) or not ids:
        return set()
    return set(
        ProposalSupport.objects.filter(
            user=user, proposal__territory=territory, proposal_id__in=ids
        ).values_list("proposal_id", flat=True)
    )


def proposals_from_initiative(*, initiative: Initiative, user: Any) -> QuerySet[Proposal]:
    """The citizen proposals ``initiative`` was made from (usually one) that ``user`` may see."""
    return (
        _visible_proposals(initiative.territory, user)
        .filter(initiative=initiative)
        .order_by("created_at", "id")
    )


# --- workshops -------------------------------------------------------------------------------


def workshop_list(
    *, territory: Territory, when: str = "", now: dt.datetime | None = None
) -> QuerySet[Workshop]:
    """Workshops with ``n_outputs``: ``when="upcoming"`` soonest first, ``"past"`` latest first."""
    now = now or timezone.now()
    qs = Workshop.objects.filter(territory=territory)
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at", "id")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("-starts_at", "-id")
    return (
        qs.annotate(n_outputs=Count("outputs", distinct=True))
        .select_related("challenge")
        .prefetch_related(Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("name")))
    )


def workshop_get(*, territory: Territory, pk: int) -> Workshop:
    """One workshop with its organisations and outputs (and what they link to); DoesNotExist."""
    return (
        workshop_list(territory=territory)
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=WorkshopOutput.objects.select_related(
                    "owner", "initiative", "proposal", "proposal__challenge"
                ).order_by("id"),
            )
        )
        .get(pk=pk)
    )


def workshop_output_get(*, workshop: Workshop, pk: int) -> WorkshopOutput:
    return WorkshopOutput.objects.select_related("workshop__territory").get(
        workshop=workshop, pk=pk
    )
