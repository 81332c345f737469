"""Reads of readiness, always scoped to one territory; rows become the analytics' inputs here.

Results are computed from the submitted answers on each read: a round has at most a few
hundred answers, scored in microseconds; the selectors fetch them in a fixed number of
queries whatever the size of the round.
"""

from __future__ import annotations

import hashlib
import string
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cocity.analytics.layers import (
    LAYERS,
    InterfaceHeatmap,
    LayerBalance,
    LayerDivergence,
    interface_heatmap,
    layer_balance,
    layer_divergence,
    readiness_by_layer,
)
from cocity.analytics.maturity import (
    POPULATION_BANDS,
    DimensionBenchmark,
    DimensionResult,
    PreviousScore,
    RoundScores,
    benchmark_dimensions,
    normalise_level,
    population_band,
    score_round,
)
from cocity.analytics.maturity import (
    Answer as ScoredAnswer,
)
from cocity.ecosystem.models import Sector
from cocity.programme.models import Initiative, Layer, LayerProgress
from cocity.readiness.models import (
    ActionLink,
    Answer,
    AssessmentRound,
    Dimension,
    ExternalPeer,
    InterfaceItem,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
    ReadinessSettings,
    RoundStatus,
)
from cocity.territories.models import Territory

SECTOR_ORDER = tuple(Sector.values)


# --- models and rounds ---------------------------------------------------------------------------


def maturity_model_list(*, territory: Territory) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.filter(territory=territory).annotate(
        n_dimensions=Count("dimensions", distinct=True), n_rounds=Count("rounds", distinct=True)
    )


def maturity_model_get(*, territory: Territory, pk: int) -> MaturityModel:
    return (
        MaturityModel.objects.filter(territory=territory)
        .prefetch_related("dimensions")
        .select_related("based_on")
        .get(pk=pk)
    )


def published_models(*, territory: Territory) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.filter(territory=territory, status=ModelStatus.PUBLISHED)


def round_list(*, territory: Territory) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.filter(territory=territory)
        .select_related("model")
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_submitted=Count(
                "invitations",
                filter=Q(invitations__status=InvitationStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def round_get(*, territory: Territory, pk: int) -> AssessmentRound:
    return AssessmentRound.objects.select_related("model", "territory").get(
        territory=territory, pk=pk
    )


def invitations_for(*, round_: AssessmentRound) -> QuerySet[Invitation]:
    return round_.invitations.select_related("user", "stakeholder").order_by(
        "sector", "user__username"
    )


def invitation_of(*, round_: AssessmentRound, user: Any) -> Invitation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return round_.invitations.filter(user=user).first()


def open_invitations(*, territory: Territory, user: Any) -> QuerySet[Invitation]:
    """The open rounds ``user`` is invited to in ``territory``."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        round__territory=territory, round__status=RoundStatus.OPEN, user=user
    ).select_related("round")


def answers_of(*, invitation: Invitation) -> dict[int, Answer]:
    return {a.dimension_id: a for a in invitation.answers.all()}


def latest_round(*, territory: Territory, closed_only: bool = False) -> AssessmentRound | None:
    qs = AssessmentRound.objects.filter(territory=territory).select_related("model")
    if closed_only:
        qs = qs.filter(status=RoundStatus.CLOSED)
    return qs.order_by("-created_at", "-id").first()


def previous_round(*, round_: AssessmentRound) -> AssessmentRound | None:
    """The last round of the same model family before ``round_`` (any version)."""
    return (
        AssessmentRound.objects.filter(
            territory_id=round_.territory_id,
            model__family=round_.model.family,
            created_at__lt=round_.created_at,
        )
        .select_related("model")
        .order_by("-created_at", "-id")
        .first()
    )


# --- scoring -----------------------------------------------------------------------------------


def _round_inputs(
    rounds: Sequence[AssessmentRound],
) -> tuple[dict[int, list[Dimension]], dict[int, list[ScoredAnswer]]]:
    """Dimensions per model and submitted answers per round: two queries for any rounds."""
    dims: dict[int, list[Dimension]] = defaultdict(list)
    answers: dict[int, list[ScoredAnswer]] = defaultdict(list)
    if not rounds:
        return dims, answers
    for d in Dimension.objects.filter(model_id__in={r.model_id for r in rounds}).order_by(
        "position", "id"
    ):
        dims[d.model_id].append(d)
    rows = Answer.objects.filter(
        invitation__round__in=[r.pk for r in rounds],
        invitation__status=InvitationStatus.SUBMITTED,
    ).values_list(
        "invitation__round_id", "invitation_id", "dimension__code", "level", "invitation__sector"
    )
    for round_id, invitation_id, code, level, sector in rows:
        answers[round_id].append(ScoredAnswer(str(invitation_id), code, level, sector))
    return dims, answers


def _scores(rounds: Sequence[AssessmentRound]) -> dict[int, RoundScores]:
    """Score several rounds (without targets or history) in two queries."""
    dims, answers = _round_inputs(rounds)
    return {
        r.pk: score_round(
            answers[r.pk],
            dimensions=[d.code for d in dims[r.model_id]],
            n_levels=r.model.n_levels,
            sectors=SECTOR_ORDER,
        )
        for r in rounds
    }


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of a round's results, ready for a page."""

    dimension: Dimension
    result: DimensionResult
    sectors: list[tuple[str, Any]]
    actions: list[ActionLink] = field(default_factory=list)
    related_initiatives: list[Initiative] = field(default_factory=list)
    evidence: list[Answer] = field(default_factory=list)

    @property
    def layer_label(self) -> str:
        return str(Layer(self.dimension.layer).label) if self.dimension.layer else ""


@dataclass(frozen=True)
class RoundResults:
    round: AssessmentRound
    scores: RoundScores
    rows: list[DimensionRow]
    sectors: list[tuple[str, str]]
    previous: AssessmentRound | None
    invited: int
    submitted: int
    drafts: int

    def row(self, code: str) -> DimensionRow:
        return next(r for r in self.rows if r.dimension.code == code)

    @property
    def most_disagreed(self) -> list[DimensionRow]:
        return [self.row(c) for c in self.scores.most_disagreed]

    @property
    def gaps(self) -> list[tuple[DimensionRow, float]]:
        return [(self.row(g.code), g.gap) for g in self.scores.gaps]

    @property
    def has_targets(self) -> bool:
        return any(r.result.target is not None for r in self.rows)


def round_results(
    *, round_: AssessmentRound, with_evidence: bool = False, with_actions: bool = True
) -> RoundResults:
    """Scores, sector views, targets, change since the last round and gaps of ``round_``."""
    previous = previous_round(round_=round_)
    dims, answers = _round_inputs([round_, previous] if previous else [round_])
    by_code = {d.code: d for d in dims[round_.model_id]}
    targets = dict(round_.targets.values_list("dimension__code", "level"))
    before: dict[str, PreviousScore] = {}
    if previous is not None:
        prev_scores = score_round(
            answers[previous.pk],
            dimensions=[d.code for d in dims[previous.model_id]],
            n_levels=previous.model.n_levels,
        )
        for d in prev_scores.dimensions:
            if d.overall.median is not None and d.code in by_code:
                before[d.code] = PreviousScore(d.overall.median, previous.model.n_levels)
    scores = score_round(
        answers[round_.pk],
        dimensions=list(by_code),
        n_levels=round_.model.n_levels,
        targets={c: t for c, t in targets.items() if c in by_code},
        previous=before,
        sectors=SECTOR_ORDER,
    )
    counts = round_.invitations.aggregate(
        invited=Count("id"),
        submitted=Count("id", filter=Q(status=InvitationStatus.SUBMITTED)),
        drafts=Count("id", filter=Q(status=InvitationStatus.DRAFT)),
    )
    present = {s for d in scores.dimensions for s, _v in d.by_sector}
    sectors = [(code, str(label)) for code, label in Sector.choices if code in present]
    actions: dict[int, list[ActionLink]] = defaultdict(list)
    related: dict[str, list[Initiative]] = defaultdict(list)
    if with_actions:
        for link in ActionLink.objects.filter(round=round_).select_related(
            "challenge", "initiative"
        ):
            actions[link.dimension_id].append(link)
        gap_layers = {by_code[g.code].layer for g in scores.gaps if by_code[g.code].layer}
        if gap_layers:
            for lp in (
                LayerProgress.objects.filter(
                    initiative__territory_id=round_.territory_id,
                    initiative__is_draft=False,
                    layer__in=gap_layers,
                )
                .select_related("initiative")
                .order_by("initiative__title")
            ):
                related[lp.layer].append(lp.initiative)
    evidence: dict[int, list[Answer]] = defaultdict(list)
    if with_evidence:
        for a in (
            Answer.objects.filter(
                invitation__round=round_, invitation__status=InvitationStatus.SUBMITTED
            )
            .exclude(evidence="")
            .select_related("invitation__stakeholder")
            .order_by("invitation__sector", "id")
        ):
            evidence[a.dimension_id].append(a)
    rows = []
    for result in scores.dimensions:
        dim = by_code[result.code]
        views = dict(result.by_sector)
        rows.append(
            DimensionRow(
                dimension=dim,
                result=result,
                sectors=[(code, views.get(code)) for code, _label in sectors],
                actions=actions[dim.pk],
                related_initiatives=related[dim.layer] if dim.layer else [],
                evidence=evidence[dim.pk],
            )
        )
    return RoundResults(
        round=round_,
        scores=scores,
        rows=rows,
        sectors=sectors,
        previous=previous,
        invited=counts["invited"],
        submitted=counts["submitted"],
        drafts=counts["drafts"],
    )


@dataclass(frozen=True)
class HistoryPoint:
    round: AssessmentRound
    medians: dict[str, float | None]  # on the scale of the latest round's model


def round_history(*, round_: AssessmentRound, limit: int = 8) -> list[HistoryPoint]:
    """Medians per dimension of the family's rounds up to ``round_``, oldest first.

    Rounds of older versions with another number of levels are put on ``round_``'s scale.
    """
    rounds = list(
        AssessmentRound.objects.filter(
            territory_id=round_.territory_id,
            model__family=round_.model.family,
            created_at__lte=round_.created_at,
        )
        .select_related("model")
        .order_by("-created_at", "-id")[:limit]
    )[::-1]
    scored = _scores(rounds)
    n_levels = round_.model.n_levels
    out = []
    for r in rounds:
        scores = scored[r.pk]
        medians: dict[str, float | None] = {}
        for d in scores.dimensions:
            m = d.overall.median
            medians[d.code] = (
                None if m is None else 1.0 + normalise_level(m, r.model.n_levels) * (n_levels - 1)
            )
        out.append(HistoryPoint(r, medians))
    return out


# --- the layered framework ---------------------------------------------------------------------


@dataclass(frozen=True)
class LayerOverview:
    """The territory's delivery per layer, its balance, the register and readiness per layer."""

    balance: LayerBalance
    heatmap: InterfaceHeatmap
    items: list[InterfaceItem]
    divergence: tuple[LayerDivergence, ...]
    readiness_round: AssessmentRound | None

    @staticmethod
    def label(layer: str) -> str:
        return str(Layer(layer).label)


def initiative_layer_progress(*, territory: Territory) -> list[dict[str, int]]:
    """Each published initiative's progress per layer (one query)."""
    per_initiative: dict[int, dict[str, int]] = defaultdict(dict)
    for initiative_id, layer, progress in LayerProgress.objects.filter(
        initiative__territory=territory, initiative__is_draft=False
    ).values_list("initiative_id", "layer", "progress"):
        per_initiative[initiative_id][layer] = progress
    return list(per_initiative.values())


def interface_item_list(*, territory: Territory) -> QuerySet[InterfaceItem]:
    return InterfaceItem.objects.filter(territory=territory).prefetch_related(
        Prefetch(
            "initiatives", queryset=Initiative.objects.filter(is_draft=False).order_by("title")
        )
    )


def interface_item_get(*, territory: Territory, pk: int) -> InterfaceItem:
    return interface_item_list(territory=territory).get(pk=pk)


def layer_overview(*, territory: Territory, with_readiness: bool = True) -> LayerOverview:
    """Roll up delivery per layer, weigh the register, and compare with the latest readiness.

    Readiness comes from the latest closed round (the latest open one if none is closed).
    """
    balance = layer_balance(initiative_layer_progress(territory=territory))
    items = list(interface_item_list(territory=territory))
    heatmap = interface_heatmap((i.layer_a, i.layer_b, i.kind, i.significance) for i in items)
    round_ = None
    readiness: dict[str, float | None] = dict.fromkeys(LAYERS)
    if with_readiness:
        round_ = latest_round(territory=territory, closed_only=True) or latest_round(
            territory=territory
        )
    if round_ is not None:
        dims, answers = _round_inputs([round_])
        scores = score_round(
            answers[round_.pk],
            dimensions=[d.code for d in dims[round_.model_id]],
            n_levels=round_.model.n_levels,
        )
        readiness = readiness_by_layer(
            {d.code: d.layer or None for d in dims[round_.model_id]},
            {d.code: d.overall.normalised_median for d in scores.dimensions},
        )
    delivery: dict[str, float | None] = {
        lp.layer: (lp.progress if lp.initiatives else None) for lp in balance.layers
    }
    return LayerOverview(
        balance=balance,
        heatmap=heatmap,
        items=items,
        divergence=layer_divergence(readiness, delivery),
        readiness_round=round_,
    )


# --- benchmarking ------------------------------------------------------------------------------


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
