"""API: readiness (read-only). Models, rounds and their results, layer balance, benchmark.

Members read everything here; the public reads the results of closed rounds only where the
territory publishes them. Evidence notes and individual answers never leave through the API.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from cocity.analytics.maturity import DimensionScore
from cocity.core.api_support import (
    PageQuery,
    caller,
    get_in,
    page_of,
    paginate,
    readable_territory,
    require,
    responses,
)
from cocity.readiness import selectors
from cocity.readiness.models import AssessmentRound
from cocity.readiness.schemas import (
    BenchmarkOut,
    LayerBalanceOut,
    MaturityModelDetailOut,
    MaturityModelOut,
    RoundOut,
    RoundResultsOut,
)

router = Router(tags=["readiness"])

T = "{slug:slug}/readiness"
ID = "{int:pk}"
VIEW = "readiness.view_readiness"

ModelPage = page_of(MaturityModelOut, "MaturityModelPage")
RoundPage = page_of(RoundOut, "AssessmentRoundPage")


class BenchmarkQuery(Schema):
    round: int | None = None


def _territory(request: HttpRequest, slug: str, perm: str = VIEW) -> Any:
    territory = readable_territory(request, slug)
    require(request, perm, territory)
    return territory


def _visible_rounds(request: HttpRequest, territory: Any) -> Any:
    rounds = selectors.round_list(territory=territory)
    if not caller(request).has_perm("territories.view_private", territory):
        rounds = rounds.filter(status="closed")
    return rounds


def _round(request: HttpRequest, territory: Any, pk: int) -> AssessmentRound:
    round_: AssessmentRound = get_in(_visible_rounds(request, territory), pk)
    if not caller(request).has_perm("readiness.view_round", round_):
        raise Http404
    return round_


def _score(s: DimensionScore) -> dict[str, Any]:
    return {"n": s.n, "median": s.median, "q1": s.q1, "q3": s.q3, "iqr": s.iqr}


@router.get(f"{T}/models/", response=responses(200, ModelPage))
def model_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Maturity models and their versions; published versions are frozen."""
    territory = _territory(request, slug)
    return paginate(
        selectors.maturity_model_list(territory=territory).order_by("name", "-version"), page
    )


@router.get(f"{T}/models/{ID}/", response=responses(200, MaturityModelDetailOut))
def model_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    """A model version with its dimensions and each level's descriptor."""
    territory = _territory(request, slug)
    return get_in(
        selectors.maturity_model_list(territory=territory).prefetch_related("dimensions"), pk
    )


@router.get(f"{T}/rounds/", response=responses(200, RoundPage))
def round_list(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """Assessment rounds, newest first (closed ones only for the public)."""
    territory = _territory(request, slug)
    return paginate(_visible_rounds(request, territory), page)


@router.get(f"{T}/rounds/{ID}/results/", response=responses(200, RoundResultsOut))
def round_results(request: HttpRequest, slug: str, pk: int) -> Any:
    """Per dimension: median, spread, each sector's view, target, gap and change."""
    territory = _territory(request, slug)
    round_ = _round(request, territory, pk)
    r = selectors.round_results(round_=round_, with_actions=False)
    return {
        "round": selectors.round_list(territory=territory).get(pk=round_.pk),
        "n_levels": round_.model.n_levels,
        "invited": r.invited,
        "submitted": r.submitted,
        "previous_round": r.previous.pk if r.previous else None,
        "most_disagreed": list(r.scores.most_disagreed),
        "gaps": [g.code for g in r.scores.gaps],
        "dimensions": [
            {
                "code": row.dimension.code,
                "name": row.dimension.name,
                "layer": row.dimension.layer,
                "overall": _score(row.result.overall),
                "sectors": [{"sector": s, **_score(v)} for s, v in row.result.by_sector],
                "sector_gap": row.result.sector_gap,
                "target": row.result.target,
                "gap": row.result.gap,
                "previous": row.result.previous,
                "change": row.result.change,
            }
            for row in r.rows
        ],
    }


@router.get(f"{T}/layers/", response=responses(200, LayerBalanceOut))
def layer_balance(request: HttpRequest, slug: str) -> Any:
    """Delivery per layer, the balance index, the interface register and readiness per layer."""
    territory = _territory(request, slug)
    o = selectors.layer_overview(territory=territory)
    show = o.readiness_round is not None and caller(request).has_perm(
        "readiness.view_round", o.readiness_round
    )
    b = o.balance
    return {
        "layers": [
            {
                "layer": lp.layer,
                "delivery": lp.progress,
                "initiatives": lp.initiatives,
                "readiness": d.readiness if show else None,
                "difference": d.difference if show else None,
                "verdict": d.verdict if show else "unknown",
            }
            for lp, d in zip(b.layers, o.divergence, strict=True)
        ],
        "initiatives": b.initiatives,
        "mean_progress": b.mean_progress,
        "balanced_progress": b.balanced_progress,
        "balance_index": b.balance_index,
        "spread": b.spread,
        "lagging": list(b.lagging),
        "readiness_round": o.readiness_round.pk if show and o.readiness_round else None,
        "interfaces": [
            {
                "layers": list(c.interface),
                "opportunities": c.opportunities,
                "risks": c.risks,
                "opportunity_weight": c.opportunity_weight,
                "risk_weight": c.risk_weight,
            }
            for c in o.heatmap.cells
        ],
    }


@router.get(f"{T}/benchmark/", response=responses(200, BenchmarkOut))
def benchmark(request: HttpRequest, slug: str, query: Query[BenchmarkQuery]) -> Any:
    """Percentiles per dimension among peers of the same kind and population band."""
    territory = _territory(request, slug, "readiness.view_benchmark")
    round_ = _round(request, territory, query.round) if query.round is not None else None
    b = selectors.benchmark(territory=territory, round_=round_)
    return {
        "round": b.round.pk if b.round else None,
        "kind": b.kind,
        "population_band": b.band,
        "peers": [
            {
                "label": p.label,
                "named": p.named,
                "external": p.external,
                "round_title": p.round_title,
                "respondents": p.respondents,
            }
            for p in b.peers
        ],
        "dimensions": [
            {
                "code": row.code,
                "name": row.name,
                "median": row.median,
                "position": row.result.own,
                "peers": list(row.result.peers),
                "peer_median": row.result.peer_median,
                "percentile": row.result.percentile,
            }
            for row in b.rows
        ],
    }
