from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cocity.core.permissions import memberships_of
from cocity.territories.models import Territory


def territory_context(request: HttpRequest) -> dict[str, Any]:
    """The current territory and the territories the user can switch to (for the header)."""
    user = getattr(request, "user", None)
    current = getattr(request, "territory", None)
    mine: list[Territory] = []
    if user is not None and user.is_authenticated:
        ids = list(memberships_of(user))
        mine = list(Territory.objects.filter(pk__in=ids).only("name", "slug"))
    return {"current_territory": current, "my_territories": mine}
