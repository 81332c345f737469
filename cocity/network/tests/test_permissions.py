"""Each permission of ecosystem intelligence, for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.core.testing import make_user

ROLES = ["facilitator", "officer", "partner", "citizen", "observer"]


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("network.view_analysis", set(ROLES)),
        ("network.view_trust_pairs", {"facilitator"}),
        ("network.compute_analysis", {"facilitator", "officer"}),
    ],
)
def test_permission_by_role(
    perm: str, allowed: set[str], users: dict[str, Any], territory: Any
) -> None:
    assert {role for role in ROLES if users[role].has_perm(perm, territory)} == allowed


def test_view_analysis_of_a_private_territory_is_for_its_members_only(
    users: dict[str, Any], other_territory: Any, territory: Any
) -> None:
    assert AnonymousUser().has_perm("network.view_analysis", territory)  # public
    assert not AnonymousUser().has_perm("network.view_analysis", other_territory)
    assert not users["facilitator"].has_perm("network.view_analysis", other_territory)
    assert not users["facilitator"].has_perm("network.view_trust_pairs", other_territory)


def test_staff_see_trust_pairs_and_anonymous_visitors_do_not(territory: Any) -> None:
    assert make_user(is_staff=True).has_perm("network.view_trust_pairs", territory)
    assert not AnonymousUser().has_perm("network.view_trust_pairs", territory)
    assert not AnonymousUser().has_perm("network.compute_analysis", territory)
