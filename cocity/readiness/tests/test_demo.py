"""The demo generator gives every readiness page and chart data, the same every time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cocity.programme.services import initiative_create
from cocity.readiness import selectors
from cocity.readiness.demo import readiness_demo_delete, readiness_demo_generate
from cocity.readiness.models import Answer, AssessmentRound, InterfaceItem, RoundStatus
from cocity.territories.models import Territory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def _demo(territory, peers=3):
    territory.population = 120_000
    territory.save()
    for title, layers in (
        ("Sensor network", {"sensing": 60, "data": 30}),
        ("Data platform", {"data": 50, "platforms": 40}),
        ("Digital permits", {"analogue": 70, "governance": 20}),
    ):
        initiative_create(territory=territory, actor=None, title=title, layers=layers)
    readiness_demo_generate(territory=territory, peers=peers, seed=7, today=TODAY)


def test_readiness_demo_generate_history_register_and_peers(territory, users):
    _demo(territory)
    rounds = list(AssessmentRound.objects.filter(territory=territory).order_by("created_at"))
    assert [r.status for r in rounds] == [RoundStatus.CLOSED] * 3 + [RoundStatus.OPEN]
    assert [r.created_at.date() < TODAY for r in rounds] == [True] * 4
    results = selectors.round_results(round_=rounds[2])
    assert results.submitted >= 6 and len(results.sectors) == 5
    assert results.previous == rounds[1] and results.has_targets
    assert InterfaceItem.objects.filter(territory=territory).count() == 10
    peers = Territory.objects.filter(slug__startswith="lund-peer-")
    assert peers.count() == 3
    bench = selectors.benchmark(territory=territory)
    assert len(bench.peers) == 3 and bench.round == rounds[2]
    assert sum(p.named for p in bench.peers) == 2
    assert all(row.result.percentile is not None for row in bench.rows)
    # The demo's own partner login is invited to the open round but left to answer.
    invitation = selectors.invitation_of(round_=rounds[3], user=users["partner"])
    assert invitation is not None and invitation.status == "invited"


def _answers(territory):
    return [
        (a.invitation.user.username, a.dimension.code, a.level)
        for a in Answer.objects.filter(invitation__round__territory=territory)
        .order_by(
            "invitation__round__created_at", "invitation__user__username", "dimension__position"
        )
        .select_related("invitation__user", "dimension")
    ]


def test_readiness_demo_generate_is_safe_to_repeat(territory, users):
    _demo(territory, peers=1)
    first = _answers(territory)
    readiness_demo_generate(territory=territory, peers=1, seed=7, today=TODAY)
    assert AssessmentRound.objects.filter(territory=territory).count() == 4
    assert _answers(territory) == first and len(first) > 300


def test_readiness_demo_generate_is_deterministic(territory, users):
    _demo(territory, peers=2)
    first = _answers(territory)
    first_peers = _answers(Territory.objects.get(slug="lund-peer-2"))
    readiness_demo_delete(slug=territory.slug)
    assert (
        not AssessmentRound.objects.exists()
        and not Territory.objects.filter(slug__startswith="lund-peer-").exists()
    )
    readiness_demo_generate(territory=territory, peers=2, seed=7, today=TODAY)
    assert _answers(territory) == first
    assert _answers(Territory.objects.get(slug="lund-peer-2")) == first_peers
    readiness_demo_delete(slug=territory.slug)
    readiness_demo_generate(territory=territory, peers=2, seed=8, today=TODAY)
    assert _answers(territory) != first


def test_readiness_demo_pages_and_charts_render_with_data(client_as, territory):
    _demo(territory, peers=2)
    client = client_as("facilitator")
    slug = territory.slug
    closed = AssessmentRound.objects.filter(territory=territory, status="closed").latest(
        "created_at"
    )
    pages = {
        reverse("readiness:index", args=[slug]): "Latest results",
        reverse("readiness:round_list", args=[slug]): "Readiness 2025",
        reverse("readiness:round_detail", args=[slug, closed.pk]): "Sectors disagree most on",
        reverse("readiness:layers", args=[slug]): "Retrofit street lights",
        reverse("readiness:benchmark", args=[slug]): "Percentile",
        reverse("readiness:model_list", args=[slug]): "cocity digital readiness model",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
    charts = [
        reverse("readiness:round_chart", args=[slug, closed.pk, kind, "png"])
        for kind in ("radar", "disagreement", "history")
    ] + [
        reverse("readiness:layer_chart", args=[slug, "balance", "png"]),
        reverse("readiness:layer_chart", args=[slug, "heatmap", "png"]),
        reverse("readiness:benchmark_chart", args=[slug, "png"]),
    ]
    for url in charts:
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG"), url


def test_charts_are_the_same_bytes_for_the_same_numbers(client_as, territory):
    _demo(territory, peers=1)
    client = client_as("observer")
    closed = AssessmentRound.objects.filter(territory=territory, status="closed").latest(
        "created_at"
    )
    url = reverse("readiness:round_chart", args=[territory.slug, closed.pk, "radar", "svg"])
    assert client.get(url).content == client.get(url).content
