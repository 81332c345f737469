"""Challenge and initiative pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocity.programme.models import Initiative
from cocity.programme.services import challenge_create, initiative_create

pytestmark = pytest.mark.django_db


def _url(name, territory, *args):
    return reverse(f"programme:{name}", args=[territory.slug, *args])


def test_initiative_create_with_layers_challenges_and_lead(client_as, territory, partner_org):
    mobility = challenge_create(territory=territory, actor=None, title="Mobility")
    response = client_as("officer").post(
        _url("initiative_create", territory),
        {
            "title": "Open mobility data",
            "stage": "pilot",
            "lead": partner_org.pk,
            "challenges": [mobility.pk],
            "currency": "SEK",
            "budget": "250000",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "layer_sensing": "40",
            "layer_data": "70",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(territory=territory, title="Open mobility data")
    assert {lp.layer: lp.progress for lp in initiative.layer_progress.all()} == {
        "sensing": 40,
        "data": 70,
    }
    page = (
        client_as("citizen")
        .get(_url("initiative_detail", territory, initiative.pk))
        .content.decode()
    )
    assert "Open mobility data" in page and "70 %" in page and "Mobility" in page


def test_initiative_create_rejects_progress_over_100(client_as, territory):
    response = client_as("officer").post(
        _url("initiative_create", territory),
        {
            "title": "Too far",
            "stage": "idea",
            "currency": "SEK",
            "layer_data": "140",
        },
    )
    assert response.status_code == 400
    assert 'id="id_layer_data_error1"' in response.content.decode()
    assert not Initiative.objects.filter(title="Too far").exists()


def test_initiative_list_filters_by_stage_and_challenge(client, territory):
    energy = challenge_create(territory=territory, actor=None, title="Smart energy")
    initiative_create(
        territory=territory, actor=None, title="Grid twin", stage="testbed", challenges=[energy]
    )
    initiative_create(territory=territory, actor=None, title="Lamp sensors", stage="pilot")
    body = client.get(_url("initiative_list", territory), {"stage": "testbed"}).content.decode()
    assert "Grid twin" in body and "Lamp sensors" not in body
    body = client.get(_url("initiative_list", territory), {"challenge": energy.pk}).content.decode()
    assert "Grid twin" in body and "Lamp sensors" not in body


def test_initiative_list_query_count_does_not_grow(
    client, territory, django_assert_max_num_queries
):
    energy = challenge_create(territory=territory, actor=None, title="Smart energy")
    for i in range(3):
        initiative_create(
            territory=territory, actor=None, title=f"I{i}", challenges=[energy], layers={"data": 10}
        )
    with django_assert_max_num_queries(10) as few:
        client.get(_url("initiative_list", territory))
    for i in range(20):
        initiative_create(
            territory=territory, actor=None, title=f"J{i}", challenges=[energy], layers={"data": 10}
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("initiative_list", territory))


def test_draft_initiative_and_challenge_hidden_from_citizens(client_as, territory):
    draft = initiative_create(territory=territory, actor=None, title="Unannounced", is_draft=True)
    secret = challenge_create(
        territory=territory, actor=None, title="Secret challenge", is_draft=True
    )
    citizen = client_as("citizen")
    assert citizen.get(_url("initiative_detail", territory, draft.pk)).status_code == 404
    assert citizen.get(_url("challenge_detail", territory, secret.pk)).status_code == 404
    assert "Unannounced" not in citizen.get(_url("initiative_list", territory)).content.decode()
    officer = client_as("officer")
    assert officer.get(_url("initiative_detail", territory, draft.pk)).status_code == 200


def test_citizen_cannot_edit_initiative(client_as, territory):
    initiative = initiative_create(territory=territory, actor=None, title="Street lights")
    response = client_as("citizen").post(
        _url("initiative_edit", territory, initiative.pk), {"title": "Mine now", "stage": "idea"}
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Street lights"


def test_challenge_page_shows_cost_of_inaction_and_its_initiatives(client, territory):
    lighting = challenge_create(
        territory=territory,
        actor=None,
        title="Lighting",
        cost_of_inaction="Energy bills rise 8% a year.",
    )
    initiative_create(
        territory=territory, actor=None, title="Adaptive street lights", challenges=[lighting]
    )
    body = client.get(_url("challenge_detail", territory, lighting.pk)).content.decode()
    assert "Energy bills rise 8% a year." in body and "Adaptive street lights" in body
