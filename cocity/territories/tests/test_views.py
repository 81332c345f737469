"""The territory dashboard, areas, members and the territory switcher."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from cocity.core.testing import make_member, make_stakeholder
from cocity.ecosystem.services import partnership_create
from cocity.programme.services import initiative_create, initiative_update
from cocity.territories.models import Area, Membership

pytestmark = pytest.mark.django_db


def test_dashboard_counts_and_charts_have_tables(client, territory):
    a = make_stakeholder(territory, name="A", sector="industry")
    b = make_stakeholder(territory, name="B", sector="academia")
    partnership_create(
        territory=territory,
        actor=None,
        name="P",
        form="joint_venture",
        status="active",
        members=[(a, "lead"), (b, "partner")],
    )
    initiative_create(territory=territory, actor=None, title="Pilot one", stage="pilot")
    body = client.get(reverse("territories:dashboard", args=[territory.slug])).content.decode()
    assert '<span class="n">2</span> stakeholders' in body
    assert '<span class="n">1</span> active partnerships' in body
    assert "<caption>Partnerships by form</caption>" in body
    assert '<th scope="row">Joint venture</th><td class="num">1</td>' in body
    assert '<th scope="row">Pilot</th><td class="num">1</td>' in body
    assert "New partnership: P" in body  # recent activity


def test_recent_activity_is_shown_in_the_readers_language(client, territory):
    # An English-speaking officer moves an initiative on; a Swedish reader sees the line in
    # Swedish, stage name included, and an English reader in English.
    initiative = initiative_create(territory=territory, actor=None, title="Harbour wifi")
    with translation.override("en-gb"):
        initiative_update(initiative=initiative, actor=None, stage="mainstream")
    dashboard = reverse("territories:dashboard", args=[territory.slug])
    swedish = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Harbour wifi gick vidare till Etablerad" in swedish
    english = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Harbour wifi moved to Mainstream" in english


def test_dashboard_hides_draft_activity_from_public(client, territory):
    initiative_create(territory=territory, actor=None, title="Hush", is_draft=True)
    body = client.get(reverse("territories:dashboard", args=[territory.slug])).content.decode()
    assert "Hush" not in body


def test_area_list_and_detail(client, territory):
    area = Area.objects.create(
        territory=territory,
        code="E01",
        name="Harbour",
        population=1500,
        deprivation_decile=1,
        deprivation_rank=120,
    )
    initiative_create(territory=territory, actor=None, title="Harbour wifi", areas=[area])
    body = client.get(reverse("territories:area_list", args=[territory.slug])).content.decode()
    assert "Harbour" in body and "E01" in body
    detail = client.get(
        reverse("territories:area_detail", args=[territory.slug, area.pk])
    ).content.decode()
    assert "Harbour wifi" in detail


def test_members_page_for_facilitators_only(client_as, territory, users):
    assert (
        client_as("officer")
        .get(reverse("territories:member_list", args=[territory.slug]))
        .status_code
        == 403
    )
    client = client_as("facilitator")
    assert client.get(reverse("territories:member_list", args=[territory.slug])).status_code == 200
    response = client.post(
        reverse("territories:member_list", args=[territory.slug]),
        {"username": "cecilia", "role": "officer"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=users["citizen"], territory=territory).role == "officer"
    missing = client.post(
        reverse("territories:member_list", args=[territory.slug]),
        {"username": "nobody", "role": "officer"},
    )
    assert missing.status_code == 400 and "No user is called nobody" in missing.content.decode()
    partner_without_org = client.post(
        reverse("territories:member_list", args=[territory.slug]),
        {"username": "olle", "role": "partner"},
    )
    assert partner_without_org.status_code == 400


def test_territory_switcher_lists_only_my_territories(client, territory, other_territory):
    user = make_member(territory, "officer")
    Membership.objects.create(user=user, territory=other_territory, role="observer")
    client.force_login(user)
    body = client.get(reverse("territories:dashboard", args=[territory.slug])).content.decode()
    assert 'id="territory-switch"' in body and "Bristol" in body
    response = client.get(reverse("home"), {"territory": other_territory.slug})
    assert response.status_code == 302 and response.url.endswith(f"/t/{other_territory.slug}/")


def test_home_lists_public_territories_for_visitors(client, territory, other_territory):
    body = client.get(reverse("home")).content.decode()
    assert "Lund" in body and "Bristol" not in body


def test_unknown_territory_is_404_page_not_500(client, db):
    response = client.get("/t/no-such-place/")
    assert response.status_code == 404
    assert "There is no page here" in response.content.decode()
