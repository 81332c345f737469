"""Helpers for server-rendered pages: pagination and forms that call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest

from cocity.core.forms import add_service_errors

T = TypeVar("T")
PER_PAGE = 25


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    """The page asked for in ``?page=`` (out-of-range and junk give the nearest valid page)."""
    page: Page[Any] = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page,
        "items": page.object_list,
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }


def save_with_service(form: BaseForm, call: Callable[[], T]) -> T | None:
    """Run ``call`` when ``form`` is valid; a service's ValidationError lands beside the fields."""
    if not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
