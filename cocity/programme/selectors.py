"""Reads of the programme, always scoped to one territory."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from cocity.programme.models import Challenge, Initiative, LayerProgress, Stage
from cocity.territories.models import Territory


def _published_unless_editor(qs: QuerySet[Any], territory: Territory, user: Any) -> QuerySet[Any]:
    if user.has_perm("core.view_drafts", territory):
        return qs
    return qs.filter(is_draft=False)


def challenge_list(*, territory: Territory, user: Any) -> QuerySet[Challenge]:
    qs = Challenge.objects.filter(territory=territory)
    return _published_unless_editor(qs, territory, user).annotate(
        n_initiatives=Count("initiatives", distinct=True)
    )


def challenge_get(*, territory: Territory, user: Any, pk: int) -> Challenge:
    return challenge_list(territory=territory, user=user).get(pk=pk)


def initiative_list(
    *,
    territory: Territory,
    user: Any,
    stage: str = "",
    challenge: int | None = None,
    stakeholder: int | None = None,
    q: str = "",
) -> QuerySet[Initiative]:
    qs = _published_unless_editor(Initiative.objects.filter(territory=territory), territory, user)
    if stage:
        qs = qs.filter(stage=stage)
    if challenge:
        qs = qs.filter(challenges__id=challenge)
    if stakeholder:
        from django.db.models import Q

        qs = qs.filter(Q(lead_id=stakeholder) | Q(partners__id=stakeholder))
    if q:
        qs = qs.filter(title__icontains=q)
    return (
        qs.select_related("lead")
        .prefetch_related(
            "challenges",
            Prefetch("layer_progress", queryset=LayerProgress.objects.order_by("layer")),
        )
        .distinct()
        .order_by("title")
    )


def initiative_get(*, territory: Territory, user: Any, pk: int) -> Initiative:
    return (
        initiative_list(territory=territory, user=user)
        .prefetch_related("partners", "areas", "partnerships")
        .get(pk=pk)
    )


def initiatives_by_stage(*, territory: Territory, user: Any) -> list[tuple[str, str, int]]:
    qs = _published_unless_editor(Initiative.objects.filter(territory=territory), territory, user)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
    return [(code, str(label), counts.get(code, 0)) for code, label in Stage.choices]
