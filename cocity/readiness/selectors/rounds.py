"""Reads of maturity models, rounds, invitations and answers, scoped to one territory."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from cocity.readiness.models import (
    Answer,
    AssessmentRound,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
    RoundStatus,
)
from cocity.territories.models import Territory


def maturity_model_list(*, territory: Territory) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.filter(territory=territory).annotate(
        n_dimensions=Count("dimensions", distinct=True), n_rounds=Count("rounds", distinct=True)
    )


def maturity_model_get(*, territory: Territory, pk: int) -> MaturityModel:
    return (
        MaturityModel.objects.filter(territory=territory)
        .prefetch_related("dimensions")
        .select_related("based_on")
        .get(pk=pk)
    )


def published_models(*, territory: Territory) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.filter(territory=territory, status=ModelStatus.PUBLISHED)


def round_list(*, territory: Territory) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.filter(territory=territory)
        .select_related("model")
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_submitted=Count(
                "invitations",
                filter=Q(invitations__status=InvitationStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def round_get(*, territory: Territory, pk: int) -> AssessmentRound:
    return AssessmentRound.objects.select_related("model", "territory").get(
        territory=territory, pk=pk
    )


def invitations_for(*, round_: AssessmentRound) -> QuerySet[Invitation]:
    return round_.invitations.select_related("user", "stakeholder").order_by(
        "sector", "user__username"
    )


def invitation_of(*, round_: AssessmentRound, user: Any) -> Invitation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return round_.invitations.filter(user=user).first()


def open_invitations(*, territory: Territory, user: Any) -> QuerySet[Invitation]:
    """The open rounds ``user`` is invited to in ``territory``."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        round__territory=territory, round__status=RoundStatus.OPEN, user=user
    ).select_related("round")


def answers_of(*, invitation: Invitation) -> dict[int, Answer]:
    return {a.dimension_id: a for a in invitation.answers.all()}


def latest_round(*, territory: Territory, closed_only: bool = False) -> AssessmentRound | None:
    qs = AssessmentRound.objects.filter(territory=territory).select_related("model")
    if closed_only:
        qs = qs.filter(status=RoundStatus.CLOSED)
    return qs.order_by("-created_at", "-id").first()


def previous_round(*, round_: AssessmentRound) -> AssessmentRound | None:
    """The last round of the same model family before ``round_`` (any version)."""
    return (
        AssessmentRound.objects.filter(
            territory_id=round_.territory_id,
            model__family=round_.model.family,
            created_at__lt=round_.created_at,
        )
        .select_related("model")
        .order_by("-created_at", "-id")
        .first()
    )
