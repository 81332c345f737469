"""Tie weights: how much a partnership, or a record of joint work, ties two stakeholders.

The weights feed :func:`~cocity.analytics.network.graph.build_network`; formulas and the
reasoning behind the tables are in docs/analytics/network.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cocity.analytics.network.graph import (
    JointWork,
    NetworkInputError,
    _floats,
    weighted_bincount,
)

PARTNERSHIP_FORM_WEIGHT: dict[str, float] = {
    "joint_venture": 1.0,
    "merger_acquisition": 1.0,
    "public_private_partnership": 0.9,
    "research_cooperation": 0.8,
    "technical_cooperation": 0.7,
    "reciprocal_production": 0.7,
    "subcontracting": 0.6,
    "manufacturing_agreement": 0.6,
    "technical_assistance": 0.5,
    "licensing": 0.4,
    "franchise": 0.4,
    "other": 0.5,
}
"""How much commitment each partnership form implies (1 = shared ownership and risk)."""

PARTNERSHIP_STATUS_WEIGHT: dict[str, float] = {
    "exploring": 0.25,
    "agreed": 0.6,
    "active": 1.0,
    "completed": 0.8,
    "lapsed": 0.3,
}
"""How much of the form's weight a partnership carries in each status."""


def partnership_tie_weights(
    form: Sequence[str],
    status: Sequence[str],
    start_year: ArrayLike,
    end_year: ArrayLike,
    *,
    as_of_year: float,
    half_life_years: float = 3.0,
) -> NDArray[np.float64]:
    r"""Weight of each partnership as a tie, as it stood in ``as_of_year``.

    .. math:: w = f_{\text{form}} \cdot s_{\text{status}} \cdot 2^{-\max(0, y - e)/h}

    where :math:`f` is :data:`PARTNERSHIP_FORM_WEIGHT` (commitment implied by the form),
    :math:`s` is :data:`PARTNERSHIP_STATUS_WEIGHT`, :math:`y` the as-of year, :math:`e`
    the end year (no decay while running) and :math:`h` the half-life in years. A
    partnership that starts after ``as_of_year`` weighs 0 (it did not exist yet).

    Parameters
    ----------
    form, status : sequence of str
        Keys of :data:`PARTNERSHIP_FORM_WEIGHT` / :data:`PARTNERSHIP_STATUS_WEIGHT`
        (case-insensitive; spaces and hyphens read as underscores).
    start_year, end_year : array_like of float
        Decimal years; NaN when unknown (start) or still running (end).
    as_of_year : float
        The year the weights describe.
    half_life_years : float
        Years after its end for an ended partnership's weight to halve (default 3).

    Returns
    -------
    ndarray of float64
        Weights in [0, 1]. Drop zero weights before :func:`build_network`.
    """
    if not half_life_years > 0:
        raise NetworkInputError(f"half_life_years must be > 0, got {half_life_years}")
    m = len(form)
    if len(status) != m:
        raise NetworkInputError(f"form has {m} entries but status has {len(status)}")
    start = _floats(start_year, m, "start_year", np.nan)
    end = _floats(end_year, m, "end_year", np.nan)
    form_w = np.array(
        [_lookup(PARTNERSHIP_FORM_WEIGHT, value, "form", i) for i, value in enumerate(form)]
    )
    status_w = np.array(
        [_lookup(PARTNERSHIP_STATUS_WEIGHT, value, "status", i) for i, value in enumerate(status)]
    )
    age = np.where(np.isnan(end), 0.0, np.maximum(0.0, as_of_year - end))
    weight = form_w.reshape(m) * status_w.reshape(m) * np.exp2(-age / half_life_years)
    not_yet = ~np.isnan(start) & (start > as_of_year)
    weight[not_yet] = 0.0
    return np.asarray(weight, dtype=np.float64)


def _lookup(table: dict[str, float], value: str, what: str, position: int) -> float:
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_").replace("&", "")
    key = key.replace("__", "_")
    if key not in table:
        raise NetworkInputError(
            f"{what} {value!r} at position {position} is not one of {', '.join(table)}"
        )
    return table[key]


def joint_work_ties(
    work: JointWork,
    *,
    as_of_year: float,
    half_life_years: float = 2.0,
    weight_per_event: float = 0.25,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64], NDArray[np.float64]]:
    r"""Ties implied by joint work up to ``as_of_year``, one per pair.

    Each event before ``as_of_year`` adds :math:`\omega \, 2^{-(y - t)/h}` to its pair's
    weight (:math:`\omega` = ``weight_per_event``), whatever its outcome: negative joint
    work is still a working relation (its effect on trust is in
    :func:`~cocity.analytics.network.trust.behavioural_trust`).

    Returns
    -------
    src, dst, weight, start_year : ndarrays
        One tie per pair (``src < dst``), starting at the pair's first event. Append them
        to the partnership ties before :func:`build_network`; duplicates merge by sum.
    """
    if not half_life_years > 0:
        raise NetworkInputError(f"half_life_years must be > 0, got {half_life_years}")
    past = (work.time <= as_of_year) & (work.a != work.b)
    a = np.minimum(work.a[past], work.b[past]).astype(np.int64)
    b = np.maximum(work.a[past], work.b[past]).astype(np.int64)
    if a.size == 0:
        empty_i = np.zeros(0, dtype=np.int32)
        return empty_i, empty_i.copy(), np.zeros(0), np.zeros(0)
    n = int(max(a.max(), b.max())) + 1
    key = a * n + b
    unique_key, inverse = np.unique(key, return_inverse=True)
    decayed = weight_per_event * np.exp2(-(as_of_year - work.time[past]) / half_life_years)
    weight = weighted_bincount(inverse, weights=decayed, minlength=unique_key.size)
    first = np.full(unique_key.size, np.inf)
    np.minimum.at(first, inverse, work.time[past])
    return (
        (unique_key // n).astype(np.int32),
        (unique_key % n).astype(np.int32),
        weight,
        first,
    )
