"""The API as a whole: authentication, the one error shape, limits, the OpenAPI document."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cocity.core.api_testing import api_url, assert_error, bearer, send
from cocity.core.testing import make_member, make_user
from cocity.core.tokens import api_token_create, api_token_revoke
from cocity.ecosystem.models import Stakeholder

pytestmark = pytest.mark.django_db

RESOURCES = (
    "areas",
    "memberships",
    "stakeholders",
    "partnerships",
    "collaborations",
    "trust-ratings",
    "leadership-teams",
    "challenges",
    "initiatives",
)


def _stakeholder_body(**extra: Any) -> dict[str, Any]:
    return {"name": "Harbour Energy", "sector": "industry", **extra}


# --- the OpenAPI document and the reference page ----------------------------------------------


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_openapi_json_is_an_openapi_3_document_with_every_resource(client):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"] == "1"
    paths = document["paths"]
    assert "/api/v1/territories/" in paths
    assert "/api/v1/territories/{slug}/" in paths
    for resource in RESOURCES:
        collection = f"/api/v1/territories/{{slug}}/{resource}/"
        item = f"/api/v1/territories/{{slug}}/{resource}/{{pk}}/"
        assert set(paths[collection]) == {"get", "post"}, resource
        assert set(paths[item]) == {"get", "patch", "delete"}, resource

    operation_ids = []
    for path, operations in paths.items():
        declared = set(re.findall(r"{(\w+)}", path))
        for method, operation in operations.items():
            operation_ids.append(operation["operationId"])
            # Every operation documents its success: 200/201/204, or 202 for queued work.
            assert {"200", "201", "202", "204"} & set(operation["responses"]), (path, method)
            assert "422" in operation["responses"], (path, method)
            in_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert in_path == declared, (path, method)
    assert len(operation_ids) == len(set(operation_ids))

    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])


def test_openapi_view_renders_the_reference_without_cdn_assets(client):
    response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("api:openapi-json") in html
    assert "/api/v1/territories/{slug}/stakeholders/" in html
    assert "Bearer" in html
    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert external == []


# --- unknown paths and methods ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/nothing-here",
        "/api/v1/territories",  # no trailing slash
        "/api/v1/territories/lund/stakeholders/abc/",
        "/api/v1/territories/lund/stakeholders/-1/",
        "/api/v1/territories/lund/stakeholders/99999999999999999999999/",
        "/api/v1/territories/no%00pe/",
        "/api/v1/territories/lund/unknown-resource/",
    ],
)
def test_unknown_api_path_answers_json_404(client, territory, path):
    assert_error(client.get(path), 404, "not_found")


def test_wrong_method_answers_json_405_with_allow(client_as, territory):
    client = client_as("facilitator")
    response = send(client, "put", api_url(territory, "stakeholders"), {"name": "x"})
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    response = send(client, "post", "/api/v1/territories/", {"name": "x"})
    assert_error(response, 405, "method_not_allowed")


# --- who is calling --------------------------------------------------------------------------


def test_anonymous_write_is_401_with_error_shape(client, territory):
    response = send(client, "post", api_url(territory, "stakeholders"), _stakeholder_body())
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Stakeholder.objects.filter(name="Harbour Energy").exists()


def test_token_auth_acts_with_the_token_owners_role(client, territory, users):
    raw = api_token_create(user=users["officer"], name="script")
    response = send(
        client, "post", api_url(territory, "stakeholders"), _stakeholder_body(), **bearer(raw)
    )
    assert response.status_code == 201, response.content
    assert Stakeholder.objects.filter(territory=territory, name="Harbour Energy").exists()
    # The officer is no facilitator: members stay hidden with the same token.
    assert_error(client.get(api_url(territory, "memberships"), **bearer(raw)), 403)


def test_token_auth_revoked_or_unknown_token_is_401(client, territory, users):
    raw = api_token_create(user=users["facilitator"], name="old")
    assert client.get(api_url(territory, "memberships"), **bearer(raw)).status_code == 200
    token = users["facilitator"].api_tokens.get()
    api_token_revoke(user=users["facilitator"], token_id=str(token.pk))

    for headers in (
        bearer(raw),
        bearer("cc_not-a-token"),
        bearer("x" * 500),
        {"HTTP_AUTHORIZATION": "Basic ZmlvbmE6cGFzcw=="},
        {"HTTP_AUTHORIZATION": "Bearer"},
    ):
        # Reads too: a broken token is an error, never a silent fall-back to anonymous.
        response = client.get(api_url(territory, "stakeholders"), **headers)
        assert_error(response, 401, "not_authenticated")


def test_token_auth_of_an_inactive_user_is_401(client, territory):
    user = make_member(territory, "officer", username="gone")
    raw = api_token_create(user=user, name="script")
    user.is_active = False
    user.save()
    assert_error(client.get(api_url(territory, "stakeholders"), **bearer(raw)), 401)


def test_session_writes_need_the_csrf_token(territory, users):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["officer"])
    url = api_url(territory, "stakeholders")
    assert browser.get(url).status_code == 200  # reads need no token

    response = send(browser, "post", url, _stakeholder_body())
    assert_error(response, 403, "csrf_failed")
    assert not Stakeholder.objects.filter(name="Harbour Energy").exists()

    browser.get(reverse("token_list"))  # any page sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    response = send(browser, "post", url, _stakeholder_body(), HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


def test_token_writes_need_no_csrf_token(territory, users):
    script = Client(enforce_csrf_checks=True)
    raw = api_token_create(user=users["officer"], name="script")
    response = send(
        script, "post", api_url(territory, "stakeholders"), _stakeholder_body(), **bearer(raw)
    )
    assert response.status_code == 201, response.content


def test_anonymous_reads_are_rate_limited_per_address(client, settings, territory, users):
    # A window of ~30 years: the count cannot roll over while the test runs.
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "api_anonymous": (2, 10**9)}
    url = api_url(territory, "stakeholders")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    limited = client.get(url)
    assert_error(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) >= 1
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200  # another address

    raw = api_token_create(user=users["citizen"], name="app")
    assert client.get(url, **bearer(raw)).status_code == 200  # signed-in callers are not limited


# --- bad input never answers 500 -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"name": NaN, "sector": "industry"}',
        b'{"name": "x", "sector": "industry", "population": Infinity}',
        b"\xff\xfe\x00garbage",
        b"[" * 5000 + b"]" * 5000,
    ],
    ids=["syntax", "nan", "infinity", "not-utf8", "deep"],
)
def test_malformed_json_is_400(client_as, territory, body):
    response = send(client_as("officer"), "post", api_url(territory, "stakeholders"), body)
    assert_error(response, 400, "malformed_json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sector": "industry"}, "name"),
        ({"name": 42, "sector": "industry"}, "name"),
        ({"name": ["a"], "sector": "industry"}, "name"),
        ({"name": "x" * 201, "sector": "industry"}, "name"),
        ({"name": "x" * 1_000_000, "sector": "industry"}, "name"),
        ({"name": "Nul\x00Org", "sector": "industry"}, "name"),
        ({"name": "x", "sector": "industry", "description": "a\x00b"}, "description"),
        ({"name": "x", "sector": "nonsense"}, "sector"),
        ({"name": "x", "sector": None}, "sector"),
        ({"name": "x", "sector": "industry", "colour": "red"}, "colour"),
        ({"name": "x", "sector": "industry", "clusters": "1,2"}, "clusters"),
        ({"name": "x", "sector": "industry", "clusters": [-1]}, "clusters.0"),
        ({"name": "x", "sector": "industry", "clusters": [2**70]}, "clusters.0"),
        ({"name": "x", "sector": "industry", "clusters": [True]}, "clusters.0"),
        ({"name": "x", "sector": "industry", "areas": [123456]}, "areas"),
        ({"name": "x", "sector": "industry", "website": "not a url"}, "website"),
    ],
)
def test_invalid_body_is_422_naming_the_field(client_as, territory, body, field):
    response = send(client_as("officer"), "post", api_url(territory, "stakeholders"), body)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert all(isinstance(m, str) and m for m in error["fields"][field])
    assert (
        not Stakeholder.objects.filter(territory=territory).exclude(name="Lund University").exists()
    )


def test_lone_surrogate_in_text_is_422(client_as, territory):
    body = b'{"name": "bad \\ud800 text", "sector": "industry"}'
    response = send(client_as("officer"), "post", api_url(territory, "stakeholders"), body)
    assert "name" in assert_error(response, 422)["fields"]


def test_body_that_is_not_an_object_is_422(client_as, territory):
    for body in (b"[]", b'"text"', b"42", b"null"):
        response = send(client_as("officer"), "post", api_url(territory, "stakeholders"), body)
        assert response.status_code in (400, 422), (body, response.content)
        assert_error(response, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "abc"},
        {"offset": "-1"},
        {"offset": str(10**30)},
        {"sector": "nonsense"},
        {"cluster": "x"},
        {"cluster": str(2**70)},
        {"q": "a\x00b"},
        {"q": "x" * 1000},
    ],
)
def test_invalid_query_is_422_naming_the_parameter(client, territory, query):
    response = client.get(api_url(territory, "stakeholders"), query)
    error = assert_error(response, 422, "validation_error")
    assert set(query) <= set(error["fields"]), error


def test_request_body_too_large_is_413(client_as, settings, territory):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = send(
        client_as("officer"),
        "post",
        api_url(territory, "stakeholders"),
        _stakeholder_body(description="x" * 5000),
    )
    assert_error(response, 413, "request_too_large")


# --- tenancy ---------------------------------------------------------------------------------


def test_private_territory_answers_like_a_missing_one(client_as, territory, other_territory):
    client = client_as("facilitator")  # a facilitator of Lund, nobody in Bristol
    for resource in ("", *RESOURCES):
        hidden = client.get(api_url(other_territory, resource))
        missing = client.get(api_url("atlantis", resource))
        assert_error(hidden, 404, "not_found")
        assert hidden.content == missing.content, resource
        if resource:
            # Whether the body is checked first (422) or the territory (404), a hidden
            # territory and a missing one answer exactly alike.
            write = send(client, "post", api_url(other_territory, resource), {"name": "x"})
            assert (
                write.content
                == send(client, "post", api_url("atlantis", resource), {"name": "x"}).content
            )
    valid = send(client, "post", api_url(other_territory, "stakeholders"), _stakeholder_body())
    assert_error(valid, 404, "not_found")
    assert not Stakeholder.objects.filter(territory=other_territory).exists()


def test_public_territory_of_another_member_is_read_only(client, territory):
    outsider = make_user("visitor")
    other = make_member(territory, "facilitator", username="lund-admin")
    assert other  # Lund has its own facilitator
    client.force_login(outsider)
    assert client.get(api_url(territory, "stakeholders")).status_code == 200
    response = send(client, "post", api_url(territory, "stakeholders"), _stakeholder_body())
    assert_error(response, 403, "permission_denied")
    assert_error(client.get(api_url(territory, "memberships")), 403)
