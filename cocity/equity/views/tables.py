"""The tables of areas and of digital assets."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocity.core.pages import paginate
from cocity.core.tenancy import territory_view
from cocity.equity import selectors
from cocity.equity.models import asset_kind_label
from cocity.equity.views.page_context import VIEW, _context
from cocity.territories.models import Territory

AREAS_PER_PAGE = 50
ASSETS_PER_PAGE = 50

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
