"""Reads of consultations, always scoped to one territory (or to a conversation of one).

:func:`vote_arrays` turns a conversation's rows into the arrays the opinion analytics take,
in three queries whatever the number of votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Mod
from numpy.typing import NDArray

from cocity.engagement.models import (
    Conversation,
    ConversationStatus,
    OpinionResult,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from cocity.engagement.tokens import participant_public_id
from cocity.territories.models import Territory


def _count_of(model: Any, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(conversation=OuterRef("pk"), **filters)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def conversation_list(*, territory: Territory, user: Any) -> QuerySet[Conversation]:
    """The conversations ``user`` may see in ``territory``, newest first, with their counts
    (accepted statements, participants, votes) in the same query."""
    qs = Conversation.objects.filter(territory=territory)
    if not user.has_perm("core.view_drafts", territory):
        qs = qs.exclude(status=ConversationStatus.DRAFT)
    if not user.has_perm("territories.view_private", territory):
        qs = qs.filter(is_public=True)
    return qs.select_related("challenge").annotate(
        n_statements=_count_of(Statement, status=StatementStatus.ACCEPTED),
        n_pending=_count_of(Statement, status=StatementStatus.PENDING),
        n_participants=_count_of(Participant, revoked_at__isnull=True),
    )


def conversation_get(*, territory: Territory, user: Any, pk: int) -> Conversation:
    """One conversation ``user`` may see; raises ``Conversation.DoesNotExist`` otherwise."""
    return conversation_list(territory=territory, user=user).get(pk=pk)


def conversation_vote_count(*, conversation: Conversation) -> int:
    return Vote.objects.filter(conversation=conversation).count()


# --- Participants -----------------------------------------------------------------------------


def participant_by_token(*, conversation_id: int, token: str | None) -> Participant | None:
    """The participant a token was signed for, in conversation ``conversation_id``, with its
    conversation and territory (one query); None for a bad token or another conversation."""
    public_id = participant_public_id(token)
    if public_id is None:
        return None
    return (
        Participant.objects.select_related("conversation__territory")
        .filter(public_id=public_id, conversation_id=conversation_id)
        .first()
    )


def participant_of_user(*, conversation: Conversation, user: Any) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def participant_list(*, conversation: Conversation) -> QuerySet[Participant]:
    """Participants with their vote and statement counts (for facilitators)."""
    return (
        Participant.objects.filter(conversation=conversation)
        .select_related("area")
        .annotate(
            n_votes=Coalesce(
                Subquery(
                    Vote.objects.filter(participant=OuterRef("pk"))
                    .order_by()
                    .values("participant")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            n_statements=Count("statements", distinct=True),
        )
        .order_by("number")
    )


# --- Statements -------------------------------------------------------------------------------


def statement_list(*, conversation: Conversation, status: str | None = None) -> QuerySet[Statement]:
    qs = Statement.objects.filter(conversation=conversation)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("author", "moderated_by").order_by("number")


def moderation_queue(*, conversation: Conversation) -> QuerySet[Statement]:
    """Statements waiting for moderation, oldest first."""
    return (
        Statement.objects.filter(conversation=conversation, status=StatementStatus.PENDING)
        .select_related("author")
        .order_by("created_at", "number")
    )


@dataclass(frozen=True)
class NextStatement:
    """What to put to a participant next: a statement (or None when all are voted), and
    how far they are (``voted`` of ``total`` accepted statements)."""

    statement: Statement | None
    voted: int
    total: int

    @property
    def number(self) -> int:
        return min(self.voted + 1, self.total)


ORDER_PRIME = 10_007  # > any statement count; (a * number + b) mod p permutes the numbers


def _order_of(participant: Participant | None) -> tuple[int, int]:
    """Multiplier and offset of the participant's own order of statements."""
    if participant is None:
        return 1, 0
    seed = participant.public_id.int
    return 1 + seed % (ORDER_PRIME - 1), (seed >> 64) % ORDER_PRIME


def next_statement(*, participant: Participant | None, conversation: Conversation) -> NextStatement:
    """The next accepted statement ``participant`` has not voted on, and their progress (three
    small queries, whatever the number of statements and votes).

    Seeds come first (they frame the conversation), then the others in an order of the
    participant's own, ``(a * number + b) mod p``, so that every statement gets votes early,
    not only the first ones.
    """
    accepted = Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED)
    if participant is None:
        remaining = accepted
        progress = {"total": accepted.count(), "voted": 0}
    else:
        remaining = accepted.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
        progress = {
            "total": accepted.count(),
            "voted": Vote.objects.filter(
                participant=participant, statement__status=StatementStatus.ACCEPTED
            ).count(),
        }
    a, b = _order_of(participant)
    statement = (
        remaining.annotate(
            turn=Mod(
                F("number") * Value(a) + Value(b), Value(ORDER_PRIME), output_field=IntegerField()
            )
        )
        .only("id", "number", "text", "is_seed", "conversation_id")
        .order_by("-is_seed", "turn", "number")
        .first()
    )
    return NextStatement(statement, int(progress["voted"]), int(progress["total"]))


# --- Arrays for the analytics -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class VoteArrays:
    """A conversation's votes as arrays, by participant and statement *number*.

    Revoked participants are left out, with their votes. Every other participant and every
    statement is listed (``participant_numbers``, ``statement_numbers``) even without votes.
    """

    voter: NDArray[np.int64]
    statement: NDArray[np.int64]
    value: NDArray[np.int64]
    participant_numbers: NDArray[np.int64]
    participant_sectors: tuple[str, ...]
    participant_areas: NDArray[np.int64]  # area id, -1 when unknown
    statement_numbers: NDArray[np.int64]
    rejected_numbers: NDArray[np.int64]

    @property
    def n_votes(self) -> int:
        return int(self.value.size)


def vote_arrays(*, conversation: Conversation) -> VoteArrays:
    """Three queries: participants, statements, and the votes (one ``values_list``)."""
    people = list(
        Participant.objects.filter(conversation=conversation, revoked_at__isnull=True)
        .order_by("number")
        .values_list("number", "sector", "area_id")
    )
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("number")
        .values_list("number", "status")
    )
    rows = list(
        Vote.objects.filter(conversation=conversation, participant__revoked_at__isnull=True)
        .order_by()
        .values_list("participant__number", "statement__number", "value")
    )
    votes = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    return VoteArrays(
        voter=votes[:, 0].copy(),
        statement=votes[:, 1].copy(),
        value=votes[:, 2].copy(),
        participant_numbers=np.asarray([p[0] for p in people], dtype=np.int64),
        participant_sectors=tuple(p[1] for p in people),
        participant_areas=np.asarray(
            [-1 if p[2] is None else p[2] for p in people], dtype=np.int64
        ),
        statement_numbers=np.asarray([s[0] for s in statements], dtype=np.int64),
        rejected_numbers=np.asarray(
            [s[0] for s in statements if s[1] == StatementStatus.REJECTED], dtype=np.int64
        ),
    )


def data_fingerprint(*, conversation: Conversation) -> list[Any]:
    """What changes whenever the map would: vote count and latest vote time, statements by
    status, revoked participants and profile answers (one query each, cheap aggregates)."""
    from django.db.models import Max

    votes = Vote.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    statements = Statement.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"),
        accepted=Count("pk", filter=Q(status=StatementStatus.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=StatementStatus.REJECTED)),
        last=Max("moderated_at"),
    )
    people = Participant.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        profiles=Count("pk", filter=Q(profile_answered=True)),
    )
    return [
        votes["n"],
        votes["last"].isoformat() if votes["last"] else None,
        statements["n"],
        statements["accepted"],
        statements["rejected"],
        statements["last"].isoformat() if statements["last"] else None,
        people["n"],
        people["revoked"],
        people["profiles"],
    ]


# --- Results ----------------------------------------------------------------------------------


def result_latest(*, conversation: Conversation) -> OpinionResult | None:
    return OpinionResult.objects.filter(conversation=conversation).order_by("-version").first()
