"""The reach of initiatives into deprived areas, and the allocation of their budgets."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.equity import selectors, services
from cocity.equity.forms import AllocationForm
from cocity.equity.views.page_context import VIEW, _context
from cocity.programme.models import Initiative
from cocity.programme.selectors import initiative_get
from cocity.territories.models import Territory


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
