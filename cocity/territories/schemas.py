"""Request and response bodies of the territory API: territories, areas, memberships."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from cocity.core.api_support import Id, InSchema, Int, JsonObject, SearchText, Text, partial_of
from cocity.core.permissions import role_of
from cocity.territories.models import Role, Territory


class ClusterOut(Schema):
    id: int
    name: str


class TerritoryOut(Schema):
    slug: str
    name: str
    kind: Territory.Kind
    parent: str | None = Field(None, description="Slug of the region or county it aligns with.")
    description: str
    country: str
    population: int | None
    currency: str
    is_public: bool
    role: Role | None = Field(None, description="The caller's role here, if any.")
    clusters: list[ClusterOut]

    @staticmethod
    def resolve_parent(obj: Territory) -> str | None:
        return obj.parent.slug if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_clusters(obj: Territory) -> list[Any]:
        return list(obj.territories_cluster_set.all())

    @staticmethod
    def resolve_role(obj: Territory, context: dict[str, Any]) -> str | None:
        request = context["request"]
        return role_of(request.auth, obj)


def _position(point: Any) -> None:
    if (
        not isinstance(point, list)
        or len(point) not in (2, 3)
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
        or not all(math.isfinite(c) for c in point)
    ):
        raise ValueError(_("Each position is [longitude, latitude] in degrees."))
    lon, lat = point[0], point[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(_("Coordinates are WGS84: longitude -180..180, latitude -90..90."))


def _polygon(rings: Any) -> None:
    if not isinstance(rings, list) or not rings:
        raise ValueError(_("A polygon is a list of linear rings."))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValueError(_("A linear ring has at least four positions."))
        for point in ring:
            _position(point)
        if ring[0] != ring[-1]:
            raise ValueError(_("A linear ring ends where it starts."))


def _geojson_polygon(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon in WGS84 (RFC 7946), checked position by position."""
    if geometry is None:
        return None
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        _polygon(coordinates)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValueError(_("A MultiPolygon is a list of polygons."))
        for polygon in coordinates:
            _polygon(polygon)
    else:
        raise ValueError(_("Give a GeoJSON Polygon or MultiPolygon."))
    return geometry


Geometry = Annotated[JsonObject | None, AfterValidator(_geojson_polygon)]


class AreaIn(InSchema):
    code: Text = Field(..., min_length=1, max_length=40, description="e.g. an LSOA code")
    name: Text = Field(..., min_length=1, max_length=200)
    geometry: Geometry = Field(None, description="GeoJSON Polygon or MultiPolygon, WGS84.")
    population: Int | None = Field(None, ge=0)
    deprivation_rank: Int | None = Field(None, ge=1, description="1 = most deprived")
    deprivation_decile: Int | None = Field(None, ge=1, le=10, description="1 = most deprived 10%")
    indicators: JsonObject = Field(default_factory=dict, description="Any other indicators.")


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    AreaPatch = AreaIn
else:
    AreaPatch = partial_of(AreaIn, "AreaPatch")


class AreaOut(Schema):
    id: int
    code: str
    name: str
    geometry: dict[str, Any] | None
    population: int | None
    deprivation_rank: int | None
    deprivation_decile: int | None
    indicators: dict[str, Any]


class AreaFilters(Schema):
    q: SearchText = Field("", description="Part of the code or the name.")


class MembershipIn(InSchema):
    username: Text = Field(..., min_length=1, max_length=150)
    role: Role
    stakeholder: Id | None = Field(None, description="The organisation a partner represents.")


class MembershipPatch(InSchema):
    role: Role = Field(None)  # type: ignore[assignment]  # left out: the role stays
    stakeholder: Id | None = Field(None)


class MembershipOut(Schema):
    id: int
    username: str
    role: Role
    stakeholder: int | None

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.user.get_username())

    @staticmethod
    def resolve_stakeholder(obj: Any) -> int | None:
        return obj.stakeholder_id  # type: ignore[no-any-return]
