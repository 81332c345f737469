"""API: the city's challenges and the digital initiatives that answer them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cocity.core.api_support import (
    PageQuery,
    caller,
    changes,
    object_by_id,
    objects_by_ids,
    page_of,
    paginate,
    readable_territory,
    require,
    responses,
)
from cocity.ecosystem.models import Stakeholder
from cocity.programme import selectors, services
from cocity.programme.models import Challenge
from cocity.programme.schemas import (
    ChallengeIn,
    ChallengeOut,
    ChallengePatch,
    InitiativeFilters,
    InitiativeIn,
    InitiativeOut,
    InitiativePatch,
)
from cocity.territories.models import Area

router = Router()

T = "{slug:slug}"
ID = "{int:pk}"

# --- challenges ------------------------------------------------------------------------------

ChallengePage = page_of(ChallengeOut, "ChallengePage")


def _challenge(request: HttpRequest, slug: str, pk: int) -> Any:
    """A challenge the caller may see (drafts only for editors), or 404."""
    territory = readable_territory(request, slug)
    return selectors.challenge_get(territory=territory, user=caller(request), pk=pk)


@router.get(f"{T}/challenges/", response=responses(200, ChallengePage), tags=["challenges"])
def challenge_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """The city's challenges by title; drafts only for facilitators and officers."""
    territory = readable_territory(request, slug)
    found = selectors.challenge_list(territory=territory, user=caller(request))
    return paginate(found.order_by("title"), page)


@router.get(f"{T}/challenges/{ID}/", response=responses(200, ChallengeOut), tags=["challenges"])
def challenge_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    challenge = _challenge(request, slug, pk)
    require(request, "programme.view_challenge", challenge)
    return challenge


@router.post(f"{T}/challenges/", response=responses(201, ChallengeOut), tags=["challenges"])
def challenge_create(request: HttpRequest, slug: str, payload: ChallengeIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "programme.add_challenge", territory)
    challenge = services.challenge_create(
        territory=territory, actor=caller(request), **payload.model_dump()
    )
    return Status(201, _challenge(request, slug, challenge.pk))


@router.patch(f"{T}/challenges/{ID}/", response=responses(200, ChallengeOut), tags=["challenges"])
def challenge_update(request: HttpRequest, slug: str, pk: int, payload: ChallengePatch) -> Any:
    challenge = _challenge(request, slug, pk)
    require(request, "programme.change_challenge", challenge)
    services.challenge_update(challenge=challenge, actor=caller(request), **changes(payload))
    return _challenge(request, slug, pk)


@router.delete(f"{T}/challenges/{ID}/", response=responses(204, None), tags=["challenges"])
def challenge_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    challenge = _challenge(request, slug, pk)
    require(request, "programme.delete_challenge", challenge)
    services.challenge_delete(challenge=challenge, actor=caller(request))
    return Status(204, None)


# --- initiatives -----------------------------------------------------------------------------

InitiativePage = page_of(InitiativeOut, "InitiativePage")


def _initiatives(request: HttpRequest, territory: Any, **filters: Any) -> Any:
    found = selectors.initiative_list(territory=territory, user=caller(request), **filters)
    return found.prefetch_related("partners", "areas")


def _initiative(request: HttpRequest, slug: str, pk: int) -> Any:
    """An initiative the caller may see (drafts only for editors), or 404."""
    territory = readable_territory(request, slug)
    return selectors.initiative_get(territory=territory, user=caller(request), pk=pk)


def _initiative_relations(territory: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "lead" in data:
        data["lead"] = object_by_id(territory, Stakeholder, data["lead"], "lead")
    for field, model in (("partners", Stakeholder), ("challenges", Challenge), ("areas", Area)):
        if field in data:
            data[field] = objects_by_ids(territory, model, data[field], field)
    if "layers" in data:
        data["layers"] = {str(layer): progress for layer, progress in data["layers"].items()}
    return data


@router.get(f"{T}/initiatives/", response=responses(200, InitiativePage), tags=["initiatives"])
def initiative_list(
    request: HttpRequest, slug: str, filters: Query[InitiativeFilters], page: Query[PageQuery]
) -> Any:
    """Digital initiatives with their stage and progress per layer; filter by stage or challenge."""
    territory = readable_territory(request, slug)
    return paginate(_initiatives(request, territory, **filters.model_dump(exclude_none=True)), page)


@router.get(f"{T}/initiatives/{ID}/", response=responses(200, InitiativeOut), tags=["initiatives"])
def initiative_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    initiative = _initiative(request, slug, pk)
    require(request, "programme.view_initiative", initiative)
    return initiative


@router.post(f"{T}/initiatives/", response=responses(201, InitiativeOut), tags=["initiatives"])
def initiative_create(request: HttpRequest, slug: str, payload: InitiativeIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "programme.add_initiative", territory)
    data = _initiative_relations(territory, payload.model_dump())
    initiative = services.initiative_create(territory=territory, actor=caller(request), **data)
    return Status(201, _initiative(request, slug, initiative.pk))


@router.patch(
    f"{T}/initiatives/{ID}/", response=responses(200, InitiativeOut), tags=["initiatives"]
)
def initiative_update(request: HttpRequest, slug: str, pk: int, payload: InitiativePatch) -> Any:
    """Change any fields; ``layers`` replaces the progress of every layer."""
    initiative = _initiative(request, slug, pk)
    require(request, "programme.change_initiative", initiative)
    data = _initiative_relations(initiative.territory, changes(payload))
    services.initiative_update(initiative=initiative, actor=caller(request), **data)
    return _initiative(request, slug, pk)


@router.delete(f"{T}/initiatives/{ID}/", response=responses(204, None), tags=["initiatives"])
def initiative_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    initiative = _initiative(request, slug, pk)
    require(request, "programme.delete_initiative", initiative)
    services.initiative_delete(initiative=initiative, actor=caller(request))
    return Status(204, None)
