"""The per-area measures a map or table can show, read from a stored result, and their classes.

A measure is a key (``"per_1000"``, ``"type:ev_charger"``, ``"ind:median_income"``...) with a
translated label; its values come from the stored per-area figures. Maps colour the values in
up to five classes with quantile breaks (equal numbers of areas per class where the values
allow; equal values never straddle two classes).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cocity.equity.models import asset_kind_label

N_CLASSES = 5
# ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, light = low.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#d9d9d9"


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str
    decimals: int


def measure_choices(payload: dict[str, Any]) -> list[Measure]:
    """Every measure the stored result holds, most useful first."""
    if not payload:
        return []
    used = payload.get("computed_with", {})
    currency = used.get("currency", "")
    choices: list[Measure] = []
    if used.get("population"):
        choices.append(Measure("per_1000", _("Assets per 1,000 residents"), 2))
    choices += [
        Measure("assets", _("Assets (every type)"), 0),
        Measure("density", _("Assets per km²"), 2),
    ]
    for summary in payload.get("types", []):
        name = summary["name"]
        choices.append(
            Measure(f"type:{name}", _("%(type)s (number)") % {"type": asset_kind_label(name)}, 0)
        )
    choices.append(
        Measure("investment", _("Investment (%(currency)s)") % {"currency": currency}, 0)
    )
    if used.get("population"):
        choices.append(
            Measure(
                "investment_per_person",
                _("Investment per resident (%(currency)s)") % {"currency": currency},
                2,
            )
        )
    choices += [
        Measure("decile", _("Deprivation decile (1 = most deprived)"), 0),
        Measure("population", _("Population"), 0),
    ]
    attributes: list[str] = []
    indicators: list[str] = []
    for area in payload.get("areas", []):
        attributes.extend(k for k in area.get("attributes", {}) if k not in attributes)
        indicators.extend(k for k in area.get("indicators", {}) if k not in indicators)
    choices += [
        Measure(f"attr:{name}", _("Mean %(attribute)s of the assets") % {"attribute": name}, 2)
        for name in attributes
    ]
    choices += [Measure(f"ind:{name}", name, 2) for name in indicators]
    return choices


def measure_of(payload: dict[str, Any], key: str) -> Measure | None:
    return next((m for m in measure_choices(payload) if m.key == key), None)


def default_measure(payload: dict[str, Any]) -> str:
    return "per_1000" if payload.get("computed_with", {}).get("population") else "assets"


def measure_values(payload: dict[str, Any], key: str) -> list[float | None]:
    """The value of measure ``key`` for each stored area (None where it has none)."""
    kind, _sep, name = key.partition(":")

    def value(area: dict[str, Any]) -> Any:
        if kind == "assets":
            return area.get("count")
        if kind == "type":
            return area.get("by_type", {}).get(name, 0.0)
        if kind == "attr":
            return area.get("attributes", {}).get(name)
        if kind == "ind":
            return area.get("indicators", {}).get(name)
        return area.get(key)

    out: list[float | None] = []
    for area in payload.get("areas", []):
        v = value(area)
        out.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
    return out


def class_breaks(values: Sequence[float | None], k: int = N_CLASSES) -> list[float]:
    """Upper bounds of the first ``k - 1`` classes (quantiles of the known values, distinct)."""
    known = np.array([v for v in values if v is not None], dtype=np.float64)
    if known.size == 0:
        return []
    quantiles = np.quantile(known, [i / k for i in range(1, k)], method="inverted_cdf")
    return sorted({float(q) for q in quantiles if q < known.max()})


def classify(values: Sequence[float | None], breaks: Sequence[float]) -> list[int | None]:
    """The class of each value: 0 up to the first break (included), then one per break."""
    return [None if v is None else bisect.bisect_left(breaks, v) for v in values]


def colour_of(klass: int | None, n_classes: int) -> str:
    if klass is None:
        return NO_DATA
    # Spread fewer classes over the whole palette, so two classes are light and dark.
    if n_classes <= 1:
        return PALETTE[2]
    position = round(klass * (len(PALETTE) - 1) / (n_classes - 1))
    return PALETTE[position]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    colour: str
    label: str
    count: int
    klass: int | None


def fmt(value: float | None, decimals: int) -> str:
    if value is None:
        return "—"
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def legend(
    values: Sequence[float | None], breaks: Sequence[float], decimals: int
) -> list[LegendEntry]:
    classes = classify(values, breaks)
    known = [v for v in values if v is not None]
    n_classes = len(breaks) + 1
    entries = []
    if known:
        low, high = min(known), max(known)
        bounds = [low, *breaks, high]
        for k in range(n_classes):
            lo, hi = bounds[k], bounds[k + 1]
            if k == 0:
                label = (
                    fmt(lo, decimals)
                    if lo == hi
                    else f"{fmt(lo, decimals)} \N{EN DASH} {fmt(hi, decimals)}"
                )
            else:
                label = _("over %(low)s to %(high)s") % {
                    "low": fmt(lo, decimals),
                    "high": fmt(hi, decimals),
                }
            entries.append(LegendEntry(colour_of(k, n_classes), label, classes.count(k), k))
    missing = classes.count(None)
    if missing:
        entries.append(LegendEntry(NO_DATA, _("no value"), missing, None))
    return entries
