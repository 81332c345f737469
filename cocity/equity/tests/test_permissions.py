"""Each equity permission, for each role: results are public, imports and allocations are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.core.testing import make_member, make_user

EDITORS = {"facilitator", "officer"}
WRITE_PERMS = ("equity.import_data", "equity.change_allocation", "equity.compute_results")


@pytest.mark.parametrize("role", ["facilitator", "officer", "partner", "citizen", "observer"])
def test_equity_permissions_by_role(users: dict[str, Any], territory: Any, role: str) -> None:
    user = users[role]
    assert user.has_perm("equity.view_equity", territory)
    for perm in WRITE_PERMS:
        assert user.has_perm(perm, territory) is (role in EDITORS), perm


def test_equity_view_of_a_private_territory_is_for_its_members(other_territory: Any) -> None:
    member = make_member(other_territory, "observer")
    assert member.has_perm("equity.view_equity", other_territory)
    assert not make_user().has_perm("equity.view_equity", other_territory)
    assert not AnonymousUser().has_perm("equity.view_equity", other_territory)


def test_equity_write_permissions_stop_at_the_territory(
    users: dict[str, Any], other_territory: Any
) -> None:
    for perm in WRITE_PERMS:
        assert not users["facilitator"].has_perm(perm, other_territory)


def test_anonymous_visitors_read_public_results_only(territory: Any) -> None:
    visitor = AnonymousUser()
    assert visitor.has_perm("equity.view_equity", territory)
    assert not any(visitor.has_perm(perm, territory) for perm in WRITE_PERMS)
