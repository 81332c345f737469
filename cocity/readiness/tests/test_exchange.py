"""City-to-city exchange: export a round's results, import them elsewhere, reject bad files."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.core.testing import make_member, make_territory
from cocity.readiness import exchange, selectors, services
from cocity.readiness.models import ExternalPeer, ExternalResult
from cocity.readiness.tests.helpers import answer, default_model, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(territory, users):
    territory.population = 120_000
    territory.save()
    round_ = open_round(territory, default_model(territory), [users["officer"], users["partner"]])
    answer(round_, users["officer"], {"D1": 2, "D2": 4, "D5": 3})
    answer(round_, users["partner"], {"D1": 3, "D2": 4, "D5": None})
    services.round_close(round_=round_, actor=None)
    return round_, exchange.round_export(round_=round_)


def test_round_export_carries_only_aggregates(exported):
    _round, doc = exported
    assert doc["format"] == "cocity.readiness.round/1"
    assert doc["territory"] == {
        "name": None,
        "named": False,
        "kind": "city",
        "population_band": "50k_200k",
    }
    d1 = next(r for r in doc["results"] if r["code"] == "D1")
    assert d1 == {"code": "D1", "median": 2.5, "q1": 2.25, "q3": 2.75, "n": 2}
    d10 = next(r for r in doc["results"] if r["code"] == "D10")
    assert d10["median"] is None and d10["n"] == 0
    text = json.dumps(doc)
    assert "petra" not in text and "oscar" not in text and "Lund University" not in text


def test_round_export_names_the_territory_only_when_it_agreed(exported, territory):
    round_, _doc = exported
    services.readiness_settings_update(
        territory=territory,
        actor=None,
        results_public=False,
        in_benchmarks=True,
        named_in_benchmarks=True,
    )
    doc = exchange.round_export(round_=round_)
    assert doc["territory"]["name"] == "Lund" and doc["territory"]["named"] is True


def test_export_then_import_round_trip_feeds_the_benchmark(exported):
    _round, doc = exported
    peer_city = make_territory(name="Kallmora", population=90_000)
    raw = json.dumps(doc).encode()
    peer = exchange.peer_results_import(territory=peer_city, actor=None, document=raw)
    assert (peer.kind, peer.population_band, peer.n_levels, peer.respondents) == (
        "city",
        "50k_200k",
        5,
        2,
    )
    assert peer.name == "" and not peer.named
    stored = {r.code: (r.median, r.q1, r.q3, r.n) for r in peer.results.all()}
    assert stored["D1"] == (2.5, 2.25, 2.75, 2) and stored["D10"] == (None, None, None, 0)
    # The peer city, after its own round, sees the imported results as an anonymous peer.
    officer = make_member(peer_city, "officer")
    own = open_round(peer_city, default_model(peer_city), [officer])
    answer(own, officer, {"D1": 4, "D2": 4})
    services.round_close(round_=own, actor=None)
    bench = selectors.benchmark(territory=peer_city)
    # Lund itself is a peer on this instance too (same kind and band); neither is named.
    assert sorted((p.label[:5], p.external) for p in bench.peers) == [
        ("Peer ", False),
        ("Peer ", True),
    ]
    assert {p.label for p in bench.peers} == {"Peer A", "Peer B"}
    d1 = next(row for row in bench.rows if row.code == "D1")
    # Own 4 of 5 = 0.75; both peers' 2.5 = 0.375: ahead of both.
    assert d1.result.peers == (0.375, 0.375) and d1.result.percentile == 100.0


BAD_DOCUMENTS = [
    (lambda d: d.update(format="cocity.readiness.round/2"), "format"),
    (lambda d: d.pop("results"), "results: missing"),
    (lambda d: d.update(extra=1), "extra: unknown field"),
    (lambda d: d["territory"].update(kind="village"), "territory.kind"),
    (lambda d: d["territory"].update(population_band="huge"), "territory.population_band"),
    (lambda d: d["territory"].update(named=True, name=None), "territory.name"),
    (lambda d: d["model"].update(levels=["only"]), "model.levels"),
    (lambda d: d["model"]["dimensions"][0].update(code="D 1"), "model.dimensions[0].code"),
    (lambda d: d["model"]["dimensions"][1].update(code="D1"), "model.dimensions[1].code"),
    (lambda d: d["model"]["dimensions"][0].update(layer="roads"), "model.dimensions[0].layer"),
    (lambda d: d["results"][0].update(median=7), "results[0].median"),
    (lambda d: d["results"][0].update(median="3"), "results[0].median"),
    (lambda d: d["results"][0].update(q1=3.0, median=2.5), "results[0]: expected q1"),
    (lambda d: d["results"][0].update(n=-1), "results[0].n"),
    (lambda d: d["results"][0].update(n=True), "results[0].n"),
    (lambda d: d["results"][0].update(code="D99"), "results[0].code"),
    (lambda d: d["results"].append(dict(d["results"][1])), "appears twice"),
    (lambda d: d["results"][9].update(median=3.0), "results[9].median"),
    (lambda d: d["round"].update(closed_on="yesterday"), "round.closed_on"),
    (lambda d: d["round"].update(respondents=None), "round.respondents"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_DOCUMENTS)
def test_parse_round_document_rejects_bad_documents_with_their_path(exported, spoil, message):
    _round, doc = exported
    bad = copy.deepcopy(doc)
    spoil(bad)
    with pytest.raises(ValidationError) as error:
        exchange.parse_round_document(json.dumps(bad))
    assert any(message in m for m in error.value.messages), error.value.messages


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b'{"format": NaN}', b"[1, 2]", b'"text"', b"\xff\xfe", b"[" * 5000]
)
def test_parse_round_document_rejects_what_is_not_a_document(raw):
    with pytest.raises(ValidationError):
        exchange.parse_round_document(raw)


def test_parse_round_document_reports_every_problem_at_once(exported):
    _round, doc = exported
    bad = copy.deepcopy(doc)
    bad["results"][0]["median"] = 9
    bad["results"][1]["n"] = "many"
    with pytest.raises(ValidationError) as error:
        exchange.parse_round_document(bad)
    assert len(error.value.messages) == 2


def test_peer_results_import_is_all_or_nothing(exported, territory):
    _round, doc = exported
    bad = copy.deepcopy(doc)
    bad["results"][-1]["median"] = 0.5
    with pytest.raises(ValidationError):
        exchange.peer_results_import(territory=territory, actor=None, document=bad)
    assert not ExternalPeer.objects.exists() and not ExternalResult.objects.exists()


def test_peer_import_page_shows_errors_and_imports_a_good_file(exported, client_as, territory):
    _round, doc = exported
    client = client_as("facilitator")
    url = reverse("readiness:peer_import", args=[territory.slug])
    bad = copy.deepcopy(doc)
    bad["results"][0]["median"] = 42
    response = client.post(url, {"file": SimpleUploadedFile("r.json", json.dumps(bad).encode())})
    assert response.status_code == 400
    assert "results[0].median" in response.content.decode()
    assert not ExternalPeer.objects.exists()
    good = SimpleUploadedFile("r.json", json.dumps(doc).encode(), content_type="application/json")
    response = client.post(url, {"file": good})
    assert (
        response.status_code == 302
        and ExternalPeer.objects.filter(territory=territory).count() == 1
    )


def test_peer_import_page_is_for_facilitators(client_as, territory):
    url = reverse("readiness:peer_import", args=[territory.slug])
    assert client_as("officer").get(url).status_code == 403


def test_round_export_view_downloads_the_document(exported, client_as, territory):
    round_, _doc = exported
    response = client_as("observer").get(
        reverse("readiness:round_export", args=[territory.slug, round_.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert exchange.parse_round_document(response.content).n_levels == 5
