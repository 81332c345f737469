"""Server-drawn SVG charts: the choropleth map and the Lorenz / concentration curves.

Drawn as markup so that they work without JavaScript and under the Content-Security-Policy:
colours are SVG presentation attributes (``fill="#..."``), not ``style``. Each chart has
``role="img"``, a ``<title>`` and a ``<desc>`` (its accessible name and description), and the
pages put a table with the same numbers beside it. ``standalone=True`` gives a complete SVG
file (namespace, legend drawn inside) for download.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cocity.equity.measures import NO_DATA, LegendEntry

SVG_NS = "http://www.w3.org/2000/svg"
BORDER = "#5f6b7a"
INK = "#1b1f24"
GRID = "#c9d0d9"


def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/></pattern></defs>'
    )


def choropleth_svg(
    *,
    paths: Sequence[str],
    width: float,
    height: float,
    colours: Sequence[str],
    tooltips: Sequence[str],
    title: str,
    desc: str,
    id_prefix: str = "map",
    legend: Sequence[LegendEntry] = (),
    legend_title: str = "",
    standalone: bool = False,
) -> SafeString:
    """One ``<path>`` per area, filled with its class colour; ``<title>`` is the hover text."""
    pattern = f"{id_prefix}-nodata"
    legend_height = (28 + 22 * len(legend)) if standalone and legend else 0
    total_height = height + legend_height
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width:g} {total_height:g}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="equity-map" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        _hatch(pattern),
        f'<g stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for d, colour, tip in zip(paths, colours, tooltips, strict=True):
        fill = f"url(#{pattern})" if colour == NO_DATA else colour
        parts.append(f'<path d="{escape(d)}" fill="{fill}"><title>{escape(tip)}</title></path>')
    parts.append("</g>")
    if legend_height:
        y = height + 20
        parts.append(
            f'<text x="8" y="{y:g}" font-size="14" font-weight="bold" fill="{INK}">'
            f"{escape(legend_title)}</text>"
        )
        for entry in legend:
            y += 22
            fill = f"url(#{pattern})" if entry.klass is None else entry.colour
            parts.append(
                f'<rect x="8" y="{y - 13:g}" width="24" height="16" fill="{fill}" '
                f'stroke="{BORDER}" stroke-width="0.6"/>'
                f'<text x="40" y="{y:g}" font-size="13" fill="{INK}">{escape(entry.label)} '
                f"({entry.count})</text>"
            )
    parts.append("</svg>")
    markup = "".join(parts)
    if standalone:
        markup = '<?xml version="1.0" encoding="UTF-8"?>\n' + markup
    return mark_safe(markup)  # noqa: S308 - every piece of text above is escaped


@dataclass(frozen=True, slots=True)
class Curve:
    label: str
    x: Sequence[float]
    y: Sequence[float]
    colour: str
    dashed: bool = False


def curves_svg(
    *,
    curves: Sequence[Curve],
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    id_prefix: str = "curve",
) -> SafeString:
    """Curves on the unit square (shares, 0-100 %) with the line of equality."""
    size, left, bottom, top, right = 300.0, 56.0, 48.0, 12.0, 16.0
    w, h = left + size + right, top + size + bottom

    def px(x: float, y: float) -> str:
        return f"{left + x * size:.1f},{top + (1 - y) * size:.1f}"

    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {w:g} {h:g}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="equity-curve">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
    ]
    for i in range(5):
        t = i / 4
        parts.append(
            f'<line x1="{left:g}" y1="{top + (1 - t) * size:.1f}" x2="{left + size:g}" '
            f'y2="{top + (1 - t) * size:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6:g}" y="{top + (1 - t) * size + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{INK}">{round(100 * t)}%</text>'
            f'<text x="{left + t * size:.1f}" y="{top + size + 16:g}" font-size="11" '
            f'text-anchor="middle" fill="{INK}">{round(100 * t)}%</text>'
        )
    parts.append(
        f'<rect x="{left:g}" y="{top:g}" width="{size:g}" height="{size:g}" fill="none" '
        f'stroke="{INK}" stroke-width="1"/>'
        f'<line x1="{left:g}" y1="{top + size:g}" x2="{left + size:g}" y2="{top:g}" '
        f'stroke="#7a7a7a" stroke-width="1" stroke-dasharray="2 3"/>'
        f'<text x="{left + size / 2:g}" y="{h - 8:g}" font-size="12" text-anchor="middle" '
        f'fill="{INK}">{escape(x_label)}</text>'
        f'<text transform="translate(14 {top + size / 2:g}) rotate(-90)" font-size="12" '
        f'text-anchor="middle" fill="{INK}">{escape(y_label)}</text>'
    )
    for curve in curves:
        points = " ".join(
            px(x, y)
            for x, y in zip(curve.x, curve.y, strict=True)
            if x is not None and y is not None
        )
        dash = ' stroke-dasharray="7 4"' if curve.dashed else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{curve.colour}" '
            f'stroke-width="2.5"{dash}><title>{escape(curve.label)}</title></polyline>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
