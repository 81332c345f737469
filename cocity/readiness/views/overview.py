"""The readiness overview: the latest results, the layer balance, the user's invitations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from cocity.core.tenancy import territory_view
from cocity.programme.models import Layer
from cocity.readiness import selectors
from cocity.readiness.models import RoundStatus
from cocity.readiness.views.pages import MANAGE, VIEW, _page
from cocity.territories.models import Territory


@territory_view(VIEW)
def index(request: HttpRequest, territory: Territory) -> HttpResponse:
    user = request.user
    is_reader = user.has_perm("territories.view_private", territory)
    found = selectors.round_list(territory=territory)
    if not is_reader:
        found = found.filter(status=RoundStatus.CLOSED)
    rounds = list(found[:5])
    # The headline shows the latest closed round; an open round's numbers are provisional.
    visible = [r for r in rounds if user.has_perm("readiness.view_round", r)]
    latest = next((r for r in visible if not r.is_open), visible[0] if visible else None)
    results = selectors.round_results(round_=latest, with_actions=False) if latest else None
    overview = selectors.layer_overview(territory=territory, with_readiness=False)
    return _page(
        request,
        "readiness/index.html",
        {
            "rounds": rounds,
            "latest": latest,
            "results": results,
            "balance": overview.balance,
            "lagging": [Layer(code).label for code in overview.balance.lagging],
            "invitations": selectors.open_invitations(territory=territory, user=user),
            "can_manage": user.has_perm(MANAGE, territory),
            "can_benchmark": user.has_perm("readiness.view_benchmark", territory),
        },
    )
