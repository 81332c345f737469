"""Helpers for API tests: URLs, JSON requests and the one error shape."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/territories/"


def api_url(territory: Any, resource: str = "", pk: int | None = None) -> str:
    """``/api/v1/territories/<slug>/<resource>/[<pk>/]`` for a territory or a slug."""
    slug = getattr(territory, "slug", territory)
    url = f"{BASE}{slug}/"
    if resource:
        url += f"{resource}/"
    if pk is not None:
        url += f"{pk}/"
    return url


def send(client: Any, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    """POST/PATCH/DELETE ``data`` as JSON (a ``str`` or ``bytes`` is sent as it is)."""
    call = getattr(client, method.lower())
    if data is None:
        return call(url, **extra)
    return call(url, data=data, content_type="application/json", **extra)


def bearer(raw_token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the JSON error shape; return its ``error`` object."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code, error
    return error  # type: ignore[no-any-return]


def queries_for_get(client: Any, url: str) -> int:
    """How many SQL queries one successful GET of ``url`` costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)
