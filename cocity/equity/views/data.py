"""The data pages: imports of files, their progress and errors, removing assets, computing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cocity.core.tenancy import territory_view
from cocity.dataio.exporters import escape_formula
from cocity.equity import selectors, services
from cocity.equity.forms import IMPORT_FORMS
from cocity.equity.models import EquityImport, ImportStatus, asset_kind_label
from cocity.equity.views.csv_download import _csv_response
from cocity.equity.views.page_context import IMPORT, _context
from cocity.territories.models import Territory

RECENT_IMPORTS = 10
ERRORS_SHOWN = 1000


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
