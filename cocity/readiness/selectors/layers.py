"""The layered framework: delivery per layer, the interface register, readiness per layer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

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
from cocity.analytics.maturity import score_round
from cocity.programme.models import Initiative, Layer, LayerProgress
from cocity.readiness.models import AssessmentRound, InterfaceItem
from cocity.readiness.selectors.rounds import latest_round
from cocity.readiness.selectors.scoring import _round_inputs
from cocity.territories.models import Territory


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
