"""API: informal cross-sector leadership teams, their members by formal role."""

from __future__ import annotations

import pytest

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import LeadershipTeam
from cocity.ecosystem.services import leadership_team_create
from cocity.programme.services import challenge_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(territory):
    return make_stakeholder(territory, name="Lund Municipality", sector="public")


@pytest.fixture
def company(territory):
    return make_stakeholder(territory, name="Sony Mobile", sector="industry")


def test_leadership_team_crud_by_an_officer(client_as, territory, council, company, partner_org):
    challenge = challenge_create(territory=territory, actor=None, title="Mobility")
    client = client_as("officer")
    body = {
        "name": "Mobility leaders",
        "theme": "Low-traffic centre",
        "challenge": challenge.pk,
        "members": [
            {"stakeholder": council.pk, "role_title": "Head of Transport"},
            {"stakeholder": company.pk, "role_title": "CTO"},
        ],
    }
    created = send(client, "post", api_url(territory, "leadership-teams"), body)
    assert created.status_code == 201, created.content
    team = created.json()
    assert team["challenge"] == challenge.pk
    assert {(m["name"], m["role_title"]) for m in team["members"]} == {
        ("Lund Municipality", "Head of Transport"),
        ("Sony Mobile", "CTO"),
    }

    url = api_url(territory, "leadership-teams", team["id"])
    members = [
        {"stakeholder": council.pk, "role_title": "Head of Transport"},
        {"stakeholder": partner_org.pk, "role_title": "Professor of Urban Studies"},
    ]
    changed = send(
        client, "patch", url, {"name": "Mobility board", "members": members, "challenge": None}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Mobility board" and changed.json()["challenge"] is None
    assert {m["stakeholder"] for m in changed.json()["members"]} == {council.pk, partner_org.pk}
    assert changed.json()["theme"] == "Low-traffic centre"

    assert send(client, "delete", url).status_code == 204
    assert not LeadershipTeam.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "members": [
                    {"stakeholder": "COUNCIL", "role_title": "A"},
                    {"stakeholder": "COUNCIL2", "role_title": "B"},
                ]
            },
            "members",
        ),
        ({"members": [{"stakeholder": "COUNCIL", "role_title": ""}]}, "members.0.role_title"),
        (
            {
                "members": [
                    {"stakeholder": "COUNCIL", "role_title": "Mayor Anna Svensson", "email": "a@b"}
                ]
            },
            "members.0.email",
        ),
        (
            {
                "members": [
                    {"stakeholder": "COUNCIL", "role_title": "A"},
                    {"stakeholder": "FOREIGN", "role_title": "B"},
                ]
            },
            "members",
        ),
        ({"challenge": "FOREIGN_CHALLENGE"}, "challenge"),
        ({"challenge": 0}, "challenge"),
        ({"name": ""}, "name"),
    ],
)
def test_leadership_team_create_rejects_bad_input(
    client_as, territory, other_territory, council, change, field
):
    ids = {
        "COUNCIL": council.pk,
        "COUNCIL2": make_stakeholder(territory, name="Region Skåne", sector="public").pk,
        "FOREIGN": make_stakeholder(other_territory, name="Bristol Council", sector="industry").pk,
        "FOREIGN_CHALLENGE": challenge_create(
            territory=other_territory, actor=None, title="Floods"
        ).pk,
    }
    body = {"name": "Team", **change}
    if "members" in change:
        body["members"] = [{**m, "stakeholder": ids[m["stakeholder"]]} for m in change["members"]]
    if isinstance(change.get("challenge"), str):
        body["challenge"] = ids[change["challenge"]]
    response = send(client_as("officer"), "post", api_url(territory, "leadership-teams"), body)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert "Bristol" not in response.content.decode() and "Floods" not in response.content.decode()
    assert not LeadershipTeam.objects.exists()


@pytest.mark.parametrize("role", ["partner", "citizen", "observer"])
def test_leadership_team_writes_are_403_for_non_editors(client_as, territory, council, role):
    team = leadership_team_create(territory=territory, actor=None, name="Board")
    client = client_as(role)
    assert_error(send(client, "post", api_url(territory, "leadership-teams"), {"name": "X"}), 403)
    assert_error(
        send(client, "patch", api_url(territory, "leadership-teams", team.pk), {"name": "Y"}), 403
    )
    assert_error(send(client, "delete", api_url(territory, "leadership-teams", team.pk)), 403)
    assert LeadershipTeam.objects.get().name == "Board"


def test_leadership_team_list_is_public_and_query_count_does_not_grow(
    client, territory, council, company, django_assert_max_num_queries
):
    def add(start, n):
        for i in range(start, start + n):
            leadership_team_create(
                territory=territory,
                actor=None,
                name=f"Team {i:03d}",
                members=[(council, "Head of Digital"), (company, "CTO")],
            )

    add(0, 5)
    url = api_url(territory, "leadership-teams") + "?limit=200"
    few = queries_for_get(client, url)
    add(5, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    items = response.json()["items"]
    assert len(items) == 50 and all(len(t["members"]) == 2 for t in items)
    assert items[0]["name"] == "Team 000"
