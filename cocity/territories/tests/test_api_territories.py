"""API: territories each caller can read, areas with GeoJSON, memberships for facilitators."""

from __future__ import annotations

import pytest

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_member, make_stakeholder, make_territory, make_user
from cocity.territories.models import Area, Cluster, Membership

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[13.18, 55.70], [13.20, 55.70], [13.20, 55.72], [13.18, 55.72], [13.18, 55.70]]
    ],
}


def _slugs(response):
    assert response.status_code == 200, response.content
    return [t["slug"] for t in response.json()["items"]]


# --- territories -----------------------------------------------------------------------------


def test_territory_list_shows_public_ones_to_anonymous_callers(client, territory, other_territory):
    response = client.get("/api/v1/territories/")
    assert _slugs(response) == ["lund"]
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["role"] is None


def test_territory_list_adds_the_callers_own_private_ones_with_role(
    client, territory, other_territory
):
    user = make_member(other_territory, "officer", username="bo")
    client.force_login(user)
    items = client.get("/api/v1/territories/").json()["items"]
    assert {t["slug"]: t["role"] for t in items} == {"bristol": "officer", "lund": None}


def test_territory_list_shows_everything_to_staff(client, territory, other_territory):
    client.force_login(make_user("admin", is_staff=True))
    assert _slugs(client.get("/api/v1/territories/")) == ["bristol", "lund"]


def test_territory_detail_with_clusters_and_parent(client, territory):
    region = make_territory(name="Skåne", slug="skane", kind="region")
    territory.parent = region
    territory.save()
    Cluster.objects.create(territory=territory, name="Life sciences")
    body = client.get(api_url(territory)).json()
    assert body["parent"] == "skane"
    assert [c["name"] for c in body["clusters"]] == ["Life sciences"]
    assert body["currency"] == "SEK"


def test_territory_detail_private_is_404_to_outsiders(client, client_as, other_territory):
    assert_error(client.get(api_url(other_territory)), 404, "not_found")
    assert_error(client.get(api_url(other_territory, "stakeholders")), 404, "not_found")
    assert_error(client_as("facilitator").get(api_url(other_territory)), 404, "not_found")


def test_territory_detail_private_is_readable_by_its_members(client, other_territory):
    client.force_login(make_member(other_territory, "citizen", username="bea"))
    body = client.get(api_url(other_territory)).json()
    assert (body["slug"], body["is_public"], body["role"]) == ("bristol", False, "citizen")


def test_territory_list_paginates_with_a_count(client):
    for i in range(7):
        make_territory(name=f"Town {i}", slug=f"town-{i}")
    page = client.get("/api/v1/territories/", {"limit": 3, "offset": 3}).json()
    assert page["count"] == 7
    assert (page["limit"], page["offset"]) == (3, 3)
    assert [t["slug"] for t in page["items"]] == ["town-3", "town-4", "town-5"]
    past_the_end = client.get("/api/v1/territories/", {"offset": 100}).json()
    assert past_the_end["items"] == [] and past_the_end["count"] == 7


# --- areas -----------------------------------------------------------------------------------


def test_area_crud_by_an_officer(client_as, territory):
    client = client_as("officer")
    body = {
        "code": "E01012345",
        "name": "Norra Fäladen",
        "geometry": SQUARE,
        "population": 4200,
        "deprivation_decile": 3,
        "indicators": {"broadband_share": 0.82, "notes": ["fibre 2023"]},
    }
    created = send(client, "post", api_url(territory, "areas"), body)
    assert created.status_code == 201, created.content
    area = created.json()
    assert area["geometry"] == SQUARE and area["indicators"]["broadband_share"] == 0.82

    url = api_url(territory, "areas", area["id"])
    assert client.get(url).json()["name"] == "Norra Fäladen"
    updated = send(client, "patch", url, {"population": 4300, "geometry": None})
    assert updated.status_code == 200, updated.content
    assert updated.json()["population"] == 4300 and updated.json()["geometry"] is None
    assert updated.json()["code"] == "E01012345"  # left out, left alone

    listed = client.get(api_url(territory, "areas")).json()
    assert [a["code"] for a in listed["items"]] == ["E01012345"]

    assert send(client, "delete", url).status_code == 204
    assert not Area.objects.filter(pk=area["id"]).exists()
    assert_error(client.get(url), 404)


def test_area_list_filters_by_text(client, territory):
    Area.objects.create(territory=territory, code="A1", name="Centrum")
    Area.objects.create(territory=territory, code="B2", name="Linero")
    found = client.get(api_url(territory, "areas"), {"q": "lin"}).json()
    assert [a["code"] for a in found["items"]] == ["B2"]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [13.2, 55.7]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "13,55"},
        {"type": "Polygon", "coordinates": [[[13.18, 55.70], [13.20, 55.70], [13.18, 55.70]]]},
        {"type": "Polygon", "coordinates": [[[200, 55], [201, 55], [201, 56], [200, 55]]]},
        {"type": "Polygon", "coordinates": [[[13, 55], [14, 55], [14, 56], [13, 57]]]},
        {"type": "Polygon", "coordinates": [[["13", 55], [14, 55], [14, 56], ["13", 55]]]},
        {"type": "MultiPolygon", "coordinates": []},
        "POLYGON((13 55, 14 55, 14 56, 13 55))",
    ],
    ids=[
        "point",
        "no-coords",
        "coords-text",
        "short-ring",
        "lon-range",
        "open-ring",
        "strings",
        "empty-multi",
        "wkt",
    ],
)
def test_area_create_rejects_geometry_that_is_not_a_wgs84_polygon(client_as, territory, geometry):
    body = {"code": "X1", "name": "X", "geometry": geometry}
    response = send(client_as("officer"), "post", api_url(territory, "areas"), body)
    assert "geometry" in assert_error(response, 422, "validation_error")["fields"]
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "X1", "name": "X", "population": -5}, "population"),
        ({"code": "X1", "name": "X", "population": 10**30}, "population"),
        ({"code": "X1", "name": "X", "population": 1.5}, "population"),
        ({"code": "X1", "name": "X", "deprivation_decile": 11}, "deprivation_decile"),
        ({"code": "X1", "name": "X", "indicators": [1, 2]}, "indicators"),
        ({"code": "X1", "name": "X", "indicators": {"a\x00": 1}}, "indicators"),
        ({"code": "", "name": "X"}, "code"),
    ],
)
def test_area_create_rejects_out_of_range_values(client_as, territory, body, field):
    response = send(client_as("officer"), "post", api_url(territory, "areas"), body)
    assert field in assert_error(response, 422)["fields"]


def test_area_create_twice_with_one_code_is_422(client_as, territory):
    client = client_as("officer")
    assert (
        send(client, "post", api_url(territory, "areas"), {"code": "X1", "name": "X"}).status_code
        == 201
    )
    again = send(client, "post", api_url(territory, "areas"), {"code": "X1", "name": "Y"})
    assert_error(again, 422, "validation_error")
    assert Area.objects.count() == 1


@pytest.mark.parametrize("role", ["partner", "citizen", "observer"])
def test_area_writes_are_403_for_roles_that_do_not_edit(client_as, territory, role):
    area = Area.objects.create(territory=territory, code="A1", name="Centrum")
    client = client_as(role)
    assert_error(send(client, "post", api_url(territory, "areas"), {"code": "X", "name": "X"}), 403)
    assert_error(send(client, "patch", api_url(territory, "areas", area.pk), {"name": "Y"}), 403)
    assert_error(send(client, "delete", api_url(territory, "areas", area.pk)), 403)
    area.refresh_from_db()
    assert area.name == "Centrum"


def test_area_writes_are_401_for_anonymous_callers(client, territory):
    area = Area.objects.create(territory=territory, code="A1", name="Centrum")
    assert_error(send(client, "post", api_url(territory, "areas"), {"code": "X", "name": "X"}), 401)
    assert_error(send(client, "delete", api_url(territory, "areas", area.pk)), 401)
    assert Area.objects.filter(pk=area.pk).exists()


def test_area_of_another_territory_is_404(client_as, territory, other_territory):
    foreign = Area.objects.create(territory=other_territory, code="BS1", name="Harbourside")
    public_elsewhere = make_territory(name="Malmö", slug="malmo")
    seen_elsewhere = Area.objects.create(territory=public_elsewhere, code="M1", name="Möllan")
    client = client_as("facilitator")
    # Asked for under Lund, another territory's area does not exist.
    for pk in (foreign.pk, seen_elsewhere.pk):
        assert_error(client.get(api_url(territory, "areas", pk)), 404)
        assert_error(send(client, "patch", api_url(territory, "areas", pk), {"name": "Mine"}), 404)
        assert_error(send(client, "delete", api_url(territory, "areas", pk)), 404)
    # Under its own public territory it is readable, but a Lund facilitator may not change it.
    assert client.get(api_url(public_elsewhere, "areas", seen_elsewhere.pk)).status_code == 200
    assert_error(
        send(
            client, "patch", api_url(public_elsewhere, "areas", seen_elsewhere.pk), {"name": "Mine"}
        ),
        403,
    )
    assert Area.objects.get(pk=seen_elsewhere.pk).name == "Möllan"


def test_area_list_query_count_does_not_grow(client, territory, django_assert_max_num_queries):
    for i in range(5):
        Area.objects.create(
            territory=territory, code=f"A{i:03d}", name=f"Area {i}", geometry=SQUARE
        )
    url = api_url(territory, "areas") + "?limit=200"
    few = queries_for_get(client, url)
    for i in range(5, 50):
        Area.objects.create(
            territory=territory, code=f"A{i:03d}", name=f"Area {i}", geometry=SQUARE
        )
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.json()["items"]) == 50


# --- memberships -----------------------------------------------------------------------------


def test_membership_crud_by_a_facilitator(client_as, territory, partner_org):
    client = client_as("facilitator")
    newcomer = make_user("nadia")
    created = send(
        client,
        "post",
        api_url(territory, "memberships"),
        {"username": "nadia", "role": "partner", "stakeholder": partner_org.pk},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "username": "nadia",
        "role": "partner",
        "stakeholder": partner_org.pk,
    }

    url = api_url(territory, "memberships", body["id"])
    changed = send(client, "patch", url, {"role": "officer"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["role"] == "officer" and changed.json()["stakeholder"] is None

    usernames = [
        m["username"] for m in client.get(api_url(territory, "memberships")).json()["items"]
    ]
    assert "nadia" in usernames

    assert send(client, "delete", url).status_code == 204
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "nobody-here", "role": "officer"}, "username"),
        ({"username": "nadia", "role": "mayor"}, "role"),
        ({"username": "nadia", "role": "partner"}, "stakeholder"),
        ({"username": "nadia", "role": "partner", "stakeholder": 987654}, "stakeholder"),
    ],
)
def test_membership_create_rejects_bad_input(client_as, territory, body, field):
    make_user("nadia")
    response = send(client_as("facilitator"), "post", api_url(territory, "memberships"), body)
    assert field in assert_error(response, 422)["fields"]


def test_membership_create_rejects_a_stakeholder_of_another_territory(
    client_as, territory, other_territory
):
    make_user("nadia")
    foreign = make_stakeholder(other_territory, name="Bristol Council")
    body = {"username": "nadia", "role": "partner", "stakeholder": foreign.pk}
    response = send(client_as("facilitator"), "post", api_url(territory, "memberships"), body)
    error = assert_error(response, 422)
    assert "stakeholder" in error["fields"]
    assert "Bristol" not in response.content.decode()  # nothing about the other territory leaks


def test_membership_delete_keeps_the_last_facilitator(client_as, territory, users):
    client = client_as("facilitator")
    own = Membership.objects.get(user=users["facilitator"], territory=territory)
    response = send(client, "delete", api_url(territory, "memberships", own.pk))
    assert_error(response, 422, "validation_error")
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("role", ["officer", "partner", "citizen", "observer"])
def test_membership_list_is_for_facilitators_only(client_as, territory, role):
    assert_error(client_as(role).get(api_url(territory, "memberships")), 403, "permission_denied")


def test_membership_list_is_401_for_anonymous_callers(client, territory, users):
    assert_error(client.get(api_url(territory, "memberships")), 401)


def test_membership_of_another_territory_is_unreachable(client_as, territory, other_territory):
    insider = make_member(other_territory, "facilitator", username="bristol-admin")
    foreign = Membership.objects.get(user=insider)
    client = client_as("facilitator")
    assert_error(client.get(api_url(other_territory, "memberships")), 404)
    assert_error(client.get(api_url(territory, "memberships", foreign.pk)), 404)
    assert_error(
        send(client, "patch", api_url(territory, "memberships", foreign.pk), {"role": "citizen"}),
        404,
    )
    assert_error(send(client, "delete", api_url(territory, "memberships", foreign.pk)), 404)
    foreign.refresh_from_db()
    assert foreign.role == "facilitator"


def test_membership_list_query_count_does_not_grow(
    client_as, territory, partner_org, django_assert_max_num_queries
):
    client = client_as("facilitator")
    url = api_url(territory, "memberships") + "?limit=200"
    few = queries_for_get(client, url)
    for i in range(45):
        make_member(territory, "partner", stakeholder=partner_org, username=f"p{i}")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.json()["count"] == 50
