"""Background task: recompute a conversation's opinion map (run by ``cocity worker``).

Queued by :func:`cocity.engagement.services.opinion_recompute_request` a few seconds after a
vote, a statement or a moderation decision (debounced: the votes of those seconds go into one
computation), so the map stays live while pages only read stored results.
"""

from __future__ import annotations

import time
from typing import Any

from django_tasks import task

from cocity.engagement import selectors
from cocity.engagement.analysis import opinion_result_refresh
from cocity.engagement.models import Conversation
from cocity.engagement.services import opinion_recompute_request, recompute_memo


@task()
def opinion_recompute(conversation_id: int) -> dict[str, Any]:
    """Clear the request first (a vote arriving during the computation asks again), compute
    and store the map if anything changed, then look once more (see below)."""
    started = time.monotonic()
    Conversation.objects.filter(pk=conversation_id).update(recompute_due_at=None)
    conversation = (
        Conversation.objects.select_related("territory").filter(pk=conversation_id).first()
    )
    if conversation is None:
        return {"status": "gone"}
    stored, seen = opinion_result_refresh(conversation=conversation)
    # A web process that saw this recompute pending skips asking for up to LATE seconds, so a
    # vote may land up to LATE after we started and not be in this map: look once that time
    # has passed, and ask again if the data moved on since we read it.
    settle = started + recompute_memo.LATE + recompute_memo.MARGIN - time.monotonic()
    if settle > 0:
        time.sleep(settle)
    if selectors.data_fingerprint(conversation=conversation) != seen:
        opinion_recompute_request(conversation_id=conversation_id, use_memo=False)
    if stored is None:
        return {"status": "unchanged", "version": conversation.version}
    return {
        "status": "computed",
        "version": stored.version,
        "participants": stored.n_participants,
        "votes": stored.n_votes,
        "seconds": round(stored.seconds, 3),
    }
