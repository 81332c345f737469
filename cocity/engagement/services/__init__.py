"""Writes to consultations: conversations, statements, moderation, participants and votes.

Every function validates first and writes in one transaction. Votes are the hot path (a
public consultation takes hundreds a second): :func:`vote_cast` is one SQL statement that
checks the statement and keeps only the latest vote, and asking for a new opinion map costs
no query at all while one is already due (see :func:`opinion_recompute_request`).

One module per domain: ``conversations``, ``statements`` (and their moderation),
``participants``, ``votes``, ``recompute`` (opinion-map requests); ``participation_checks``
holds the refusals (rate limits, closed conversation, withdrawn participant) they share.
"""

from cocity.engagement.services.conversations import (
    CONVERSATION_FIELDS,
    conversation_create,
    conversation_update,
)
from cocity.engagement.services.participants import (
    participant_create,
    participant_profile_set,
    participant_revoke,
)
from cocity.engagement.services.recompute import (
    STALE_REQUEST,
    opinion_recompute_request,
    recompute_delay,
    recompute_memo,
)
from cocity.engagement.services.statements import (
    REASON_MAX_CHARS,
    statement_moderate,
    statement_seed_create,
    statement_submit,
    statement_text_clean,
)
from cocity.engagement.services.votes import MAX_ID, vote_cast, vote_cast_with_token

__all__ = [
    "CONVERSATION_FIELDS",
    "MAX_ID",
    "REASON_MAX_CHARS",
    "STALE_REQUEST",
    "conversation_create",
    "conversation_update",
    "opinion_recompute_request",
    "participant_create",
    "participant_profile_set",
    "participant_revoke",
    "recompute_delay",
    "recompute_memo",
    "statement_moderate",
    "statement_seed_create",
    "statement_submit",
    "statement_text_clean",
    "vote_cast",
    "vote_cast_with_token",
]
