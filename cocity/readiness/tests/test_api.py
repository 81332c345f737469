"""The readiness API: read-only, tenant-scoped, private unless published."""

from __future__ import annotations

import pytest

from cocity.core.testing import make_member, make_territory
from cocity.programme.services import initiative_create
from cocity.readiness import services
from cocity.readiness.tests.helpers import answer, default_model, open_round

pytestmark = [pytest.mark.django_db, pytest.mark.urls("cocity.readiness.tests.urls")]

BASE = "/api/readiness-test/territories"


@pytest.fixture
def rounds(territory, users):
    model = default_model(territory)
    closed = open_round(territory, model, [users["partner"], users["officer"]], title="Baseline")
    answer(closed, users["partner"], {"D1": 2, "D5": 4})
    answer(closed, users["officer"], {"D1": 4, "D5": 3})
    services.round_targets_set(
        round_=closed, actor=None, targets={model.dimensions.get(code="D1").pk: 5}
    )
    services.round_close(round_=closed, actor=None)
    current = open_round(territory, model, [users["partner"]], title="Pulse")
    return closed, current


def test_round_results_give_sector_views_targets_and_gaps(client_as, territory, rounds):
    closed, _current = rounds
    response = client_as("citizen").get(f"{BASE}/lund/readiness/rounds/{closed.pk}/results/")
    assert response.status_code == 200
    body = response.json()
    assert body["round"]["title"] == "Baseline" and body["submitted"] == 2
    d1 = next(d for d in body["dimensions"] if d["code"] == "D1")
    assert d1["overall"] == {"n": 2, "median": 3.0, "q1": 2.5, "q3": 3.5, "iqr": 1.0}
    assert {s["sector"]: s["median"] for s in d1["sectors"]} == {"public": 4.0, "academia": 2.0}
    assert d1["sector_gap"] == 2.0 and d1["target"] == 5 and d1["gap"] == 2.0
    assert body["gaps"] == ["D1"] and body["most_disagreed"][0] == "D1"
    assert "evidence" not in response.content.decode()


def test_readiness_api_is_private_to_members_until_published(client, territory, rounds):
    closed, current = rounds
    url = f"{BASE}/lund/readiness/rounds/"
    response = client.get(url)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    services.readiness_settings_update(
        territory=territory,
        actor=None,
        results_public=True,
        in_benchmarks=True,
        named_in_benchmarks=False,
    )
    listed = client.get(url).json()
    assert [r["title"] for r in listed["items"]] == ["Baseline"]
    assert client.get(f"{url}{closed.pk}/results/").status_code == 200
    assert client.get(f"{url}{current.pk}/results/").status_code == 404
    assert client.get(f"{BASE}/lund/readiness/benchmark/").status_code == 401


def test_readiness_api_of_another_private_territory_is_not_found(client_as, other_territory):
    theirs = open_round(other_territory, default_model(other_territory), title="Theirs")
    client = client_as("facilitator")
    for path in ("models/", "rounds/", f"rounds/{theirs.pk}/results/", "layers/", "benchmark/"):
        response = client.get(f"{BASE}/bristol/readiness/{path}")
        assert response.status_code == 404, path
    # Bristol's round is not reachable through Lund either.
    assert client.get(f"{BASE}/lund/readiness/rounds/{theirs.pk}/results/").status_code == 404


def test_model_detail_lists_dimensions_with_level_descriptors(client_as, territory):
    model = default_model(territory)
    body = client_as("observer").get(f"{BASE}/lund/readiness/models/{model.pk}/").json()
    assert body["status"] == "published" and body["levels"][0] == "Ad hoc"
    assert body["dimensions"] == 10 and len(body["dimension_details"]) == 10
    d4 = body["dimension_details"][3]
    assert d4["code"] == "D4" and d4["layer"] == "sensing" and len(d4["levels"]) == 5


def test_layers_endpoint_reports_balance_and_lagging_layer(client_as, territory, rounds):
    initiative_create(
        territory=territory, actor=None, title="A", layers={"sensing": 80, "data": 40}
    )
    initiative_create(
        territory=territory,
        actor=None,
        title="B",
        layers={"analogue": 60, "platforms": 50, "governance": 20},
    )
    body = client_as("officer").get(f"{BASE}/lund/readiness/layers/").json()
    assert body["lagging"] == ["governance"] and body["initiatives"] == 2
    assert 0 < body["balance_index"] < 1
    data = next(x for x in body["layers"] if x["layer"] == "data")
    # D5 (data) median 3.5 of 5 = 62.5 % readiness against 40 % delivery.
    assert data["readiness"] == 62.5 and data["delivery"] == 40.0
    assert len(body["interfaces"]) == 7


def test_benchmark_endpoint_anonymises_peers(client_as, territory, rounds):
    peer = make_territory(name="Hiddenham", is_public=False)
    officer = make_member(peer, "officer")
    r = open_round(peer, default_model(peer), [officer])
    answer(r, officer, {"D1": 5})
    services.round_close(round_=r, actor=None)
    response = client_as("observer").get(f"{BASE}/lund/readiness/benchmark/")
    body = response.json()
    assert [p["label"] for p in body["peers"]] == [
        "Peer A"
    ] and "Hiddenham" not in response.content.decode()
    d1 = next(d for d in body["dimensions"] if d["code"] == "D1")
    assert d1["position"] == 0.5 and d1["peers"] == [1.0] and d1["percentile"] == 0.0


def test_round_list_endpoint_query_count_does_not_grow(
    client_as, territory, users, django_assert_max_num_queries
):
    model = default_model(territory)
    client = client_as("observer")
    open_round(territory, model, [users["officer"]])
    with django_assert_max_num_queries(10) as few:
        client.get(f"{BASE}/lund/readiness/rounds/")
    for i in range(8):
        open_round(territory, model, [users["officer"], users["partner"]], title=f"R{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/lund/readiness/rounds/").json()["items"]) == 9


def test_openapi_documents_every_readiness_endpoint(client):
    schema = client.get("/api/readiness-test/openapi.json").json()
    paths = sorted(p for p in schema["paths"] if "/readiness/" in p)
    assert paths == [
        "/api/readiness-test/territories/{slug}/readiness/benchmark/",
        "/api/readiness-test/territories/{slug}/readiness/layers/",
        "/api/readiness-test/territories/{slug}/readiness/models/",
        "/api/readiness-test/territories/{slug}/readiness/models/{pk}/",
        "/api/readiness-test/territories/{slug}/readiness/rounds/",
        "/api/readiness-test/territories/{slug}/readiness/rounds/{pk}/results/",
    ]
    assert all(list(schema["paths"][p]) == ["get"] for p in paths)
