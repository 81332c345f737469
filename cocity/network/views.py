"""Ecosystem intelligence pages: the analysis page, its network data, the CSV export.

Every page reads the stored analysis (:func:`selectors.network_state`); none computes it.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cocity.core.pages import paginate
from cocity.core.tenancy import territory_view
from cocity.dataio.exporters import escape_formula
from cocity.network import results, selectors, services
from cocity.network.forms import MEASURE_LABELS, NetworkFilterForm
from cocity.network.models import NetworkResult
from cocity.territories.models import Territory

VIEW = "network.view_analysis"
ROWS_PER_PAGE = 50


@require_GET
@territory_view(VIEW)
def index(request: HttpRequest, territory: Territory) -> HttpResponse:
    state = selectors.network_state(territory=territory)
    payload = state.payload
    trust_pairs = request.user.has_perm("network.view_trust_pairs", territory)
    context: dict[str, Any] = {
        "nav": "ecosystem_intelligence",
        "state": state,
        "payload": payload,
        "can_compute": request.user.has_perm("network.compute_analysis", territory),
        "trust_pairs": trust_pairs,
    }
    status = 200
    if payload:
        form = NetworkFilterForm(request.GET or None, payload=payload)
        if form.is_bound and not form.is_valid():
            status = 400
        sort = form.value("sort", "betweenness")
        rows = results.sort_rows(
            results.stakeholder_rows(payload, trust_pairs=trust_pairs),
            sort,
            descending=sort != "name",
        )
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            form=form,
            sort=sort,
            sort_label=MEASURE_LABELS[sort],
            size=form.value("size", "betweenness"),
            graph_query=params.urlencode(),
            table=paginate(request, rows, ROWS_PER_PAGE),
            brokers=results.top_brokers(payload),
            mixing=results.mixing_table(payload),
            trust=results.trust_health(payload, trust_pairs=trust_pairs),
            recommendations=results.recommendation_rows(payload, limit=15),
            network=payload["analysis"]["network"],
            n_nodes=payload["analysis"]["n_nodes"],
            n_ties=payload["analysis"]["n_ties"],
        )
    return render(request, "network/index.html", context, status=status)


@require_GET
@territory_view(VIEW)
def graph_json(request: HttpRequest, territory: Territory) -> HttpResponse:
    """The stored network for the interactive view, filtered (nothing is recomputed)."""
    result = selectors.network_result_latest(territory=territory)
    if result is None:
        return JsonResponse(
            {
                "error": {
                    "status": 404,
                    "code": "no_results",
                    "message": _("There is no ecosystem analysis yet."),
                    "fields": {},
                }
            },
            status=404,
        )
    form = NetworkFilterForm(request.GET or None, payload=result.payload)
    if form.is_bound and not form.is_valid():
        return JsonResponse(
            {"error": {"status": 400, "code": "invalid", "message": _("Check the filters."),
                       "fields": {k: [str(e) for e in v] for k, v in form.errors.items()}}},
            status=400,
        )  # fmt: skip
    data = results.graph_view(result.payload, form.filters())
    data["size"] = form.value("size", "betweenness")
    return JsonResponse(data)


@require_GET
@territory_view(VIEW)
def stakeholders_csv(request: HttpRequest, territory: Territory) -> HttpResponse:
    """Every stakeholder's measures and roles, one row each (stated trust as on the page)."""
    result = selectors.network_result_latest(territory=territory)
    if result is None:
        messages.error(request, _("There is no ecosystem analysis yet."))
        return redirect("network:index", territory.slug)
    trust_pairs = request.user.has_perm("network.view_trust_pairs", territory)
    rows = results.stakeholder_rows(result.payload, trust_pairs=trust_pairs)
    roles = result.payload["analysis"]["roles"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{territory.slug}-ecosystem-measures.csv"'
    )
    columns = [
        "id", "name", "sector", "degree", "strength", "pagerank", "betweenness",
        "betweenness_standard_error", "effective_size", "constraint", "ei_index", "community",
        "behavioural_trust_mean", "stated_trust_received",
        "roles", *[f"brokerage_{role}" for role in roles],
    ]  # fmt: skip
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        values = [row[c] for c in columns[: columns.index("roles")]]
        values.append(" ".join(row["roles"]))
        values.extend(row["brokerage"][role] for role in roles)
        writer.writerow([escape_formula("" if v is None else str(v)) for v in values])
    return response


@require_GET
@territory_view(VIEW)
def progress(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """The progress block of an analysis alone, polled by HTMX; once ready, the page reloads."""
    try:
        job = selectors.network_result_get(territory=territory, pk=pk)
    except NetworkResult.DoesNotExist:
        raise Http404 from None
    response = render(request, "network/_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@territory_view("network.compute_analysis")
def compute(request: HttpRequest, territory: Territory) -> HttpResponse:
    result = services.network_result_request(territory=territory)
    if result.status == "ready":
        messages.success(request, _("The ecosystem analysis is up to date."))
    elif result.status == "failed":
        messages.error(
            request, _("The analysis could not be computed: %(error)s") % {"error": result.error}
        )
    else:
        messages.success(
            request, _("The ecosystem is being analysed; this page shows the results when ready.")
        )
    return redirect("network:index", territory.slug)
