"""The one JSON error shape of the API, and the API object that answers it everywhere.

Every 4xx (and the 500 of a bug) is ``{"error": {"status", "code", "message", "fields"}}``:
``code`` is stable for programs, ``message`` is translated for people, ``fields`` maps each
input field (a dotted path when nested) to its messages. :class:`CocityAPI` also gives this
shape to what ninja answers outside its operations: unknown paths and methods.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

logger = logging.getLogger(__name__)


class ApiError(HttpError):
    """An error with a stable machine-readable ``code`` beside its translated message."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, message)
        self.code = code
        self.headers = headers or {}


class NotAuthenticated(ApiError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            401,
            "not_authenticated",
            message
            or _("Sign in, or send a personal API token as 'Authorization: Bearer <token>'."),
            {"WWW-Authenticate": 'Bearer realm="cocity"'},
        )


class MalformedBody(ValueError):
    """The request body is not the JSON document the endpoint expects."""


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Errors per input field (dotted path for nested ones)."
    )


class ErrorOut(Schema):
    error: ErrorDetail


ERROR_STATUSES = frozenset({400, 401, 403, 404, 413, 422, 429})


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


_CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    422: "validation_error",
    429: "rate_limited",
}


def _message_for_status(status: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Sign in, or send a personal API token as 'Authorization: Bearer <token>'."),
        403: _("Your role does not allow this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with data saved at the same time. Reload and try again."),
        413: _("The request is too large."),
        422: _("Check the fields marked as invalid."),
        429: _("Too many requests. Wait a minute and try again."),
    }.get(status, _("The request failed."))


def _pydantic_message(error: dict[str, Any]) -> str:
    """A translated message for the pydantic error kinds a client meets; pydantic's otherwise."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return force_str(ctx["error"])
    messages: dict[str, str] = {
        "missing": _("This field is required."),
        "extra_forbidden": _("Unknown field."),
        "string_type": _("Enter text."),
        "string_too_long": _("Enter at most %(max_length)s characters."),
        "string_too_short": _("Enter at least %(min_length)s characters."),
        "string_pattern_mismatch": _("Enter a value in the expected format."),
        "int_type": _("Enter a whole number."),
        "int_parsing": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "bool_type": _("Enter true or false."),
        "bool_parsing": _("Enter true or false."),
        "decimal_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "finite_number": _("Enter a finite number."),
        "decimal_max_digits": _("Enter at most %(max_digits)s digits."),
        "decimal_max_places": _("Enter at most %(decimal_places)s decimal places."),
        "greater_than_equal": _("Enter a value of at least %(ge)s."),
        "greater_than": _("Enter a value greater than %(gt)s."),
        "less_than_equal": _("Enter a value of at most %(le)s."),
        "less_than": _("Enter a value less than %(lt)s."),
        "enum": _("Choose one of: %(expected)s."),
        "literal_error": _("Choose one of: %(expected)s."),
        "list_type": _("Enter a list."),
        "too_long": _("Give at most %(max_length)s items."),
        "too_short": _("Give at least %(min_length)s items."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_inexact": _("Enter a date as YYYY-MM-DD."),
        "date_past": _("Enter a date as YYYY-MM-DD."),
        "url_parsing": _("Enter a valid URL."),
    }
    template = messages.get(kind)
    if template is None:
        return str(error.get("msg", _("Invalid value.")))
    try:
        return template % {k: v for k, v in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", template))


def _field_path(loc: Sequence[Any]) -> str:
    # loc is (source, parameter name, field, ...) for bodies and (source, field) for queries;
    # clients know only the field names, so the source and the parameter are dropped.
    parts = [str(p) for p in loc[1:] if p != "[key]"]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or str(loc[0] if loc else NON_FIELD_ERRORS)


def _validation_fields(error: DjangoValidationError) -> tuple[dict[str, list[str]], list[str]]:
    if hasattr(error, "error_dict"):
        fields = {name: [force_str(m) for m in errs] for name, errs in error.message_dict.items()}
        general = fields.pop(NON_FIELD_ERRORS, [])
        return fields, general
    return {}, [force_str(m) for m in error.messages]


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every failure in the one JSON error shape."""

    def handle(exc_class: type[Exception]) -> Callable[[Callable[..., HttpResponse]], Any]:
        return api.exception_handler(exc_class)

    @handle(NinjaValidationError)
    def on_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            fields.setdefault(_field_path(item.get("loc", ())), []).append(_pydantic_message(item))
        return error_response(422, "validation_error", _message_for_status(422), fields)

    @handle(DjangoValidationError)
    def on_service_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields, general = _validation_fields(exc)
        message = " ".join(general) or _message_for_status(422)
        return error_response(422, "validation_error", message, fields)

    @handle(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if isinstance(exc, ApiError):
            return error_response(status, exc.code, exc.message, headers=exc.headers)
        if isinstance(exc.__cause__, MalformedBody):
            return error_response(400, "malformed_json", str(exc.__cause__))
        if status == 400:
            return error_response(400, "malformed_json", _("The request body is not valid JSON."))
        headers = {}
        if status == 429:
            headers["Retry-After"] = "60"
        code = _CODE_FOR_STATUS.get(status, "error")
        return error_response(status, code, _message_for_status(status), headers=headers)

    @handle(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        error = exc if isinstance(exc, ApiError) else NotAuthenticated()
        return error_response(401, "not_authenticated", error.message, headers=error.headers)

    @handle(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = force_str(exc) or _message_for_status(403)
        return error_response(403, "permission_denied", message)

    @handle(Http404)
    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(404, "not_found", _message_for_status(404))

    @handle(ObjectDoesNotExist)
    def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(404, "not_found", _message_for_status(404))

    @handle(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(413, "request_too_large", _message_for_status(413))

    @handle(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(400, "bad_request", _message_for_status(400))

    @handle(IntegrityError)
    def on_conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Validation runs before every save; reaching here means a concurrent write won.
        logger.warning("API integrity error on %s: %s", request.path, exc)
        return error_response(409, "conflict", _message_for_status(409))

    @handle(DataError)
    def on_data_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("API data error on %s: %s", request.path, exc)
        return error_response(422, "validation_error", _("A value is out of the range stored."))

    @handle(Exception)
    def on_bug(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            500, "server_error", _("Something went wrong. The error was logged; please try again.")
        )


# ---------------------------------------------------------------------------------------------
# The API object: strict JSON in, JSON errors out, also for paths and methods ninja does not know


def _reject_constant(name: str) -> Any:
    raise MalformedBody(
        _("The request body is not valid JSON (%(name)s is not a number).") % {"name": name}
    )


class StrictJsonParser(Parser):
    """JSON as RFC 8259 has it: no NaN or Infinity, UTF-8 only."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body, parse_constant=_reject_constant)
        except MalformedBody:
            raise
        except (ValueError, RecursionError):
            raise MalformedBody(_("The request body is not valid JSON.")) from None


def _json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Give the error shape to what ninja answers outside its operations (405, raised 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, "not_found", _message_for_status(404))
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return error_response(
                405,
                "method_not_allowed",
                _message_for_status(405),
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    return wrapped


def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, "not_found", _("There is no API endpoint at this address."))


class CocityAPI(NinjaAPI):
    """A NinjaAPI whose every answer under its prefix, errors included, is JSON."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", StrictJsonParser())
        super().__init__(**kwargs)
        install_error_handlers(self)

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if pattern.callback is not None:
                pattern.callback = _json_errors(pattern.callback)
        unknown_path.csrf_exempt = True  # type: ignore[attr-defined]
        patterns.append(re_path(r"^.*$", unknown_path, name="api-unknown-path"))
        return patterns, app_name, namespace
