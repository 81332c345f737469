"""What every readiness page shares: permission names, rendering, the round lookup, errors.

The round lookup is also used by :mod:`cocity.readiness.chart_views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cocity.readiness import selectors
from cocity.readiness.models import AssessmentRound
from cocity.territories.models import Territory

VIEW = "readiness.view_readiness"
MANAGE = "readiness.manage_readiness"
NAV = "readiness"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"nav": NAV, **context}, status=status)


def _form_page(
    request: HttpRequest, form: Any, title: str, *, intro: str = "", enctype: str = ""
) -> HttpResponse:
    return _page(
        request,
        "readiness/form.html",
        {"form": form, "title": title, "intro": intro, "enctype": enctype},
        status=400 if form.is_bound and form.errors else 200,
    )


def _round(
    request: HttpRequest, territory: Territory, pk: int, perm: str = "readiness.view_round"
) -> AssessmentRound:
    try:
        round_ = selectors.round_get(territory=territory, pk=pk)
    except AssessmentRound.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, round_):
        if perm == "readiness.view_round":
            raise Http404
        raise PermissionDenied
    return round_


def _service_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, str(message))
