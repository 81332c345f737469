"""Charts of readiness as SVG or PNG files (matplotlib's object API; no pyplot, no GUI).

Each function takes labels and numbers already translated and computed by the selectors and
returns the file's bytes. Pages show a chart as ``<img src=... alt=...>`` beside a table with
the same numbers; the same URLs serve the files for documents. SVG files carry a ``<title>``
and ``<desc>`` so they stay accessible outside the page. Output is deterministic: the same
numbers give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
from matplotlib.figure import Figure

matplotlib.use("Agg")

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
CURRENT, TARGET, PREVIOUS, GREY = "#0072B2", "#D55E00", "#009E73", "#7a7a7a"
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
RC: Any = {  # matplotlib's stubs type the keys as literals; these are all valid
    "svg.hashsalt": "cocity",
    "svg.fonttype": "none",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _nan(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _save(fig: Figure, fmt: str, title: str, desc: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=110, bbox_inches="tight")
    data = buf.getvalue()
    if fmt == "svg":
        data = _titled_svg(data, title, desc)
    return data


def _titled_svg(svg: bytes, title: str, desc: str) -> bytes:
    text = svg.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start) + 1
    head = text[start:end].replace(
        "<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1
    )
    block = (
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>'
    )
    return (text[:start] + head + block + text[end:]).encode("utf-8")


def _legend(ax: Any, **options: Any) -> None:
    """A legend when something is drawn (an empty round draws nothing, and needs none)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**options)


def _figure(width: float, height: float, *, polar: bool = False) -> tuple[Figure, Any]:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def radar_chart(
    *,
    labels: Sequence[str],
    current: Sequence[float | None],
    target: Sequence[float | None],
    previous: Sequence[float | None],
    n_levels: int,
    legend: tuple[str, str, str],
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """Current median, target and last round per dimension on a radar (levels 1..L)."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(7.5, 6.5, polar=True)
        k = max(len(labels), 1)
        angles = np.linspace(0, 2 * math.pi, k, endpoint=False)
        closed = np.concatenate([angles, angles[:1]])
        for values, colour, name, style in (
            (previous, PREVIOUS, legend[2], ":"),
            (target, TARGET, legend[1], "--"),
            (current, CURRENT, legend[0], "-"),
        ):
            v = _nan(values)
            if np.isnan(v).all():
                continue
            ax.plot(closed, np.concatenate([v, v[:1]]), style, color=colour, label=name, lw=2)
            if colour == CURRENT:
                ax.fill(
                    closed,
                    np.nan_to_num(np.concatenate([v, v[:1]]), nan=1.0),
                    color=colour,
                    alpha=0.12,
                )
        ax.set_xticks(angles, list(labels))
        ax.set_ylim(0.5, n_levels + 0.2)
        ax.set_yticks(range(1, n_levels + 1))
        _legend(ax, loc="upper right", bbox_to_anchor=(1.25, 1.12), frameon=False)
        ax.set_title(title, pad=24)
    return _save(fig, fmt, title, desc)


def disagreement_chart(
    *,
    labels: Sequence[str],
    spread: Sequence[float | None],
    sector_gap: Sequence[float | None],
    n_levels: int,
    legend: tuple[str, str],
    xlabel: str,
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """Per dimension: the inter-quartile range and the gap between sectors, in levels."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(7.5, 0.45 * max(len(labels), 3) + 1.5)
        y = np.arange(len(labels))
        ax.barh(y - 0.2, np.nan_to_num(_nan(spread)), height=0.38, color=CURRENT, label=legend[0])
        ax.barh(
            y + 0.2, np.nan_to_num(_nan(sector_gap)), height=0.38, color=TARGET, label=legend[1]
        )
        ax.set_yticks(y, list(labels))
        ax.invert_yaxis()
        ax.set_xlim(0, n_levels - 1)
        ax.set_xlabel(xlabel)
        _legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, frameon=False)
        ax.set_title(title)
    return _save(fig, fmt, title, desc)


def history_chart(
    *,
    rounds: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    n_levels: int,
    ylabel: str,
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """One line per dimension: its median in each round, oldest round first."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(8.5, 5.0)
        x = np.arange(len(rounds))
        markers = "osD^v<>p*h"
        for i, (name, values) in enumerate(series):
            ax.plot(
                x,
                _nan(values),
                marker=markers[i % len(markers)],
                color=SERIES[i % len(SERIES)],
                linestyle="-" if i < len(SERIES) else "--",
                label=name,
            )
        ax.set_xticks(x, list(rounds))
        ax.set_ylim(0.8, n_levels + 0.2)
        ax.set_yticks(range(1, n_levels + 1))
        ax.set_ylabel(ylabel)
        _legend(ax, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=8)
        ax.set_title(title)
    return _save(fig, fmt, title, desc)


def layer_chart(
    *,
    labels: Sequence[str],
    delivery: Sequence[float | None],
    readiness: Sequence[float | None],
    legend: tuple[str, str],
    xlabel: str,
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """Per layer (top layer first): delivery progress and readiness, both 0-100."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(7.5, 4.2)
        y = np.arange(len(labels))
        ax.barh(y - 0.2, np.nan_to_num(_nan(delivery)), height=0.38, color=CURRENT, label=legend[0])
        ax.barh(
            y + 0.2, np.nan_to_num(_nan(readiness)), height=0.38, color=PREVIOUS, label=legend[1]
        )
        ax.set_yticks(y, list(labels))
        ax.set_xlim(0, 100)
        ax.set_xlabel(xlabel)
        _legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, frameon=False)
        ax.set_title(title)
    return _save(fig, fmt, title, desc)


def heatmap_chart(
    *,
    labels: Sequence[str],
    matrix: np.ndarray,
    note: str,
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """The interface register: opportunities (blue) above the diagonal, risks (red) below."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(7.0, 6.0)
        k = len(labels)
        peak = float(np.nanmax(matrix)) if np.isfinite(matrix).any() else 1.0
        peak = max(peak, 1.0)
        upper = np.triu(np.ones((k, k), dtype=bool), 1)
        ax.set_facecolor("#e8e8e8")
        for mask, cmap in ((upper, "Blues"), (upper.T, "Reds")):
            part = np.where(mask, matrix, np.nan)
            ax.imshow(np.ma.masked_invalid(part), cmap=cmap, vmin=-0.15 * peak, vmax=peak)
        for i in range(k):
            for j in range(k):
                if np.isfinite(matrix[i, j]):
                    value = matrix[i, j]
                    colour = "white" if value > 0.6 * peak else "black"
                    ax.text(j, i, f"{value:g}", ha="center", va="center", color=colour)
        ax.set_xticks(range(k), list(labels), rotation=30, ha="right")
        ax.set_yticks(range(k), list(labels))
        ax.set_title(title)
        ax.set_xlabel(note)
    return _save(fig, fmt, title, desc)


def benchmark_chart(
    *,
    labels: Sequence[str],
    own: Sequence[float | None],
    peers: Sequence[Sequence[float | None]],
    legend: tuple[str, str],
    xlabel: str,
    title: str,
    desc: str,
    fmt: str,
) -> bytes:
    """Per dimension: each peer's normalised median as a grey dot, the territory's as a diamond."""
    with matplotlib.rc_context(RC):
        fig, ax = _figure(7.5, 0.45 * max(len(labels), 3) + 1.5)
        y = np.arange(len(labels))
        for i, values in enumerate(peers):
            ax.scatter(
                100 * _nan(values),
                y,
                color=GREY,
                s=28,
                alpha=0.8,
                label=legend[1] if i == 0 else None,
                zorder=2,
            )
        ax.scatter(100 * _nan(own), y, color=TARGET, marker="D", s=60, label=legend[0], zorder=3)
        ax.set_yticks(y, list(labels))
        ax.invert_yaxis()
        ax.set_xlim(-3, 103)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", color="#dddddd")
        _legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, frameon=False)
        ax.set_title(title)
    return _save(fig, fmt, title, desc)
