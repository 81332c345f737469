"""Chart files (SVG or PNG) of the readiness pages; the pages show the same numbers as tables.

Permissions are those of the page each chart belongs to. ``?download=1`` serves the file as
an attachment, for documents.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.analytics.layers import LAYERS
from cocity.core.tenancy import territory_view
from cocity.programme.models import Layer
from cocity.readiness import selectors
from cocity.readiness.models import AssessmentRound
from cocity.readiness.views.pages import VIEW, _round
from cocity.territories.models import Territory

ROUND_CHARTS = ("radar", "disagreement", "history")
LAYER_CHARTS = ("balance", "heatmap")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _file(request: HttpRequest, data: bytes, fmt: str, name: str) -> HttpResponse:
    from cocity.readiness.charts import FORMATS

    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "chart"}.{fmt}"'
    return response


def _check(kind: str, kinds: tuple[str, ...], fmt: str) -> None:
    if kind not in kinds or fmt not in ("svg", "png"):
        raise Http404


def _radar(round_: AssessmentRound, fmt: str) -> bytes:
    from cocity.readiness import charts

    r = selectors.round_results(round_=round_, with_actions=False)
    res = [row.result for row in r.rows]
    desc = "; ".join(
        _("%(code)s median %(m)s, target %(t)s, last round %(p)s")
        % {"code": x.code, "m": _fmt(x.overall.median), "t": _fmt(x.target), "p": _fmt(x.previous)}
        for x in res
    )
    return charts.radar_chart(
        labels=[x.code for x in res],
        current=[x.overall.median for x in res],
        target=[None if x.target is None else float(x.target) for x in res],
        previous=[x.previous for x in res],
        n_levels=round_.model.n_levels,
        legend=(_("Current median"), _("Target"), _("Last round")),
        title=_("Readiness per dimension: %(round)s") % {"round": round_.title},
        desc=desc,
        fmt=fmt,
    )


def _disagreement(round_: AssessmentRound, fmt: str) -> bytes:
    from cocity.readiness import charts

    r = selectors.round_results(round_=round_, with_actions=False)
    desc = "; ".join(
        _("%(code)s spread %(iqr)s, sectors apart %(gap)s")
        % {
            "code": row.dimension.code,
            "iqr": _fmt(row.result.overall.iqr),
            "gap": _fmt(row.result.sector_gap),
        }
        for row in r.rows
    )
    return charts.disagreement_chart(
        labels=[f"{row.dimension.code} {row.dimension.name}"[:40] for row in r.rows],
        spread=[row.result.overall.iqr for row in r.rows],
        sector_gap=[row.result.sector_gap for row in r.rows],
        n_levels=round_.model.n_levels,
        legend=(_("Spread (inter-quartile range)"), _("Gap between sector medians")),
        xlabel=_("Levels"),
        title=_("Where respondents disagree: %(round)s") % {"round": round_.title},
        desc=desc,
        fmt=fmt,
    )


def _history(round_: AssessmentRound, fmt: str) -> bytes:
    from cocity.readiness import charts

    points = selectors.round_history(round_=round_)
    codes = list(points[-1].medians) if points else []
    desc = "; ".join(
        f"{p.round.title}: " + ", ".join(f"{c} {_fmt(p.medians.get(c))}" for c in codes)
        for p in points
    )
    return charts.history_chart(
        rounds=[p.round.title[:18] for p in points],
        series=[(c, [p.medians.get(c) for p in points]) for c in codes],
        n_levels=round_.model.n_levels,
        ylabel=_("Median level"),
        title=_("Readiness over the rounds"),
        desc=desc,
        fmt=fmt,
    )


ROUND_BUILDERS: dict[str, Callable[[AssessmentRound, str], bytes]] = {
    "radar": _radar,
    "disagreement": _disagreement,
    "history": _history,
}


@territory_view(VIEW)
def round_chart(
    request: HttpRequest, territory: Territory, pk: int, kind: str, fmt: str
) -> HttpResponse:
    _check(kind, ROUND_CHARTS, fmt)
    round_ = _round(request, territory, pk)
    return _file(request, ROUND_BUILDERS[kind](round_, fmt), fmt, f"{round_.title}-{kind}")


@territory_view(VIEW)
def layer_chart(request: HttpRequest, territory: Territory, kind: str, fmt: str) -> HttpResponse:
    from cocity.readiness import charts

    _check(kind, LAYER_CHARTS, fmt)
    overview = selectors.layer_overview(territory=territory)
    labels = [str(Layer(code).label) for code in LAYERS]
    if kind == "balance":
        show = overview.readiness_round is not None and request.user.has_perm(
            "readiness.view_round", overview.readiness_round
        )
        delivery = [lp.progress if lp.initiatives else None for lp in overview.balance.layers]
        readiness = [d.readiness if show else None for d in overview.divergence]
        desc = "; ".join(
            _("%(layer)s: delivery %(d)s %%, readiness %(r)s %%")
            % {"layer": label, "d": _fmt(d, 0), "r": _fmt(r, 0)}
            for label, d, r in zip(labels, delivery, readiness, strict=True)
        )
        data = charts.layer_chart(
            labels=labels,
            delivery=delivery,
            readiness=readiness,
            legend=(_("Delivery: initiatives' progress"), _("Readiness: maturity")),
            xlabel=_("Per cent"),
            title=_("Delivery and readiness per layer"),
            desc=desc,
            fmt=fmt,
        )
    else:
        desc = "; ".join(
            _("%(a)s and %(b)s: %(o)s opportunities (weight %(ow)s), %(r)s risks (weight %(rw)s)")
            % {
                "a": Layer(c.interface[0]).label,
                "b": Layer(c.interface[1]).label,
                "o": c.opportunities,
                "ow": _fmt(c.opportunity_weight),
                "r": c.risks,
                "rw": _fmt(c.risk_weight),
            }
            for c in overview.heatmap.cells
        )
        data = charts.heatmap_chart(
            labels=labels,
            matrix=overview.heatmap.matrix,
            note=_(
                "Above the diagonal: opportunities (blue); below: risks (red); "
                "weighted by significance"
            ),
            title=_("Opportunities and risks at the interfaces between layers"),
            desc=desc,
            fmt=fmt,
        )
    return _file(request, data, fmt, f"{territory.slug}-layers-{kind}")


@territory_view("readiness.view_benchmark")
def benchmark_chart(request: HttpRequest, territory: Territory, fmt: str) -> HttpResponse:
    from cocity.readiness import charts

    _check("benchmark", ("benchmark",), fmt)
    round_ = None
    if request.GET.get("round", "").isdigit():
        round_ = _round(request, territory, int(request.GET["round"]))
    b = selectors.benchmark(territory=territory, round_=round_)
    desc = "; ".join(
        _("%(code)s: %(own)s %% of the scale, peers' median %(peer)s %%, percentile %(p)s")
        % {
            "code": row.code,
            "own": _fmt(None if row.result.own is None else 100 * row.result.own, 0),
            "peer": _fmt(
                None if row.result.peer_median is None else 100 * row.result.peer_median, 0
            ),
            "p": _fmt(row.result.percentile, 0),
        }
        for row in b.rows
    )
    data = charts.benchmark_chart(
        labels=[f"{row.code} {row.name}"[:40] for row in b.rows],
        own=[row.result.own for row in b.rows],
        peers=[[p.scores.get(row.code) for row in b.rows] for p in b.peers],
        legend=(territory.name, _("Peers")),
        xlabel=_("Position on the model's scale (0 = first level, 100 = top level)"),
        title=_("%(name)s compared with its peers") % {"name": territory.name},
        desc=desc,
        fmt=fmt,
    )
    return _file(request, data, fmt, f"{territory.slug}-benchmark")
