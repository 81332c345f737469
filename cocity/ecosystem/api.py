"""API: stakeholders, partnerships, joint work, stated trust and leadership teams of a territory."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cocity.core.api_support import (
    PageQuery,
    caller,
    changes,
    get_in,
    object_by_id,
    objects_by_ids,
    page_of,
    paginate,
    readable_territory,
    require,
    responses,
)
from cocity.core.permissions import represented_stakeholder_id
from cocity.ecosystem import selectors, services
from cocity.ecosystem.models import Stakeholder
from cocity.ecosystem.schemas import (
    CollaborationFilters,
    CollaborationIn,
    CollaborationOut,
    CollaborationPatch,
    LeadershipTeamIn,
    LeadershipTeamOut,
    LeadershipTeamPatch,
    PartnershipFilters,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    StakeholderFilters,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
    TrustRatingIn,
    TrustRatingOut,
    TrustRatingPatch,
)
from cocity.programme.models import Challenge
from cocity.programme.selectors import initiative_list
from cocity.territories.models import Area, Cluster

router = Router()

T = "{slug:slug}"
ID = "{int:pk}"


def _members(territory: Any, members: list[dict[str, Any]], key: str) -> list[tuple[Any, str]]:
    """``[{"stakeholder": id, key: value}]`` → ``[(Stakeholder, value)]``, ids of this territory."""
    found = objects_by_ids(territory, Stakeholder, [m["stakeholder"] for m in members], "members")
    return [(s, m[key]) for s, m in zip(found, members, strict=True)]


# --- stakeholders ----------------------------------------------------------------------------

StakeholderPage = page_of(StakeholderOut, "StakeholderPage")


def _stakeholder_relations(territory: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "clusters" in data:
        data["clusters"] = objects_by_ids(territory, Cluster, data["clusters"], "clusters")
    if "areas" in data:
        data["areas"] = objects_by_ids(territory, Area, data["areas"], "areas")
    return data


def _stakeholder(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = readable_territory(request, slug)
    return get_in(selectors.stakeholder_list(territory=territory).prefetch_related("areas"), pk)


@router.get(f"{T}/stakeholders/", response=responses(200, StakeholderPage), tags=["stakeholders"])
def stakeholder_list(
    request: HttpRequest, slug: str, filters: Query[StakeholderFilters], page: Query[PageQuery]
) -> Any:
    """The ecosystem's organisations by name; filter by sector, type, cluster, area or text."""
    territory = readable_territory(request, slug)
    require(request, "ecosystem.view_stakeholder", territory)
    found = selectors.stakeholder_list(territory=territory, **filters.model_dump(exclude_none=True))
    return paginate(found.prefetch_related("areas"), page)


@router.get(
    f"{T}/stakeholders/{ID}/", response=responses(200, StakeholderOut), tags=["stakeholders"]
)
def stakeholder_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    stakeholder = _stakeholder(request, slug, pk)
    require(request, "ecosystem.view_stakeholder", stakeholder)
    return stakeholder


@router.post(f"{T}/stakeholders/", response=responses(201, StakeholderOut), tags=["stakeholders"])
def stakeholder_create(request: HttpRequest, slug: str, payload: StakeholderIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "ecosystem.add_stakeholder", territory)
    data = _stakeholder_relations(territory, payload.model_dump())
    stakeholder = services.stakeholder_create(territory=territory, actor=caller(request), **data)
    return Status(201, stakeholder)


@router.patch(
    f"{T}/stakeholders/{ID}/", response=responses(200, StakeholderOut), tags=["stakeholders"]
)
def stakeholder_update(request: HttpRequest, slug: str, pk: int, payload: StakeholderPatch) -> Any:
    """Editors change any organisation; a partner changes the one it represents."""
    stakeholder = _stakeholder(request, slug, pk)
    require(request, "ecosystem.change_stakeholder", stakeholder)
    data = _stakeholder_relations(stakeholder.territory, changes(payload))
    services.stakeholder_update(stakeholder=stakeholder, actor=caller(request), **data)
    return _stakeholder(request, slug, pk)


@router.delete(f"{T}/stakeholders/{ID}/", response=responses(204, None), tags=["stakeholders"])
def stakeholder_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    stakeholder = _stakeholder(request, slug, pk)
    require(request, "ecosystem.delete_stakeholder", stakeholder)
    services.stakeholder_delete(stakeholder=stakeholder, actor=caller(request))
    return Status(204, None)


# --- partnerships ----------------------------------------------------------------------------

PartnershipPage = page_of(PartnershipOut, "PartnershipPage")


def _partnership_relations(
    request: HttpRequest, territory: Any, data: dict[str, Any]
) -> dict[str, Any]:
    if "members" in data:
        data["members"] = _members(territory, data["members"], "role")
    if "initiatives" in data:
        visible = initiative_list(territory=territory, user=caller(request))
        data["initiatives"] = objects_by_ids(territory, visible, data["initiatives"], "initiatives")
    return data


def _partnership(request: HttpRequest, slug: str, pk: int) -> Any:
    """A partnership the caller may see (drafts only for editors and its members), or 404."""
    territory = readable_territory(request, slug)
    return selectors.partnership_get(territory=territory, user=caller(request), pk=pk)


@router.get(f"{T}/partnerships/", response=responses(200, PartnershipPage), tags=["partnerships"])
def partnership_list(
    request: HttpRequest, slug: str, filters: Query[PartnershipFilters], page: Query[PageQuery]
) -> Any:
    """Partnerships with their members and roles; drafts only for editors and their members."""
    territory = readable_territory(request, slug)
    found = selectors.partnership_list(
        territory=territory, user=caller(request), **filters.model_dump(exclude_none=True)
    )
    return paginate(found.prefetch_related("initiatives"), page)


@router.get(
    f"{T}/partnerships/{ID}/", response=responses(200, PartnershipOut), tags=["partnerships"]
)
def partnership_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    partnership = _partnership(request, slug, pk)
    require(request, "ecosystem.view_partnership", partnership)
    return partnership


@router.post(f"{T}/partnerships/", response=responses(201, PartnershipOut), tags=["partnerships"])
def partnership_create(request: HttpRequest, slug: str, payload: PartnershipIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "ecosystem.add_partnership", territory)
    data = _partnership_relations(request, territory, payload.model_dump())
    partnership = services.partnership_create(territory=territory, actor=caller(request), **data)
    return Status(201, _partnership(request, slug, partnership.pk))


@router.patch(
    f"{T}/partnerships/{ID}/", response=responses(200, PartnershipOut), tags=["partnerships"]
)
def partnership_update(request: HttpRequest, slug: str, pk: int, payload: PartnershipPatch) -> Any:
    """Editors change any partnership; a partner changes those its organisation belongs to."""
    partnership = _partnership(request, slug, pk)
    require(request, "ecosystem.change_partnership", partnership)
    data = _partnership_relations(request, partnership.territory, changes(payload))
    services.partnership_update(partnership=partnership, actor=caller(request), **data)
    return _partnership(request, slug, pk)


@router.delete(f"{T}/partnerships/{ID}/", response=responses(204, None), tags=["partnerships"])
def partnership_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    partnership = _partnership(request, slug, pk)
    require(request, "ecosystem.delete_partnership", partnership)
    services.partnership_delete(partnership=partnership, actor=caller(request))
    return Status(204, None)


# --- joint work ------------------------------------------------------------------------------

CollaborationPage = page_of(CollaborationOut, "CollaborationPage")


def _collaboration_relations(
    request: HttpRequest, territory: Any, data: dict[str, Any]
) -> dict[str, Any]:
    if "stakeholders" in data:
        data["stakeholders"] = objects_by_ids(
            territory, Stakeholder, data["stakeholders"], "stakeholders"
        )
    if "partnership" in data:
        visible = selectors.partnerships_visible(territory, caller(request))
        data["partnership"] = object_by_id(territory, visible, data["partnership"], "partnership")
    return data


def _collaboration(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = readable_territory(request, slug)
    return get_in(selectors.collaboration_list(territory=territory), pk)


@router.get(
    f"{T}/collaborations/", response=responses(200, CollaborationPage), tags=["collaborations"]
)
def collaboration_list(
    request: HttpRequest, slug: str, filters: Query[CollaborationFilters], page: Query[PageQuery]
) -> Any:
    """Dated joint work between stakeholders and its outcome, newest first."""
    territory = readable_territory(request, slug)
    require(request, "ecosystem.view_collaboration", territory)
    found = selectors.collaboration_list(territory=territory, stakeholder=filters.stakeholder)
    return paginate(found, page)


@router.get(
    f"{T}/collaborations/{ID}/", response=responses(200, CollaborationOut), tags=["collaborations"]
)
def collaboration_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    collaboration = _collaboration(request, slug, pk)
    require(request, "ecosystem.view_collaboration", collaboration)
    return collaboration


@router.post(
    f"{T}/collaborations/", response=responses(201, CollaborationOut), tags=["collaborations"]
)
def collaboration_create(request: HttpRequest, slug: str, payload: CollaborationIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "ecosystem.add_collaboration", territory)
    data = _collaboration_relations(request, territory, payload.model_dump())
    collaboration = services.collaboration_create(
        territory=territory, actor=caller(request), **data
    )
    return Status(201, _collaboration(request, slug, collaboration.pk))


@router.patch(
    f"{T}/collaborations/{ID}/", response=responses(200, CollaborationOut), tags=["collaborations"]
)
def collaboration_update(
    request: HttpRequest, slug: str, pk: int, payload: CollaborationPatch
) -> Any:
    collaboration = _collaboration(request, slug, pk)
    require(request, "ecosystem.change_collaboration", collaboration)
    data = _collaboration_relations(request, collaboration.territory, changes(payload))
    services.collaboration_update(collaboration=collaboration, actor=caller(request), **data)
    return _collaboration(request, slug, pk)


@router.delete(f"{T}/collaborations/{ID}/", response=responses(204, None), tags=["collaborations"])
def collaboration_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    collaboration = _collaboration(request, slug, pk)
    require(request, "ecosystem.delete_collaboration", collaboration)
    services.collaboration_delete(collaboration=collaboration, actor=caller(request))
    return Status(204, None)


# --- stated trust (private) ------------------------------------------------------------------

TrustRatingPage = page_of(TrustRatingOut, "TrustRatingPage")


def _ratings(request: HttpRequest, slug: str) -> Any:
    """The ratings the caller may see: all for facilitators, their organisation's for partners.

    Members only (anonymous callers get 401, other territories' members 403); for officers,
    citizens and observers the list is empty.
    """
    territory = readable_territory(request, slug)
    require(request, "territories.view_private", territory)
    return selectors.trust_rating_list(territory=territory, user=caller(request))


@router.get(f"{T}/trust-ratings/", response=responses(200, TrustRatingPage), tags=["trust ratings"])
def trust_rating_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Stated trust (ability, benevolence, integrity; 1-5), private to facilitators and raters."""
    return paginate(_ratings(request, slug), page)


@router.get(
    f"{T}/trust-ratings/{ID}/", response=responses(200, TrustRatingOut), tags=["trust ratings"]
)
def trust_rating_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    return get_in(_ratings(request, slug), pk)


@router.post(f"{T}/trust-ratings/", response=responses(201, TrustRatingOut), tags=["trust ratings"])
def trust_rating_create(request: HttpRequest, slug: str, payload: TrustRatingIn) -> Any:
    """Facilitators rate for any organisation; a partner rates for the one it represents."""
    territory = readable_territory(request, slug)
    require(request, "ecosystem.add_trustrating", territory)
    user = caller(request)
    own = represented_stakeholder_id(user, territory)
    rater_id = payload.rater if payload.rater is not None else own
    if rater_id is None:
        raise ValidationError({"rater": _("Give the organisation that states its trust.")})
    if rater_id != own and not user.has_perm("ecosystem.view_trust_ratings", territory):
        raise ValidationError(
            {"rater": _("A partner rates on behalf of its own organisation only.")}
        )
    data = payload.model_dump()
    data["rater"] = object_by_id(territory, Stakeholder, rater_id, "rater")
    data["ratee"] = object_by_id(territory, Stakeholder, payload.ratee, "ratee")
    rating = services.trust_rating_create(territory=territory, actor=user, **data)
    return Status(201, rating)


@router.patch(
    f"{T}/trust-ratings/{ID}/", response=responses(200, TrustRatingOut), tags=["trust ratings"]
)
def trust_rating_update(request: HttpRequest, slug: str, pk: int, payload: TrustRatingPatch) -> Any:
    rating = get_in(_ratings(request, slug), pk)
    require(request, "ecosystem.change_trustrating", rating)
    return services.trust_rating_update(rating=rating, actor=caller(request), **changes(payload))


@router.delete(f"{T}/trust-ratings/{ID}/", response=responses(204, None), tags=["trust ratings"])
def trust_rating_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    rating = get_in(_ratings(request, slug), pk)
    require(request, "ecosystem.delete_trustrating", rating)
    services.trust_rating_delete(rating=rating, actor=caller(request))
    return Status(204, None)


# --- leadership teams ------------------------------------------------------------------------

LeadershipTeamPage = page_of(LeadershipTeamOut, "LeadershipTeamPage")


def _team_relations(territory: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "members" in data:
        data["members"] = _members(territory, data["members"], "role_title")
    if "challenge" in data:
        data["challenge"] = object_by_id(territory, Challenge, data["challenge"], "challenge")
    return data


def _team(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = readable_territory(request, slug)
    return get_in(selectors.leadership_team_list(territory=territory), pk)


@router.get(
    f"{T}/leadership-teams/", response=responses(200, LeadershipTeamPage), tags=["leadership teams"]
)
def leadership_team_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Informal cross-sector teams around a challenge or theme; members by formal role only."""
    territory = readable_territory(request, slug)
    require(request, "ecosystem.view_leadershipteam", territory)
    return paginate(selectors.leadership_team_list(territory=territory).order_by("name"), page)


@router.get(
    f"{T}/leadership-teams/{ID}/",
    response=responses(200, LeadershipTeamOut),
    tags=["leadership teams"],
)
def leadership_team_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    team = _team(request, slug, pk)
    require(request, "ecosystem.view_leadershipteam", team)
    return team


@router.post(
    f"{T}/leadership-teams/", response=responses(201, LeadershipTeamOut), tags=["leadership teams"]
)
def leadership_team_create(request: HttpRequest, slug: str, payload: LeadershipTeamIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "ecosystem.add_leadershipteam", territory)
    data = _team_relations(territory, payload.model_dump())
    team = services.leadership_team_create(territory=territory, actor=caller(request), **data)
    return Status(201, _team(request, slug, team.pk))


@router.patch(
    f"{T}/leadership-teams/{ID}/",
    response=responses(200, LeadershipTeamOut),
    tags=["leadership teams"],
)
def leadership_team_update(
    request: HttpRequest, slug: str, pk: int, payload: LeadershipTeamPatch
) -> Any:
    team = _team(request, slug, pk)
    require(request, "ecosystem.change_leadershipteam", team)
    data = _team_relations(team.territory, changes(payload))
    services.leadership_team_update(team=team, actor=caller(request), **data)
    return _team(request, slug, pk)


@router.delete(
    f"{T}/leadership-teams/{ID}/", response=responses(204, None), tags=["leadership teams"]
)
def leadership_team_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    team = _team(request, slug, pk)
    require(request, "ecosystem.delete_leadershipteam", team)
    services.leadership_team_delete(team=team, actor=caller(request))
    return Status(204, None)
