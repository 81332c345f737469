"""API of ecosystem intelligence: the stored analysis of a territory's ecosystem.

Structural results are public data of the territory. Stated trust is named per pair only for
facilitators; everyone else gets aggregates (see :mod:`cocity.network.permissions`). A GET
reads the stored analysis; it never computes one.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from cocity.core.api_support import (
    ApiError,
    PageQuery,
    caller,
    page_of,
    readable_territory,
    require,
    responses,
)
from cocity.core.models import ResultStatus
from cocity.network import results, selectors, services
from cocity.network.models import NetworkResult

router = Router(tags=["ecosystem intelligence"])
T = "{slug:slug}"

Measure = Literal[
    "name", "degree", "strength", "pagerank", "betweenness", "effective_size", "constraint",
    "ei_index", "behavioural_trust_mean", "stated_trust_received",
]  # fmt: skip


class NetworkOut(Schema):
    computed_at: str | None
    data_version: str
    is_current: bool = Field(..., description="False when the data changed after the analysis.")
    computing: bool = Field(..., description="True while a newer analysis is being computed.")
    n_stakeholders: int
    n_ties: int
    density: float | None
    modularity: float | None
    community_sizes: list[int]
    ei_index: float | None = Field(
        None, description="-1: ties only inside sectors; +1: only across."
    )
    isolated: list[int] = Field(..., description="Stakeholder ids with no tie.")
    summary: list[str] = Field(..., description="The ecosystem's health in sentences.")


class StakeholderMeasuresOut(Schema):
    id: int
    name: str
    sector: str | None
    degree: int
    strength: float | None
    pagerank: float | None
    betweenness: float | None
    effective_size: float | None
    constraint: float | None
    ei_index: float | None
    community: int
    behavioural_trust_mean: float | None
    stated_trust_received: float | None = Field(
        None,
        description="Hidden (null) for non-facilitators when fewer than 3 stakeholders rated it.",
    )
    stated_raters: int
    roles: list[str] = Field(..., description="Brokerage roles played clearly more than chance.")
    brokerage: dict[str, float | None]


class MeasureQuery(Schema):
    sort: Measure = Field("betweenness", description="Highest first (name: A to Z).")


class RecommendationOut(Schema):
    a: int
    a_name: str
    b: int
    b_name: str
    score: float
    reason: str
    shared_partners: list[str]
    shared_labels: list[str]


class MixingCellOut(Schema):
    sector: str
    observed: float | None
    expected: float | None
    ratio: float | None


class MixingRowOut(Schema):
    sector: str
    cells: list[MixingCellOut]


class MixingOut(Schema):
    sectors: list[str]
    rows: list[MixingRowOut]
    ei_index: float | None
    ei_index_by_sector: dict[str, float | None]


class SectorTrustOut(Schema):
    rater_sector: str
    ratee_sector: str
    n_pairs: int
    mean: float | None
    n_weak: int
    n_one_sided: int
    n_disagreements: int


class TrustOut(Schema):
    n_behavioural_pairs: int
    n_rated_pairs: int
    reciprocity: float | None
    mean_asymmetry: float | None
    n_weak_stated: int
    n_one_sided: int
    n_disagreements: int
    threshold: float
    by_sector_pair: list[SectorTrustOut]
    weak_behavioural: list[dict[str, Any]]
    weak_stated: list[dict[str, Any]] | None = Field(None, description="Facilitators only.")
    one_sided: list[dict[str, Any]] | None = Field(None, description="Facilitators only.")
    disagreements: list[dict[str, Any]] | None = Field(None, description="Facilitators only.")


class ComputeOut(Schema):
    status: ResultStatus
    progress: int
    data_version: str


StakeholderPage = page_of(StakeholderMeasuresOut, "NetworkStakeholderPage")


def _ready(territory: Any) -> NetworkResult:
    result = selectors.network_result_latest(territory=territory)
    if result is None:
        raise ApiError(404, "no_results", _("There is no ecosystem analysis yet."))
    return result


@router.get(f"{T}/network/", response=responses(200, NetworkOut))
def network_report(request: HttpRequest, slug: str) -> Any:
    """The newest ecosystem analysis: size, cohesion and the health summary in sentences."""
    territory = readable_territory(request, slug)
    state = selectors.network_state(territory=territory)
    if state.result is None:
        raise ApiError(404, "no_results", _("There is no ecosystem analysis yet."))
    payload = state.payload
    network = payload["analysis"]["network"]
    ids = payload["stakeholder_ids"]
    return {
        "computed_at": state.result.finished_at.isoformat() if state.result.finished_at else None,
        "data_version": state.result.data_version,
        "is_current": bool(state.is_current),
        "computing": state.pending is not None,
        "n_stakeholders": payload["analysis"]["n_nodes"],
        "n_ties": payload["analysis"]["n_ties"],
        "density": network["density"],
        "modularity": network["modularity"],
        "community_sizes": network["community_sizes"],
        "ei_index": network["ei_index"],
        "isolated": [ids[i] for i in network["isolated"]],
        "summary": payload["summary"],
    }


@router.get(f"{T}/network/stakeholders/", response=responses(200, StakeholderPage))
def network_stakeholder_list(
    request: HttpRequest, slug: str, order: Query[MeasureQuery], page: Query[PageQuery]
) -> Any:
    """Every stakeholder's measures and brokerage roles, sorted by a measure."""
    territory = readable_territory(request, slug)
    result = _ready(territory)
    trust_pairs = caller(request).has_perm("network.view_trust_pairs", territory)
    rows = results.sort_rows(
        results.stakeholder_rows(result.payload, trust_pairs=trust_pairs),
        order.sort,
        descending=order.sort != "name",
    )
    return {
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": rows[page.offset : page.offset + page.limit],
    }


@router.get(f"{T}/network/recommendations/", response=responses(200, list[RecommendationOut]))
def network_recommendation_list(
    request: HttpRequest, slug: str, stakeholder: int | None = None
) -> Any:
    """Partnerships worth brokering with their reasons (those of one ``stakeholder`` if given)."""
    result = _ready(readable_territory(request, slug))
    node = None
    if stakeholder is not None:
        try:
            node = result.payload["stakeholder_ids"].index(stakeholder)
        except ValueError:
            raise ApiError(
                404, "not_found", _("That stakeholder is not in the analysis.")
            ) from None
    return results.recommendation_rows(result.payload, node=node, limit=100)


@router.get(f"{T}/network/mixing/", response=responses(200, MixingOut))
def network_mixing(request: HttpRequest, slug: str) -> Any:
    """Ties between each pair of helix sectors against those expected by chance."""
    return results.mixing_table(_ready(readable_territory(request, slug)).payload)


@router.get(f"{T}/network/trust/", response=responses(200, TrustOut))
def network_trust(request: HttpRequest, slug: str) -> Any:
    """Trust health; stated trust per named pair for facilitators only, else aggregates."""
    territory = readable_territory(request, slug)
    result = _ready(territory)
    trust_pairs = caller(request).has_perm("network.view_trust_pairs", territory)
    return results.trust_health(result.payload, trust_pairs=trust_pairs)


@router.post(f"{T}/network/compute/", response=responses(202, ComputeOut))
def network_compute(request: HttpRequest, slug: str) -> Any:
    """Ask for an analysis of the current data (editors); answers at once with its status."""
    territory = readable_territory(request, slug)
    require(request, "network.compute_analysis", territory)
    result = services.network_result_request(territory=territory, run="queue")
    return Status(
        202,
        {"status": result.status, "progress": result.progress, "data_version": result.data_version},
    )
