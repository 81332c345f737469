"""Writes to consultations: conversations, statements, moderation, participants and votes.

Every function validates first and writes in one transaction. Votes are the hot path (a
public consultation takes hundreds a second): :func:`vote_cast` is one SQL statement that
checks the statement and keeps only the latest vote, and asking for a new opinion map costs
no query at all while one is already due (see :func:`opinion_recompute_request`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import time
import unicodedata
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.ecosystem.models import Sector
from cocity.engagement import ratelimit
from cocity.engagement.errors import ParticipationRefused, RateLimited
from cocity.engagement.models import (
    STATEMENT_MAX_CHARS,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)
from cocity.programme.models import Challenge
from cocity.territories.models import Area, Territory

logger = logging.getLogger(__name__)

CONVERSATION_FIELDS = (
    "title",
    "question",
    "challenge",
    "status",
    "is_public",
    "allow_statements",
    "ask_profile",
)
REASON_MAX_CHARS = 300
MAX_ID = 2**63 - 1  # the largest key a bigint column holds
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_CONTROL_NOT_LAYOUT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_SPACES = re.compile(r"\s+")


def _conversation_url(conversation: Conversation) -> str:
    return reverse(
        "engagement:conversation_detail", args=[conversation.territory.slug, conversation.pk]
    )


# --- Conversations ----------------------------------------------------------------------------


@transaction.atomic
def conversation_create(
    *,
    territory: Territory,
    actor: Any,
    title: str,
    question: str = "",
    challenge: Challenge | None = None,
    status: str = ConversationStatus.DRAFT,
    is_public: bool = True,
    allow_statements: bool = True,
    ask_profile: bool = True,
) -> Conversation:
    ensure_in_territory(territory, "challenge", [challenge])
    conversation = Conversation(
        territory=territory,
        title=title.strip(),
        question=question.strip(),
        challenge=challenge,
        status=status,
        is_public=is_public,
        allow_statements=allow_statements,
        ask_profile=ask_profile,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validated_save(conversation)
    activity_record(
        territory=territory,
        actor=actor,
        verb="conversation_created",
        summary=_("New consultation: %(title)s") % {"title": conversation.title},
        url=_conversation_url(conversation),
        is_public=conversation.is_public and status != ConversationStatus.DRAFT,
    )
    return conversation


@transaction.atomic
def conversation_update(*, conversation: Conversation, actor: Any, **fields: Any) -> Conversation:
    ensure_in_territory(conversation.territory, "challenge", [fields.get("challenge")])
    was = conversation.status
    apply_fields(conversation, fields, CONVERSATION_FIELDS)
    if isinstance(conversation.title, str):
        conversation.title = conversation.title.strip()
    validated_save(conversation)
    if conversation.status != was:
        verbs = {
            ConversationStatus.OPEN: ("conversation_opened", _("Consultation opened: %(title)s")),
            ConversationStatus.CLOSED: ("conversation_closed", _("Consultation closed: %(title)s")),
            ConversationStatus.DRAFT: (
                "conversation_updated",
                _("Consultation back to draft: %(title)s"),
            ),
        }
        verb, summary = verbs[ConversationStatus(conversation.status)]
        activity_record(
            territory=conversation.territory,
            actor=actor,
            verb=verb,
            summary=summary % {"title": conversation.title},
            url=_conversation_url(conversation),
            is_public=conversation.is_public and conversation.status != ConversationStatus.DRAFT,
        )
    return conversation


# --- Statements -------------------------------------------------------------------------------


def statement_text_clean(text: Any, *, keep_layout: bool = False) -> str:
    """The text as stored: NFC, control and invisible formatting characters (bidirectional
    overrides among them) removed, white space collapsed. Raises ``ValidationError`` (field
    ``text``) when empty or too long.

    ``keep_layout`` (imports) keeps line breaks, tabs and repeated spaces as written, so an
    imported conversation exports the same texts. HTML is kept as typed and escaped wherever
    it is shown (templates, SVG; exports are CSV).
    """
    if not isinstance(text, str):
        raise ValidationError({"text": _("Enter the statement as text.")})
    cleaned = unicodedata.normalize("NFC", text)
    if keep_layout:
        cleaned = _CONTROL_NOT_LAYOUT.sub("", cleaned)
    else:
        cleaned = _SPACES.sub(" ", _CONTROL.sub(" ", cleaned)).strip()
    if not cleaned.strip():
        raise ValidationError({"text": _("Write a statement.")})
    if len(cleaned) > STATEMENT_MAX_CHARS:
        raise ValidationError(
            {
                "text": _(
                    "Keep a statement to %(max)d characters (this one has %(n)d): one idea "
                    "that others can agree or disagree with."
                )
                % {"max": STATEMENT_MAX_CHARS, "n": len(cleaned)}
            }
        )
    return cleaned


def _next_number(conversation: Conversation, field: str) -> int:
    """The next sequential number of a statement or participant (locks the conversation row
    for the rest of the transaction, so two writers never take the same number)."""
    Conversation.objects.filter(pk=conversation.pk).update(**{field: F(field) + 1})
    value: int = Conversation.objects.values_list(field, flat=True).get(pk=conversation.pk)
    return value - 1


def _check_rate(scope: str, key: str) -> None:
    if ratelimit.is_limited(scope, key):
        messages = {
            "vote_participant": _("You are voting faster than anyone can read. Wait a moment."),
            "vote_address": _("Too many votes from this network. Wait a moment and try again."),
            "statement_participant": _(
                "You have added several statements in a short time. Wait a few minutes."
            ),
            "statement_address": _(
                "Too many statements from this network. Wait a few minutes and try again."
            ),
            "participant_address": _(
                "Too many new participants from this network. Wait a while and try again."
            ),
        }
        raise RateLimited(scope, messages[scope], ratelimit.retry_after(scope))


def _ensure_open(conversation: Conversation) -> None:
    if conversation.status != ConversationStatus.OPEN:
        raise ParticipationRefused(
            "conversation_closed",
            _("This consultation is closed: it takes no more votes or statements.")
            if conversation.status == ConversationStatus.CLOSED
            else _("This consultation has not opened yet."),
        )


def _ensure_active(participant: Participant) -> None:
    if participant.revoked_at is not None:
        raise ParticipationRefused(
            "participant_revoked",
            _(
                "The facilitator has withdrawn this participation; its votes and statements "
                "are no longer counted."
            ),
        )


@transaction.atomic
def statement_seed_create(*, conversation: Conversation, actor: Any, text: str) -> Statement:
    """A facilitator's seed statement: accepted at once, open to votes in an open conversation."""
    cleaned = statement_text_clean(text)
    now = timezone.now()
    statement = Statement.objects.create(
        conversation=conversation,
        number=_next_number(conversation, "next_statement_number"),
        text=cleaned,
        is_seed=True,
        status=StatementStatus.ACCEPTED,
        moderated_by=actor if getattr(actor, "is_authenticated", False) else None,
        moderated_at=now,
        created_at=now,
    )
    opinion_recompute_request(conversation_id=conversation.pk)
    return statement


@transaction.atomic
def statement_submit(
    *, participant: Participant, text: str, address: str | None = None
) -> Statement:
    """A participant's statement: it waits for moderation. The author agrees with it (as in
    Pol.is), so that their own statement is never put to them."""
    conversation = participant.conversation
    _ensure_open(conversation)
    _ensure_active(participant)
    if not conversation.allow_statements:
        raise ParticipationRefused(
            "statements_closed", _("This consultation takes votes only, not new statements.")
        )
    cleaned = statement_text_clean(text)
    _check_rate("statement_participant", str(participant.public_id))
    if address:
        _check_rate("statement_address", address)
    duplicate = Statement.objects.filter(conversation=conversation, text__iexact=cleaned).exclude(
        status=StatementStatus.REJECTED
    )
    if duplicate.exists():
        raise ValidationError({"text": _("This statement is already in the consultation.")})
    now = timezone.now()
    statement = Statement.objects.create(
        conversation=conversation,
        number=_next_number(conversation, "next_statement_number"),
        text=cleaned,
        author=participant,
        status=StatementStatus.PENDING,
        created_at=now,
    )
    Vote.objects.create(
        conversation=conversation,
        participant=participant,
        statement=statement,
        value=VoteValue.AGREE,
        updated_at=now,
    )
    return statement


@transaction.atomic
def statement_moderate(
    *, statement: Statement, actor: Any, accept: bool, reason: str = ""
) -> Statement:
    """Accept a statement (it is put to participants) or reject it with a reason (it is never
    shown to participants again and leaves the opinion map)."""
    reason = _SPACES.sub(" ", _CONTROL.sub(" ", reason or "")).strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the statement is rejected.")})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            {"reason": _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX_CHARS}}
        )
    statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    statement.moderation_reason = "" if accept else reason
    statement.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
    opinion_recompute_request(conversation_id=statement.conversation_id)
    return statement


# --- Participants -----------------------------------------------------------------------------


@transaction.atomic
def participant_create(
    *, conversation: Conversation, user: Any = None, address: str | None = None
) -> Participant:
    """A new participant of ``conversation``: the signed-in ``user``'s (one per user and
    conversation, returned if it exists) or an anonymous one (rate-limited per address)."""
    _ensure_open(conversation)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in:
        existing = Participant.objects.filter(conversation=conversation, user=user).first()
        if existing is not None:
            return existing
    elif address:
        _check_rate("participant_address", address)
    return Participant.objects.create(
        conversation=conversation,
        number=_next_number(conversation, "next_participant_number"),
        user=user if signed_in else None,
        created_at=timezone.now(),
    )


@transaction.atomic
def participant_profile_set(
    *, participant: Participant, sector: str = "", area: Area | None = None
) -> Participant:
    """Record the optional profile answers (blank for "prefer not to say"); asked once."""
    if sector and sector not in Sector.values:
        raise ValidationError({"sector": _("Choose a sector from the list.")})
    if area is not None and area.territory_id != participant.conversation.territory_id:
        raise ValidationError({"area": _("Choose an area of this territory.")})
    participant.sector = sector
    participant.area = area
    participant.profile_answered = True
    participant.save(update_fields=["sector", "area", "profile_answered"])
    return participant


@transaction.atomic
def participant_revoke(*, participant: Participant, actor: Any) -> Participant:
    """Withdraw a participant (spam, a bot): its token stops working and its votes and
    statements leave the opinion map; pending statements it wrote are rejected."""
    if participant.revoked_at is None:
        participant.revoked_at = timezone.now()
        participant.save(update_fields=["revoked_at"])
        participant.statements.filter(status=StatementStatus.PENDING).update(
            status=StatementStatus.REJECTED,
            moderation_reason=_("The author's participation was withdrawn."),
            moderated_by=actor if getattr(actor, "is_authenticated", False) else None,
            moderated_at=participant.revoked_at,
        )
        opinion_recompute_request(conversation_id=participant.conversation_id)
    return participant


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
    with connection.cursor() as cursor:
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
    with connection.cursor() as cursor:
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


# --- Recomputing the opinion map (debounced) --------------------------------------------------


class _RecomputeMemo:
    """Per process: until when a vote need not ask again for a recompute of a conversation.

    After this process has seen a recompute requested and not started, its votes skip asking
    until the task's due time (it cannot start before), or for ``LATE`` seconds when it is
    already due. Votes skipped in those ``LATE`` seconds are committed at most ``LATE`` after
    the task started; the task looks again ``LATE + MARGIN`` seconds after its start and asks
    for another recompute if anything changed (:func:`cocity.engagement.tasks.opinion_recompute`),
    so no vote is left out of the map for good.
    """

    LATE = 1.0
    MARGIN = 0.5  # seconds kept clear of the task's start, for clock drift between processes

    def __init__(self) -> None:
        self._until: dict[int, float] = {}
        self._lock = threading.Lock()

    def skip(self, conversation_id: int) -> bool:
        with self._lock:
            return self._until.get(conversation_id, 0.0) > time.time()

    def remember(self, conversation_id: int, due_at: float) -> None:
        with self._lock:
            if len(self._until) > 10_000:
                self._until.clear()
            self._until[conversation_id] = max(due_at - self.MARGIN, time.time() + self.LATE)

    def reset(self) -> None:
        with self._lock:
            self._until.clear()


recompute_memo = _RecomputeMemo()


def recompute_delay() -> float:
    """Seconds between a change and the recompute it asks for (votes arriving meanwhile are
    taken in the same computation)."""
    return float(getattr(settings, "COCITY_OPINION_RECOMPUTE_DELAY", 5.0))


STALE_REQUEST = dt.timedelta(minutes=10)
"""A request due longer ago than this that no task cleared (a lost queue entry) is renewed."""


def opinion_recompute_request(
    *, conversation_id: int, delay: float | None = None, use_memo: bool = True
) -> None:
    """Ask for the opinion map to be recomputed ``delay`` seconds from now, unless a
    recomputation is already due (debounce). The task is queued once the caller's
    transaction commits. Costs no query while this process knows one is due (see
    :class:`_RecomputeMemo`); the task itself asks with ``use_memo=False``."""
    if use_memo and recompute_memo.skip(conversation_id):
        return
    wait = recompute_delay() if delay is None else delay
    now = timezone.now()
    due = now + dt.timedelta(seconds=wait)
    updated = Conversation.objects.filter(
        Q(recompute_due_at__isnull=True) | Q(recompute_due_at__lt=now - STALE_REQUEST),
        pk=conversation_id,
    ).update(recompute_due_at=due)
    if updated:

        def queue() -> None:
            if use_memo:
                recompute_memo.remember(conversation_id, due.timestamp())
            _enqueue_recompute(conversation_id, due)

        transaction.on_commit(queue)
        return
    if use_memo:
        pending = (
            Conversation.objects.filter(pk=conversation_id)
            .values_list("recompute_due_at", flat=True)
            .first()
        )
        if pending is not None:
            recompute_memo.remember(conversation_id, pending.timestamp())


def _enqueue_recompute(conversation_id: int, run_after: dt.datetime) -> None:
    from cocity.engagement.tasks import opinion_recompute

    try:
        task = (
            opinion_recompute
            if run_after <= timezone.now()
            else opinion_recompute.using(run_after=run_after)
        )
        task.enqueue(conversation_id=conversation_id)
    except Exception:
        # The vote is saved; the map catches up with the next change (or the stale renewal).
        logger.exception("could not queue the opinion map of conversation %s", conversation_id)
        Conversation.objects.filter(pk=conversation_id).update(recompute_due_at=None)
