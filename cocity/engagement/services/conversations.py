"""Writes to conversations: creating one and changing its settings or status."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.engagement.models import Conversation, ConversationStatus
from cocity.programme.models import Challenge
from cocity.territories.models import Territory

CONVERSATION_FIELDS = (
    "title",
    "question",
    "challenge",
    "status",
    "is_public",
    "allow_statements",
    "ask_profile",
)


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
        sentence=lambda: _("New consultation: %(title)s") % {"title": conversation.title},
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
            ConversationStatus.OPEN: (
                "conversation_opened",
                gettext_lazy("Consultation opened: %(title)s"),
            ),
            ConversationStatus.CLOSED: (
                "conversation_closed",
                gettext_lazy("Consultation closed: %(title)s"),
            ),
            ConversationStatus.DRAFT: (
                "conversation_updated",
                gettext_lazy("Consultation back to draft: %(title)s"),
            ),
        }
        verb, summary = verbs[ConversationStatus(conversation.status)]
        activity_record(
            territory=conversation.territory,
            actor=actor,
            verb=verb,
            sentence=lambda: summary % {"title": conversation.title},
            url=_conversation_url(conversation),
            is_public=conversation.is_public and conversation.status != ConversationStatus.DRAFT,
        )
    return conversation
