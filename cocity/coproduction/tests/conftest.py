"""Fixtures of the co-production tests: challenges and a citizen's proposal in ``territory``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cocity.coproduction import services
from cocity.coproduction.models import Proposal
from cocity.programme.services import challenge_create


@pytest.fixture
def mobility(territory: Any) -> Any:
    return challenge_create(territory=territory, actor=None, title="Mobility")


@pytest.fixture
def energy(territory: Any) -> Any:
    return challenge_create(territory=territory, actor=None, title="Smart energy")


@pytest.fixture
def proposal(users: dict[str, Any], territory: Any, mobility: Any) -> Proposal:
    """A submitted proposal by the citizen for the mobility challenge."""
    return services.proposal_create(
        territory=territory,
        actor=users["citizen"],
        challenge=mobility,
        title="Night bus to the hospital",
        body="Shift workers have no bus after 23:00.",
    )


def move(proposal: Proposal, status: str) -> Proposal:
    """Put ``proposal`` in ``status`` directly (test set-up, not the workflow under test)."""
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


def in_days(days: int, hour: int = 18) -> dt.datetime:
    today = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(today, dt.time(hour), tzinfo=timezone.get_default_timezone())
