"""Writes to votes, the hot path: one SQL statement per vote, checks included."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.engagement.errors import ParticipationRefused
from cocity.engagement.models import (
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from cocity.engagement.services.participation_checks import (
    _check_rate,
    _ensure_active,
    _ensure_open,
)
from cocity.engagement.services.recompute import opinion_recompute_request
from cocity.territories.models import Territory

try:  # PostgreSQL with psycopg 3 (the production database)
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import is_psycopg3
except (ImportError, ImproperlyConfigured):  # no PostgreSQL driver: SQLite only
    ServerBindingCursor, is_psycopg3 = None, False

MAX_ID = 2**63 - 1  # the largest key a bigint column holds


def _prepared_cursor() -> Any:
    """A cursor whose statements PostgreSQL may keep prepared: the vote's SQL is planned once
    per connection instead of on every vote (with psycopg 3; see ``prepare_threshold`` in
    the settings). Django's own cursors bind parameters on the client, which never prepares.
    Wrapped as Django wraps its cursors, so query logging and counting still see it."""
    if connection.vendor != "postgresql" or not is_psycopg3:
        return connection.cursor()
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


# --- Votes ------------------------------------------------------------------------------------


@functools.cache
def _vote_sql() -> str:
    q = connection.ops.quote_name
    vote, statement = Vote._meta.db_table, Statement._meta.db_table
    # One statement: the statement must be an accepted one of the participant's conversation
    # (INSERT ... SELECT finds no row otherwise), and the pair keeps only its latest vote.
    # Only table names are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {q(vote)} "  # noqa: S608
        "(conversation_id, participant_id, statement_id, value, updated_at) "
        f"SELECT s.conversation_id, %s, s.id, %s, %s FROM {q(statement)} s "
        "WHERE s.id = %s AND s.conversation_id = %s AND s.status = %s "
        "ON CONFLICT (participant_id, statement_id) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    )


@functools.cache
def _anonymous_vote_sql() -> str:
    q = connection.ops.quote_name
    tables = {
        "vote": q(Vote._meta.db_table),
        "statement": q(Statement._meta.db_table),
        "participant": q(Participant._meta.db_table),
        "conversation": q(Conversation._meta.db_table),
        "territory": q(Territory._meta.db_table),
    }
    # The vote of an anonymous participant, with every condition of the "engagement.vote"
    # rule for an anonymous caller in the WHERE clause: the token's participant in this
    # conversation, not revoked, the conversation open and public, in this public territory.
    # Only table names are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {tables['vote']} "  # noqa: S608
        "(conversation_id, participant_id, statement_id, value, updated_at) "
        "SELECT s.conversation_id, p.id, s.id, %s, %s "
        f"FROM {tables['statement']} s "
        f"JOIN {tables['participant']} p ON p.conversation_id = s.conversation_id "
        f"JOIN {tables['conversation']} c ON c.id = s.conversation_id "
        f"JOIN {tables['territory']} t ON t.id = c.territory_id "
        "WHERE s.id = %s AND s.status = %s AND s.conversation_id = %s "
        "AND p.public_id = %s AND p.revoked_at IS NULL AND p.user_id IS NULL "
        "AND c.status = %s AND c.is_public AND t.is_public AND t.slug = %s "
        "ON CONFLICT (participant_id, statement_id) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    )


def _check_vote(statement_id: Any, value: Any) -> None:
    if isinstance(value, bool) or value not in (-1, 0, 1):
        raise ValidationError({"vote": _("A vote is 1 (agree), -1 (disagree) or 0 (pass).")})
    if isinstance(statement_id, bool) or not 1 <= int(statement_id) <= MAX_ID:
        raise ParticipationRefused(
            "not_a_statement", _("There is no statement to vote on with this number here.")
        )


def _vote_write(participant: Participant, statement_id: int, value: int) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with _prepared_cursor() as cursor:
        cursor.execute(
            _vote_sql(),
            [
                participant.pk,
                int(value),
                now,
                int(statement_id),
                participant.conversation_id,
                StatementStatus.ACCEPTED.value,
            ],
        )
        stored = cursor.rowcount
    if stored < 1:
        raise ParticipationRefused(
            "not_a_statement", _("There is no statement to vote on with this number here.")
        )
    opinion_recompute_request(conversation_id=participant.conversation_id)


def vote_cast(
    *, participant: Participant, statement_id: int, value: int, address: str | None = None
) -> None:
    """Record ``participant``'s vote (1 agree, -1 disagree, 0 pass) on a statement; a later
    vote on the same statement replaces the earlier one.

    ``participant.conversation`` must be loaded. One query, plus (at most once per
    recompute delay and process) the request for a new opinion map. Raises
    :class:`ParticipationRefused` (closed, revoked, not an accepted statement of this
    conversation), :class:`RateLimited`, or ``ValidationError`` for a value out of range.
    """
    _check_vote(statement_id, value)
    _ensure_open(participant.conversation)
    _ensure_active(participant)
    _check_rate("vote_participant", str(participant.public_id))
    if address:
        _check_rate("vote_address", address)
    _vote_write(participant, statement_id, value)


def vote_cast_with_token(
    *,
    territory_slug: str,
    conversation_id: int,
    public_id: uuid.UUID,
    statement_id: int,
    value: int,
    address: str | None = None,
) -> None:
    """The vote of the participant a token was signed for: the API's hot path.

    For an anonymous participant of an open public consultation (nearly every vote of a
    public consultation) it is one query, the checks of the ``engagement.vote`` rule inside
    it. Any other case (a signed-in member's participant, or a refusal) is read back and
    checked in full, so the caller gets the exact reason: :class:`ParticipationRefused` with
    code ``bad_participant_token`` (no such participant here), ``not_found`` (no longer
    visible to the participant), ``conversation_closed``, ``participant_revoked`` or
    ``not_a_statement``; :class:`RateLimited`; ``ValidationError``.
    """
    _check_vote(statement_id, value)
    _check_rate("vote_participant", str(public_id))
    if address:
        _check_rate("vote_address", address)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with _prepared_cursor() as cursor:
        cursor.execute(
            _anonymous_vote_sql(),
            [
                int(value),
                now,
                int(statement_id),
                StatementStatus.ACCEPTED.value,
                int(conversation_id),
                Participant._meta.get_field("public_id").get_db_prep_value(public_id, connection),
                ConversationStatus.OPEN.value,
                territory_slug,
            ],
        )
        stored = cursor.rowcount
    if stored > 0:
        opinion_recompute_request(conversation_id=int(conversation_id))
        return
    participant = (
        Participant.objects.select_related("conversation__territory", "user")
        .filter(public_id=public_id, conversation_id=conversation_id)
        .first()
    )
    if participant is None or participant.conversation.territory.slug != territory_slug:
        raise ParticipationRefused(
            "bad_participant_token", _("This participant token is not valid for this consultation.")
        )
    from django.contrib.auth.models import AnonymousUser

    who = participant.user if participant.user is not None else AnonymousUser()
    if not who.has_perm("engagement.view_conversation", participant.conversation):
        raise ParticipationRefused("not_found", _("This consultation is not open to you."))
    _ensure_open(participant.conversation)
    _ensure_active(participant)
    if participant.user is not None and not participant.user.has_perm(
        "engagement.vote", participant.conversation
    ):
        raise ParticipationRefused("not_found", _("This consultation is not open to you."))
    _vote_write(participant, statement_id, value)
