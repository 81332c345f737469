"""Request and response bodies of the ecosystem API.

Related rows are given and returned by id; the API turns ids into rows of the same territory
before calling a service, so an id from elsewhere is a 422 on that field.
"""

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
from cocity.ecosystem.models import (
    CollaborationKind,
    MemberRole,
    Outcome,
    PartnershipForm,
    PartnershipStatus,
    Sector,
    StakeholderType,
)

Score = Annotated[Int, Field(ge=1, le=5)]


def _ids(related: Any) -> list[int]:
    # Iterating .all() uses the selector's prefetch; .values_list() would query per row.
    return [obj.pk for obj in related.all()]


# --- stakeholders ----------------------------------------------------------------------------


class StakeholderIn(InSchema):
    name: Text = Field(..., min_length=1, max_length=200)
    sector: Sector
    type: StakeholderType = StakeholderType.OTHER
    description: Text = Field("", max_length=LONG_TEXT)
    website: Text = Field("", max_length=200)
    leader_role: Text = Field("", max_length=120, description="A title only, no personal names.")
    clusters: IdList = Field(default_factory=list, description="Ids of priority clusters.")
    areas: IdList = Field(default_factory=list, description="Ids of areas where it is active.")


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    StakeholderPatch = StakeholderIn
else:
    StakeholderPatch = partial_of(StakeholderIn, "StakeholderPatch")


class StakeholderOut(Schema):
    id: int
    name: str
    sector: Sector
    type: StakeholderType
    description: str
    website: str
    leader_role: str
    clusters: list[int]
    areas: list[int]

    @staticmethod
    def resolve_clusters(obj: Any) -> list[int]:
        return _ids(obj.clusters)

    @staticmethod
    def resolve_areas(obj: Any) -> list[int]:
        return _ids(obj.areas)


class StakeholderFilters(Schema):
    q: SearchText = Field("", description="Part of the name or description.")
    sector: Sector | None = None
    type: StakeholderType | None = None
    cluster: Id | None = None
    area: Id | None = None


# --- partnerships ----------------------------------------------------------------------------


class MemberIn(InSchema):
    stakeholder: Id
    role: MemberRole = MemberRole.PARTNER


class MemberOut(Schema):
    stakeholder: int
    name: str
    role: MemberRole

    @staticmethod
    def resolve_stakeholder(obj: Any) -> int:
        return obj.stakeholder_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.stakeholder.name)


class PartnershipIn(DatedIn):
    name: Text = Field(..., min_length=1, max_length=200)
    form: PartnershipForm
    members: list[MemberIn] = Field(..., max_length=200, description="Two or more stakeholders.")
    status: PartnershipStatus = PartnershipStatus.EXPLORING
    description: Text = Field("", max_length=LONG_TEXT)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    value: Money | None = None
    currency: Currency = Field("", description="ISO 4217; the territory's when left empty.")
    is_draft: bool = False
    initiatives: IdList = Field(default_factory=list, description="Ids of linked initiatives.")


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    PartnershipPatch = PartnershipIn
else:
    PartnershipPatch = partial_of(PartnershipIn, "PartnershipPatch")


class PartnershipOut(Schema):
    id: int
    name: str
    form: PartnershipForm
    status: PartnershipStatus
    description: str
    start_date: dt.date | None
    end_date: dt.date | None
    value: Decimal | None
    currency: str
    is_draft: bool
    members: list[MemberOut]
    initiatives: list[int]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_initiatives(obj: Any) -> list[int]:
        return _ids(obj.initiatives)


class PartnershipFilters(Schema):
    q: SearchText = Field("", description="Part of the name.")
    form: PartnershipForm | None = None
    status: PartnershipStatus | None = None
    stakeholder: Id | None = Field(None, description="Only partnerships with this member.")


# --- joint work ------------------------------------------------------------------------------


class CollaborationIn(InSchema):
    title: Text = Field(..., min_length=1, max_length=200)
    kind: CollaborationKind
    date: dt.date
    outcome: Outcome
    stakeholders: IdList = Field(..., description="Two or more stakeholders.")
    notes: Text = Field("", max_length=LONG_TEXT)
    partnership: Id | None = Field(None, description="The partnership it was part of.")


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    CollaborationPatch = CollaborationIn
else:
    CollaborationPatch = partial_of(CollaborationIn, "CollaborationPatch")


class CollaborationOut(Schema):
    id: int
    title: str
    kind: CollaborationKind
    date: dt.date
    outcome: Outcome
    notes: str
    stakeholders: list[int]
    partnership: int | None

    @staticmethod
    def resolve_stakeholders(obj: Any) -> list[int]:
        return _ids(obj.stakeholders)

    @staticmethod
    def resolve_partnership(obj: Any) -> int | None:
        return obj.partnership_id  # type: ignore[no-any-return]


class CollaborationFilters(Schema):
    stakeholder: Id | None = Field(None, description="Only joint work with this stakeholder.")


# --- stated trust ----------------------------------------------------------------------------


class TrustRatingIn(InSchema):
    rater: Id | None = Field(
        None, description="The rating organisation; a partner's own organisation when left out."
    )
    ratee: Id
    ability: Score
    benevolence: Score
    integrity: Score
    rated_on: dt.date | None = Field(None, description="Today when left out.")
    comment: Text = Field("", max_length=LONG_TEXT)


class TrustRatingPatch(InSchema):
    """The scores, date and comment; who rates whom does not change."""

    ability: Score = Field(None)  # type: ignore[assignment]
    benevolence: Score = Field(None)  # type: ignore[assignment]
    integrity: Score = Field(None)  # type: ignore[assignment]
    rated_on: dt.date = Field(None)  # type: ignore[assignment]
    comment: Text = Field(None, max_length=LONG_TEXT)  # type: ignore[assignment]


class TrustRatingOut(Schema):
    id: int
    rater: int
    ratee: int
    ability: int
    benevolence: int
    integrity: int
    rated_on: dt.date
    comment: str

    @staticmethod
    def resolve_rater(obj: Any) -> int:
        return obj.rater_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_ratee(obj: Any) -> int:
        return obj.ratee_id  # type: ignore[no-any-return]


# --- leadership teams ------------------------------------------------------------------------


class TeamMemberIn(InSchema):
    stakeholder: Id
    role_title: Text = Field(..., min_length=1, max_length=120, description="A title, not a name.")


class TeamMemberOut(Schema):
    stakeholder: int
    name: str
    role_title: str

    @staticmethod
    def resolve_stakeholder(obj: Any) -> int:
        return obj.stakeholder_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.stakeholder.name)


class LeadershipTeamIn(InSchema):
    name: Text = Field(..., min_length=1, max_length=200)
    theme: Text = Field("", max_length=200)
    challenge: Id | None = None
    members: list[TeamMemberIn] = Field(
        default_factory=list, max_length=200, description="From at least two helix sectors."
    )


if TYPE_CHECKING:  # mypy sees the full schema; at run time every field is optional
    LeadershipTeamPatch = LeadershipTeamIn
else:
    LeadershipTeamPatch = partial_of(LeadershipTeamIn, "LeadershipTeamPatch")


class LeadershipTeamOut(Schema):
    id: int
    name: str
    theme: str
    challenge: int | None
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_challenge(obj: Any) -> int | None:
        return obj.challenge_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())
