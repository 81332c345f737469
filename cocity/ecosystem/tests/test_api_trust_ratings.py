"""API: stated trust is private to facilitators and the rating organisation's representatives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cocity.core.api_testing import (
    api_url,
    assert_error,
    queries_for_get,
    send,
)
from cocity.core.testing import make_member, make_stakeholder
from cocity.ecosystem.models import TrustRating
from cocity.ecosystem.services import trust_rating_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(territory):
    return make_stakeholder(territory, name="Lund Municipality", sector="public")


@pytest.fixture
def company(territory):
    return make_stakeholder(territory, name="Sony Mobile", sector="industry")


def _rate(territory, rater, ratee, score=4):
    return trust_rating_create(
        territory=territory,
        actor=None,
        rater=rater,
        ratee=ratee,
        ability=score,
        benevolence=score,
        integrity=score,
        rated_on=dt.date(2025, 1, 15),
    )


@pytest.fixture
def ratings(territory, partner_org, council, company):
    """The partner's organisation rates the council; the council rates the company."""
    return {
        "own": _rate(territory, partner_org, council),
        "others": _rate(territory, council, company),
    }


def _ids(response):
    assert response.status_code == 200, response.content
    return sorted(r["id"] for r in response.json()["items"])


def test_trust_rating_list_shows_facilitators_every_rating(client_as, territory, ratings):
    assert _ids(client_as("facilitator").get(api_url(territory, "trust-ratings"))) == sorted(
        r.pk for r in ratings.values()
    )


def test_trust_rating_list_shows_a_partner_its_own_ratings_only(client_as, territory, ratings):
    client = client_as("partner")
    assert _ids(client.get(api_url(territory, "trust-ratings"))) == [ratings["own"].pk]
    assert client.get(api_url(territory, "trust-ratings", ratings["own"].pk)).json()["ability"] == 4
    assert_error(client.get(api_url(territory, "trust-ratings", ratings["others"].pk)), 404)


@pytest.mark.parametrize("role", ["officer", "citizen", "observer"])
def test_trust_ratings_are_invisible_to_other_roles(client_as, territory, ratings, role):
    client = client_as(role)
    page = client.get(api_url(territory, "trust-ratings")).json()
    assert page["items"] == [] and page["count"] == 0
    for rating in ratings.values():
        assert_error(client.get(api_url(territory, "trust-ratings", rating.pk)), 404)


def test_trust_ratings_need_sign_in_even_on_a_public_territory(client, territory, ratings):
    assert_error(client.get(api_url(territory, "trust-ratings")), 401, "not_authenticated")
    assert_error(client.get(api_url(territory, "trust-ratings", ratings["own"].pk)), 401)


def test_trust_ratings_of_another_territory_stay_hidden(
    client_as, territory, other_territory, ratings
):
    # A Bristol facilitator may read public Lund, but not Lund's private trust.
    bristol = Client()
    bristol.force_login(make_member(other_territory, "facilitator", username="bristol-admin"))
    assert_error(bristol.get(api_url(territory, "trust-ratings")), 403)
    assert_error(bristol.get(api_url(territory, "trust-ratings", ratings["own"].pk)), 403)
    # And a Lund facilitator sees nothing of private Bristol.
    a, b = make_stakeholder(other_territory, name="A"), make_stakeholder(other_territory, name="B")
    foreign = _rate(other_territory, a, b)
    lund = client_as("facilitator")
    assert_error(lund.get(api_url(other_territory, "trust-ratings")), 404)
    assert_error(lund.get(api_url(territory, "trust-ratings", foreign.pk)), 404)
    assert_error(send(lund, "delete", api_url(territory, "trust-ratings", foreign.pk)), 404)
    assert TrustRating.objects.filter(pk=foreign.pk).exists()


def test_trust_rating_create_by_a_partner_rates_for_its_own_organisation(
    client_as, territory, partner_org, council, users
):
    body = {
        "ratee": council.pk,
        "ability": 5,
        "benevolence": 3,
        "integrity": 4,
        "comment": "Reliable",
    }
    response = send(client_as("partner"), "post", api_url(territory, "trust-ratings"), body)
    assert response.status_code == 201, response.content
    rating = TrustRating.objects.get(pk=response.json()["id"])
    assert (rating.rater, rating.ratee, rating.given_by) == (partner_org, council, users["partner"])
    assert response.json()["rated_on"] == timezone.localdate().isoformat()


def test_trust_rating_create_for_another_organisation_is_refused_to_a_partner(
    client_as, territory, council, company
):
    body = {
        "rater": council.pk,
        "ratee": company.pk,
        "ability": 1,
        "benevolence": 1,
        "integrity": 1,
    }
    response = send(client_as("partner"), "post", api_url(territory, "trust-ratings"), body)
    assert "rater" in assert_error(response, 422)["fields"]
    assert not TrustRating.objects.exists()


def test_trust_rating_create_by_a_facilitator_names_the_rater(
    client_as, territory, council, company
):
    client = client_as("facilitator")
    body = {"ratee": company.pk, "ability": 4, "benevolence": 4, "integrity": 4}
    assert (
        "rater"
        in assert_error(send(client, "post", api_url(territory, "trust-ratings"), body), 422)[
            "fields"
        ]
    )
    body["rater"] = council.pk
    assert send(client, "post", api_url(territory, "trust-ratings"), body).status_code == 201


@pytest.mark.parametrize("role", ["officer", "citizen", "observer"])
def test_trust_rating_create_is_403_for_other_roles(client_as, territory, council, company, role):
    body = {
        "rater": council.pk,
        "ratee": company.pk,
        "ability": 3,
        "benevolence": 3,
        "integrity": 3,
    }
    assert_error(send(client_as(role), "post", api_url(territory, "trust-ratings"), body), 403)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratee": "OWN"}, "ratee"),
        ({"ratee": 987654}, "ratee"),
        ({"ratee": "FOREIGN"}, "ratee"),
        ({"ability": 0}, "ability"),
        ({"ability": 6}, "ability"),
        ({"ability": 2**64}, "ability"),
        ({"ability": "high"}, "ability"),
        ({"integrity": 3.5}, "integrity"),
        ({"benevolence": None}, "benevolence"),
        ({"rated_on": "15.01.2025"}, "rated_on"),
        ({"comment": "x" * 20_001}, "comment"),
        ({"given_by": 1}, "given_by"),
    ],
)
def test_trust_rating_create_rejects_bad_input(
    client_as, territory, other_territory, partner_org, council, change, field
):
    ids = {"OWN": partner_org.pk, "FOREIGN": make_stakeholder(other_territory, name="Far away").pk}
    body = {"ratee": council.pk, "ability": 3, "benevolence": 3, "integrity": 3}
    body.update({k: ids.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    response = send(client_as("partner"), "post", api_url(territory, "trust-ratings"), body)
    assert field in assert_error(response, 422, "validation_error")["fields"]
    assert not TrustRating.objects.exists()


def test_trust_rating_update_by_the_rater_changes_scores_not_parties(
    client_as, territory, ratings, company
):
    client = client_as("partner")
    url = api_url(territory, "trust-ratings", ratings["own"].pk)
    changed = send(client, "patch", url, {"ability": 2, "comment": "Missed deadlines"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["ability"] == 2 and changed.json()["benevolence"] == 4
    assert "ratee" in assert_error(send(client, "patch", url, {"ratee": company.pk}), 422)["fields"]
    assert "ability" in assert_error(send(client, "patch", url, {"ability": 9}), 422)["fields"]
    # Another organisation's rating does not exist for this partner.
    other = api_url(territory, "trust-ratings", ratings["others"].pk)
    assert_error(send(client, "patch", other, {"ability": 1}), 404)
    assert TrustRating.objects.get(pk=ratings["others"].pk).ability == 4


def test_trust_rating_delete_by_a_facilitator_or_the_rater(client_as, territory, ratings):
    assert (
        send(
            client_as("partner"), "delete", api_url(territory, "trust-ratings", ratings["own"].pk)
        ).status_code
        == 204
    )
    facilitator = client_as("facilitator")
    assert (
        send(
            facilitator, "delete", api_url(territory, "trust-ratings", ratings["others"].pk)
        ).status_code
        == 204
    )
    assert not TrustRating.objects.exists()


def test_trust_rating_list_query_count_does_not_grow(
    client_as, territory, council, company, django_assert_max_num_queries
):
    def add(start, n):
        for i in range(start, start + n):
            rater = make_stakeholder(territory, name=f"Rater {i:03d}")
            _rate(territory, rater, council if i % 2 else company)

    client = client_as("facilitator")
    add(0, 5)
    url = api_url(territory, "trust-ratings") + "?limit=200"
    few = queries_for_get(client, url)
    add(5, 45)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.json()["items"]) == 50
