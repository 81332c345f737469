"""Requests for a new opinion map of a conversation, debounced per conversation and process."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cocity.engagement.models import Conversation

logger = logging.getLogger(__name__)


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
