"""The layered framework: interfaces, roll-up, balance index, heatmap and divergence.

Hand-worked balance example (also in docs/readiness.md): layer progress 80, 20, 40, 40, 20.
A = 200 / 5 = 40; G = (80 * 20 * 40 * 40 * 20)^(1/5) = 51,200,000^(1/5) = 34.82...;
B = G / A = 0.8706; the spread is 60 points; analogue leads, sensing and governance lag.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from cocity.analytics.layers import (
    LAYERS,
    LayerInputError,
    interface_heatmap,
    layer_balance,
    layer_divergence,
    layer_interfaces,
    readiness_by_layer,
)

progress_maps = st.lists(
    st.dictionaries(st.sampled_from(LAYERS), st.integers(0, 100), max_size=5), max_size=15
)


def test_layer_interfaces_are_neighbours_and_governance_with_every_layer() -> None:
    assert layer_interfaces() == (
        ("analogue", "sensing"),
        ("sensing", "data"),
        ("data", "platforms"),
        ("platforms", "governance"),
        ("analogue", "governance"),
        ("sensing", "governance"),
        ("data", "governance"),
    )
    assert layer_interfaces(governance=None) == layer_interfaces()[:4]


def test_layer_balance_hand_worked_example() -> None:
    b = layer_balance(
        [
            {"analogue": 80, "sensing": 20, "data": 40},
            {"platforms": 40, "governance": 20},
        ]
    )
    assert [lp.progress for lp in b.layers] == [80, 20, 40, 40, 20]
    assert b.mean_progress == pytest.approx(40.0)
    assert b.balanced_progress == pytest.approx(51_200_000 ** (1 / 5))
    assert b.balanced_progress == pytest.approx(stats.gmean([80, 20, 40, 40, 20]))
    assert b.balance_index == pytest.approx(0.87055, abs=1e-5)
    assert b.spread == 60 and b.lagging == ("sensing", "governance") and b.leading == ("analogue",)
    assert b.initiatives == 2


def test_layer_balance_averages_initiatives_touching_a_layer() -> None:
    b = layer_balance([{"data": 30}, {"data": 90, "sensing": 10}, {}])
    by_layer = {lp.layer: lp for lp in b.layers}
    assert by_layer["data"].progress == 60 and by_layer["data"].initiatives == 2
    # Untouched layers count as no progress, so the balance index is 0 and they lag.
    assert by_layer["governance"].progress == 0 and by_layer["governance"].initiatives == 0
    assert b.balance_index == 0.0 and b.lagging == ("analogue", "platforms", "governance")
    assert b.initiatives == 2


def test_layer_balance_without_initiatives_has_no_measures() -> None:
    b = layer_balance([])
    assert b.balance_index is None and b.mean_progress is None and b.lagging == ()


def test_layer_balance_with_zero_progress_everywhere_is_undefined_not_balanced() -> None:
    b = layer_balance([dict.fromkeys(LAYERS, 0)])
    assert b.mean_progress == 0 and b.balance_index is None and b.lagging == ()


@pytest.mark.parametrize("bad", [{"roads": 10}, {"data": 101}, {"data": -1}, {"data": math.nan}])
def test_layer_balance_rejects_unknown_layers_and_bad_progress(bad: dict[str, float]) -> None:
    with pytest.raises(LayerInputError):
        layer_balance([bad])


@settings(max_examples=200, deadline=None)
@given(progress_maps)
def test_layer_balance_index_in_unit_interval_and_geometric_below_mean(
    initiatives: list[dict[str, int]],
) -> None:
    b = layer_balance(initiatives)
    if b.balance_index is None:
        return
    assert 0.0 <= b.balance_index <= 1.0
    assert b.balanced_progress is not None and b.mean_progress is not None
    assert b.balanced_progress <= b.mean_progress + 1e-9
    for lp in b.layers:
        assert 0 <= lp.progress <= 100


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 100), min_size=5, max_size=5), st.floats(0.01, 1.0))
def test_layer_balance_index_ignores_scale(values: list[int], factor: float) -> None:
    base = layer_balance([dict(zip(LAYERS, values, strict=True))])
    scaled = layer_balance([{k: v * factor for k, v in zip(LAYERS, values, strict=True)}])
    assert base.balance_index is not None and scaled.balance_index is not None
    assert scaled.balance_index == pytest.approx(base.balance_index, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 100))
def test_layer_balance_equal_layers_are_perfectly_balanced(value: int) -> None:
    b = layer_balance([dict.fromkeys(LAYERS, value)])
    assert b.balance_index == pytest.approx(1.0) and b.lagging == () and b.spread == 0


@settings(max_examples=100, deadline=None)
@given(progress_maps, st.randoms(use_true_random=False))
def test_layer_balance_ignores_initiative_order(
    initiatives: list[dict[str, int]], rnd: random.Random
) -> None:
    shuffled = list(initiatives)
    rnd.shuffle(shuffled)
    a, b = layer_balance(initiatives), layer_balance(shuffled)
    assert [lp.initiatives for lp in a.layers] == [lp.initiatives for lp in b.layers]
    for x, y in zip(a.layers, b.layers, strict=True):
        assert x.progress == pytest.approx(y.progress)
    if a.balance_index is not None:
        assert b.balance_index == pytest.approx(a.balance_index)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 100), min_size=5, max_size=5))
def test_layer_balance_raising_the_lagging_layer_never_lowers_balance(values: list[int]) -> None:
    low = int(np.argmin(values))
    assume(values[low] < max(values))
    before = layer_balance([dict(zip(LAYERS, values, strict=True))]).balance_index
    lifted = list(values)
    lifted[low] = min(values[low] + 1, sorted(values)[1])
    after = layer_balance([dict(zip(LAYERS, lifted, strict=True))]).balance_index
    assert before is not None and after is not None and after >= before - 1e-12


def test_interface_heatmap_opportunities_above_risks_below_the_diagonal() -> None:
    heat = interface_heatmap(
        [
            ("sensing", "analogue", "risk", 3),
            ("analogue", "sensing", "opportunity", 2),
            ("data", "governance", "risk", 1),
            ("governance", "data", "risk", 2),
        ]
    )
    m = heat.matrix
    assert m[0, 1] == 2 and m[1, 0] == 3  # analogue-sensing
    assert m[4, 2] == 3 and m[2, 4] == 0  # governance-data: two risks, no opportunity
    assert math.isnan(m[0, 2]) and math.isnan(m[2, 2])  # analogue-data share no interface
    cell = next(c for c in heat.cells if c.interface == ("data", "governance"))
    assert (cell.opportunities, cell.risks, cell.risk_weight) == (0, 2, 3.0)


@pytest.mark.parametrize(
    "item",
    [
        ("analogue", "data", "risk", 1),
        ("analogue", "moon", "risk", 1),
        ("analogue", "sensing", "threat", 1),
        ("analogue", "sensing", "risk", 0),
    ],
)
def test_interface_heatmap_rejects_items_off_the_framework(
    item: tuple[str, str, str, float],
) -> None:
    with pytest.raises(LayerInputError):
        interface_heatmap([item])


def test_readiness_by_layer_averages_mapped_dimensions_only() -> None:
    readiness = readiness_by_layer(
        {"D4": "sensing", "D5": "data", "D5b": "data", "D2": None, "D7": "governance"},
        {"D4": 0.5, "D5": 0.25, "D5b": 0.75, "D2": 1.0, "D7": None},
    )
    assert readiness == {
        "analogue": None,
        "sensing": 50.0,
        "data": 50.0,
        "platforms": None,
        "governance": None,
    }


def test_layer_divergence_names_where_readiness_and_delivery_part() -> None:
    out = layer_divergence(
        {"analogue": 80.0, "sensing": 20.0, "data": 50.0, "platforms": None},
        {"analogue": 30.0, "sensing": 60.0, "data": 40.0, "platforms": 10.0, "governance": 5.0},
    )
    verdicts = {d.layer: d.verdict for d in out}
    assert verdicts == {
        "analogue": "readiness_ahead",
        "sensing": "delivery_ahead",
        "data": "aligned",
        "platforms": "unknown",
        "governance": "unknown",
    }
    assert out[0].difference == 50.0
