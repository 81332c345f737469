"""Reads of the ecosystem, always scoped to one territory."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cocity.core.permissions import represented_stakeholder_id
from cocity.ecosystem.models import (
    Collaboration,
    LeadershipTeam,
    Partnership,
    PartnershipMember,
    Stakeholder,
    TrustRating,
)
from cocity.territories.models import Territory


def stakeholder_list(
    *,
    territory: Territory,
    q: str = "",
    sector: str = "",
    type: str = "",
    cluster: int | None = None,
    area: int | None = None,
) -> QuerySet[Stakeholder]:
    qs = Stakeholder.objects.filter(territory=territory)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if sector:
        qs = qs.filter(sector=sector)
    if type:
        qs = qs.filter(type=type)
    if cluster:
        qs = qs.filter(clusters__id=cluster)
    if area:
        qs = qs.filter(areas__id=area)
    return (
        qs.annotate(n_partnerships=Count("partnership_memberships", distinct=True))
        .prefetch_related("clusters")
        .order_by("name")
        .distinct()
    )


def stakeholder_get(*, territory: Territory, pk: int) -> Stakeholder:
    return Stakeholder.objects.prefetch_related("clusters", "areas").get(territory=territory, pk=pk)


def partnerships_visible(territory: Territory, user: Any) -> QuerySet[Partnership]:
    qs = Partnership.objects.filter(territory=territory)
    if user.has_perm("core.view_drafts", territory):
        return qs
    sid = represented_stakeholder_id(user, territory)
    if sid is not None:
        return qs.filter(Q(is_draft=False) | Q(members__stakeholder_id=sid)).distinct()
    return qs.filter(is_draft=False)


def partnership_list(
    *,
    territory: Territory,
    user: Any,
    form: str = "",
    status: str = "",
    stakeholder: int | None = None,
    q: str = "",
) -> QuerySet[Partnership]:
    qs = partnerships_visible(territory, user)
    if form:
        qs = qs.filter(form=form)
    if status:
        qs = qs.filter(status=status)
    if stakeholder:
        qs = qs.filter(members__stakeholder_id=stakeholder)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.prefetch_related(
        Prefetch("members", queryset=PartnershipMember.objects.select_related("stakeholder"))
    ).order_by("-start_date", "name")


def partnership_get(*, territory: Territory, user: Any, pk: int) -> Partnership:
    return (
        partnerships_visible(territory, user)
        .prefetch_related(
            Prefetch("members", queryset=PartnershipMember.objects.select_related("stakeholder")),
            "initiatives",
            "collaborations",
        )
        .get(pk=pk)
    )


def collaboration_list(
    *, territory: Territory, stakeholder: int | None = None
) -> QuerySet[Collaboration]:
    qs = Collaboration.objects.filter(territory=territory)
    if stakeholder:
        qs = qs.filter(stakeholders__id=stakeholder)
    return qs.prefetch_related("stakeholders").select_related("partnership").order_by("-date")


def trust_rating_list(*, territory: Territory, user: Any) -> QuerySet[TrustRating]:
    """Stated trust the user may see: all for facilitators, their own organisation's otherwise."""
    qs = TrustRating.objects.filter(territory=territory).select_related("rater", "ratee")
    if user.has_perm("ecosystem.view_trust_ratings", territory):
        return qs
    sid = represented_stakeholder_id(user, territory)
    if sid is None:
        return qs.none()
    return qs.filter(rater_id=sid)


def leadership_team_list(*, territory: Territory) -> QuerySet[LeadershipTeam]:
    return (
        LeadershipTeam.objects.filter(territory=territory)
        .select_related("challenge")
        .prefetch_related("members__stakeholder")
    )


def partnerships_by_form(*, territory: Territory, user: Any) -> list[tuple[str, str, int]]:
    """(form code, label, count) for every form, zero included, for the dashboard."""
    counts = dict(
        partnerships_visible(territory, user)
        .order_by()
        .values_list("form")
        .annotate(n=Count("id", distinct=True))
    )
    from cocity.ecosystem.models import PartnershipForm

    return [(code, str(label), counts.get(code, 0)) for code, label in PartnershipForm.choices]


def sector_counts(*, territory: Territory) -> list[tuple[str, str, int]]:
    from cocity.ecosystem.models import Sector

    counts = dict(
        Stakeholder.objects.filter(territory=territory)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("id"))
    )
    return [(code, str(label), counts.get(code, 0)) for code, label in Sector.choices]
