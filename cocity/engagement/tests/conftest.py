"""Fixtures of the consultation tests: an open conversation with seed statements."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cocity.engagement import ratelimit
from cocity.engagement.models import Conversation, Statement
from cocity.engagement.services import (
    conversation_create,
    recompute_memo,
    statement_seed_create,
)

SEEDS = (
    "Buses should run every ten minutes until midnight.",
    "The old town should be closed to through traffic.",
    "Parking in the centre should cost more.",
)


@pytest.fixture(autouse=True)
def _fresh_process_state(settings: Any) -> Iterator[None]:
    """The limiter's buckets and the recompute memo live in the process: start each test clean,
    and recompute at once (no debounce delay) unless a test says otherwise."""
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 0
    ratelimit.limiter.reset()
    recompute_memo.reset()
    yield
    ratelimit.limiter.reset()
    recompute_memo.reset()


def make_conversation(territory: Any, actor: Any = None, **extra: Any) -> Conversation:
    fields = {"title": "How should we move around the city?", "status": "open", **extra}
    return conversation_create(territory=territory, actor=actor, **fields)


def seed(conversation: Conversation, *texts: str) -> list[Statement]:
    return [
        statement_seed_create(conversation=conversation, actor=None, text=text)
        for text in (texts or SEEDS)
    ]


@pytest.fixture
def conversation(territory: Any, users: dict[str, Any]) -> Conversation:
    """An open public conversation of ``territory`` with three seed statements."""
    conv = make_conversation(territory, users["facilitator"])
    seed(conv)
    return conv
