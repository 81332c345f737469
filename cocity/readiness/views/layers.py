"""The layered framework page and the forms of its interface register."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.programme.models import Layer
from cocity.readiness import selectors, services
from cocity.readiness.forms import InterfaceItemForm
from cocity.readiness.models import InterfaceItem
from cocity.readiness.views.pages import VIEW, _form_page, _page
from cocity.territories.models import Territory


@territory_view(VIEW)
def layers(request: HttpRequest, territory: Territory) -> HttpResponse:
    overview = selectors.layer_overview(territory=territory)
    show_readiness = overview.readiness_round is not None and request.user.has_perm(
        "readiness.view_round", overview.readiness_round
    )
    labels = dict(Layer.choices)
    verdicts = {
        "readiness_ahead": _("Readiness ahead of delivery"),
        "delivery_ahead": _("Delivery ahead of readiness"),
        "aligned": _("In step"),
        "unknown": _("Not known"),
    }
    rows = [
        (labels[lp.layer], lp, d, verdicts[d.verdict] if show_readiness else "")
        for lp, d in zip(overview.balance.layers, overview.divergence, strict=True)
    ]
    cells = [(labels[c.interface[0]], labels[c.interface[1]], c) for c in overview.heatmap.cells]
    return _page(
        request,
        "readiness/layers.html",
        {
            "o": overview,
            "rows": rows[::-1],  # the top layer first, as the framework is drawn
            "cells": cells,
            "lagging": [labels[code] for code in overview.balance.lagging],
            "leading": [labels[code] for code in overview.balance.leading],
            "diverging": [
                r
                for r in rows
                if show_readiness
                and r[2].verdict in verdicts
                and r[2].verdict not in ("aligned", "unknown")
            ],
            "show_readiness": show_readiness,
            "can_edit": request.user.has_perm("readiness.change_interfaceitem", territory),
        },
    )


def _interface_page(
    request: HttpRequest, territory: Territory, item: InterfaceItem | None
) -> HttpResponse:
    form = InterfaceItemForm(request.POST or None, instance=item, territory=territory)

    def save() -> InterfaceItem:
        data = dict(form.cleaned_data)
        initiatives = list(data.pop("initiatives", []))
        if item is None:
            return services.interface_item_create(
                territory=territory, actor=request.user, initiatives=initiatives, **data
            )
        return services.interface_item_update(
            item=item, actor=request.user, initiatives=initiatives, **data
        )

    if request.method == "POST" and save_with_service(form, save) is not None:
        messages.success(request, _("Saved in the interface register."))
        return redirect("readiness:layers", territory.slug)
    title = _("Edit %(name)s") % {"name": item} if item else _("New opportunity or risk")
    return _form_page(request, form, title)


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _interface_page(request, territory, None)


def _item(territory: Territory, pk: int) -> InterfaceItem:
    try:
        return selectors.interface_item_get(territory=territory, pk=pk)
    except InterfaceItem.DoesNotExist:
        raise Http404 from None


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _interface_page(request, territory, _item(territory, pk))


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    item = _item(territory, pk)
    if request.method == "POST":
        services.interface_item_delete(item=item, actor=request.user)
        messages.success(request, _("Removed from the interface register."))
        return redirect("readiness:layers", territory.slug)
    return _page(request, "readiness/confirm_delete.html", {"object": item})
