"""A round's results: submitted answers scored per dimension and sector, with history.

``_round_inputs`` and ``_scores`` fetch the inputs of several rounds in two queries; the
layer and benchmark selectors reuse them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from cocity.analytics.maturity import Answer as ScoredAnswer
from cocity.analytics.maturity import (
    DimensionResult,
    PreviousScore,
    RoundScores,
    normalise_level,
    score_round,
)
from cocity.ecosystem.models import Sector
from cocity.programme.models import Initiative, Layer, LayerProgress
from cocity.readiness.models import ActionLink, Answer, AssessmentRound, Dimension, InvitationStatus
from cocity.readiness.selectors.rounds import previous_round

SECTOR_ORDER = tuple(Sector.values)


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
