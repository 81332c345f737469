"""What every REST endpoint shares: who is calling, ids of the territory, input types, pages.

Endpoints in ``cocity/<app>/api.py`` stay thin: they resolve the territory with
:func:`readable_territory`, check a permission with :func:`require`, turn ids into rows of
that territory with :func:`objects_by_ids`, and call one service or selector. What goes wrong
becomes the one JSON error shape of :mod:`cocity.core.api_errors`; nothing answers a 500 page.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    create_model,
    field_validator,
)

from cocity.core.api_errors import (
    ERROR_STATUSES,
    ApiError,
    CocityAPI,
    ErrorOut,
    NotAuthenticated,
    error_response,
)
from cocity.core.ratelimit import client_address, is_limited
from cocity.core.tenancy import territory_for
from cocity.core.tokens import api_token_user

__all__ = [  # the error names are re-exported: endpoints import from this module only
    "ApiError",
    "CocityAPI",
    "ErrorOut",
    "NotAuthenticated",
    "error_response",
]

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ID = 2**63 - 1  # the largest primary key PostgreSQL's bigint holds
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 10**9
MAX_JSON_DEPTH = 20
LONG_TEXT = 20_000  # characters in a free-text field (descriptions, notes, comments)

# ---------------------------------------------------------------------------------------------
# Who is calling


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token made on /accounts/tokens/."""

    def __call__(self, request: HttpRequest) -> Any | None:
        header = request.headers.get("Authorization", "").strip()
        if not header:
            return None
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated(_("Send the token as 'Authorization: Bearer <token>'."))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(token)
        if user is None:
            raise NotAuthenticated(_("This API token is not valid, or it has been revoked."))
        request.user = user
        return user


class SessionAuth(AuthBase):
    """The signed-in browser session (same-site JavaScript); unsafe methods need the CSRF token."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."),
            )
        return user


def _retry_after(scope: str) -> str:
    _limit, window = settings.COCITY_RATE_LIMITS[scope]
    return str(max(1, math.ceil(window - time.time() % window)))


def anonymous_reader(request: HttpRequest) -> Any | None:
    """Anonymous visitors may read public territories (checked per endpoint), rate-limited."""
    if request.method not in SAFE_METHODS:
        return None
    if is_limited("api_anonymous", client_address(request)):
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests from this address. Wait a minute, or use an API token."),
            {"Retry-After": _retry_after("api_anonymous")},
        )
    return request.user


API_AUTH = [TokenAuth(), SessionAuth(), anonymous_reader]


def caller(request: HttpRequest) -> Any:
    """The user the request acts for (an ``AnonymousUser`` for anonymous reads)."""
    return request.auth  # type: ignore[attr-defined]


def readable_territory(request: HttpRequest, slug: str) -> Any:
    """The territory ``slug`` when the caller may read it, else 404 (private ones stay hidden)."""
    return territory_for(caller(request), slug)


def require(request: HttpRequest, perm: str, obj: Any) -> None:
    """401 for an anonymous caller and 403 for a signed-in one who lacks ``perm`` on ``obj``."""
    user = caller(request)
    if user.has_perm(perm, obj):
        return
    if not user.is_authenticated:
        raise NotAuthenticated()
    raise PermissionDenied(_("Your role in this territory does not allow this."))


# ---------------------------------------------------------------------------------------------
# Turning ids into rows of the territory

M = TypeVar("M", bound=models.Model)


def get_in(queryset: models.QuerySet[M], pk: int) -> M:
    """The row ``pk`` of an already territory-scoped queryset, or 404."""
    if not 1 <= pk <= MAX_ID:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def objects_by_ids(
    territory: Any, source: type[M] | models.QuerySet[M], ids: Iterable[int], field: str
) -> list[M]:
    """Rows of ``source`` in ``territory`` in the order given; a 422 naming ``field`` otherwise.

    ``source`` is a model or a queryset of the rows the caller may see (e.g. without drafts).
    An id of another territory is reported exactly like one that does not exist, so nothing
    about other territories leaks.
    """
    wanted = list(ids)
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    found = {obj.pk: obj for obj in queryset.filter(territory=territory, pk__in=set(wanted))}
    missing = [str(pk) for pk in dict.fromkeys(wanted) if pk not in found]
    if missing:
        raise DjangoValidationError(
            {field: _("Not found in this territory: %(ids)s.") % {"ids": ", ".join(missing)}}
        )
    return [found[pk] for pk in wanted]


def object_by_id(
    territory: Any, source: type[M] | models.QuerySet[M], pk: int | None, field: str
) -> M | None:
    if pk is None:
        return None
    return objects_by_ids(territory, source, [pk], field)[0]


# ---------------------------------------------------------------------------------------------
# Input types


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(_("Enter a number, not true or false."))
    return value


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


def _storable_json(value: Any) -> Any:
    """Reject what a JSON column cannot store: NUL, broken Unicode, NaN/Infinity, deep nesting."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError(_("Nested too deeply (at most %(n)s levels).") % {"n": MAX_JSON_DEPTH})
        if isinstance(item, str):
            _storable_text(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError(_("Numbers must be finite."))
        elif isinstance(item, dict):
            for key, child in item.items():
                _storable_text(str(key))
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return value


# Text the database can store; give its length with Field(max_length=...) on the field.
Text = Annotated[str, AfterValidator(_storable_text)]
Int = Annotated[int, BeforeValidator(_not_bool)]
Id = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=MAX_ID)]
IdList = Annotated[list[Id], Field(max_length=1000)]
JsonObject = Annotated[dict[str, Any], AfterValidator(_storable_json)]
Money = Annotated[Decimal, BeforeValidator(_not_bool), Field(max_digits=14, decimal_places=2, ge=0)]
Currency = Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})?$")]
SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable_text)]


class InSchema(Schema):
    """A request body: unknown fields are refused, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(extra="forbid")


class DatedIn(InSchema):
    """A body with ``start_date`` and ``end_date``: the end may not come before the start."""

    @field_validator("end_date", check_fields=False)
    @classmethod
    def _end_after_start(cls, end: Any, info: ValidationInfo) -> Any:
        start = info.data.get("start_date")
        if end is not None and start is not None and end < start:
            raise ValueError(_("The end date is before the start date."))
        return end


def partial_of(schema: type[InSchema], name: str) -> type[InSchema]:
    """``schema`` with every field optional, for PATCH: what is left out stays as it is.

    A field that was required stays non-nullable (sending ``null`` is an error, leaving it out
    is not); nullable fields accept ``null`` to clear them.
    """
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        fields[field_name] = (annotation, Field(None, description=info.description))
    base = schema.__base__  # InSchema or DatedIn: validators, no fields
    model: type[InSchema] = create_model(name, __base__=base, **fields)  # type: ignore[assignment]
    model.__doc__ = f"Any fields of {schema.__name__}; the others keep their values."
    return model


def changes(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH body actually sent."""
    return payload.model_dump(exclude_unset=True)


# ---------------------------------------------------------------------------------------------
# Pagination


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of ``item``: ``{"count", "limit", "offset", "items"}``."""
    model: type[Schema] = create_model(
        name,
        __base__=Schema,
        count=(int, Field(..., description="Rows matching the filters, on all pages.")),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )
    return model


def paginate(queryset: models.QuerySet[Any], page: PageQuery) -> dict[str, Any]:
    """One page of ``queryset``: two queries (the count and the rows) plus its prefetches."""
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset : page.offset + page.limit]),
    }


def responses(status: int, schema: Any) -> dict[Any, Any]:
    """The ``response=`` of an operation: its success schema and the error shape."""
    return {status: schema, frozenset(ERROR_STATUSES): ErrorOut}
