"""API: the territories a caller can read, their areas (GeoJSON) and, for facilitators, members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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
    page_of,
    paginate,
    readable_territory,
    require,
    responses,
)
from cocity.ecosystem.models import Stakeholder
from cocity.territories import selectors, services
from cocity.territories.schemas import (
    AreaFilters,
    AreaIn,
    AreaOut,
    AreaPatch,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    TerritoryOut,
)

router = Router()

T = "{slug:slug}"
TerritoryPage = page_of(TerritoryOut, "TerritoryPage")
AreaPage = page_of(AreaOut, "AreaPage")
MembershipPage = page_of(MembershipOut, "MembershipPage")


@router.get("", response=responses(200, TerritoryPage), tags=["territories"])
def territory_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The territories you can read: public ones, those you belong to (all of them for staff)."""
    return paginate(selectors.territory_list(user=caller(request)), page)


@router.get(f"{T}/", response=responses(200, TerritoryOut), tags=["territories"])
def territory_detail(request: HttpRequest, slug: str) -> Any:
    """One territory, with its priority clusters and your role in it."""
    return readable_territory(request, slug)


# --- areas ---------------------------------------------------------------------------------


def _areas(territory: Any, q: str = "") -> Any:
    # The page selector leaves the geometry out; the API returns it, in the same query.
    return selectors.area_list(territory=territory, q=q).defer(None)


@router.get(f"{T}/areas/", response=responses(200, AreaPage), tags=["areas"])
def area_list(
    request: HttpRequest, slug: str, filters: Query[AreaFilters], page: Query[PageQuery]
) -> Any:
    """Neighbourhood areas with their GeoJSON geometry and indicators, by code."""
    territory = readable_territory(request, slug)
    return paginate(_areas(territory, filters.q), page)


@router.get(f"{T}/areas/{{int:pk}}/", response=responses(200, AreaOut), tags=["areas"])
def area_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    return get_in(_areas(readable_territory(request, slug)), pk)


@router.post(f"{T}/areas/", response=responses(201, AreaOut), tags=["areas"])
def area_create(request: HttpRequest, slug: str, payload: AreaIn) -> Any:
    territory = readable_territory(request, slug)
    require(request, "territories.change_area", territory)
    area = services.area_create(territory=territory, actor=caller(request), **payload.model_dump())
    return Status(201, area)


@router.patch(f"{T}/areas/{{int:pk}}/", response=responses(200, AreaOut), tags=["areas"])
def area_update(request: HttpRequest, slug: str, pk: int, payload: AreaPatch) -> Any:
    territory = readable_territory(request, slug)
    area = get_in(_areas(territory), pk)
    require(request, "territories.change_area", area)
    return services.area_update(area=area, actor=caller(request), **changes(payload))


@router.delete(f"{T}/areas/{{int:pk}}/", response=responses(204, None), tags=["areas"])
def area_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = readable_territory(request, slug)
    area = get_in(_areas(territory), pk)
    require(request, "territories.change_area", area)
    services.area_delete(area=area, actor=caller(request))
    return Status(204, None)


# --- memberships (facilitators) -------------------------------------------------------------


def _members_territory(request: HttpRequest, slug: str) -> Any:
    territory = readable_territory(request, slug)
    require(request, "territories.view_membership", territory)
    return territory


@router.get(f"{T}/memberships/", response=responses(200, MembershipPage), tags=["memberships"])
def membership_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Who holds which role here (facilitators only)."""
    territory = _members_territory(request, slug)
    return paginate(selectors.membership_list(territory=territory), page)


@router.get(
    f"{T}/memberships/{{int:pk}}/", response=responses(200, MembershipOut), tags=["memberships"]
)
def membership_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = _members_territory(request, slug)
    return get_in(selectors.membership_list(territory=territory), pk)


@router.post(f"{T}/memberships/", response=responses(201, MembershipOut), tags=["memberships"])
def membership_create(request: HttpRequest, slug: str, payload: MembershipIn) -> Any:
    """Give a user a role here (replacing the role they had, if any)."""
    territory = _members_territory(request, slug)
    user = get_user_model().objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("No active user has this username.")})
    membership = services.membership_set(
        territory=territory,
        actor=caller(request),
        user=user,
        role=payload.role,
        stakeholder=object_by_id(territory, Stakeholder, payload.stakeholder, "stakeholder"),
    )
    return Status(201, get_in(selectors.membership_list(territory=territory), membership.pk))


@router.patch(
    f"{T}/memberships/{{int:pk}}/", response=responses(200, MembershipOut), tags=["memberships"]
)
def membership_update(request: HttpRequest, slug: str, pk: int, payload: MembershipPatch) -> Any:
    """Change a member's role, or the organisation a partner represents."""
    territory = _members_territory(request, slug)
    membership = get_in(selectors.membership_list(territory=territory), pk)
    sent = changes(payload)
    stakeholder_id = sent.get("stakeholder", membership.stakeholder_id)
    services.membership_set(
        territory=territory,
        actor=caller(request),
        user=membership.user,
        role=sent.get("role", membership.role),
        stakeholder=object_by_id(territory, Stakeholder, stakeholder_id, "stakeholder"),
    )
    return get_in(selectors.membership_list(territory=territory), pk)


@router.delete(f"{T}/memberships/{{int:pk}}/", response=responses(204, None), tags=["memberships"])
def membership_delete(request: HttpRequest, slug: str, pk: int) -> Any:
    territory = _members_territory(request, slug)
    membership = get_in(selectors.membership_list(territory=territory), pk)
    services.membership_delete(membership=membership, actor=caller(request))
    return Status(204, None)
