"""Request and response bodies of the programme API: challenges and initiatives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from ninja import Field, Schema

from cocity.core.api_support import (
    LONG_TEXT,
    Currency,
    DatedIn,
    Id,
    IdList,
    InSchema,
    Int,
    Money,
    SearchText,
    Text,
    partial_of,
)
from cocity.programme.models import Layer, Mission, Stage

Progress = Annotated[Int, Field(ge=0, le=100)]


class ChallengeIn(InSchema):
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field("", max_length=LONG_TEXT)
    mission: Mission = Mission.BOTH
    cost_of_inaction: Text = Field(
        "", max_length=LONG_TEXT, description="What it costs to do nothing."
    )
    is_draft: bool = False


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    ChallengePatch = ChallengeIn
else:
    ChallengePatch = partial_of(ChallengeIn, "ChallengePatch")


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    mission: Mission
    cost_of_inaction: str
    is_draft: bool
    initiatives: int = Field(..., description="How many initiatives answer it.")

    @staticmethod
    def resolve_initiatives(obj: Any) -> int:
        return int(getattr(obj, "n_initiatives", 0))


class InitiativeIn(DatedIn):
    title: Text = Field(..., min_length=1, max_length=200)
    stage: Stage = Stage.IDEA
    description: Text = Field("", max_length=LONG_TEXT)
    lead: Id | None = Field(None, description="Id of the leading stakeholder.")
    partners: IdList = Field(default_factory=list, description="Ids of partner stakeholders.")
    challenges: IdList = Field(default_factory=list, description="Ids of challenges it answers.")
    areas: IdList = Field(default_factory=list, description="Ids of areas it serves.")
    layers: dict[Layer, Progress] = Field(
        default_factory=dict,
        description='Progress per layer of the digital city, 0-100, e.g. {"analogue": 40}.',
    )
    budget: Money | None = None
    currency: Currency = Field("", description="ISO 4217; the territory's when left empty.")
    funding: Text = Field("", max_length=300)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    is_draft: bool = False


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    InitiativePatch = InitiativeIn
else:
    InitiativePatch = partial_of(InitiativeIn, "InitiativePatch")


class InitiativeOut(Schema):
    id: int
    title: str
    stage: Stage
    description: str
    lead: int | None
    partners: list[int]
    challenges: list[int]
    areas: list[int]
    layers: dict[str, int] = Field(..., description="Progress per layer, 0-100.")
    budget: Decimal | None
    currency: str
    funding: str
    start_date: dt.date | None
    end_date: dt.date | None
    is_draft: bool

    @staticmethod
    def resolve_lead(obj: Any) -> int | None:
        return obj.lead_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_partners(obj: Any) -> list[int]:
        return [s.pk for s in obj.partners.all()]

    @staticmethod
    def resolve_challenges(obj: Any) -> list[int]:
        return [c.pk for c in obj.challenges.all()]

    @staticmethod
    def resolve_areas(obj: Any) -> list[int]:
        return [a.pk for a in obj.areas.all()]

    @staticmethod
    def resolve_layers(obj: Any) -> dict[str, int]:
        return {p.layer: p.progress for p in obj.layer_progress.all()}


class InitiativeFilters(Schema):
    q: SearchText = Field("", description="Part of the title.")
    stage: Stage | None = None
    challenge: Id | None = Field(None, description="Only initiatives answering this challenge.")
    stakeholder: Id | None = Field(None, description="Only initiatives it leads or partners in.")
