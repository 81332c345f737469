"""Reads about a territory as a whole: its dashboard, areas and members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cocity.core.models import ActivityEntry
from cocity.ecosystem.models import Collaboration, PartnershipStatus, Stakeholder
from cocity.ecosystem.selectors import partnerships_by_form, partnerships_visible, sector_counts
from cocity.programme.selectors import challenge_list, initiatives_by_stage
from cocity.territories.models import Area, Membership, Territory


@dataclass(frozen=True)
class Dashboard:
    stakeholders: int
    partnerships: int
    active_partnerships: int
    joint_work_last_year: int
    initiatives: int
    challenges: int
    areas: int
    by_sector: list[tuple[str, str, int]]
    by_stage: list[tuple[str, str, int]]
    by_form: list[tuple[str, str, int]]
    activity: list[ActivityEntry]

    @staticmethod
    def peak(rows: list[tuple[str, str, int]]) -> int:
        return max((n for _c, _l, n in rows), default=0) or 1


def territory_dashboard(
    *, territory: Territory, user: Any, today: dt.date | None = None
) -> Dashboard:
    today = today or timezone.localdate()
    partnerships = partnerships_visible(territory, user)
    by_stage = initiatives_by_stage(territory=territory, user=user)
    activity = ActivityEntry.objects.filter(territory=territory)
    if not user.has_perm("core.view_drafts", territory):
        activity = activity.filter(is_public=True)
    return Dashboard(
        stakeholders=Stakeholder.objects.filter(territory=territory).count(),
        partnerships=partnerships.count(),
        active_partnerships=partnerships.filter(status=PartnershipStatus.ACTIVE).count(),
        joint_work_last_year=Collaboration.objects.filter(
            territory=territory, date__gt=today - dt.timedelta(days=365), date__lte=today
        ).count(),
        initiatives=sum(n for _c, _l, n in by_stage),
        challenges=challenge_list(territory=territory, user=user).count(),
        areas=Area.objects.filter(territory=territory).count(),
        by_sector=sector_counts(territory=territory),
        by_stage=by_stage,
        by_form=partnerships_by_form(territory=territory, user=user),
        activity=list(activity[:12]),
    )


def area_list(*, territory: Territory, q: str = "") -> QuerySet[Area]:
    qs = Area.objects.filter(territory=territory).defer("geometry")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    return qs.annotate(
        n_initiatives=Count("initiatives", distinct=True),
        n_stakeholders=Count("stakeholders", distinct=True),
    ).order_by("code")


def area_get(*, territory: Territory, pk: int) -> Area:
    return Area.objects.get(territory=territory, pk=pk)


def membership_list(*, territory: Territory) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(territory=territory)
        .select_related("user", "stakeholder")
        .order_by("role", "user__username")
    )


def territory_list(*, user: Any) -> QuerySet[Territory]:
    """The territories ``user`` may read (``territories.view_territory``), by name.

    Public ones, those where the user holds a role, and every one for staff.
    """
    qs = Territory.objects.select_related("parent").prefetch_related("territories_cluster_set")
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return qs.order_by("name")
    readable = Q(is_public=True)
    if getattr(user, "is_authenticated", False):
        readable |= Q(pk__in=Membership.objects.filter(user=user).values("territory_id"))
    return qs.filter(readable).order_by("name")
