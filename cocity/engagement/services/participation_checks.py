"""The checks a participant's write makes before it writes: the rate limits, the
conversation open, the participant not withdrawn (each raises the refusal the caller shows)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cocity.engagement import ratelimit
from cocity.engagement.errors import ParticipationRefused, RateLimited
from cocity.engagement.models import Conversation, ConversationStatus, Participant


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
