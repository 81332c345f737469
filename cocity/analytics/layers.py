"""The layered framework of the digital city: progress per layer, balance, interfaces, divergence.

Layers, from the base up: analogue city systems, sensing & connectivity, data & analytics,
digital platforms, digital governance (:data:`LAYERS`). Value and risk arise at the
interfaces between neighbouring layers, and between governance and every other layer
(:func:`layer_interfaces`).

Progress per layer
    ``p_l`` = the mean progress (0-100 %) of the initiatives that touch layer ``l``. A layer
    that no initiative touches counts as ``p_l = 0``: nothing is being delivered there.

Balance index
    ``B = G / A`` with ``A = (1/k) sum_l p_l`` the arithmetic mean and
    ``G = (prod_l p_l)^(1/k)`` the geometric mean of the ``k`` layers' progress.
    ``B`` lies in ``[0, 1]``: 1 when every layer has progressed equally, lower the more
    uneven, 0 when any layer has no progress while another has some (AM-GM inequality).
    It does not change when every layer's progress is scaled by the same factor, so it
    measures balance, not amount. ``G`` itself ("balanced progress") is the overall progress
    penalised for imbalance. ``B`` is undefined when no layer has any progress.

Readiness against delivery
    A layer's readiness is the mean normalised median (``[0, 1]``, times 100) of the maturity
    dimensions mapped to that layer; dimensions that concern every layer are not counted in
    any one layer. Readiness and delivery diverge when they are :data:`DIVERGENCE_THRESHOLD`
    points or more apart.

Examples
--------
>>> b = layer_balance([{"analogue": 40, "sensing": 40, "data": 40, "platforms": 40,
...                     "governance": 40}])
>>> b.balance_index
1.0
>>> layer_interfaces()[:2]
(('analogue', 'sensing'), ('sensing', 'data'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "DIVERGENCE_THRESHOLD",
    "GOVERNANCE",
    "LAYERS",
    "InterfaceCell",
    "InterfaceHeatmap",
    "LayerBalance",
    "LayerDivergence",
    "LayerInputError",
    "LayerProgress",
    "interface_heatmap",
    "layer_balance",
    "layer_divergence",
    "layer_interfaces",
    "readiness_by_layer",
]

LAYERS: tuple[str, ...] = ("analogue", "sensing", "data", "platforms", "governance")
"""The layers of the digital city from the base up (the codes of ``programme.Layer``)."""
GOVERNANCE = "governance"
DIVERGENCE_THRESHOLD = 25.0
"""Percentage points between readiness and delivery from which a layer is said to diverge."""
OPPORTUNITY = "opportunity"
RISK = "risk"

FloatArray = npt.NDArray[np.float64]


class LayerInputError(ValueError):
    """A layer, an interface or a progress value that the framework does not have."""


def _check_layers(layers: Sequence[str]) -> tuple[str, ...]:
    out = tuple(layers)
    if len(out) < 2 or len(set(out)) != len(out):
        raise LayerInputError("layers: give at least two distinct layers")
    return out


def layer_interfaces(
    layers: Sequence[str] = LAYERS, governance: str | None = GOVERNANCE
) -> tuple[tuple[str, str], ...]:
    """The interfaces of the framework: neighbouring layers, then governance with every layer.

    Each interface is a pair ``(lower, upper)`` in the order of ``layers``. With the five
    layers there are seven: four between neighbours and three more between governance and
    the layers it does not touch as a neighbour.

    Parameters
    ----------
    layers : sequence of str
        The layers from the base up.
    governance : str or None
        The layer that interfaces with every other layer; ``None`` for neighbours only.
    """
    order = _check_layers(layers)
    pairs = [(order[i], order[i + 1]) for i in range(len(order) - 1)]
    if governance is not None:
        if governance not in order:
            raise LayerInputError(f"governance: {governance!r} is not one of the layers")
        g = order.index(governance)
        for i, other in enumerate(order):
            pair = (other, governance) if i < g else (governance, other)
            if other != governance and pair not in pairs:
                pairs.append(pair)
    return tuple(pairs)


def interface_key(a: str, b: str, layers: Sequence[str] = LAYERS) -> tuple[str, str]:
    """``(a, b)`` in the order of ``layers``, checked to be an interface of the framework."""
    order = _check_layers(layers)
    if a not in order or b not in order:
        raise LayerInputError(f"unknown layer in interface {a!r}-{b!r}")
    pair = (a, b) if order.index(a) < order.index(b) else (b, a)
    if pair not in layer_interfaces(order):
        raise LayerInputError(f"{a!r} and {b!r} do not share an interface")
    return pair


@dataclass(frozen=True, slots=True)
class LayerProgress:
    """One layer's progress across the territory's initiatives.

    Attributes
    ----------
    layer : str
    progress : float
        Mean progress (0-100 %) of the initiatives touching the layer; 0 when none does.
    initiatives : int
        How many initiatives touch the layer.
    """

    layer: str
    progress: float
    initiatives: int


@dataclass(frozen=True, slots=True)
class LayerBalance:
    """The territory's progress per layer and how balanced it is.

    Attributes
    ----------
    layers : tuple of LayerProgress
        In the order of the framework's layers.
    initiatives : int
        Initiatives that touch at least one layer.
    mean_progress : float or None
        ``A``, the arithmetic mean of the layers' progress (0-100).
    balanced_progress : float or None
        ``G``, the geometric mean: progress penalised for imbalance (0-100).
    balance_index : float or None
        ``B = G / A`` in ``[0, 1]``; ``None`` when ``A = 0``.
    spread : float or None
        Highest minus lowest layer progress, in percentage points.
    lagging : tuple of str
        The layer(s) with the lowest progress, when the layers are not all equal.
    leading : tuple of str
        The layer(s) with the highest progress, when the layers are not all equal.
    """

    layers: tuple[LayerProgress, ...]
    initiatives: int
    mean_progress: float | None
    balanced_progress: float | None
    balance_index: float | None
    spread: float | None
    lagging: tuple[str, ...]
    leading: tuple[str, ...]


def _check_progress(value: float, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise LayerInputError(f"{where}: expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or not 0.0 <= number <= 100.0:
        raise LayerInputError(f"{where}: progress lies in 0..100, got {value!r}")
    return number


def layer_balance(
    initiatives: Iterable[Mapping[str, float]], *, layers: Sequence[str] = LAYERS
) -> LayerBalance:
    """Roll up the initiatives' progress per layer to the territory and measure its balance.

    Parameters
    ----------
    initiatives : iterable of mapping of layer to progress
        One mapping per initiative: the layers it touches with its progress there (0-100).
        An empty mapping (an initiative touching no layer) is ignored.
    layers : sequence of str
        The framework's layers, from the base up.

    Returns
    -------
    LayerBalance
        With ``None`` measures when no initiative touches any layer.

    Raises
    ------
    LayerInputError
        An unknown layer, or progress outside 0..100.
    """
    order = _check_layers(layers)
    sums = dict.fromkeys(order, 0.0)
    counts = dict.fromkeys(order, 0)
    n = 0
    for i, progress in enumerate(initiatives):
        if not progress:
            continue
        n += 1
        for layer, value in progress.items():
            if layer not in sums:
                raise LayerInputError(f"initiative {i + 1}: unknown layer {layer!r}")
            sums[layer] += _check_progress(value, f"initiative {i + 1}, {layer}")
            counts[layer] += 1
    per_layer = tuple(
        LayerProgress(layer, sums[layer] / counts[layer] if counts[layer] else 0.0, counts[layer])
        for layer in order
    )
    if n == 0:
        return LayerBalance(per_layer, 0, None, None, None, None, (), ())
    values = np.array([lp.progress for lp in per_layer], dtype=np.float64)
    mean = float(values.mean())
    geometric = 0.0 if (values <= 0).any() else float(np.exp(np.log(values).mean()))
    # Rounding can lift G a hair above A when all layers are equal; B never exceeds 1.
    index = None if mean <= 0 else min(1.0, geometric / mean)
    low, high = float(values.min()), float(values.max())
    lagging = tuple(lp.layer for lp in per_layer if lp.progress == low) if high > low else ()
    leading = tuple(lp.layer for lp in per_layer if lp.progress == high) if high > low else ()
    return LayerBalance(
        layers=per_layer,
        initiatives=n,
        mean_progress=mean,
        balanced_progress=min(geometric, mean),
        balance_index=index,
        spread=high - low,
        lagging=lagging,
        leading=leading,
    )


@dataclass(frozen=True, slots=True)
class InterfaceCell:
    """The register's items at one interface.

    Attributes
    ----------
    interface : tuple of (str, str)
    opportunities, risks : int
        How many items of each kind.
    opportunity_weight, risk_weight : float
        The sums of the items' significance (1 = low, 2 = medium, 3 = high).
    """

    interface: tuple[str, str]
    opportunities: int
    risks: int
    opportunity_weight: float
    risk_weight: float


@dataclass(frozen=True, slots=True, eq=False)
class InterfaceHeatmap:
    """The interface register as a layer-by-layer matrix.

    Attributes
    ----------
    layers : tuple of str
    cells : tuple of InterfaceCell
        One per interface, in the order of :func:`layer_interfaces`.
    matrix : ndarray of float64, shape (k, k)
        Above the diagonal (row lower than column): the opportunities' weight; below: the
        risks' weight; NaN where two layers share no interface and on the diagonal.
    """

    layers: tuple[str, ...]
    cells: tuple[InterfaceCell, ...]
    matrix: FloatArray


def interface_heatmap(
    items: Iterable[tuple[str, str, str, float]], *, layers: Sequence[str] = LAYERS
) -> InterfaceHeatmap:
    """Count and weigh the register's opportunities and risks at each interface.

    Parameters
    ----------
    items : iterable of (layer_a, layer_b, kind, significance)
        ``kind`` is ``"opportunity"`` or ``"risk"``; ``significance`` a positive weight.
    layers : sequence of str

    Returns
    -------
    InterfaceHeatmap
    """
    order = _check_layers(layers)
    interfaces = layer_interfaces(order)
    totals = {pair: [0, 0, 0.0, 0.0] for pair in interfaces}
    for i, (a, b, kind, significance) in enumerate(items):
        pair = interface_key(a, b, order)
        if kind not in (OPPORTUNITY, RISK):
            raise LayerInputError(f"item {i + 1}: kind must be 'opportunity' or 'risk'")
        weight = float(significance)
        if not math.isfinite(weight) or weight <= 0:
            raise LayerInputError(f"item {i + 1}: significance must be positive")
        slot = 0 if kind == OPPORTUNITY else 1
        totals[pair][slot] += 1
        totals[pair][slot + 2] += weight
    k = len(order)
    matrix = np.full((k, k), np.nan)
    cells = []
    for pair in interfaces:
        n_opp, n_risk, w_opp, w_risk = totals[pair]
        i, j = order.index(pair[0]), order.index(pair[1])
        matrix[i, j] = w_opp
        matrix[j, i] = w_risk
        cells.append(InterfaceCell(pair, int(n_opp), int(n_risk), float(w_opp), float(w_risk)))
    return InterfaceHeatmap(order, tuple(cells), matrix)


def readiness_by_layer(
    dimension_layers: Mapping[str, str | None],
    normalised_medians: Mapping[str, float | None],
    *,
    layers: Sequence[str] = LAYERS,
) -> dict[str, float | None]:
    """Readiness per layer (0-100): the mean normalised median of the dimensions mapped to it.

    Parameters
    ----------
    dimension_layers : mapping of dimension code to layer or None
        ``None`` (or ``""``) for a dimension that concerns every layer; such dimensions are
        not counted in any single layer.
    normalised_medians : mapping of dimension code to float in [0, 1] or None
    layers : sequence of str

    Returns
    -------
    dict of layer to float or None
        ``None`` for a layer no assessed dimension maps to.
    """
    order = _check_layers(layers)
    found: dict[str, list[float]] = {layer: [] for layer in order}
    for code, layer in dimension_layers.items():
        if not layer:
            continue
        if layer not in found:
            raise LayerInputError(f"dimension {code!r}: unknown layer {layer!r}")
        value = normalised_medians.get(code)
        if value is None:
            continue
        if not math.isfinite(value) or not 0.0 <= value <= 1.0:
            raise LayerInputError(f"dimension {code!r}: normalised median must be in [0, 1]")
        found[layer].append(100.0 * value)
    return {layer: (sum(v) / len(v) if v else None) for layer, v in found.items()}


@dataclass(frozen=True, slots=True)
class LayerDivergence:
    """Readiness against delivery in one layer.

    Attributes
    ----------
    layer : str
    readiness : float or None
        0-100, see :func:`readiness_by_layer`.
    delivery : float or None
        The layer's progress, 0-100.
    difference : float or None
        ``readiness - delivery`` in percentage points.
    verdict : str
        ``"readiness_ahead"`` or ``"delivery_ahead"`` when ``|difference| >= threshold``,
        ``"aligned"`` otherwise, ``"unknown"`` when either side is missing.
    """

    layer: str
    readiness: float | None
    delivery: float | None
    difference: float | None
    verdict: str


def layer_divergence(
    readiness: Mapping[str, float | None],
    delivery: Mapping[str, float | None],
    *,
    layers: Sequence[str] = LAYERS,
    threshold: float = DIVERGENCE_THRESHOLD,
) -> tuple[LayerDivergence, ...]:
    """Where readiness (maturity) and delivery (initiatives' progress) diverge, layer by layer."""
    order = _check_layers(layers)
    out = []
    for layer in order:
        r, d = readiness.get(layer), delivery.get(layer)
        if r is None or d is None:
            out.append(LayerDivergence(layer, r, d, None, "unknown"))
            continue
        diff = float(r) - float(d)
        if diff >= threshold:
            verdict = "readiness_ahead"
        elif diff <= -threshold:
            verdict = "delivery_ahead"
        else:
            verdict = "aligned"
        out.append(LayerDivergence(layer, float(r), float(d), diff, verdict))
    return tuple(out)
