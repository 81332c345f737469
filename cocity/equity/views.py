"""Equity pages: the findings and map, the curves, tables, reach of initiatives, what-if, imports.

Every page reads the stored results (:func:`selectors.equity_state`); none computes them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocity.core.pages import paginate, save_with_service
from cocity.core.tenancy import territory_view
from cocity.dataio.exporters import escape_formula
from cocity.equity import charts, selectors, services
from cocity.equity.findings import direction_text, findings_for, gradient_of, notes_for
from cocity.equity.forms import IMPORT_FORMS, AllocationForm, MeasureForm, WhatIfForm
from cocity.equity.measures import default_measure, measure_choices
from cocity.equity.models import EquityImport, ImportStatus, asset_kind_label
from cocity.equity.whatif import whatif_plan
from cocity.programme.models import Initiative
from cocity.programme.selectors import initiative_get
from cocity.territories.models import Area, Territory

VIEW = "equity.view_equity"
IMPORT = "equity.import_data"
RECENT_IMPORTS = 10
ERRORS_SHOWN = 1000
AREAS_PER_PAGE = 50
ASSETS_PER_PAGE = 50


def _context(
    request: HttpRequest,
    territory: Territory,
    section: str,
    state: selectors.EquityState | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What every equity page shows; ``state`` only for the pages that show results."""
    return {
        "nav": "equity",
        "section": section,
        "state": state,
        "payload": state.payload if state is not None else {},
        "can_import": request.user.has_perm(IMPORT, territory),
        "can_compute": request.user.has_perm("equity.compute_results", territory),
        **extra,
    }


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


AREA_SORTS = {
    "code": lambda a: (a["code"],),
    "name": lambda a: (a["name"], a["code"]),
    "decile": lambda a: (
        a.get("decile") is None,
        a.get("decile") or 0,
        a.get("rank") or 0,
        a["code"],
    ),
    "-count": lambda a: (-a["count"], a["code"]),
    "count": lambda a: (a["count"], a["code"]),
    "-investment": lambda a: (-a["investment"], a["code"]),
}


@require_GET
@territory_view(VIEW)
def area_table(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    payload = state.payload
    sort = request.GET.get("sort", "code")
    if sort not in AREA_SORTS:
        sort = "code"
    types = [(t["name"], asset_kind_label(t["name"])) for t in payload.get("types", [])]
    rows = [
        {**a, "type_values": [a["by_type"].get(name, 0.0) for name, _label in types]}
        for a in sorted(payload.get("areas", []), key=AREA_SORTS[sort])
    ]
    context = _context(
        request,
        territory,
        "areas",
        state=state,
        sort=sort,
        types=types,
        **paginate(request, rows, AREAS_PER_PAGE),
    )
    return render(request, "equity/area_table.html", context)


class _AssetSequence:
    """The territory's assets as a sequence the paginator can count and slice, page by page."""

    def __init__(self, territory: Territory, asset_type: str | None) -> None:
        self.territory = territory
        self.asset_type = asset_type
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = selectors.asset_page(
                territory=self.territory, offset=0, limit=0, asset_type=self.asset_type
            ).count
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[selectors.AssetRow]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else self.count()
        return selectors.asset_page(
            territory=self.territory, offset=start, limit=stop - start, asset_type=self.asset_type
        ).rows


@require_GET
@territory_view(VIEW)
def asset_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    counts = selectors.asset_type_counts(territory=territory)
    asset_type = request.GET.get("type") or None
    if asset_type not in counts:
        asset_type = None
    assets: Any = _AssetSequence(territory, asset_type)  # counts and slices like a queryset
    page = Paginator(assets, ASSETS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = _context(
        request,
        territory,
        "assets",
        types=[(name, asset_kind_label(name), n) for name, n in counts.items()],
        asset_type=asset_type,
        page_obj=page,
        items=page.object_list,
        querystring_without_page=f"{params.urlencode()}&" if params else "",
        batches=selectors.asset_batch_list(territory=territory),
    )
    return render(request, "equity/asset_list.html", context)


@require_GET
@territory_view(VIEW)
def reach(request: HttpRequest, territory: Territory) -> HttpResponse:
    reaches = selectors.initiative_reach_list(territory=territory, user=request.user)
    baseline = selectors.territory_deciles(territory=territory)
    known = sum(baseline)
    context = _context(
        request,
        territory,
        "reach",
        reaches=reaches,
        baseline=baseline,
        baseline_total=known,
        baseline_share=sum(baseline[:2]) / known if known else None,
        can_allocate=request.user.has_perm("equity.change_allocation", territory),
        deciles=list(range(1, 11)),
    )
    return render(request, "equity/reach.html", context)


@require_http_methods(["GET", "POST"])
@territory_view("equity.change_allocation")
def allocation_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    try:
        initiative = initiative_get(territory=territory, user=request.user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    rows = selectors.initiative_allocation_rows(initiative=initiative)
    if request.method == "POST" and request.POST.get("action") == "reset":
        services.investment_allocation_reset(initiative=initiative, actor=request.user)
        messages.success(request, _("The budget is spread evenly over the areas again."))
        return redirect("equity:reach", territory.slug)
    form = AllocationForm(request.POST or None, rows=rows)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.investment_allocation_set(
                initiative=initiative, actor=request.user, amounts=form.amounts()
            ),
        )
        if saved is not None:
            messages.success(request, _("Allocation saved."))
            return redirect("equity:reach", territory.slug)
    context = _context(
        request,
        territory,
        "reach",
        initiative=initiative,
        form=form,
        allocated=any(amount is not None for _a, amount, _e in rows),
    )
    return render(
        request, "equity/allocation_form.html", context, status=400 if form.errors else 200
    )


@require_GET
@territory_view(VIEW)
def whatif(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    payload = state.payload
    types = [(t["name"], asset_kind_label(t["name"])) for t in payload.get("types", [])]
    form = WhatIfForm(request.GET or None, types=types)
    plan = None
    if form.is_bound and form.is_valid() and payload:
        plan = whatif_plan(
            payload,
            new_assets=form.cleaned_data["new_assets"],
            asset_type=form.cleaned_data["asset_type"] or None,
            max_per_area=form.cleaned_data["max_per_area"],
        )
    context = _context(request, territory, "whatif", state=state, form=form, plan=plan)
    return render(request, "equity/whatif.html", context, status=400 if form.errors else 200)


# --- Imports -------------------------------------------------------------------------------


def _data_context(request: HttpRequest, territory: Territory, **forms: Any) -> dict[str, Any]:
    return _context(
        request,
        territory,
        "data",
        forms=[forms.get(kind) or form_class() for kind, form_class in IMPORT_FORMS.items()],
        recent=list(selectors.equity_import_list(territory=territory)[:RECENT_IMPORTS]),
        batches=selectors.asset_batch_list(territory=territory),
    )


@require_GET
@territory_view(IMPORT)
def data_index(request: HttpRequest, territory: Territory) -> HttpResponse:
    return render(request, "equity/data.html", _data_context(request, territory))


@require_POST
@territory_view(IMPORT)
def import_upload(request: HttpRequest, territory: Territory, kind: str) -> HttpResponse:
    """Import a file: small ones now, large ones as a task; a bad file re-renders with 400."""
    form_class = IMPORT_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    job = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.equity_import_create(
            territory=territory,
            actor=request.user,
            kind=kind,
            file_name=upload.name or "upload",
            data=upload.read(),
            options=form.options(),
        )
        if job.status == ImportStatus.SUCCEEDED:
            messages.success(request, _("Imported %(n)s rows.") % {"n": job.rows_total})
            return redirect("equity:import_detail", territory.slug, job.pk)
        if not job.is_finished:
            return redirect("equity:import_detail", territory.slug, job.pk)
        for error in job.errors:
            if not error["row"]:
                form.add_error("file", error["message"])
    context = _data_context(request, territory, **{kind: form})
    context.update(
        {
            "failed_job": job,
            "shown_errors": [e for e in (job.errors if job else []) if e["row"]][:ERRORS_SHOWN],
        }
    )
    return render(request, "equity/data.html", context, status=400)


def _job(territory: Territory, pk: int) -> EquityImport:
    try:
        return selectors.equity_import_get(territory=territory, pk=pk)
    except EquityImport.DoesNotExist:
        raise Http404 from None


@require_GET
@territory_view(IMPORT)
def import_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    job = _job(territory, pk)
    context = _context(
        request,
        territory,
        "data",
        job=job,
        file_errors=[e for e in job.errors if not e["row"]],
        shown_errors=[e for e in job.errors if e["row"]][:ERRORS_SHOWN],
        errors_shown_limit=ERRORS_SHOWN,
        type_counts=[(asset_kind_label(k), v) for k, v in job.counts_by_type.items()],
    )
    return render(request, "equity/import_detail.html", context)


@require_GET
@territory_view(IMPORT)
def import_progress(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """The progress block alone, polled by HTMX; once finished, the whole page reloads."""
    job = _job(territory, pk)
    response = render(request, "equity/_import_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _csv_response(rows: Iterator[list[Any]], filename: str) -> HttpResponseBase:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo(), lineterminator="\r\n")

    def lines() -> Iterator[bytes]:
        yield "\ufeff".encode()
        for row in rows:
            yield writer.writerow(row).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@territory_view(IMPORT)
def import_errors_csv(request: HttpRequest, territory: Territory, pk: int) -> HttpResponseBase:
    job = _job(territory, pk)
    rows = [[_("row"), _("message")]] + [
        [e["row"], escape_formula(str(e["message"]))] for e in job.errors
    ]
    return _csv_response(iter(rows), f"equity-import-{job.pk}-errors.csv")


@require_POST
@territory_view(IMPORT)
def batch_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    batch = selectors.asset_batch_list(territory=territory).filter(pk=pk).first()
    if batch is None:
        raise Http404
    services.asset_batch_delete(batch=batch, actor=request.user)
    messages.success(request, _("The assets of %(file)s were removed.") % {"file": batch.file_name})
    return redirect("equity:data", territory.slug)


@require_POST
@territory_view("equity.compute_results")
def compute(request: HttpRequest, territory: Territory) -> HttpResponse:
    result = services.equity_result_request(territory=territory)
    if result.status == "ready":
        messages.success(request, _("The results are up to date."))
    elif result.status == "failed":
        messages.error(
            request, _("The results could not be computed: %(error)s") % {"error": result.error}
        )
    else:
        messages.success(
            request, _("The results are being computed; this page shows them when ready.")
        )
    return redirect("equity:index", territory.slug)


# --- Exports -------------------------------------------------------------------------------

AREA_COLUMNS = (
    "code", "name", "deprivation_decile", "deprivation_rank", "population", "assets",
    "covered", "area_km2", "assets_per_km2", "assets_per_1000_residents", "share_of_assets",
    "investment", "investment_per_resident",
)  # fmt: skip


def _area_record(area: dict[str, Any], types: list[str]) -> dict[str, Any]:
    return {
        "code": area["code"],
        "name": area["name"],
        "deprivation_decile": area.get("decile"),
        "deprivation_rank": area.get("rank"),
        "population": area.get("population"),
        "assets": area["count"],
        "covered": area["covered"],
        "area_km2": area["km2"],
        "assets_per_km2": area["density"],
        "assets_per_1000_residents": area.get("per_1000"),
        "share_of_assets": area.get("share"),
        "investment": area["investment"],
        "investment_per_resident": area.get("investment_per_person"),
        **{f"assets_{t}": area["by_type"].get(t, 0.0) for t in types},
        **{f"mean_{k}": v for k, v in area.get("attributes", {}).items()},
    }


def _ready_payload(territory: Territory) -> dict[str, Any]:
    payload = selectors.equity_state(territory=territory).payload
    if not payload:
        raise Http404
    return payload


@require_GET
@territory_view(VIEW)
def export_areas_csv(request: HttpRequest, territory: Territory) -> HttpResponseBase:
    payload = _ready_payload(territory)
    types = [t["name"] for t in payload["types"]]
    attributes: list[str] = []
    for area in payload["areas"]:
        attributes.extend(k for k in area.get("attributes", {}) if k not in attributes)
    header = [*AREA_COLUMNS, *(f"assets_{t}" for t in types), *(f"mean_{a}" for a in attributes)]

    def rows() -> Iterator[list[Any]]:
        yield header
        for area in payload["areas"]:
            record = _area_record(area, types)
            yield [
                escape_formula(str(v))
                if isinstance(v, str)
                else ("" if v is None else int(v) if isinstance(v, bool) else v)
                for v in (record.get(column) for column in header)
            ]

    return _csv_response(rows(), f"{territory.slug}-equity-areas.csv")


@require_GET
@territory_view(VIEW)
def export_areas_geojson(request: HttpRequest, territory: Territory) -> HttpResponse:
    payload = _ready_payload(territory)
    types = [t["name"] for t in payload["types"]]
    geometry = dict(Area.objects.filter(territory=territory).values_list("code", "geometry"))
    features = [
        {
            "type": "Feature",
            "geometry": geometry.get(area["code"]),
            "properties": _area_record(area, types),
        }
        for area in payload["areas"]
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False
    )
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    response["Content-Disposition"] = (
        f'attachment; filename="{territory.slug}-equity-areas.geojson"'
    )
    return response


@require_GET
@territory_view(VIEW)
def export_assets_csv(request: HttpRequest, territory: Territory) -> HttpResponseBase:
    attributes = selectors.asset_attribute_names(territory=territory)

    def rows() -> Iterator[list[Any]]:
        yield ["source", "point_in_file", "asset_type", "lon", "lat", "area_code", *attributes]
        for row in selectors.asset_rows_iter(territory=territory):
            yield [
                escape_formula(row.file_name),
                row.index + 1,
                escape_formula(row.asset_type),
                repr(row.lon),
                repr(row.lat),
                escape_formula(row.area_code),
                *(row.attributes.get(a, "") for a in attributes),
            ]

    return _csv_response(rows(), f"{territory.slug}-assets.csv")


@require_GET
@territory_view(VIEW)
def export_report_json(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.equity_state(territory=territory)
    if state.result is None:
        raise Http404
    payload = {k: v for k, v in state.payload.items() if k != "map"}
    body = {
        "territory": territory.slug,
        "computed_at": state.result.finished_at.isoformat() if state.result.finished_at else None,
        "data_version": state.result.data_version,
        "is_current": state.is_current,
        "findings": findings_for(state.payload),
        **payload,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{territory.slug}-equity.json"'
    return response
