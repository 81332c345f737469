"""Resolving the territory of a request and checking access to it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from cocity.territories.models import Territory


def territory_for(user: Any, slug: str) -> Territory:
    """The territory ``slug`` if ``user`` may read it; else 404, so private ones stay unseen."""
    territory = get_object_or_404(Territory, slug=slug)
    if not user.has_perm("territories.view_territory", territory):
        raise Http404
    return territory


def territory_view(
    perm: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``(request, territory, ...)`` from a URL with ``<slug:territory>``.

    Readers are checked first (404 when the territory is hidden), then ``perm`` on the territory
    (403 for a reader who lacks it; anonymous visitors are sent to log in).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, territory: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            obj = territory_for(request.user, territory)
            if perm and not request.user.has_perm(perm, obj):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            request.territory = obj  # type: ignore[attr-defined]
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator
