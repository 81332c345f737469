"""Writes to statements: cleaning their text, seeding, submitting and moderating them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.engagement.errors import ParticipationRefused
from cocity.engagement.models import (
    STATEMENT_MAX_CHARS,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)
from cocity.engagement.services.numbering import _next_number
from cocity.engagement.services.participation_checks import (
    _check_rate,
    _ensure_active,
    _ensure_open,
)
from cocity.engagement.services.recompute import opinion_recompute_request

REASON_MAX_CHARS = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_CONTROL_NOT_LAYOUT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_SPACES = re.compile(r"\s+")


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
