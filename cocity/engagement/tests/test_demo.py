"""The demo consultation: a facilitator finds a live one, with groups, consensus and gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from cocity.engagement.demo import engagement_demo_generate
from cocity.engagement.models import Statement, StatementStatus, Vote
from cocity.programme.services import challenge_create
from cocity.territories.models import Area

TODAY = dt.date(2026, 6, 30)


def _areas(territory: Any) -> None:
    for i in range(12):
        Area.objects.create(
            territory=territory,
            code=f"A{i:02d}",
            name=f"Area {i}",
            population=2000 + 100 * i,
            deprivation_decile=1 + i % 10,
        )


def test_engagement_demo_generate_gives_a_live_consultation(territory: Any, client: Client) -> None:
    _areas(territory)
    mobility = challenge_create(territory=territory, actor=None, title="Mobility")
    summary = engagement_demo_generate(territory=territory, seed=2026, today=TODAY)
    conv = summary.conversation
    assert (conv.status, conv.challenge, conv.version) == ("open", mobility, 1)
    by_status = {
        s: Statement.objects.filter(conversation=conv, status=s).count()
        for s in StatementStatus.values
    }
    assert by_status == {"accepted": 34, "rejected": 2, "pending": 4}
    assert summary.statements == 40 and summary.participants == 300
    assert 4000 < summary.votes < 12000
    payload = summary.result.payload
    assert payload["n_groups"] in (2, 3, 4)
    assert payload["consensus"]["agree"], "the planted consensus is found"
    assert payload["representativeness"]["under_represented"], "the deprived areas lag"
    assert "1" in payload["representativeness_by_decile"]["under_represented"]
    page = client.get(reverse("engagement:map", args=[territory.slug, conv.pk]))
    assert page.status_code == 200 and "<svg" in page.content.decode()


def test_engagement_demo_generate_is_deterministic(territory: Any, other_territory: Any) -> None:
    a = engagement_demo_generate(territory=territory, seed=5, today=TODAY, n_participants=60)
    b = engagement_demo_generate(territory=other_territory, seed=5, today=TODAY, n_participants=60)

    def votes(conv: Any) -> list[tuple[int, int, int]]:
        return sorted(
            Vote.objects.filter(conversation=conv).values_list(
                "participant__number", "statement__number", "value"
            )
        )

    assert votes(a.conversation) == votes(b.conversation)
    assert a.result.payload["n_groups"] == b.result.payload["n_groups"]
