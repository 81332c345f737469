"""Request and response bodies of the co-production API: proposals and workshops."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from cocity.coproduction.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    OutputKind,
    OutputStatus,
    ProposalStatus,
)
from cocity.core.api_support import Id, InSchema, Text

SEES_DRAFTS = "coproduction_sees_drafts"
"""The request attribute, set by each endpoint, saying whether the caller may see drafts."""


def _sees_drafts(context: Any) -> bool:
    request = (context or {}).get("request")
    return bool(getattr(request, SEES_DRAFTS, False))


class ProposalIn(InSchema):
    challenge: Id = Field(..., description="Id of the (published) challenge it answers.")
    title: Text = Field(..., min_length=1, max_length=TITLE_MAX)
    body: Text = Field(..., min_length=1, max_length=BODY_MAX, description="The idea itself.")


class TransitionIn(InSchema):
    to: ProposalStatus = Field(..., description="The status to move the proposal to.")
    reason: Text = Field("", max_length=REASON_MAX, description="Why; required when declining.")


class ProposalFilters(Schema):
    challenge: Id | None = Field(None, description="Only proposals for this challenge.")
    status: ProposalStatus | None = None
    sort: Literal["support", "newest"] = Field(
        "support", description="Most supported first (default) or newest first."
    )


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    challenge: int | None
    status: ProposalStatus
    status_reason: str
    author: str = Field(..., description="The author's name as the pages show it.")
    initiative: int | None = Field(..., description="The initiative it became, if any.")
    supporters: int
    comments: int = Field(..., description="Visible comments (not hidden by a moderator).")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_challenge(obj: Any) -> int | None:
        return obj.challenge_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_author(obj: Any) -> str:
        from cocity.coproduction.templatetags.coproduction import display_name

        return display_name(obj.author)

    @staticmethod
    def resolve_initiative(obj: Any, context: Any) -> int | None:
        initiative = obj.initiative
        if initiative is None:
            return None
        if initiative.is_draft and not _sees_drafts(context):
            return None
        return initiative.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_supporters(obj: Any) -> int:
        return int(getattr(obj, "n_supports", 0))

    @staticmethod
    def resolve_comments(obj: Any) -> int:
        return int(getattr(obj, "n_comments", 0))


class StatusChangeOut(Schema):
    from_status: ProposalStatus
    to_status: ProposalStatus
    reason: str
    at: dt.datetime


class ProposalDetailOut(ProposalOut):
    history: list[StatusChangeOut]
    supported: bool = Field(..., description="Whether the caller supports it.")

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(obj.status_changes.all())

    @staticmethod
    def resolve_supported(obj: Any) -> bool:
        return bool(getattr(obj, "supported", False))


class WorkshopFilters(Schema):
    when: Literal["upcoming", "past"] | None = Field(
        None, description="Upcoming (soonest first) or past (latest first); all by default."
    )


class WorkshopOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    place: str
    description: str
    people_count: int
    challenge: int | None
    stakeholders: list[int] = Field(..., description="Ids of the attending organisations.")
    output_count: int = Field(..., description="How many outputs are recorded.")

    @staticmethod
    def resolve_challenge(obj: Any, context: Any) -> int | None:
        challenge = obj.challenge
        if challenge is None:
            return None
        if challenge.is_draft and not _sees_drafts(context):
            return None
        return challenge.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_stakeholders(obj: Any) -> list[int]:
        return [s.pk for s in obj.stakeholders.all()]

    @staticmethod
    def resolve_output_count(obj: Any) -> int:
        return int(getattr(obj, "n_outputs", 0))


class OutputOut(Schema):
    id: int
    kind: OutputKind
    text: str
    owner: int | None
    due_date: dt.date | None
    initiative: int | None
    proposal: int | None
    status: OutputStatus

    @staticmethod
    def resolve_owner(obj: Any) -> int | None:
        return obj.owner_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_initiative(obj: Any, context: Any) -> int | None:
        initiative = obj.initiative
        if initiative is None:
            return None
        if initiative.is_draft and not _sees_drafts(context):
            return None
        return initiative.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_proposal(obj: Any) -> int | None:
        return obj.proposal_id  # type: ignore[no-any-return]


class WorkshopDetailOut(WorkshopOut):
    outputs: list[OutputOut] = Field(..., description="Decisions, actions and insights.")

    @staticmethod
    def resolve_outputs(obj: Any) -> list[Any]:
        return list(obj.outputs.all())
