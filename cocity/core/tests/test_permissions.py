"""One test per permission: who may do what, role by role (django-rules predicates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.core.testing import make_member, make_stakeholder, make_user
from cocity.ecosystem.services import partnership_create, trust_rating_create

pytestmark = pytest.mark.django_db

ROLES = ["facilitator", "officer", "partner", "citizen", "observer"]


def _allowed(users, perm, obj):
    return {role for role in ROLES if users[role].has_perm(perm, obj)}


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("territories.view_territory", set(ROLES)),
        ("territories.view_private", set(ROLES)),
        ("territories.manage_territory", {"facilitator"}),
        ("territories.view_membership", {"facilitator"}),
        ("territories.change_area", {"facilitator", "officer"}),
        ("core.view_drafts", {"facilitator", "officer"}),
        ("core.import_data", {"facilitator", "officer"}),
        ("ecosystem.add_stakeholder", {"facilitator", "officer"}),
        ("ecosystem.add_partnership", {"facilitator", "officer", "partner"}),
        ("ecosystem.add_collaboration", {"facilitator", "officer", "partner"}),
        ("ecosystem.view_trust_ratings", {"facilitator"}),
        ("ecosystem.add_trustrating", {"facilitator", "partner"}),
        ("programme.add_challenge", {"facilitator", "officer"}),
        ("programme.add_initiative", {"facilitator", "officer"}),
    ],
)
def test_territory_permission_by_role(users, territory, perm, expected):
    assert _allowed(users, perm, territory) == expected


def test_change_stakeholder_editors_and_its_own_partner(users, territory, partner_org):
    other = make_stakeholder(territory, name="Other")
    assert _allowed(users, "ecosystem.change_stakeholder", partner_org) == {
        "facilitator",
        "officer",
        "partner",
    }
    assert _allowed(users, "ecosystem.change_stakeholder", other) == {"facilitator", "officer"}


def test_change_partnership_editors_and_members(users, territory, partner_org):
    a, b = make_stakeholder(territory, name="A"), make_stakeholder(territory, name="B")
    mine = partnership_create(
        territory=territory,
        actor=None,
        name="Mine",
        form="research",
        members=[(partner_org, "lead"), (a, "partner")],
    )
    theirs = partnership_create(
        territory=territory,
        actor=None,
        name="Theirs",
        form="research",
        members=[(a, "lead"), (b, "partner")],
    )
    assert _allowed(users, "ecosystem.change_partnership", mine) == {
        "facilitator",
        "officer",
        "partner",
    }
    assert _allowed(users, "ecosystem.change_partnership", theirs) == {"facilitator", "officer"}


def test_view_trust_rating_facilitator_and_rater_only(users, territory, partner_org):
    a = make_stakeholder(territory, name="A")
    given = trust_rating_create(
        territory=territory,
        actor=None,
        rater=partner_org,
        ratee=a,
        ability=3,
        benevolence=3,
        integrity=3,
        rated_on=dt.date(2026, 1, 1),
    )
    received = trust_rating_create(
        territory=territory,
        actor=None,
        rater=a,
        ratee=partner_org,
        ability=3,
        benevolence=3,
        integrity=3,
        rated_on=dt.date(2026, 1, 1),
    )
    assert _allowed(users, "ecosystem.view_trustrating", given) == {"facilitator", "partner"}
    assert _allowed(users, "ecosystem.view_trustrating", received) == {"facilitator"}


def test_view_draft_partnership_hidden_from_readers(users, territory, partner_org):
    a = make_stakeholder(territory, name="A")
    draft = partnership_create(
        territory=territory,
        actor=None,
        name="Draft",
        form="other",
        is_draft=True,
        members=[(a, "lead"), (make_stakeholder(territory), "partner")],
    )
    assert _allowed(users, "ecosystem.view_partnership", draft) == {"facilitator", "officer"}


def test_anonymous_reads_public_territory_only(territory, other_territory):
    anonymous = AnonymousUser()
    assert anonymous.has_perm("territories.view_territory", territory)
    assert not anonymous.has_perm("territories.view_territory", other_territory)
    assert not anonymous.has_perm("territories.view_private", territory)
    assert not anonymous.has_perm("ecosystem.add_stakeholder", territory)


def test_roles_do_not_leak_across_territories(users, territory, other_territory):
    other_territory.is_public = True
    other_territory.save()
    assert not users["facilitator"].has_perm("territories.manage_territory", other_territory)
    assert not users["officer"].has_perm("ecosystem.add_stakeholder", other_territory)
    bristol_facilitator = make_member(other_territory, "facilitator")
    assert not bristol_facilitator.has_perm("ecosystem.view_trust_ratings", territory)


def test_staff_superuser_administers_every_territory(territory, other_territory):
    admin = make_user(is_staff=True, is_superuser=True)
    assert admin.has_perm("territories.manage_territory", other_territory)
    assert admin.has_perm("ecosystem.view_trust_ratings", territory)
