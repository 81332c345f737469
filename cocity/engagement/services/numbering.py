"""Sequential numbers of a conversation's statements and participants."""

from __future__ import annotations

from django.db.models import F

from cocity.engagement.models import Conversation


def _next_number(conversation: Conversation, field: str) -> int:
    """The next sequential number of a statement or participant (locks the conversation row
    for the rest of the transaction, so two writers never take the same number)."""
    Conversation.objects.filter(pk=conversation.pk).update(**{field: F(field) + 1})
    value: int = Conversation.objects.values_list(field, flat=True).get(pk=conversation.pk)
    return value - 1
