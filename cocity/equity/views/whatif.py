"""What if new assets were placed in the most deprived areas."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocity.core.tenancy import territory_view
from cocity.equity import selectors
from cocity.equity.forms import WhatIfForm
from cocity.equity.models import asset_kind_label
from cocity.equity.views.page_context import VIEW, _context
from cocity.equity.whatif import whatif_plan
from cocity.territories.models import Territory


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
