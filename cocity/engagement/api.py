"""API: consultations. Read conversations and their stored opinion maps; take part with a
participant token (join, next statement, vote, add a statement).

Taking part: ``POST .../participants/`` answers a token (anonymously in a public
consultation, rate-limited per address; or the signed-in caller's own participant). Send it
as the ``X-Participant-Token`` header. These endpoints need no CSRF token: the participant
token travels in a header a browser never adds by itself (no ambient authority, unlike a
cookie), so another site cannot make a visitor's browser vote.

``POST .../votes/`` is the hot path (the load test's): one query to find the participant with
its conversation and territory, one to store the vote (the latest vote wins).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import APIKeyHeader
from pydantic import BeforeValidator

from cocity.core.api_support import (
    ApiError,
    Id,
    InSchema,
    PageQuery,
    SessionAuth,
    Text,
    TokenAuth,
    caller,
    get_in,
    page_of,
    paginate,
    readable_territory,
    responses,
)
from cocity.core.ratelimit import client_address
from cocity.engagement import selectors, services
from cocity.engagement.errors import ParticipationRefused, RateLimited
from cocity.engagement.models import STATEMENT_MAX_CHARS, Conversation, Participant, StatementStatus
from cocity.engagement.tokens import HEADER, participant_public_id, participant_token

router = Router(tags=["consultations"])

T = "{slug:slug}/consultations"
ID = "{int:pk}"


class ParticipantTokenAuth(APIKeyHeader):
    """``X-Participant-Token``: the signed token ``POST .../participants/`` answered."""

    param_name = HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> uuid.UUID | None:
        if not key:
            return None
        public_id = participant_public_id(key)
        if public_id is None:
            raise ApiError(
                401, "bad_participant_token", _("This participant token is not valid; join again.")
            )
        return public_id  # checked against the conversation by the endpoint (one query)


def anyone(request: HttpRequest) -> Any:
    """Anonymous callers may join a public consultation (the service limits it per address)."""
    return getattr(request, "user", None) or AnonymousUser()


PARTICIPANT = [ParticipantTokenAuth()]
JOIN = [TokenAuth(), SessionAuth(), anyone]


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(_("Enter -1, 0 or 1, not true or false."))
    return value


# --- Schemas ----------------------------------------------------------------------------------


class ConversationOut(Schema):
    id: int
    title: str
    question: str
    status: str
    is_public: bool
    allow_statements: bool
    challenge_id: int | None
    n_statements: int = Field(..., description="Accepted statements.")
    n_participants: int
    version: int = Field(..., description="Version of the latest stored opinion map (0: none).")


class StatementOut(Schema):
    id: int
    number: int
    text: str
    is_seed: bool


class JoinOut(Schema):
    token: str = Field(..., description=f"Send it as the {HEADER} header.")
    number: int = Field(..., description="The participant's number in this consultation.")


class NextOut(Schema):
    statement: StatementOut | None
    voted: int
    total: int


class VoteIn(InSchema):
    statement: Id = Field(..., description="The statement's id (from the statements list).")
    vote: Annotated[int, BeforeValidator(_not_bool), Field(ge=-1, le=1)] = Field(
        ..., description="1 agree, -1 disagree, 0 pass."
    )


class VoteOut(Schema):
    statement: int
    vote: int


class StatementIn(InSchema):
    text: Text = Field(..., max_length=STATEMENT_MAX_CHARS * 4)


class SubmittedOut(Schema):
    id: int
    number: int
    text: str
    status: str


class ResultGroupOut(Schema):
    id: int
    size: int
    representative: list[int] = Field(..., description="Statement numbers, most telling first.")


class ResultOut(Schema):
    version: int
    computed_at: str
    n_participants: int
    n_votes: int
    n_in_conv: int
    groups: list[ResultGroupOut]
    consensus_agree: list[int]
    consensus_disagree: list[int]


ConversationPage = page_of(ConversationOut, "ConversationPage")
StatementPage = page_of(StatementOut, "StatementPage")


# --- Helpers ----------------------------------------------------------------------------------


def _conversation(request: HttpRequest, slug: str, pk: int) -> Conversation:
    territory = readable_territory(request, slug)
    conversation: Conversation = get_in(
        selectors.conversation_list(territory=territory, user=caller(request)), pk
    )
    return conversation


def _participant(request: HttpRequest, slug: str, pk: int) -> Participant:
    """The token's participant in conversation ``pk`` of territory ``slug`` (one query, plus
    the memberships of a signed-in participant's user)."""
    public_id: uuid.UUID = request.auth  # type: ignore[attr-defined]
    participant = (
        Participant.objects.select_related("conversation__territory", "user")
        .filter(public_id=public_id, conversation_id=pk)
        .first()
    )
    if participant is None or participant.conversation.territory.slug != slug:
        raise ApiError(
            401,
            "bad_participant_token",
            _("This participant token is not valid for this consultation."),
        )
    who = participant.user if participant.user is not None else AnonymousUser()
    if not who.has_perm("engagement.view_conversation", participant.conversation):
        raise Http404
    return participant


def _refused(error: Exception) -> ApiError:
    if isinstance(error, RateLimited):
        return ApiError(429, "rate_limited", error.message, {"Retry-After": str(error.retry_after)})
    assert isinstance(error, ParticipationRefused)
    status = {"not_a_statement": 404, "not_found": 404, "bad_participant_token": 401}
    return ApiError(status.get(error.code, 403), error.code, error.message)


# --- Endpoints --------------------------------------------------------------------------------


@router.get(f"{T}/", response=responses(200, ConversationPage))
def conversation_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Consultations the caller may see (drafts for editors only), newest first."""
    territory = readable_territory(request, slug)
    return paginate(selectors.conversation_list(territory=territory, user=caller(request)), page)


@router.get(f"{T}/{ID}/", response=responses(200, ConversationOut))
def conversation_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    return _conversation(request, slug, pk)


@router.get(f"{T}/{ID}/statements/", response=responses(200, StatementPage))
def statement_list(request: HttpRequest, slug: str, pk: int, page: Query[PageQuery]) -> Any:
    """Accepted statements (what participants vote on), by number."""
    conversation = _conversation(request, slug, pk)
    return paginate(
        selectors.statement_list(conversation=conversation, status=StatementStatus.ACCEPTED), page
    )


@router.get(f"{T}/{ID}/results/", response=responses(200, ResultOut))
def result_latest(request: HttpRequest, slug: str, pk: int) -> Any:
    """The latest stored opinion map (404 until the first one is computed)."""
    conversation = _conversation(request, slug, pk)
    if not caller(request).has_perm("engagement.view_results", conversation):
        raise Http404
    result = selectors.result_latest(conversation=conversation)
    if result is None:
        raise ApiError(404, "no_results_yet", _("No opinion map yet: it follows the first votes."))
    payload = result.payload
    return {
        "version": result.version,
        "computed_at": result.computed_at.isoformat(),
        "n_participants": result.n_participants,
        "n_votes": result.n_votes,
        "n_in_conv": int(payload.get("n_in_conv", 0)),
        "groups": [
            {
                "id": g["id"],
                "size": g["size"],
                "representative": [int(r["statement_id"]) for r in g["repness"]],
            }
            for g in payload.get("groups", [])
        ],
        "consensus_agree": [int(c["statement_id"]) for c in payload["consensus"]["agree"]],
        "consensus_disagree": [int(c["statement_id"]) for c in payload["consensus"]["disagree"]],
    }


@router.post(f"{T}/{ID}/participants/", auth=JOIN, response=responses(201, JoinOut))
def participant_join(request: HttpRequest, slug: str, pk: int) -> Any:
    """Join an open consultation: a signed-in caller gets their own participant (the same one
    each time); an anonymous caller a new one, in a public consultation only."""
    conversation = _conversation(request, slug, pk)
    user = caller(request)
    if not user.has_perm("engagement.vote", conversation):
        if not conversation.is_open:
            raise ApiError(403, "conversation_closed", _("This consultation takes no votes now."))
        raise ApiError(403, "permission_denied", _("Sign in to take part in this consultation."))
    try:
        participant = services.participant_create(
            conversation=conversation, user=user, address=client_address(request)
        )
    except (ParticipationRefused, RateLimited) as error:
        raise _refused(error) from None
    return Status(
        201, {"token": participant_token(participant.public_id), "number": participant.number}
    )


@router.get(f"{T}/{ID}/next/", auth=PARTICIPANT, response=responses(200, NextOut))
def next_statement(request: HttpRequest, slug: str, pk: int) -> Any:
    """The next statement the participant has not voted on, and their progress."""
    participant = _participant(request, slug, pk)
    found = selectors.next_statement(participant=participant, conversation=participant.conversation)
    return {"statement": found.statement, "voted": found.voted, "total": found.total}


@router.post(f"{T}/{ID}/votes/", auth=PARTICIPANT, response=responses(200, VoteOut))
def vote_create(request: HttpRequest, slug: str, pk: int, payload: VoteIn) -> Any:
    """Vote on a statement; voting again on it replaces the earlier vote."""
    try:
        services.vote_cast_with_token(
            territory_slug=slug,
            conversation_id=pk,
            public_id=request.auth,  # type: ignore[attr-defined]
            statement_id=payload.statement,
            value=payload.vote,
            address=client_address(request),
        )
    except (ParticipationRefused, RateLimited) as error:
        raise _refused(error) from None
    return {"statement": payload.statement, "vote": payload.vote}


@router.post(f"{T}/{ID}/statements/", auth=PARTICIPANT, response=responses(201, SubmittedOut))
def statement_submit(request: HttpRequest, slug: str, pk: int, payload: StatementIn) -> Any:
    """Add a statement; it is put to others once a facilitator has accepted it."""
    participant = _participant(request, slug, pk)
    try:
        statement = services.statement_submit(
            participant=participant, text=payload.text, address=client_address(request)
        )
    except (ParticipationRefused, RateLimited) as error:
        raise _refused(error) from None
    return Status(201, statement)
