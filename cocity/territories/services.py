"""Writes to territories: the tenant itself, its areas, clusters and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.core.permissions import forget_memberships
from cocity.core.services import apply_fields, ensure_in_territory, validated_save
from cocity.territories.models import Area, Cluster, Membership, Role, Territory

TERRITORY_FIELDS = (
    "name",
    "slug",
    "kind",
    "parent",
    "description",
    "country",
    "population",
    "currency",
    "is_public",
)
AREA_FIELDS = (
    "code",
    "name",
    "geometry",
    "population",
    "deprivation_rank",
    "deprivation_decile",
    "indicators",
)


def _check_geometry(geometry: Any) -> None:
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError({"geometry": _("Give a GeoJSON Polygon or MultiPolygon.")})
    if not isinstance(geometry.get("coordinates"), list):
        raise ValidationError({"geometry": _("The GeoJSON geometry has no coordinates.")})


@transaction.atomic
def territory_create(*, actor: Any, **fields: Any) -> Territory:
    territory = Territory()
    apply_fields(territory, fields, TERRITORY_FIELDS)
    validated_save(territory)
    if getattr(actor, "is_authenticated", False):
        Membership.objects.create(user=actor, territory=territory, role=Role.FACILITATOR)
        forget_memberships(actor)
    return territory


@transaction.atomic
def territory_update(*, territory: Territory, actor: Any, **fields: Any) -> Territory:
    if fields.get("parent") is not None and fields["parent"].pk == territory.pk:
        raise ValidationError({"parent": _("A territory cannot be its own parent.")})
    apply_fields(territory, fields, TERRITORY_FIELDS)
    validated_save(territory)
    return territory


@transaction.atomic
def cluster_create(*, territory: Territory, actor: Any, name: str) -> Cluster:
    cluster = Cluster(territory=territory, name=name.strip())
    validated_save(cluster)
    return cluster


@transaction.atomic
def area_create(*, territory: Territory, actor: Any, **fields: Any) -> Area:
    _check_geometry(fields.get("geometry"))
    area = Area(territory=territory)
    apply_fields(area, fields, AREA_FIELDS)
    validated_save(area)
    return area


@transaction.atomic
def area_update(*, area: Area, actor: Any, **fields: Any) -> Area:
    _check_geometry(fields.get("geometry"))
    apply_fields(area, fields, AREA_FIELDS)
    validated_save(area)
    return area


@transaction.atomic
def area_delete(*, area: Area, actor: Any) -> None:
    """Remove the area; stakeholders and initiatives simply stop listing it."""
    area.delete()


@transaction.atomic
def membership_set(
    *, territory: Territory, actor: Any, user: Any, role: str, stakeholder: Any = None
) -> Membership:
    """Give ``user`` ``role`` in ``territory`` (replacing any role they had there)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    ensure_in_territory(territory, "stakeholder", [stakeholder])
    if role == Role.PARTNER and stakeholder is None:
        raise ValidationError({"stakeholder": _("A partner represents a stakeholder.")})
    membership, _created = Membership.objects.update_or_create(
        user=user,
        territory=territory,
        defaults={"role": role, "stakeholder": stakeholder if role == Role.PARTNER else None},
    )
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor: Any) -> None:
    territory = membership.territory
    if (
        membership.role == Role.FACILITATOR
        and territory.memberships.filter(role=Role.FACILITATOR).count() == 1
    ):
        raise ValidationError(_("A territory keeps at least one facilitator."))
    membership.delete()
    forget_memberships(membership.user)
