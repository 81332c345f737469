"""API: challenges and initiatives, with progress per layer and drafts kept from readers."""

from __future__ import annotations

import pytest

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_stakeholder
from cocity.programme.models import Challenge, Initiative
from cocity.programme.services import challenge_create, initiative_create
from cocity.territories.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobility(territory):
    return challenge_create(
        territory=territory, actor=None, title="Mobility", mission="planetary_health"
    )


# --- challenges ------------------------------------------------------------------------------


def test_challenge_crud_by_an_officer(client_as, territory):
    client = client_as("officer")
    body = {"title": "Smart energy", "mission": "planetary_health", "cost_of_inaction": "Blackouts"}
    created = send(client, "post", api_url(territory, "challenges"), body)
    assert created.status_code == 201, created.content
    challenge = created.json()
    assert challenge["mission"] == "planetary_health" and challenge["initiatives"] == 0

    url = api_url(territory, "challenges", challenge["id"])
    changed = send(client, "patch", url, {"description": "Peak loads", "is_draft": True})
    assert changed.status_code == 200, changed.content
    assert changed.json()["is_draft"] is True and changed.json()["title"] == "Smart energy"
    assert send(client, "delete", url).status_code == 204
    assert not Challenge.objects.exists()


def test_challenge_drafts_are_hidden_from_citizens_and_the_public(
    client, client_as, territory, mobility
):
    draft = challenge_create(territory=territory, actor=None, title="Lighting", is_draft=True)
    for reader in (client, client_as("citizen")):
        titles = [c["title"] for c in reader.get(api_url(territory, "challenges")).json()["items"]]
        assert titles == ["Mobility"]
        assert_error(reader.get(api_url(territory, "challenges", draft.pk)), 404)
    officer = client_as("officer")
    titles = [c["title"] for c in officer.get(api_url(territory, "challenges")).json()["items"]]
    assert titles == ["Lighting", "Mobility"]


@pytest.mark.parametrize("role", ["partner", "citizen", "observer"])
def test_challenge_writes_are_403_for_non_editors(client_as, territory, mobility, role):
    client = client_as(role)
    assert_error(send(client, "post", api_url(territory, "challenges"), {"title": "X"}), 403)
    assert_error(
        send(client, "patch", api_url(territory, "challenges", mobility.pk), {"title": "Y"}), 403
    )
    assert_error(send(client, "delete", api_url(territory, "challenges", mobility.pk)), 403)
    assert Challenge.objects.get().title == "Mobility"


def test_challenge_create_rejects_bad_input(client_as, territory, mobility):
    client = client_as("officer")
    for body, field in (
        ({"title": "Mobility"}, None),  # taken: a model-wide error
        ({"title": "X", "mission": "wealth"}, "mission"),
        ({"title": None}, "title"),
        ({"title": "X", "is_draft": []}, "is_draft"),
    ):
        error = assert_error(send(client, "post", api_url(territory, "challenges"), body), 422)
        if field:
            assert field in error["fields"], error
    assert Challenge.objects.count() == 1


def test_challenge_list_query_count_does_not_grow(client, territory, django_assert_max_num_queries):
    for i in range(5):
        challenge_create(territory=territory, actor=None, title=f"Challenge {i:03d}")
    url = api_url(territory, "challenges") + "?limit=200"
    few = queries_for_get(client, url)
    for i in range(5, 50):
        challenge_create(territory=territory, actor=None, title=f"Challenge {i:03d}")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.json()["items"]) == 50


# --- initiatives -----------------------------------------------------------------------------


def test_initiative_crud_with_layer_progress(client_as, territory, mobility, partner_org):
    lead = make_stakeholder(territory, name="Lund Municipality")
    area = Area.objects.create(territory=territory, code="C1", name="Centrum")
    client = client_as("officer")
    body = {
        "title": "Smart parking",
        "stage": "pilot",
        "lead": lead.pk,
        "partners": [partner_org.pk],
        "challenges": [mobility.pk],
        "areas": [area.pk],
        "layers": {"analogue": 40, "sensing": 70, "data": 20},
        "budget": "2500000",
        "start_date": "2025-01-01",
        "end_date": "2026-06-30",
    }
    created = send(client, "post", api_url(territory, "initiatives"), body)
    assert created.status_code == 201, created.content
    initiative = created.json()
    assert initiative["layers"] == {"analogue": 40, "sensing": 70, "data": 20}
    assert (
        initiative["lead"],
        initiative["partners"],
        initiative["challenges"],
        initiative["areas"],
    ) == (
        lead.pk,
        [partner_org.pk],
        [mobility.pk],
        [area.pk],
    )
    assert initiative["budget"] == "2500000.00" and initiative["currency"] == "SEK"

    url = api_url(territory, "initiatives", initiative["id"])
    changed = send(
        client, "patch", url, {"stage": "scale_up", "layers": {"platforms": 10}, "lead": None}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["layers"] == {"platforms": 10}
    assert changed.json()["stage"] == "scale_up" and changed.json()["lead"] is None
    assert changed.json()["partners"] == [partner_org.pk]  # left out, left alone

    assert client.get(url).json()["title"] == "Smart parking"
    assert send(client, "delete", url).status_code == 204
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"layers": {"analogue": 101}}, "layers.analogue"),
        ({"layers": {"analogue": -1}}, "layers.analogue"),
        ({"layers": {"cloud": 10}}, "layers.cloud"),
        ({"layers": [40, 50]}, "layers"),
        ({"layers": {"data": "half"}}, "layers.data"),
        ({"stage": "dream"}, "stage"),
        ({"lead": "FOREIGN"}, "lead"),
        ({"partners": ["FOREIGN"]}, "partners"),
        ({"challenges": ["FOREIGN_CHALLENGE"]}, "challenges"),
        ({"areas": [987654]}, "areas"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "1" * 20}, "budget"),
        ({"start_date": "2025-06-01", "end_date": "2025-01-01"}, "end_date"),
        ({"end_date": "2025-13-01"}, "end_date"),
        ({"funding": "x" * 301}, "funding"),
    ],
)
def test_initiative_create_rejects_bad_input(client_as, territory, other_territory, change, field):
    ids = {
        "FOREIGN": make_stakeholder(other_territory, name="Bristol Council").pk,
        "FOREIGN_CHALLENGE": challenge_create(
            territory=other_territory, actor=None, title="Floods"
        ).pk,
    }
    body = {"title": "Parking"}
    for key, value in change.items():
        if isinstance(value, list):
            body[key] = [ids.get(v, v) if isinstance(v, str) else v for v in value]
        else:
            body[key] = ids.get(value, value) if isinstance(value, str) else value
    response = send(client_as("officer"), "post", api_url(territory, "initiatives"), body)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert "Bristol" not in response.content.decode() and "Floods" not in response.content.decode()
    assert not Initiative.objects.exists()


def test_initiative_drafts_are_hidden_from_citizens_and_the_public(client, client_as, territory):
    initiative_create(territory=territory, actor=None, title="Public wifi")
    draft = initiative_create(
        territory=territory, actor=None, title="Face recognition", is_draft=True
    )
    for reader in (client, client_as("citizen"), client_as("partner")):
        titles = [i["title"] for i in reader.get(api_url(territory, "initiatives")).json()["items"]]
        assert titles == ["Public wifi"]
        assert_error(reader.get(api_url(territory, "initiatives", draft.pk)), 404)
    officer = client_as("officer")
    assert officer.get(api_url(territory, "initiatives")).json()["count"] == 2
    assert officer.get(api_url(territory, "initiatives", draft.pk)).json()["is_draft"] is True


def test_initiative_list_filters_by_stage_challenge_and_stakeholder(
    client, territory, mobility, partner_org
):
    initiative_create(
        territory=territory, actor=None, title="Bike sharing", stage="pilot", challenges=[mobility]
    )
    initiative_create(
        territory=territory, actor=None, title="Open data", stage="pilot", lead=partner_org
    )
    initiative_create(
        territory=territory, actor=None, title="Sensors", stage="idea", challenges=[mobility]
    )
    url = api_url(territory, "initiatives")

    def titles(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return [i["title"] for i in response.json()["items"]]

    assert titles(stage="pilot") == ["Bike sharing", "Open data"]
    assert titles(challenge=mobility.pk) == ["Bike sharing", "Sensors"]
    assert titles(stage="pilot", challenge=mobility.pk) == ["Bike sharing"]
    assert titles(stakeholder=partner_org.pk) == ["Open data"]
    assert titles(q="sens") == ["Sensors"]
    assert titles(limit=1, offset=1) == ["Open data"]
    assert_error(client.get(url, {"stage": "dream"}), 422)


def test_initiative_of_another_territory_is_404(client_as, territory, other_territory):
    foreign = initiative_create(territory=other_territory, actor=None, title="Harbour sensors")
    client = client_as("facilitator")
    for slug in (territory, other_territory):
        url = api_url(slug, "initiatives", foreign.pk)
        assert_error(client.get(url), 404)
        assert_error(send(client, "patch", url, {"title": "Ours now"}), 404)
        assert_error(send(client, "delete", url), 404)
    assert Initiative.objects.get(pk=foreign.pk).title == "Harbour sensors"


def test_initiative_list_query_count_does_not_grow(
    client, territory, mobility, partner_org, django_assert_max_num_queries
):
    area = Area.objects.create(territory=territory, code="C1", name="Centrum")

    def add(start, n):
        for i in range(start, start + n):
            initiative_create(
                territory=territory,
                actor=None,
                title=f"Initiative {i:03d}",
                lead=partner_org,
                partners=[partner_org],
                challenges=[mobility],
                areas=[area],
                layers={"analogue": 10, "data": 50},
            )

    add(0, 5)
    url = api_url(territory, "initiatives") + "?limit=200"
    few = queries_for_get(client, url)
    add(5, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    items = response.json()["items"]
    assert len(items) == 50 and all(i["layers"] == {"analogue": 10, "data": 50} for i in items)
