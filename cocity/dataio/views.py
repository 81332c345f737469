"""Import and export pages: upload a file, follow its import, download the territory's data."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cocity.core.pages import paginate
from cocity.core.tenancy import territory_view
from cocity.dataio import exporters, selectors, services
from cocity.dataio.forms import ImportForm
from cocity.dataio.importers import IMPORTERS
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.territories.models import Territory

IMPORT_PERM = "core.import_data"
RECENT_JOBS = 10
# The job page lists this many errors; the rest are in the downloadable error report.
ERRORS_SHOWN = 1000


def _index_context(request: HttpRequest, territory: Territory) -> dict[str, object]:
    can_import = request.user.has_perm(IMPORT_PERM, territory)
    return {
        "nav": "data",
        "can_import": can_import,
        "export_kinds": exporters.export_kinds_for(territory=territory, user=request.user),
        "formats": exporters.FORMATS,
        "recent_jobs": (
            list(selectors.import_job_list(territory=territory)[:RECENT_JOBS]) if can_import else []
        ),
        "import_columns": {kind: importer.columns for kind, importer in IMPORTERS.items()},
    }


@require_GET
@territory_view(perm="core.export_data")
def index(request: HttpRequest, territory: Territory) -> HttpResponse:
    context = _index_context(request, territory)
    if context["can_import"]:
        context["form"] = ImportForm()
    return render(request, "dataio/index.html", context)


@require_http_methods(["POST"])
@territory_view(perm=IMPORT_PERM)
def import_upload(request: HttpRequest, territory: Territory) -> HttpResponse:
    """Import a file: small files now, large ones as a task; a bad file re-renders with 400."""
    form = ImportForm(request.POST, request.FILES)
    job = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_job_create(
            territory=territory,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            file_name=upload.name or "upload",
            data=upload.read(),
            file_format=form.cleaned_data["file_format"],
        )
        if job.status == ImportStatus.SUCCEEDED:
            messages.success(request, _("Imported %(n)s rows.") % {"n": job.rows_imported})
            return redirect("data:job_detail", territory.slug, job.pk)
        if not job.is_finished:
            return redirect("data:job_detail", territory.slug, job.pk)
        for error in job.errors:
            if error["row"] is None:
                form.add_error("file", error["message"])
    context = _index_context(request, territory)
    context.update({"form": form, "job": job, "shown_errors": _row_errors(job)})
    return render(request, "dataio/index.html", context, status=400)


def _row_errors(job: ImportJob | None) -> list[dict[str, object]]:
    if job is None:
        return []
    return [e for e in job.errors if e["row"] is not None][:ERRORS_SHOWN]


def _job(territory: Territory, pk: int) -> ImportJob:
    try:
        return selectors.import_job_get(territory=territory, pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


@require_GET
@territory_view(perm=IMPORT_PERM)
def job_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    jobs = selectors.import_job_list(territory=territory)
    return render(request, "dataio/job_list.html", {"nav": "data", **paginate(request, jobs)})


@require_GET
@territory_view(perm=IMPORT_PERM)
def job_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    job = _job(territory, pk)
    return render(
        request,
        "dataio/job_detail.html",
        {
            "nav": "data",
            "job": job,
            "file_errors": [e for e in job.errors if e["row"] is None],
            "shown_errors": _row_errors(job),
            "errors_shown_limit": ERRORS_SHOWN,
        },
    )


@require_GET
@territory_view(perm=IMPORT_PERM)
def job_progress(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """The progress block alone, polled by HTMX; once finished, the whole page reloads."""
    job = _job(territory, pk)
    response = render(request, "dataio/_job_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
@territory_view(perm=IMPORT_PERM)
def job_errors_csv(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    job = _job(territory, pk)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("row"), _("column"), _("message")])
    for e in job.errors:
        writer.writerow([e["row"] or "", e["column"], exporters.escape_formula(str(e["message"]))])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@require_GET
@territory_view(perm="core.export_data")
def export(request: HttpRequest, territory: Territory, kind: str, fmt: str) -> HttpResponse:
    if kind not in exporters.EXPORT_KINDS or fmt not in exporters.FORMATS:
        raise Http404
    try:
        exported = exporters.export_file(territory=territory, user=request.user, kind=kind, fmt=fmt)
    except PermissionError:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied from None
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_GET
@territory_view(perm=IMPORT_PERM)
def import_template(request: HttpRequest, territory: Territory, kind: str) -> HttpResponse:
    """An empty CSV with the columns of ``kind``, to fill in."""
    if kind not in IMPORTERS:
        raise Http404
    sheet = exporters.Sheet(kind, IMPORTERS[kind].columns, [])
    response = HttpResponse(
        exporters.render_csv(sheet), content_type=exporters.CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
