"""The API reference page at /api/v1/docs, rendered by cocity from the OpenAPI document.

ninja's default docs load Swagger UI from a CDN; cocity serves nothing from a CDN (DESIGN.md,
rule 9), so this page lists the endpoints as plain HTML and links the OpenAPI document for
tools. It works without JavaScript and keeps the URL name ``api:openapi-view``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    anchor: str


def endpoints_by_tag(schema: dict[str, Any]) -> list[tuple[str, list[Endpoint]]]:
    """(tag, endpoints) in the order the document lists them."""
    groups: dict[str, list[Endpoint]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    anchor=operation.get("operationId", f"{method}-{path}"),
                )
            )
    return list(groups.items())


class ApiReference(DocsBase):
    template = "core/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            self.template,
            {
                "api_title": schema["info"]["title"],
                "api_version": schema["info"]["version"],
                "api_description": schema["info"].get("description", ""),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "groups": endpoints_by_tag(schema),
            },
        )
