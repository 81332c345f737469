"""Writes to participants: joining a conversation, the optional profile, withdrawal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.ecosystem.models import Sector
from cocity.engagement.models import Conversation, Participant, StatementStatus
from cocity.engagement.services.numbering import _next_number
from cocity.engagement.services.participation_checks import _check_rate, _ensure_open
from cocity.engagement.services.recompute import opinion_recompute_request
from cocity.territories.models import Area

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
