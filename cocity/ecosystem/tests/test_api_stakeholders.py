"""API: the stakeholder directory, as each role may read and change it."""

from __future__ import annotations

import pytest

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import Stakeholder
from cocity.territories.models import Area, Cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def energy(territory):
    return Cluster.objects.create(territory=territory, name="Energy")


@pytest.fixture
def centrum(territory):
    return Area.objects.create(territory=territory, code="C1", name="Centrum")


def test_stakeholder_crud_by_an_officer(client_as, territory, energy, centrum):
    client = client_as("officer")
    body = {
        "name": "Kraftringen",
        "sector": "industry",
        "type": "utility",
        "website": "https://kraftringen.se",
        "leader_role": "Chief Digital Officer",
        "clusters": [energy.pk],
        "areas": [centrum.pk],
    }
    created = send(client, "post", api_url(territory, "stakeholders"), body)
    assert created.status_code == 201, created.content
    stakeholder = created.json()
    assert stakeholder["clusters"] == [energy.pk] and stakeholder["areas"] == [centrum.pk]
    assert stakeholder["type"] == "utility"

    url = api_url(territory, "stakeholders", stakeholder["id"])
    assert client.get(url).json()["name"] == "Kraftringen"

    changed = send(client, "patch", url, {"description": "District heating", "areas": []})
    assert changed.status_code == 200, changed.content
    assert changed.json()["description"] == "District heating"
    assert changed.json()["areas"] == [] and changed.json()["clusters"] == [energy.pk]

    assert send(client, "delete", url).status_code == 204
    assert not Stakeholder.objects.filter(pk=stakeholder["id"]).exists()
    assert_error(client.get(url), 404, "not_found")


def test_stakeholder_update_by_the_partner_it_represents_only(client_as, territory, partner_org):
    other = make_stakeholder(territory, name="Sony Mobile", sector="industry")
    client = client_as("partner")
    own = send(
        client, "patch", api_url(territory, "stakeholders", partner_org.pk), {"description": "Ours"}
    )
    assert own.status_code == 200, own.content
    assert_error(
        send(
            client,
            "patch",
            api_url(territory, "stakeholders", other.pk),
            {"description": "Not ours"},
        ),
        403,
    )
    assert_error(send(client, "delete", api_url(territory, "stakeholders", partner_org.pk)), 403)
    other.refresh_from_db()
    assert other.description == ""


@pytest.mark.parametrize("role", ["citizen", "observer"])
def test_stakeholder_writes_are_403_for_readers(client_as, territory, partner_org, role):
    client = client_as(role)
    body = {"name": "New Org", "sector": "civil"}
    assert_error(
        send(client, "post", api_url(territory, "stakeholders"), body), 403, "permission_denied"
    )
    assert_error(
        send(client, "patch", api_url(territory, "stakeholders", partner_org.pk), {"name": "X"}),
        403,
    )
    assert_error(send(client, "delete", api_url(territory, "stakeholders", partner_org.pk)), 403)
    assert Stakeholder.objects.filter(territory=territory).count() == 1


def test_stakeholder_writes_are_401_for_anonymous_callers(client, territory, partner_org):
    assert_error(
        send(client, "patch", api_url(territory, "stakeholders", partner_org.pk), {"name": "X"}),
        401,
    )
    assert_error(send(client, "delete", api_url(territory, "stakeholders", partner_org.pk)), 401)
    assert Stakeholder.objects.filter(pk=partner_org.pk, name="Lund University").exists()


def test_stakeholder_list_is_public_on_a_public_territory(client, territory, partner_org):
    page = client.get(api_url(territory, "stakeholders")).json()
    assert [s["name"] for s in page["items"]] == ["Lund University"]


def test_stakeholder_list_filters_and_paginates(client, territory, energy, centrum):
    for i in range(12):
        s = make_stakeholder(territory, name=f"Solar Co {i:02d}", sector="industry", type="sme")
        if i % 2:
            s.clusters.add(energy)
        if i % 3 == 0:
            s.areas.add(centrum)
    make_stakeholder(territory, name="Harbour Residents", sector="citizens", type="residents")
    url = api_url(territory, "stakeholders")

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return [s["name"] for s in response.json()["items"]]

    assert names(q="harbour") == ["Harbour Residents"]
    assert names(sector="citizens") == ["Harbour Residents"]
    assert names(type="residents") == ["Harbour Residents"]
    assert names(cluster=energy.pk) == [f"Solar Co {i:02d}" for i in range(1, 12, 2)]
    assert names(area=centrum.pk) == ["Solar Co 00", "Solar Co 03", "Solar Co 06", "Solar Co 09"]
    assert names(sector="industry", limit=5, offset=10) == ["Solar Co 10", "Solar Co 11"]
    assert client.get(url, {"sector": "industry", "limit": 5}).json()["count"] == 12
    assert names(cluster=987654) == []


def test_stakeholder_create_rejects_related_ids_of_another_territory(
    client_as, territory, other_territory
):
    foreign_cluster = Cluster.objects.create(territory=other_territory, name="Secret cluster")
    foreign_area = Area.objects.create(territory=other_territory, code="BS1", name="Harbourside")
    body = {
        "name": "Sneaky",
        "sector": "industry",
        "clusters": [foreign_cluster.pk],
        "areas": [foreign_area.pk],
    }
    response = send(client_as("officer"), "post", api_url(territory, "stakeholders"), body)
    error = assert_error(response, 422, "validation_error")
    assert "clusters" in error["fields"]
    assert "Secret" not in response.content.decode()
    assert not Stakeholder.objects.filter(name="Sneaky").exists()


def test_stakeholder_update_rejects_related_ids_of_another_territory(
    client_as, territory, other_territory, partner_org
):
    foreign_area = Area.objects.create(territory=other_territory, code="BS1", name="Harbourside")
    url = api_url(territory, "stakeholders", partner_org.pk)
    response = send(
        client_as("officer"), "patch", url, {"areas": [foreign_area.pk], "name": "Renamed"}
    )
    assert "areas" in assert_error(response, 422)["fields"]
    partner_org.refresh_from_db()
    assert partner_org.name == "Lund University"  # nothing of the request was saved
    assert partner_org.areas.count() == 0


def test_stakeholder_create_with_a_taken_name_is_422(client_as, territory, partner_org):
    body = {"name": "Lund University", "sector": "academia"}
    assert_error(send(client_as("officer"), "post", api_url(territory, "stakeholders"), body), 422)
    assert Stakeholder.objects.filter(name="Lund University").count() == 1


def test_stakeholder_of_another_territory_is_404(client_as, territory, other_territory):
    foreign = make_stakeholder(other_territory, name="Bristol Council")
    client = client_as("facilitator")
    for method, body in (("get", None), ("patch", {"name": "Mine"}), ("delete", None)):
        assert_error(
            send(client, method, api_url(territory, "stakeholders", foreign.pk), body), 404
        )
        assert_error(
            send(client, method, api_url(other_territory, "stakeholders", foreign.pk), body), 404
        )
    assert Stakeholder.objects.get(pk=foreign.pk).name == "Bristol Council"


def test_stakeholder_list_query_count_does_not_grow(
    client, territory, energy, centrum, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            s = make_stakeholder(territory, name=f"Org {i:03d}")
            s.clusters.add(energy)
            s.areas.add(centrum)

    add(5, 0)
    url = api_url(territory, "stakeholders") + "?limit=200"
    few = queries_for_get(client, url)
    add(45, 5)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.json()["items"]) == 50
    assert all(s["clusters"] == [energy.pk] for s in response.json()["items"])
