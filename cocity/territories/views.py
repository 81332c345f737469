"""Territory pages: the dashboard, areas and (for facilitators) members."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core.pages import paginate, save_with_service
from cocity.core.tenancy import territory_view
from cocity.programme.selectors import initiative_list
from cocity.territories import selectors, services
from cocity.territories.forms import MembershipForm
from cocity.territories.models import Area, Territory


@territory_view()
def dashboard(request: HttpRequest, territory: Territory) -> HttpResponse:
    data = selectors.territory_dashboard(territory=territory, user=request.user)
    return render(
        request,
        "territories/dashboard.html",
        {
            "nav": "dashboard",
            "d": data,
            "peak_sector": data.peak(data.by_sector),
            "peak_stage": data.peak(data.by_stage),
            "peak_form": data.peak(data.by_form),
            "is_member": request.user.has_perm("territories.view_private", territory),
            "can_manage": request.user.has_perm("territories.manage_territory", territory),
        },
    )


@territory_view()
def area_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    return render(
        request,
        "territories/area_list.html",
        {
            "nav": "areas",
            "q": q,
            **paginate(request, selectors.area_list(territory=territory, q=q), 50),
        },
    )


@territory_view()
def area_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    try:
        area = selectors.area_get(territory=territory, pk=pk)
    except Area.DoesNotExist:
        raise Http404 from None
    initiatives = initiative_list(territory=territory, user=request.user).filter(areas=area)
    return render(
        request,
        "territories/area_detail.html",
        {
            "nav": "areas",
            "area": area,
            "initiatives": initiatives,
            "stakeholders": area.stakeholders.order_by("name"),
        },
    )


@territory_view("territories.view_membership")
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = MembershipForm(request.POST or None, territory=territory)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.membership_set(
                territory=territory,
                actor=request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                stakeholder=form.cleaned_data["stakeholder"],
            ),
        )
        if saved:
            messages.success(request, _("Role saved."))
            return redirect("territories:member_list", territory.slug)
    return render(
        request,
        "territories/member_list.html",
        {
            "nav": "dashboard",
            "form": form,
            "members": selectors.membership_list(territory=territory),
        },
        status=400 if form.errors else 200,
    )
