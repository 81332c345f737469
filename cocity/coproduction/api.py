"""API: citizen proposals (with support and the status workflow) and co-production workshops."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cocity.coproduction import selectors, services
from cocity.coproduction.schemas import (
    SEES_DRAFTS,
    ProposalDetailOut,
    ProposalFilters,
    ProposalIn,
    ProposalOut,
    TransitionIn,
    WorkshopDetailOut,
    WorkshopFilters,
    WorkshopOut,
)
from cocity.core.api_support import (
    PageQuery,
    caller,
    object_by_id,
    page_of,
    paginate,
    readable_territory,
    require,
    responses,
)
from cocity.programme.models import Challenge

router = Router()

T = "{slug:slug}"
ID = "{int:pk}"


def _territory(request: HttpRequest, slug: str) -> Any:
    """The readable territory ``slug`` (else 404); notes whether the caller sees drafts."""
    territory = readable_territory(request, slug)
    setattr(request, SEES_DRAFTS, caller(request).has_perm("core.view_drafts", territory))
    return territory


def _proposal(request: HttpRequest, slug: str, pk: int) -> Any:
    """A proposal the caller may see, with whether the caller supports it; or 404."""
    territory = _territory(request, slug)
    proposal = selectors.proposal_get(territory=territory, user=caller(request), pk=pk)
    proposal.supported = selectors.proposal_is_supported_by(  # type: ignore[attr-defined]
        proposal=proposal, user=caller(request)
    )
    return proposal


# --- proposals -------------------------------------------------------------------------------

ProposalPage = page_of(ProposalOut, "ProposalPage")


@router.get(f"{T}/proposals/", response=responses(200, ProposalPage), tags=["proposals"])
def proposal_list(
    request: HttpRequest, slug: str, filters: Query[ProposalFilters], page: Query[PageQuery]
) -> Any:
    """Citizen proposals, most supported first (``sort=newest`` for the newest first)."""
    territory = _territory(request, slug)
    found = selectors.proposal_list(
        territory=territory,
        user=caller(request),
        challenge=filters.challenge,
        status=filters.status or "",
        sort=filters.sort,
    )
    return paginate(found, page)


@router.get(f"{T}/proposals/{ID}/", response=responses(200, ProposalDetailOut), tags=["proposals"])
def proposal_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    """One proposal with its status history, and whether the caller supports it."""
    proposal = _proposal(request, slug, pk)
    require(request, "coproduction.view_proposal", proposal)
    return proposal


@router.post(f"{T}/proposals/", response=responses(201, ProposalDetailOut), tags=["proposals"])
def proposal_create(request: HttpRequest, slug: str, payload: ProposalIn) -> Any:
    """Propose an idea for a challenge (any member who takes part; not observers)."""
    territory = _territory(request, slug)
    require(request, "coproduction.add_proposal", territory)
    published = Challenge.objects.filter(is_draft=False)
    challenge = object_by_id(territory, published, payload.challenge, "challenge")
    proposal = services.proposal_create(
        territory=territory,
        actor=caller(request),
        challenge=challenge,
        title=payload.title,
        body=payload.body,
    )
    return Status(201, _proposal(request, slug, proposal.pk))


@router.put(
    f"{T}/proposals/{ID}/support/", response=responses(200, ProposalDetailOut), tags=["proposals"]
)
def proposal_support(request: HttpRequest, slug: str, pk: int) -> Any:
    """Support the proposal (once per person: supporting again changes nothing)."""
    proposal = _proposal(request, slug, pk)
    require(request, "coproduction.support_proposal", proposal)
    services.proposal_support_set(proposal=proposal, actor=caller(request), supported=True)
    return _proposal(request, slug, pk)


@router.delete(
    f"{T}/proposals/{ID}/support/", response=responses(200, ProposalDetailOut), tags=["proposals"]
)
def proposal_unsupport(request: HttpRequest, slug: str, pk: int) -> Any:
    """Take back the caller's support (nothing happens if they gave none)."""
    proposal = _proposal(request, slug, pk)
    require(request, "coproduction.support_proposal", proposal)
    services.proposal_support_set(proposal=proposal, actor=caller(request), supported=False)
    return _proposal(request, slug, pk)


@router.post(
    f"{T}/proposals/{ID}/transitions/",
    response=responses(200, ProposalDetailOut),
    tags=["proposals"],
)
def proposal_transition(request: HttpRequest, slug: str, pk: int, payload: TransitionIn) -> Any:
    """Move the proposal along its workflow.

    submitted → under_review → accepted or declined (a reason is required) → implemented
    (from accepted), by facilitators and officers; the author may withdraw it while it is
    submitted or under review. Any other step answers 422.
    """
    proposal = _proposal(request, slug, pk)
    require(request, "coproduction.take_part", proposal)
    services.proposal_transition(
        proposal=proposal, actor=caller(request), to=payload.to, reason=payload.reason
    )
    return _proposal(request, slug, pk)


# --- workshops -------------------------------------------------------------------------------

WorkshopPage = page_of(WorkshopOut, "WorkshopPage")


@router.get(f"{T}/workshops/", response=responses(200, WorkshopPage), tags=["workshops"])
def workshop_list(
    request: HttpRequest, slug: str, filters: Query[WorkshopFilters], page: Query[PageQuery]
) -> Any:
    """Co-production workshops, latest first; ``when=upcoming`` or ``when=past``."""
    territory = _territory(request, slug)
    return paginate(selectors.workshop_list(territory=territory, when=filters.when or ""), page)


@router.get(f"{T}/workshops/{ID}/", response=responses(200, WorkshopDetailOut), tags=["workshops"])
def workshop_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    """One workshop with its attending organisations and its outputs."""
    territory = _territory(request, slug)
    workshop = selectors.workshop_get(territory=territory, pk=pk)
    require(request, "coproduction.view_workshop", workshop)
    return workshop
