"""The stakeholder directory, stakeholder and partnership pages, as each role sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cocity.core.testing import make_member, make_stakeholder
from cocity.ecosystem.models import Partnership, Stakeholder
from cocity.ecosystem.services import partnership_create, trust_rating_create
from cocity.territories.models import Cluster

pytestmark = pytest.mark.django_db


def _url(name, territory, *args):
    return reverse(f"ecosystem:{name}", args=[territory.slug, *args])


def test_stakeholder_list_search_filter_and_paginate(client, territory):
    energy = Cluster.objects.create(territory=territory, name="Energy")
    for i in range(30):
        s = make_stakeholder(territory, name=f"Solar Co {i:02d}", sector="industry", type="sme")
        if i % 2:
            s.clusters.add(energy)
    make_stakeholder(territory, name="Harbour Residents", sector="citizens", type="residents")

    page1 = client.get(_url("stakeholder_list", territory))
    assert page1.status_code == 200
    assert "Page 1 of 2" in page1.content.decode()

    found = client.get(_url("stakeholder_list", territory), {"q": "harbour"})
    assert "Harbour Residents" in found.content.decode()
    assert "Solar Co 01" not in found.content.decode()

    by_sector = client.get(_url("stakeholder_list", territory), {"sector": "citizens"})
    assert "Harbour Residents" in by_sector.content.decode()
    assert "Solar Co" not in by_sector.content.decode()

    by_cluster = client.get(_url("stakeholder_list", territory), {"cluster": energy.pk})
    body = by_cluster.content.decode()
    assert "Solar Co 01" in body and "Solar Co 02" not in body

    junk = client.get(_url("stakeholder_list", territory), {"page": "9999", "sector": "nonsense"})
    assert junk.status_code == 200


def test_stakeholder_list_query_count_does_not_grow(
    client, territory, django_assert_max_num_queries
):
    energy = Cluster.objects.create(territory=territory, name="Energy")
    for i in range(5):
        make_stakeholder(territory, name=f"A{i}").clusters.add(energy)
    with django_assert_max_num_queries(8) as few:
        client.get(_url("stakeholder_list", territory))
    for i in range(20):
        make_stakeholder(territory, name=f"B{i}").clusters.add(energy)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("stakeholder_list", territory))


def test_partnership_list_query_count_does_not_grow(
    client, territory, django_assert_max_num_queries
):
    orgs = [make_stakeholder(territory, name=f"Org {i}") for i in range(6)]

    def add(n):
        for i in range(n):
            partnership_create(
                territory=territory,
                actor=None,
                name=f"P{Partnership.objects.count()}",
                form="research",
                members=[(orgs[i % 6], "lead"), (orgs[(i + 1) % 6], "partner")],
            )

    add(3)
    with django_assert_max_num_queries(10) as few:
        client.get(_url("partnership_list", territory))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("partnership_list", territory))


def test_stakeholder_create_by_officer_shows_errors_beside_fields(client_as, territory):
    client = client_as("officer")
    bad = client.post(_url("stakeholder_create", territory), {"name": "", "sector": "nope"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'id="id_name_error1"' in body and 'id="id_sector_error1"' in body
    assert not Stakeholder.objects.filter(territory=territory, name="").exists()

    ok = client.post(
        _url("stakeholder_create", territory),
        {"name": "Norrhamn Energi", "sector": "industry", "type": "utility"},
    )
    created = Stakeholder.objects.get(territory=territory, name="Norrhamn Energi")
    assert ok.status_code == 302 and ok.url == _url("stakeholder_detail", territory, created.pk)


def test_stakeholder_create_rejects_duplicate_name(client_as, territory, partner_org):
    response = client_as("officer").post(
        _url("stakeholder_create", territory), {"name": partner_org.name, "sector": "academia"}
    )
    assert response.status_code == 400
    assert Stakeholder.objects.filter(territory=territory, name=partner_org.name).count() == 1


@pytest.mark.parametrize("role", ["citizen", "observer"])
def test_stakeholder_create_denied_to_readers(client_as, territory, role):
    response = client_as(role).post(
        _url("stakeholder_create", territory), {"name": "X", "sector": "public"}
    )
    assert response.status_code == 403
    assert not Stakeholder.objects.filter(name="X").exists()


def test_stakeholder_create_sends_anonymous_to_login(client, territory):
    response = client.get(_url("stakeholder_create", territory))
    assert response.status_code == 302 and reverse("login") in response.url


def test_partner_edits_own_organisation_only(client_as, territory, partner_org):
    other = make_stakeholder(territory, name="City Hall")
    client = client_as("partner")
    own = client.post(
        _url("stakeholder_edit", territory, partner_org.pk),
        {
            "name": partner_org.name,
            "sector": "academia",
            "type": "university",
            "leader_role": "Vice-Chancellor",
        },
    )
    assert own.status_code == 302
    partner_org.refresh_from_db()
    assert partner_org.leader_role == "Vice-Chancellor"
    theirs = client.post(
        _url("stakeholder_edit", territory, other.pk), {"name": "Hacked", "sector": "public"}
    )
    assert theirs.status_code == 403
    other.refresh_from_db()
    assert other.name == "City Hall"


def test_partnership_create_with_members_and_roles(client_as, territory, partner_org):
    city = make_stakeholder(territory, name="City Hall")
    client = client_as("officer")
    data = {
        "name": "Smart lighting PPP",
        "form": "ppp",
        "status": "agreed",
        "currency": "SEK",
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "value": "1500000",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-stakeholder": city.pk,
        "members-0-role": "lead",
        "members-1-stakeholder": partner_org.pk,
        "members-1-role": "partner",
        "members-2-stakeholder": "",
        "members-2-role": "partner",
    }
    response = client.post(_url("partnership_create", territory), data)
    assert response.status_code == 302
    p = Partnership.objects.get(territory=territory, name="Smart lighting PPP")
    assert {(m.stakeholder.name, m.role) for m in p.members.all()} == {
        ("City Hall", "lead"),
        ("Lund University", "partner"),
    }
    listing = client.get(_url("partnership_list", territory), {"form": "ppp"})
    assert "Smart lighting PPP" in listing.content.decode()


def test_partnership_create_needs_two_members_and_ordered_dates(client_as, territory, partner_org):
    client = client_as("officer")
    data = {
        "name": "Lonely",
        "form": "research",
        "status": "exploring",
        "currency": "SEK",
        "start_date": "2026-01-01",
        "end_date": "2025-01-01",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-stakeholder": partner_org.pk,
        "members-0-role": "lead",
    }
    response = client.post(_url("partnership_create", territory), data)
    assert response.status_code == 400
    assert not Partnership.objects.filter(name="Lonely").exists()
    data["end_date"] = "2027-01-01"
    response = client.post(_url("partnership_create", territory), data)
    assert response.status_code == 400
    assert "at least two stakeholders" in response.content.decode()


def test_draft_partnership_hidden_from_citizens(client_as, territory, partner_org):
    city = make_stakeholder(territory, name="City Hall")
    draft = partnership_create(
        territory=territory,
        actor=None,
        name="Secret deal",
        form="licensing",
        is_draft=True,
        members=[(city, "lead"), (partner_org, "partner")],
    )
    assert (
        client_as("citizen").get(_url("partnership_detail", territory, draft.pk)).status_code == 404
    )
    assert (
        "Secret deal"
        not in client_as("citizen").get(_url("partnership_list", territory)).content.decode()
    )
    assert (
        client_as("partner").get(_url("partnership_detail", territory, draft.pk)).status_code == 200
    )
    assert (
        client_as("officer").get(_url("partnership_detail", territory, draft.pk)).status_code == 200
    )


def test_trust_ratings_private_to_facilitator_and_rater(client_as, territory, partner_org, users):
    city = make_stakeholder(territory, name="City Hall")
    third = make_stakeholder(territory, name="Grid Co")
    trust_rating_create(
        territory=territory,
        actor=None,
        rater=partner_org,
        ratee=city,
        ability=4,
        benevolence=2,
        integrity=5,
        rated_on=dt.date(2026, 1, 5),
    )
    trust_rating_create(
        territory=territory,
        actor=None,
        rater=third,
        ratee=city,
        ability=1,
        benevolence=1,
        integrity=1,
        rated_on=dt.date(2026, 1, 6),
    )
    facilitator = client_as("facilitator").get(_url("trust_list", territory)).content.decode()
    assert "Grid Co" in facilitator and "Lund University" in facilitator
    partner = client_as("partner").get(_url("trust_list", territory)).content.decode()
    assert "Lund University" in partner and "Grid Co" not in partner
    officer = client_as("officer").get(_url("trust_list", territory)).content.decode()
    assert "Grid Co" not in officer and "Lund University</td>" not in officer
    city_page = (
        client_as("citizen").get(_url("stakeholder_detail", territory, city.pk)).content.decode()
    )
    assert "Stated trust" not in city_page


def test_partner_rates_only_on_behalf_of_own_organisation(client_as, territory, partner_org):
    city = make_stakeholder(territory, name="City Hall")
    third = make_stakeholder(territory, name="Grid Co")
    client = client_as("partner")
    forged = client.post(
        _url("trust_create", territory),
        {
            "rater": third.pk,
            "ratee": city.pk,
            "ability": 1,
            "benevolence": 1,
            "integrity": 1,
            "rated_on": "2026-02-01",
        },
    )
    assert forged.status_code == 400
    ok = client.post(
        _url("trust_create", territory),
        {
            "rater": partner_org.pk,
            "ratee": city.pk,
            "ability": 5,
            "benevolence": 4,
            "integrity": 4,
            "rated_on": "2026-02-01",
        },
    )
    assert ok.status_code == 302
    out_of_range = client.post(
        _url("trust_create", territory),
        {
            "rater": partner_org.pk,
            "ratee": city.pk,
            "ability": 9,
            "benevolence": 0,
            "integrity": 4,
            "rated_on": "2026-02-01",
        },
    )
    assert out_of_range.status_code == 400


def test_private_territory_is_invisible_to_outsiders(client, other_territory, users):
    secret = make_stakeholder(other_territory, name="Bristol Secret Org")
    client.force_login(users["facilitator"])
    assert client.get(_url("stakeholder_list", other_territory)).status_code == 404
    assert client.get(_url("stakeholder_detail", other_territory, secret.pk)).status_code == 404
    response = client.post(
        _url("stakeholder_edit", other_territory, secret.pk), {"name": "x", "sector": "public"}
    )
    assert response.status_code == 404
    secret.refresh_from_db()
    assert secret.name == "Bristol Secret Org"


def test_stakeholder_of_other_territory_not_reachable_through_this_one(
    client_as, territory, other_territory
):
    secret = make_stakeholder(other_territory, name="Bristol Secret Org")
    client = client_as("facilitator")
    assert client.get(_url("stakeholder_detail", territory, secret.pk)).status_code == 404
    assert client.post(_url("stakeholder_delete", territory, secret.pk)).status_code == 404
    assert Stakeholder.objects.filter(pk=secret.pk).exists()


def test_partnership_form_cannot_use_another_territorys_stakeholder(
    client_as, territory, other_territory, partner_org
):
    foreign = make_stakeholder(other_territory, name="Foreign")
    data = {
        "name": "Cross-border",
        "form": "research",
        "status": "exploring",
        "currency": "SEK",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-stakeholder": partner_org.pk,
        "members-0-role": "lead",
        "members-1-stakeholder": foreign.pk,
        "members-1-role": "partner",
    }
    response = client_as("officer").post(_url("partnership_create", territory), data)
    assert response.status_code == 400
    assert not Partnership.objects.filter(name="Cross-border").exists()


def test_member_of_one_territory_cannot_write_in_another(client, territory, other_territory):
    other_territory.is_public = True
    other_territory.save()
    bristol_officer = make_member(other_territory, "officer")
    client.force_login(bristol_officer)
    response = client.post(
        _url("stakeholder_create", territory), {"name": "Intruder", "sector": "public"}
    )
    assert response.status_code == 403
    assert not Stakeholder.objects.filter(name="Intruder").exists()


def test_partner_proposes_partnerships_only_with_own_organisation(
    client_as, territory, partner_org
):
    a, b = make_stakeholder(territory, name="A"), make_stakeholder(territory, name="B")
    data = {
        "name": "Not ours",
        "form": "research",
        "status": "exploring",
        "currency": "SEK",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-stakeholder": a.pk,
        "members-0-role": "lead",
        "members-1-stakeholder": b.pk,
        "members-1-role": "partner",
    }
    client = client_as("partner")
    refused = client.post(_url("partnership_create", territory), data)
    assert refused.status_code == 400
    assert "Your own organisation must be one of the members." in refused.content.decode()
    data["members-1-stakeholder"] = partner_org.pk
    assert client.post(_url("partnership_create", territory), data).status_code == 302


def test_partnership_form_reports_a_bad_member_role(client_as, territory, partner_org):
    city = make_stakeholder(territory, name="City Hall")
    data = {
        "name": "Bad role",
        "form": "research",
        "status": "exploring",
        "currency": "SEK",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-stakeholder": partner_org.pk,
        "members-0-role": "emperor",
        "members-1-stakeholder": city.pk,
        "members-1-role": "partner",
    }
    response = client_as("officer").post(_url("partnership_create", territory), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Check the members below." in body
    assert 'id="id_members-0-role_error"' in body
    assert not Partnership.objects.filter(name="Bad role").exists()
