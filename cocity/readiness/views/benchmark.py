"""Benchmarking against peers, importing a peer's results, and the readiness settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.forms import add_service_errors
from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.readiness import exchange, selectors, services
from cocity.readiness.forms import PeerImportForm, ReadinessSettingsForm
from cocity.readiness.models import ExternalPeer
from cocity.readiness.views.pages import MANAGE, _form_page, _page, _round
from cocity.territories.models import Territory

BAND_LABELS = {
    "under_50k": gettext_lazy("under 50,000 people"),
    "50k_200k": gettext_lazy("50,000 to 200,000 people"),
    "200k_1m": gettext_lazy("200,000 to 1 million people"),
    "over_1m": gettext_lazy("over 1 million people"),
    "unknown": gettext_lazy("population not given"),
}


@territory_view("readiness.view_benchmark")
def benchmark(request: HttpRequest, territory: Territory) -> HttpResponse:
    round_ = None
    if request.GET.get("round", "").isdigit():
        round_ = _round(request, territory, int(request.GET["round"]))
    found = selectors.benchmark(territory=territory, round_=round_)
    return _page(
        request,
        "readiness/benchmark.html",
        {
            "b": found,
            "band_label": BAND_LABELS.get(found.band, found.band),
            "round_query": f"?round={round_.pk}" if round_ is not None else "",
            "settings": services.readiness_settings_of(territory),
            "imports": ExternalPeer.objects.filter(territory=territory),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def peer_import(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = PeerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > exchange.MAX_BYTES:
            form.add_error("file", _("The file is larger than 1 MB."))
        else:
            try:
                exchange.peer_results_import(
                    territory=territory, actor=request.user, document=upload.read()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Peer results imported."))
                return redirect("readiness:benchmark", territory.slug)
    return _form_page(
        request,
        form,
        _("Import a peer's results"),
        intro=_(
            "Cities on separate installations benchmark together by exchanging the results file "
            "of a round (Export JSON on a round's page). Only medians and quartiles travel."
        ),
        enctype="multipart/form-data",
    )


@territory_view(MANAGE)
@require_POST
def peer_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    peer = ExternalPeer.objects.filter(territory=territory, pk=pk).first()
    if peer is None:
        raise Http404
    exchange.external_peer_delete(peer=peer, actor=request.user)
    messages.success(request, _("Imported peer removed."))
    return redirect("readiness:benchmark", territory.slug)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, territory: Territory) -> HttpResponse:
    current = services.readiness_settings_of(territory)
    form = ReadinessSettingsForm(
        request.POST or None,
        initial={
            "results_public": current.results_public,
            "in_benchmarks": current.in_benchmarks,
            "named_in_benchmarks": current.named_in_benchmarks,
        },
    )
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: services.readiness_settings_update(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        is not None
    ):
        messages.success(request, _("Readiness settings saved."))
        return redirect("readiness:index", territory.slug)
    return _form_page(request, form, _("Publishing and benchmarking"))
