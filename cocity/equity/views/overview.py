"""The findings and map of equity, and the curves of inequality."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocity.core.tenancy import territory_view
from cocity.equity import charts, selectors
from cocity.equity.findings import direction_text, findings_for, gradient_of, notes_for
from cocity.equity.forms import MeasureForm
from cocity.equity.measures import default_measure, measure_choices
from cocity.equity.models import asset_kind_label
from cocity.equity.views.page_context import VIEW, _context
from cocity.territories.models import Territory


def _type_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for summary in payload.get("types", []):
        gradient = gradient_of(summary.get("concentration"))
        rows.append(
            {
                **summary,
                "label": asset_kind_label(summary["name"]),
                "gradient": gradient,
                "direction": direction_text(gradient),
            }
        )
    return rows


def _most_deprived_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    summary = payload.get("summary") or {}
    by_code = {a["code"]: a for a in payload.get("areas", [])}
    return [by_code[c] for c in summary.get("most_deprived", []) if c in by_code]


@require_GET
@territory_view(VIEW)
def index(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    payload = state.payload
    choices = [(m.key, m.label) for m in measure_choices(payload)]
    form = MeasureForm(request.GET or None, choices=choices)
    key = default_measure(payload)
    if form.is_bound and form.is_valid() and form.cleaned_data["measure"]:
        key = form.cleaned_data["measure"]
    elif not form.is_bound:
        form = MeasureForm(initial={"measure": key}, choices=choices)
    context = _context(
        request,
        territory,
        "overview",
        state=state,
        form=form,
        measure_key=key,
        map=charts.map_view(payload, key) if payload else None,
        findings=findings_for(payload),
        notes=notes_for(payload),
        most_deprived=_most_deprived_rows(payload),
        types=_type_rows(payload),
        concentration=gradient_of((payload.get("summary") or {}).get("concentration")),
    )
    return render(request, "equity/index.html", context, status=400 if form.errors else 200)


@require_GET
@territory_view(VIEW)
def map_svg(request: HttpRequest, territory: Territory) -> HttpResponse:
    """The map of one measure as an SVG file (with its legend drawn in)."""
    payload = selectors.equity_state(territory=territory).payload
    if not payload:
        raise Http404
    view = charts.map_view(
        payload, request.GET.get("measure") or default_measure(payload), standalone=True
    )
    if view is None:
        raise Http404
    response = HttpResponse(view.svg.encode(), content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{territory.slug}-equity-map.svg"'
    return response


@require_GET
@territory_view(VIEW)
def curves(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    payload = state.payload
    investment = payload.get("investment") or {}
    indicators = [
        {
            **i,
            "gradient": gradient_of(i.get("concentration")),
            "direction": direction_text(gradient_of(i.get("concentration"))),
        }
        for i in payload.get("indicators", [])
    ]
    deciles = payload.get("deciles", [])
    total_assets = sum(d["assets"] for d in deciles) or None
    total_money = sum(d["investment"] for d in deciles) or None
    decile_rows = [
        {
            **d,
            "asset_share": d["assets"] / total_assets if total_assets else None,
            "investment_share": d["investment"] / total_money if total_money else None,
        }
        for d in deciles
    ]
    context = _context(
        request,
        territory,
        "curves",
        state=state,
        curves=charts.curves_view(payload) if payload else None,
        types=_type_rows(payload),
        indicators=indicators,
        deciles=decile_rows,
        investment=investment,
        investment_gradient=gradient_of(investment.get("concentration")),
        investment_direction=direction_text(gradient_of(investment.get("concentration"))),
        summary=payload.get("summary") or {},
    )
    return render(request, "equity/curves.html", context)
