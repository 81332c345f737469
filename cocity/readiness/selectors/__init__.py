"""Reads of readiness, always scoped to one territory; rows become the analytics' inputs here.

Results are computed from the submitted answers on each read: a round has at most a few
hundred answers, scored in microseconds; the selectors fetch them in a fixed number of
queries whatever the size of the round.

One module per domain; the names are re-exported here, so callers write
``selectors.round_results(...)``.
"""

from cocity.readiness.selectors.benchmarking import (
    Benchmark,
    BenchmarkRow,
    Peer,
    band_bounds,
    benchmark,
    peer_territories,
)
from cocity.readiness.selectors.layers import (
    LayerOverview,
    initiative_layer_progress,
    interface_item_get,
    interface_item_list,
    layer_overview,
)
from cocity.readiness.selectors.rounds import (
    answers_of,
    invitation_of,
    invitations_for,
    latest_round,
    maturity_model_get,
    maturity_model_list,
    open_invitations,
    previous_round,
    published_models,
    round_get,
    round_list,
)
from cocity.readiness.selectors.scoring import (
    SECTOR_ORDER,
    DimensionRow,
    HistoryPoint,
    RoundResults,
    round_history,
    round_results,
)

__all__ = [
    "SECTOR_ORDER",
    "Benchmark",
    "BenchmarkRow",
    "DimensionRow",
    "HistoryPoint",
    "LayerOverview",
    "Peer",
    "RoundResults",
    "answers_of",
    "band_bounds",
    "benchmark",
    "initiative_layer_progress",
    "interface_item_get",
    "interface_item_list",
    "invitation_of",
    "invitations_for",
    "latest_round",
    "layer_overview",
    "maturity_model_get",
    "maturity_model_list",
    "open_invitations",
    "peer_territories",
    "previous_round",
    "published_models",
    "round_get",
    "round_history",
    "round_list",
    "round_results",
]
