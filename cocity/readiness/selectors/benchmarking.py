"""Benchmarks: a round's scores against peers of this instance and peers imported from others."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from cocity.analytics.maturity import (
    POPULATION_BANDS,
    DimensionBenchmark,
    RoundScores,
    benchmark_dimensions,
    normalise_level,
    population_band,
)
from cocity.readiness.models import (
    AssessmentRound,
    ExternalPeer,
    Invitation,
    InvitationStatus,
    ReadinessSettings,
    RoundStatus,
)
from cocity.readiness.selectors.rounds import latest_round
from cocity.readiness.selectors.scoring import _scores
from cocity.territories.models import Territory


@dataclass(frozen=True)
class Peer:
    """A peer in a benchmark: its label is its name only if it agreed to be named."""

    label: str
    named: bool
    external: bool
    round_title: str
    respondents: int
    scores: dict[str, float | None]  # normalised medians per dimension code
    key: str


@dataclass(frozen=True)
class BenchmarkRow:
    code: str
    name: str
    median: float | None
    result: DimensionBenchmark


@dataclass(frozen=True)
class Benchmark:
    territory: Territory
    round: AssessmentRound | None
    kind: str
    band: str
    peers: list[Peer]
    rows: list[BenchmarkRow]
    excluded_imports: list[ExternalPeer]


def band_bounds(band: str) -> tuple[int, int | None] | None:
    for code, low, high in POPULATION_BANDS:
        if code == band:
            return low, high
    return None


def _anonymous_order(viewer: Territory, keys: Iterable[str]) -> list[str]:
    # A fixed order per viewer that reveals nothing (not alphabetical, not by id).
    return sorted(keys, key=lambda k: hashlib.sha256(f"{viewer.pk}:{k}".encode()).hexdigest())


def _peer_letter(i: int) -> str:
    letters = string.ascii_uppercase
    return letters[i] if i < len(letters) else letters[i // 26 - 1] + letters[i % 26]


def peer_territories(*, territory: Territory) -> QuerySet[Territory]:
    """Territories on this instance of the same kind and size band that take part."""
    band = population_band(territory.population)
    qs = Territory.objects.filter(kind=territory.kind).exclude(pk=territory.pk)
    bounds = band_bounds(band)
    if bounds is None:
        qs = qs.filter(population__isnull=True)
    else:
        low, high = bounds
        qs = qs.filter(population__gte=low)
        if high is not None:
            qs = qs.filter(population__lt=high)
    return qs.exclude(readiness_settings__in_benchmarks=False).select_related("readiness_settings")


def benchmark(*, territory: Territory, round_: AssessmentRound | None = None) -> Benchmark:
    """Compare ``round_`` (default: the latest closed round) with peers' latest closed rounds.

    Peers: territories of this instance with the same kind and population band that take part
    in benchmarks, and results imported from other installations for the same kind and band.
    Scores are normalised medians; percentiles are the mean of strict and weak ranks.
    """
    band = population_band(territory.population)
    round_ = round_ or latest_round(territory=territory, closed_only=True)
    peer_rows = list(peer_territories(territory=territory))
    latest: dict[int, AssessmentRound] = {}
    for closed in (
        AssessmentRound.objects.filter(
            territory__in=[t.pk for t in peer_rows], status=RoundStatus.CLOSED
        )
        .select_related("model")
        .order_by("territory_id", "-created_at", "-id")
    ):
        latest.setdefault(closed.territory_id, closed)
    wanted_rounds = list(latest.values()) + ([round_] if round_ is not None else [])
    scored = _scores(wanted_rounds)
    counts = dict(
        Invitation.objects.filter(
            round__in=[r.pk for r in wanted_rounds], status=InvitationStatus.SUBMITTED
        )
        .values_list("round_id")
        .annotate(n=Count("id"))
    )

    def normalised(scores: RoundScores) -> dict[str, float | None]:
        return {d.code: d.overall.normalised_median for d in scores.dimensions}

    candidates: list[tuple[str, Peer]] = []
    for t in peer_rows:
        r = latest.get(t.pk)
        if r is None:
            continue
        found: ReadinessSettings | None = getattr(t, "readiness_settings", None)
        named = bool(found and found.named_in_benchmarks)
        key = f"t{t.pk}"
        candidates.append(
            (
                key,
                Peer(
                    t.name if named else "",
                    named,
                    False,
                    r.title,
                    counts.get(r.pk, 0),
                    normalised(scored[r.pk]),
                    key,
                ),
            )
        )
    imports = list(ExternalPeer.objects.filter(territory=territory).prefetch_related("results"))
    excluded = []
    for imported in imports:
        if imported.kind != territory.kind or imported.population_band != band:
            excluded.append(imported)
            continue
        scores = {
            res.code: (
                None if res.median is None else normalise_level(res.median, imported.n_levels)
            )
            for res in imported.results.all()
        }
        key = f"x{imported.pk}"
        candidates.append(
            (
                key,
                Peer(
                    imported.name if imported.named else "",
                    imported.named,
                    True,
                    imported.round_title,
                    imported.respondents,
                    scores,
                    key,
                ),
            )
        )
    order = _anonymous_order(territory, [k for k, _p in candidates])
    by_key = dict(candidates)
    peers = []
    anonymous = 0
    for k in order:
        peer = by_key[k]
        if not peer.named:
            label = str(_("Peer %(letter)s") % {"letter": _peer_letter(anonymous)})
            anonymous += 1
            peer = Peer(
                label, False, peer.external, peer.round_title, peer.respondents, peer.scores, k
            )
        peers.append(peer)
    # Named peers first, by name; anonymous ones in an order that reveals nothing.
    peers.sort(key=lambda x: (not x.named, x.label if x.named else "", order.index(x.key)))
    rows: list[BenchmarkRow] = []
    if round_ is not None:
        own = scored[round_.pk]
        names = dict(round_.model.dimensions.values_list("code", "name"))
        compared = benchmark_dimensions(
            normalised(own), [x.scores for x in peers], dimensions=[x.code for x in own.dimensions]
        )
        for dim_result, b in zip(own.dimensions, compared, strict=True):
            code = dim_result.code
            rows.append(BenchmarkRow(code, names.get(code, code), dim_result.overall.median, b))
    return Benchmark(territory, round_, territory.kind, band, peers, rows, excluded)
