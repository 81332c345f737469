"""API: partnerships with their members and roles, and joint work between stakeholders."""

from __future__ import annotations

import datetime as dt

import pytest

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import Collaboration, Partnership
from cocity.ecosystem.services import collaboration_create, partnership_create
from cocity.programme.services import initiative_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(territory):
    return make_stakeholder(
        territory, name="Lund Municipality", sector="public", type="municipality"
    )


@pytest.fixture
def company(territory):
    return make_stakeholder(territory, name="Sony Mobile", sector="industry", type="large_company")


def _partnership(territory, members, **extra):
    fields = {"name": "Smart lighting", "form": "ppp", **extra}
    return partnership_create(territory=territory, actor=None, members=members, **fields)


# --- partnerships ----------------------------------------------------------------------------


def test_partnership_crud_by_an_officer(client_as, territory, council, company, partner_org):
    initiative = initiative_create(territory=territory, actor=None, title="Street lights")
    client = client_as("officer")
    body = {
        "name": "Smart lighting",
        "form": "ppp",
        "status": "agreed",
        "members": [
            {"stakeholder": council.pk, "role": "lead"},
            {"stakeholder": company.pk, "role": "partner"},
        ],
        "start_date": "2024-03-01",
        "end_date": "2026-02-28",
        "value": "1250000.50",
        "initiatives": [initiative.pk],
    }
    created = send(client, "post", api_url(territory, "partnerships"), body)
    assert created.status_code == 201, created.content
    partnership = created.json()
    assert partnership["members"] == [
        {"stakeholder": council.pk, "name": "Lund Municipality", "role": "lead"},
        {"stakeholder": company.pk, "name": "Sony Mobile", "role": "partner"},
    ]
    assert partnership["value"] == "1250000.50" and partnership["currency"] == "SEK"
    assert partnership["initiatives"] == [initiative.pk]

    url = api_url(territory, "partnerships", partnership["id"])
    new_members = [
        {"stakeholder": council.pk, "role": "funder"},
        {"stakeholder": partner_org.pk, "role": "lead"},
    ]
    changed = send(client, "patch", url, {"status": "active", "members": new_members})
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "active"
    assert {m["stakeholder"]: m["role"] for m in changed.json()["members"]} == {
        council.pk: "funder",
        partner_org.pk: "lead",
    }
    assert changed.json()["start_date"] == "2024-03-01"  # left out, left alone

    assert send(client, "delete", url).status_code == 204
    assert not Partnership.objects.filter(pk=partnership["id"]).exists()


def test_partnership_update_by_a_member_partner_only(
    client_as, territory, council, company, partner_org
):
    ours = _partnership(territory, [(partner_org, "lead"), (council, "partner")], name="Ours")
    theirs = _partnership(territory, [(council, "lead"), (company, "partner")], name="Theirs")
    client = client_as("partner")
    response = send(
        client, "patch", api_url(territory, "partnerships", ours.pk), {"status": "active"}
    )
    assert response.status_code == 200, response.content
    denied = send(
        client, "patch", api_url(territory, "partnerships", theirs.pk), {"status": "lapsed"}
    )
    assert_error(denied, 403, "permission_denied")
    assert_error(send(client, "delete", api_url(territory, "partnerships", ours.pk)), 403)
    theirs.refresh_from_db()
    assert theirs.status == "exploring"


def test_partnership_create_by_a_partner(client_as, territory, council, partner_org):
    body = {
        "name": "Research on lighting",
        "form": "research",
        "members": [{"stakeholder": partner_org.pk}, {"stakeholder": council.pk}],
    }
    response = send(client_as("partner"), "post", api_url(territory, "partnerships"), body)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("role", ["citizen", "observer"])
def test_partnership_writes_are_403_for_readers(client_as, territory, council, company, role):
    existing = _partnership(territory, [(council, "lead"), (company, "partner")])
    client = client_as(role)
    body = {
        "name": "X",
        "form": "ppp",
        "members": [{"stakeholder": council.pk}, {"stakeholder": company.pk}],
    }
    assert_error(send(client, "post", api_url(territory, "partnerships"), body), 403)
    assert_error(
        send(client, "patch", api_url(territory, "partnerships", existing.pk), {"name": "Y"}), 403
    )
    assert_error(send(client, "delete", api_url(territory, "partnerships", existing.pk)), 403)
    assert Partnership.objects.get().name == "Smart lighting"


def test_partnership_drafts_are_hidden_from_citizens_and_the_public(
    client, client_as, territory, council, company, partner_org
):
    draft = _partnership(
        territory, [(council, "lead"), (partner_org, "partner")], name="Secret plan", is_draft=True
    )
    _partnership(territory, [(council, "lead"), (company, "partner")], name="Public plan")
    list_url = api_url(territory, "partnerships")
    detail_url = api_url(territory, "partnerships", draft.pk)

    def names(c):
        return [p["name"] for p in c.get(list_url).json()["items"]]

    assert names(client) == ["Public plan"]
    assert_error(client.get(detail_url), 404)
    citizen = client_as("citizen")
    assert names(citizen) == ["Public plan"]
    assert_error(citizen.get(detail_url), 404)
    assert_error(send(citizen, "patch", detail_url, {"is_draft": False}), 404)
    assert sorted(names(client_as("officer"))) == ["Public plan", "Secret plan"]
    # A partner sees the drafts its organisation belongs to.
    partner = client_as("partner")
    assert sorted(names(partner)) == ["Public plan", "Secret plan"]
    assert partner.get(detail_url).json()["is_draft"] is True


def test_partnership_list_filters(client, territory, council, company, partner_org):
    _partnership(
        territory, [(council, "lead"), (company, "partner")], name="A", form="ppp", status="active"
    )
    _partnership(
        territory, [(council, "lead"), (partner_org, "partner")], name="B", form="research"
    )
    _partnership(
        territory, [(company, "lead"), (partner_org, "partner")], name="C", form="licensing"
    )
    url = api_url(territory, "partnerships")

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return sorted(p["name"] for p in response.json()["items"])

    assert names(form="research") == ["B"]
    assert names(status="active") == ["A"]
    assert names(stakeholder=partner_org.pk) == ["B", "C"]
    assert names(stakeholder=company.pk, form="licensing") == ["C"]
    assert names(q="a") == ["A"]
    assert_error(client.get(url, {"form": "friendship"}), 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"members": "all of them"}, "members"),
        ({"members": [{"stakeholder": "COUNCIL"}]}, "members"),
        (
            {"members": [{"stakeholder": "COUNCIL", "role": "boss"}, {"stakeholder": "COMPANY"}]},
            "members.0.role",
        ),
        ({"members": [{"stakeholder": "COUNCIL"}, {"stakeholder": "COUNCIL"}]}, "members"),
        ({"members": [{"stakeholder": "COUNCIL"}, {"stakeholder": 987654}]}, "members"),
        ({"members": [{"stakeholder": "COUNCIL"}, {"stakeholder": "FOREIGN"}]}, "members"),
        ({"form": "friendship"}, "form"),
        ({"start_date": "01/03/2024"}, "start_date"),
        ({"start_date": "2024-02-30"}, "start_date"),
        ({"start_date": "2024-05-01", "end_date": "2024-04-30"}, "end_date"),
        ({"value": -1}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "1e30"}, "value"),
        ({"value": "12.345"}, "value"),
        ({"value": True}, "value"),
        ({"currency": "kronor"}, "currency"),
        ({"is_draft": "perhaps"}, "is_draft"),
        ({"initiatives": [987654]}, "initiatives"),
    ],
)
def test_partnership_create_rejects_bad_input(
    client_as, territory, other_territory, council, company, change, field
):
    foreign = make_stakeholder(other_territory, name="Bristol Council")
    ids = {"COUNCIL": council.pk, "COMPANY": company.pk, "FOREIGN": foreign.pk}
    body = {
        "name": "P",
        "form": "ppp",
        "members": [{"stakeholder": council.pk}, {"stakeholder": company.pk}],
    }
    body.update(change)
    if isinstance(body["members"], list):
        body["members"] = [
            {**m, "stakeholder": ids.get(m.get("stakeholder"), m.get("stakeholder"))}
            for m in body["members"]
        ]
    response = send(client_as("officer"), "post", api_url(territory, "partnerships"), body)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert "Bristol" not in response.content.decode()
    assert not Partnership.objects.exists()


def test_partnership_update_with_end_before_the_saved_start_is_422(
    client_as, territory, council, company
):
    partnership = _partnership(
        territory, [(council, "lead"), (company, "partner")], start_date=dt.date(2024, 5, 1)
    )
    url = api_url(territory, "partnerships", partnership.pk)
    assert_error(send(client_as("officer"), "patch", url, {"end_date": "2024-01-01"}), 422)
    partnership.refresh_from_db()
    assert partnership.end_date is None


def test_partnership_of_another_territory_is_404(client_as, territory, other_territory):
    a, b = make_stakeholder(other_territory, name="A"), make_stakeholder(other_territory, name="B")
    foreign = _partnership(other_territory, [(a, "lead"), (b, "partner")])
    client = client_as("facilitator")
    for slug in (territory, other_territory):
        url = api_url(slug, "partnerships", foreign.pk)
        assert_error(client.get(url), 404)
        assert_error(send(client, "patch", url, {"name": "Taken"}), 404)
        assert_error(send(client, "delete", url), 404)
    assert Partnership.objects.get(pk=foreign.pk).name == "Smart lighting"


def test_partnership_list_query_count_does_not_grow(
    client_as, territory, council, company, partner_org, django_assert_max_num_queries
):
    initiative = initiative_create(territory=territory, actor=None, title="Street lights")

    def add(start, n):
        for i in range(start, start + n):
            members = [(council, "lead"), (company, "partner"), (partner_org, "advisor")]
            _partnership(territory, members, name=f"P{i:03d}", initiatives=[initiative])

    client = client_as("partner")  # the partner's visibility filter is the costliest
    add(0, 5)
    url = api_url(territory, "partnerships") + "?limit=200"
    few = queries_for_get(client, url)
    add(5, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    items = response.json()["items"]
    assert len(items) == 50 and all(len(p["members"]) == 3 for p in items)


# --- joint work ------------------------------------------------------------------------------


def test_collaboration_crud(client_as, territory, council, company):
    partnership = _partnership(territory, [(council, "lead"), (company, "partner")])
    body = {
        "title": "Lighting workshop",
        "kind": "workshop",
        "date": "2025-02-03",
        "outcome": "positive",
        "stakeholders": [council.pk, company.pk],
        "partnership": partnership.pk,
    }
    created = send(client_as("partner"), "post", api_url(territory, "collaborations"), body)
    assert created.status_code == 201, created.content
    collaboration = created.json()
    assert sorted(collaboration["stakeholders"]) == sorted([council.pk, company.pk])
    assert collaboration["partnership"] == partnership.pk

    url = api_url(territory, "collaborations", collaboration["id"])
    # Partners record joint work; editors correct it.
    assert_error(send(client_as("partner"), "patch", url, {"outcome": "negative"}), 403)
    officer = client_as("officer")
    changed = send(officer, "patch", url, {"outcome": "mixed", "partnership": None})
    assert changed.status_code == 200, changed.content
    assert changed.json()["outcome"] == "mixed" and changed.json()["partnership"] is None
    assert officer.get(url).json()["title"] == "Lighting workshop"
    assert send(officer, "delete", url).status_code == 204
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stakeholders": ["COUNCIL"]}, "stakeholders"),
        ({"stakeholders": ["COUNCIL", "COUNCIL"]}, "stakeholders"),
        ({"stakeholders": ["COUNCIL", "FOREIGN"]}, "stakeholders"),
        ({"partnership": "FOREIGN_PARTNERSHIP"}, "partnership"),
        ({"partnership": "DRAFT"}, "partnership"),
        ({"date": "yesterday"}, "date"),
        ({"date": None}, "date"),
        ({"outcome": "great"}, "outcome"),
        ({"title": "   "}, "title"),
    ],
)
def test_collaboration_create_rejects_bad_input(
    client_as, territory, other_territory, council, company, change, field
):
    a, b = make_stakeholder(other_territory, name="A"), make_stakeholder(other_territory, name="B")
    draft = _partnership(territory, [(council, "lead"), (company, "partner")], is_draft=True)
    ids = {
        "COUNCIL": council.pk,
        "FOREIGN": a.pk,
        "FOREIGN_PARTNERSHIP": _partnership(other_territory, [(a, "lead"), (b, "partner")]).pk,
        "DRAFT": draft.pk,  # the partner is no member of this draft: it does not exist for them
    }
    body = {
        "title": "Workshop",
        "kind": "workshop",
        "date": "2025-02-03",
        "outcome": "positive",
        "stakeholders": [council.pk, company.pk],
    }
    body.update(
        {
            k: [ids.get(i, i) for i in v] if isinstance(v, list) else ids.get(v, v)
            for k, v in change.items()
        }
    )
    response = send(client_as("partner"), "post", api_url(territory, "collaborations"), body)
    assert field in assert_error(response, 422, "validation_error")["fields"]
    assert not Collaboration.objects.exists()


def test_collaboration_list_filters_by_stakeholder(
    client, territory, council, company, partner_org
):
    day = dt.date(2025, 1, 1)
    for title, pair in (
        ("A", [council, company]),
        ("B", [council, partner_org]),
        ("C", [company, partner_org]),
    ):
        collaboration_create(
            territory=territory,
            actor=None,
            title=title,
            kind="meeting",
            date=day,
            outcome="positive",
            stakeholders=pair,
        )
    response = client.get(api_url(territory, "collaborations"), {"stakeholder": partner_org.pk})
    assert sorted(c["title"] for c in response.json()["items"]) == ["B", "C"]
    assert response.json()["count"] == 2


def test_collaboration_list_query_count_does_not_grow(
    client, territory, council, company, django_assert_max_num_queries
):
    partnership = _partnership(territory, [(council, "lead"), (company, "partner")])

    def add(start, n):
        for i in range(start, start + n):
            collaboration_create(
                territory=territory,
                actor=None,
                title=f"Meeting {i}",
                kind="meeting",
                date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                outcome="positive",
                stakeholders=[council, company],
                partnership=partnership,
            )

    add(0, 5)
    url = api_url(territory, "collaborations") + "?limit=200"
    few = queries_for_get(client, url)
    add(5, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.json()["items"]) == 50
