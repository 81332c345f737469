"""Readiness pages: who may see and do what, answering a round, charts, query counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cocity.core.testing import make_member, make_stakeholder, make_territory
from cocity.programme.services import initiative_create
from cocity.readiness import services
from cocity.readiness.models import (
    AssessmentRound,
    InterfaceItem,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
)
from cocity.readiness.tests.helpers import answer, default_model, open_round

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _svg_root(content: bytes) -> ET.Element:
    """Parse a chart the app made (trusted input), failing the test if it is not XML."""
    return ET.fromstring(content)  # noqa: S314


def _url(name, territory, *args):
    return reverse(f"readiness:{name}", args=[territory.slug, *args])


@pytest.fixture
def answered(territory, users):
    """A closed round answered by the partner and the officer, and an open one for the partner."""
    model = default_model(territory)
    closed = open_round(territory, model, [users["partner"], users["officer"]], title="Baseline")
    answer(closed, users["partner"], {"D1": 2, "D5": 4})
    answer(closed, users["officer"], {"D1": 4, "D5": 3})
    services.round_close(round_=closed, actor=None)
    current = open_round(territory, model, [users["partner"]], title="Pulse")
    return closed, current


def test_round_answer_draft_then_submit_through_the_page(client_as, territory, answered):
    _closed, current = answered
    client = client_as("partner")
    url = _url("round_answer", territory, current.pk)
    page = client.get(url)
    assert page.status_code == 200 and "Lund University" in page.content.decode()
    d1 = current.model.dimensions.get(code="D1")
    d2 = current.model.dimensions.get(code="D2")
    data = {
        f"dim_{d1.pk}_level": "3",
        f"dim_{d1.pk}_evidence": "Our joint lab shows it.",
        f"dim_{d1.pk}_confidence": "high",
        f"dim_{d2.pk}_level": "",
        f"dim_{d2.pk}_confidence": "low",
        "save": "1",
    }
    assert client.post(url, data).status_code == 302
    invitation = Invitation.objects.get(round=current, user__username="petra")
    assert invitation.status == InvitationStatus.DRAFT
    # Coming back shows the saved draft.
    draft = client.get(url).content.decode()
    assert re.search(rf'name="dim_{d1.pk}_level" value="3"[^>]*checked', draft)
    assert "Our joint lab shows it." in draft
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    answers = {
        a.dimension.code: (a.level, a.evidence)
        for a in invitation.answers.select_related("dimension")
    }
    assert answers["D1"] == (3, "Our joint lab shows it.") and answers["D2"] == (None, "")


def test_round_answer_bad_level_is_shown_and_nothing_saved(client_as, territory, answered):
    _closed, current = answered
    d1 = current.model.dimensions.get(code="D1")
    response = client_as("partner").post(
        _url("round_answer", territory, current.pk),
        {f"dim_{d1.pk}_level": "9", f"dim_{d1.pk}_confidence": "medium", "submit": "1"},
    )
    assert response.status_code == 400
    assert f'id="id_dim_{d1.pk}_level_error1"' in response.content.decode()
    assert not Invitation.objects.get(round=current).answers.exists()


@pytest.mark.parametrize("role", ["officer", "citizen", "observer", "facilitator"])
def test_round_answer_refuses_members_who_are_not_invited(client_as, territory, answered, role):
    _closed, current = answered
    d1 = current.model.dimensions.get(code="D1")
    url = _url("round_answer", territory, current.pk)
    client = client_as(role)
    assert client.get(url).status_code == 403
    response = client.post(
        url, {f"dim_{d1.pk}_level": "3", f"dim_{d1.pk}_confidence": "low", "submit": "1"}
    )
    assert response.status_code == 403
    assert not current.invitations.filter(answers__isnull=False).exists()


def test_round_pages_of_another_territory_are_not_found(
    client, territory, other_territory, answered
):
    closed, _current = answered
    bristol_member = make_member(other_territory, "facilitator")
    client.force_login(bristol_member)
    assert client.get(_url("round_detail", territory, closed.pk)).status_code == 403
    # Lund's round through Bristol's address does not exist.
    assert client.get(_url("round_detail", other_territory, closed.pk)).status_code == 404
    assert client.get(_url("round_export", other_territory, closed.pk)).status_code == 404
    assert (
        client.get(_url("round_chart", other_territory, closed.pk, "radar", "svg")).status_code
        == 404
    )


def test_private_territory_readiness_is_hidden_from_strangers(client_as, other_territory):
    client = client_as("facilitator")  # a Lund facilitator
    for name in ("index", "layers", "benchmark", "round_list"):
        assert client.get(_url(name, other_territory)).status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "officer", "partner", "citizen", "observer"])
def test_results_visible_to_every_member(client_as, territory, answered, role):
    closed, _current = answered
    body = client_as(role).get(_url("round_detail", territory, closed.pk)).content.decode()
    assert "Results per dimension" in body and "Vision and leadership" in body
    # Evidence notes stay with facilitators.
    assert ("Evidence given by respondents" in body) is (role == "facilitator")


def test_public_sees_nothing_until_results_are_published(client, territory, answered):
    closed, current = answered
    response = client.get(_url("round_detail", territory, closed.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    services.readiness_settings_update(
        territory=territory,
        actor=None,
        results_public=True,
        in_benchmarks=True,
        named_in_benchmarks=False,
    )
    assert client.get(_url("round_detail", territory, closed.pk)).status_code == 200
    # An open round stays private, and so does the benchmark.
    assert client.get(_url("round_detail", territory, current.pk)).status_code == 404
    assert "Pulse" not in client.get(_url("round_list", territory)).content.decode()
    assert client.get(_url("benchmark", territory)).status_code == 302


@pytest.mark.parametrize(
    ("name", "args"),
    [("round_open", ()), ("settings", ()), ("peer_import", ()), ("model_list", ())],
)
def test_facilitator_only_pages(client_as, territory, answered, name, args):
    url = _url(name, territory, *args)
    expected_for_officer = 200 if name == "model_list" else 403
    assert client_as("officer").get(url).status_code == expected_for_officer
    assert client_as("facilitator").get(url).status_code == 200


def test_round_open_page_opens_a_round_and_invites(client_as, territory, users):
    model = default_model(territory)
    client = client_as("facilitator")
    response = client.post(
        _url("round_open", territory),
        {
            "title": "Spring",
            "model": model.pk,
            "invitees": [users["partner"].pk, users["officer"].pk],
            "carry_targets": "on",
        },
    )
    assert response.status_code == 302
    round_ = AssessmentRound.objects.get(title="Spring")
    assert set(round_.invitations.values_list("user__username", flat=True)) == {"petra", "oscar"}
    # A citizen is not offered, and a forged choice is refused beside the field.
    response = client.post(
        _url("round_open", territory),
        {"title": "Forged", "model": model.pk, "invitees": [users["citizen"].pk]},
    )
    assert (
        response.status_code == 400 and not AssessmentRound.objects.filter(title="Forged").exists()
    )


def test_officer_cannot_close_set_targets_or_invite(client_as, territory, answered, users):
    _closed, current = answered
    client = client_as("officer")
    assert client.post(_url("round_close", territory, current.pk)).status_code == 403
    assert client.post(_url("round_targets", territory, current.pk), {}).status_code == 403
    response = client.post(
        _url("round_invite", territory, current.pk), {"invitees": [users["officer"].pk]}
    )
    assert response.status_code == 403
    current.refresh_from_db()
    assert current.is_open and current.invitations.count() == 1


def test_facilitator_sets_targets_and_sees_suggested_actions(client_as, territory, answered):
    closed, _current = answered
    client = client_as("facilitator")
    d1 = closed.model.dimensions.get(code="D1")
    response = client.post(_url("round_targets", territory, closed.pk), {f"target_{d1.pk}": "5"})
    assert response.status_code == 302
    body = client.get(_url("round_detail", territory, closed.pk)).content.decode()
    # Median 3, target 5: a gap of two levels becomes a suggested action.
    assert "median 3, target 5" in body


def test_model_copy_and_adapt_through_the_pages(client_as, territory):
    base = default_model(territory)
    client = client_as("facilitator")
    response = client.post(_url("model_copy", territory, base.pk), {"name": "Lund model"})
    assert response.status_code == 302
    copy = MaturityModel.objects.get(name="Lund model")
    d1 = copy.dimensions.get(code="D1")
    response = client.post(
        _url("dimension_edit", territory, copy.pk, d1.pk),
        {"code": "D1", "name": "Leadership", "layer": "governance", "descriptors": "a\nb\nc"},
    )
    assert response.status_code == 400 and "exactly 5 lines" in response.content.decode()
    response = client.post(
        _url("dimension_edit", territory, copy.pk, d1.pk),
        {"code": "D1", "name": "Leadership", "layer": "governance", "descriptors": "a\nb\nc\nd\ne"},
    )
    assert response.status_code == 302
    assert client.post(_url("model_publish", territory, copy.pk)).status_code == 302
    copy.refresh_from_db()
    assert copy.status == ModelStatus.PUBLISHED
    # Published: editing is refused and the original is untouched.
    client.post(
        _url("dimension_edit", territory, copy.pk, d1.pk),
        {"code": "D1", "name": "Z", "descriptors": "a\nb\nc\nd\ne"},
    )
    assert copy.dimensions.get(code="D1").name == "Leadership"
    assert base.dimensions.get(code="D1").name == "Vision and leadership"


def test_interface_register_officer_adds_citizen_cannot(client_as, territory):
    grid = initiative_create(
        territory=territory, actor=None, title="Grid twin", layers={"data": 40}
    )
    data = {
        "layer_a": "data",
        "layer_b": "governance",
        "kind": "risk",
        "title": "Personal data",
        "significance": "3",
        "initiatives": [grid.pk],
    }
    assert client_as("citizen").post(_url("interface_create", territory), data).status_code == 403
    response = client_as("officer").post(
        _url("interface_create", territory), {**data, "layer_a": "analogue", "layer_b": "data"}
    )
    assert response.status_code == 400 and "share no interface" in response.content.decode()
    assert client_as("officer").post(_url("interface_create", territory), data).status_code == 302
    assert InterfaceItem.objects.get(territory=territory).significance == 3
    body = client_as("observer").get(_url("layers", territory)).content.decode()
    assert "Personal data" in body and "Grid twin" in body


def test_layers_page_names_the_lagging_layer(client_as, territory):
    initiative_create(
        territory=territory, actor=None, title="Sensors", layers={"sensing": 80, "data": 60}
    )
    initiative_create(
        territory=territory,
        actor=None,
        title="Permits",
        layers={"analogue": 50, "governance": 10, "platforms": 30},
    )
    body = client_as("citizen").get(_url("layers", territory)).content.decode()
    assert "The lagging layer is" in body and "<strong>Digital governance</strong>" in body


@pytest.mark.parametrize("kind", ["radar", "disagreement", "history"])
def test_round_charts_are_valid_svg_and_png(client_as, territory, answered, kind):
    closed, _current = answered
    client = client_as("observer")
    svg = client.get(_url("round_chart", territory, closed.pk, kind, "svg"))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    root = _svg_root(svg.content)
    assert root.tag == f"{SVG_NS}svg" and root.find(f"{SVG_NS}title").text
    png = client.get(_url("round_chart", territory, closed.pk, kind, "png") + "?download=1")
    assert png.status_code == 200 and png.content.startswith(PNG)
    assert png["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("kind", ["balance", "heatmap"])
def test_layer_charts_are_valid_svg_and_png(client_as, territory, kind):
    initiative_create(territory=territory, actor=None, title="Sensors", layers={"sensing": 80})
    client = client_as("citizen")
    svg = client.get(_url("layer_chart", territory, kind, "svg"))
    assert _svg_root(svg.content).tag == f"{SVG_NS}svg"
    assert client.get(_url("layer_chart", territory, kind, "png")).content.startswith(PNG)


def test_chart_of_unknown_kind_or_format_is_not_found(client_as, territory, answered):
    closed, _current = answered
    client = client_as("observer")
    assert client.get(_url("round_chart", territory, closed.pk, "pie", "svg")).status_code == 404
    assert client.get(_url("round_chart", territory, closed.pk, "radar", "gif")).status_code == 404
    assert client.get(_url("benchmark_chart", territory, "pdf")).status_code == 404


def test_benchmark_names_only_peers_who_agreed(client_as, territory, answered):
    territory.population = 120_000
    territory.save()
    for name, named in (("Kallmora", True), ("Secretville", False)):
        peer = make_territory(name=name, population=150_000, is_public=False)
        services.readiness_settings_update(
            territory=peer,
            actor=None,
            results_public=False,
            in_benchmarks=True,
            named_in_benchmarks=named,
        )
        officer = make_member(peer, "officer")
        r = open_round(peer, default_model(peer), [officer])
        answer(r, officer, {"D1": 3})
        services.round_close(round_=r, actor=None)
    big = make_territory(name="Metropolis", population=2_000_000)
    officer = make_member(big, "officer")
    r = open_round(big, default_model(big), [officer])
    answer(r, officer, {"D1": 5})
    services.round_close(round_=r, actor=None)
    client = client_as("observer")
    body = client.get(_url("benchmark", territory)).content.decode()
    assert "Kallmora" in body and "Secretville" not in body and "Peer A" in body
    assert "Metropolis" not in body  # another size band
    chart = client.get(_url("benchmark_chart", territory, "svg"))
    assert b"Secretville" not in chart.content and b"Kallmora" not in chart.content
    assert _svg_root(chart.content).find(f"{SVG_NS}desc").text


def test_round_list_query_count_does_not_grow(
    client_as, territory, users, django_assert_max_num_queries
):
    model = default_model(territory)
    client = client_as("observer")
    open_round(territory, model, [users["officer"]])
    with django_assert_max_num_queries(12) as few:
        client.get(_url("round_list", territory))
    for i in range(10):
        open_round(territory, model, [users["officer"], users["partner"]], title=f"R{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("round_list", territory))


def test_round_detail_query_count_does_not_grow_with_respondents(
    client_as, territory, users, django_assert_max_num_queries
):
    model = default_model(territory)
    round_ = open_round(territory, model, [users["officer"]])
    answer(round_, users["officer"], {"D1": 3, "D2": 2})
    client = client_as("facilitator")
    with django_assert_max_num_queries(40) as few:
        client.get(_url("round_detail", territory, round_.pk))
    for i in range(8):
        org = make_stakeholder(territory, name=f"Org {i}", sector="industry")
        partner = make_member(territory, "partner", stakeholder=org)
        services.round_invite(round_=round_, actor=None, users=[partner])
        answer(round_, partner, {"D1": 1 + i % 5, "D2": 2}, submit=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("round_detail", territory, round_.pk))


def test_benchmark_query_count_does_not_grow_with_peers(
    client_as, territory, answered, django_assert_max_num_queries
):
    def add_peer(i):
        peer = make_territory(name=f"Peer city {i}", is_public=False)
        officer = make_member(peer, "officer")
        r = open_round(peer, default_model(peer), [officer])
        answer(r, officer, {"D1": 1 + i % 5})
        services.round_close(round_=r, actor=None)

    add_peer(0)
    client = client_as("observer")
    with django_assert_max_num_queries(30) as few:
        client.get(_url("benchmark", territory))
    for i in range(1, 6):
        add_peer(i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url("benchmark", territory)).status_code == 200


def test_index_shows_my_invitations_and_the_latest_results(client_as, territory, answered):
    body = client_as("partner").get(_url("index", territory)).content.decode()
    assert "You are invited to answer" in body and "Pulse" in body
    assert "Vision and leadership" in body


def test_layers_page_query_count_does_not_grow_with_the_register(
    client_as, territory, django_assert_max_num_queries
):
    def add(i):
        initiative = initiative_create(
            territory=territory, actor=None, title=f"I{i}", layers={"data": 10 + i, "sensing": 5}
        )
        services.interface_item_create(
            territory=territory,
            actor=None,
            layer_a="sensing",
            layer_b="data",
            kind="risk" if i % 2 else "opportunity",
            title=f"Item {i}",
            initiatives=[initiative],
        )

    add(0)
    client = client_as("observer")
    with django_assert_max_num_queries(20) as few:
        client.get(_url("layers", territory))
    for i in range(1, 12):
        add(i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(_url("layers", territory)).content.decode()
    assert "Item 11" in body


def test_empty_round_and_territory_render_pages_and_charts(client_as, territory):
    round_ = open_round(territory, default_model(territory))
    client = client_as("facilitator")
    assert client.get(_url("round_detail", territory, round_.pk)).status_code == 200
    for kind in ("radar", "disagreement", "history"):
        svg = client.get(_url("round_chart", territory, round_.pk, kind, "svg"))
        assert svg.status_code == 200 and _svg_root(svg.content).tag == f"{SVG_NS}svg"
    for kind in ("balance", "heatmap"):
        assert client.get(_url("layer_chart", territory, kind, "png")).content.startswith(PNG)
    assert client.get(_url("benchmark_chart", territory, "png")).content.startswith(PNG)
    for name in ("index", "layers", "benchmark", "round_list", "model_list"):
        assert client.get(_url(name, territory)).status_code == 200, name


@pytest.mark.parametrize("junk", ["99999999999999999999", "abc", "-1", "0"])
def test_junk_ids_in_addresses_are_not_found_not_errors(client_as, territory, junk):
    client = client_as("facilitator")
    response = client.get(f"/t/{territory.slug}/readiness/rounds/{junk}/")
    assert response.status_code == 404
    response = client.get(_url("benchmark", territory), {"round": junk})
    assert response.status_code in (200, 404)
