"""What a page needs to draw a stored result: the map of one measure, the curves, their tables.

Only reading and arranging stored numbers: nothing here computes a measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cocity.equity import measures
from cocity.equity.svg import Curve, choropleth_svg, curves_svg

LORENZ_COLOUR = "#0072B2"
CONCENTRATION_COLOUR = "#D55E00"
INVESTMENT_COLOUR = "#009E73"
CURVE_POINTS = 200
TABLE_STEPS = tuple(i / 10 for i in range(1, 11))


@dataclass(frozen=True, slots=True)
class AreaValue:
    code: str
    name: str
    decile: int | None
    value: float | None
    text: str
    colour: str


@dataclass(frozen=True, slots=True)
class MapView:
    measure: measures.Measure
    svg: SafeString
    legend: list[measures.LegendEntry]
    rows: list[AreaValue]


def map_view(
    payload: dict[str, Any], key: str, *, id_prefix: str = "map", standalone: bool = False
) -> MapView | None:
    """The choropleth of measure ``key`` (None when the result has no such measure)."""
    measure = measures.measure_of(payload, key)
    if measure is None:
        return None
    values = measures.measure_values(payload, key)
    breaks = measures.class_breaks(values)
    classes = measures.classify(values, breaks)
    n_classes = len(breaks) + 1
    colours = [measures.colour_of(k, n_classes) for k in classes]
    areas = payload["areas"]
    texts = [measures.fmt(v, measure.decimals) for v in values]
    tooltips = [
        f"{a['name']} ({a['code']}): {t}" if a["name"] != a["code"] else f"{a['code']}: {t}"
        for a, t in zip(areas, texts, strict=True)
    ]
    legend = measures.legend(values, breaks, measure.decimals)
    known = [v for v in values if v is not None]
    desc = _(
        "Map of %(n)s areas coloured by %(measure)s, from light (low) to dark (high); "
        "values from %(low)s to %(high)s. The table below gives every area's value."
    ) % {
        "n": len(areas),
        "measure": measure.label,
        "low": measures.fmt(min(known), measure.decimals) if known else "—",
        "high": measures.fmt(max(known), measure.decimals) if known else "—",
    }
    svg = choropleth_svg(
        paths=payload["map"]["paths"],
        width=payload["map"]["width"],
        height=payload["map"]["height"],
        colours=colours,
        tooltips=tooltips,
        title=measure.label,
        desc=desc,
        id_prefix=id_prefix,
        legend=legend,
        legend_title=measure.label,
        standalone=standalone,
    )
    rows = [
        AreaValue(a["code"], a["name"], a.get("decile"), v, t, c)
        for a, v, t, c in zip(areas, values, texts, colours, strict=True)
    ]
    rows.sort(key=lambda r: (r.value is None, -(r.value or 0.0), r.code))
    return MapView(measure, svg, legend, rows)


def _sample(
    xs: list[float], ys: list[float], n: int = CURVE_POINTS
) -> tuple[list[float], list[float]]:
    if len(xs) <= n:
        return xs, ys
    grid = np.linspace(0.0, 1.0, n)
    return grid.tolist(), np.interp(grid, xs, ys).tolist()


@dataclass(frozen=True, slots=True)
class CurveRow:
    share: float
    lorenz: float | None
    concentration: float | None
    investment: float | None


@dataclass(frozen=True, slots=True)
class CurvesView:
    svg: SafeString
    rows: list[CurveRow]
    by_people: bool


def _at(curve: dict[str, list[float]] | None, share: float) -> float | None:
    if not curve:
        return None
    xs = [x for x, y in zip(curve["x"], curve["y"], strict=True) if x is not None and y is not None]
    ys = [y for x, y in zip(curve["x"], curve["y"], strict=True) if x is not None and y is not None]
    return float(np.interp(share, xs, ys)) if xs else None


def curves_view(payload: dict[str, Any]) -> CurvesView | None:
    """The Lorenz and concentration curves of the assets (and of investment), with a table."""
    lorenz = payload.get("lorenz") or {}
    has_lorenz = lorenz and all(y is not None for y in lorenz.get("y", []))
    concentration = payload.get("concentration_curve")
    investment = (payload.get("investment") or {}).get("curve")
    if not has_lorenz and not concentration:
        return None
    by_people = bool(payload.get("computed_with", {}).get("population"))
    curves = []
    if has_lorenz:
        x, y = _sample(lorenz["x"], lorenz["y"])
        curves.append(
            Curve(_("Lorenz curve: areas from fewest to most assets"), x, y, LORENZ_COLOUR)
        )
    if concentration:
        x, y = _sample(concentration["x"], concentration["y"])
        curves.append(
            Curve(
                _("Concentration curve: areas from most to least deprived"),
                x,
                y,
                CONCENTRATION_COLOUR,
                dashed=True,
            )
        )
    if investment:
        x, y = _sample(investment["x"], investment["y"])
        curves.append(
            Curve(_("Investment, areas from most to least deprived"), x, y, INVESTMENT_COLOUR)
        )
    x_label = _("Share of residents") if by_people else _("Share of areas")
    svg = curves_svg(
        curves=curves,
        title=_("Lorenz and concentration curves of digital assets"),
        desc=_(
            "The further a curve lies below the diagonal, the more unequal the spread. A "
            "concentration curve below the diagonal means the less deprived areas have more "
            "than their share. The table below gives the curves at every tenth."
        ),
        x_label=x_label,
        y_label=_("Share of assets"),
        id_prefix="curves",
    )
    rows = [
        CurveRow(
            share,
            _at(lorenz, share) if has_lorenz else None,
            _at(concentration, share),
            _at(investment, share),
        )
        for share in TABLE_STEPS
    ]
    return CurvesView(svg, rows, by_people)
