"""Readiness permissions.

Facilitators open rounds, invite, set targets, adapt models, import peers and decide what is
published; invited partners and officers answer; every member reads the results; the public
reads nothing of readiness unless the territory publishes its results. Evidence notes stay
with facilitators (and each respondent's own answers with the respondent).
"""

from __future__ import annotations

from typing import Any

import rules

from cocity.core.permissions import (
    can_read,
    is_editor,
    is_manager,
    is_member,
    is_staff,
    territory_of,
)


def _settings_of(territory: Any) -> Any:
    from cocity.readiness.models import ReadinessSettings

    try:
        return territory.readiness_settings
    except ReadinessSettings.DoesNotExist:
        return None


@rules.predicate
def results_published(user: Any, obj: Any) -> bool:
    territory = territory_of(obj)
    found = _settings_of(territory) if territory is not None else None
    return bool(found and found.results_public)


@rules.predicate
def is_invited(user: Any, round_: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not hasattr(round_, "invitations"):
        return False
    return round_.invitations.filter(user=user).exists()


@rules.predicate
def round_is_open(user: Any, round_: Any) -> bool:
    return bool(getattr(round_, "is_open", False))


@rules.predicate
def round_is_closed(user: Any, round_: Any) -> bool:
    return not getattr(round_, "is_open", True)


is_reader = is_member | is_staff

rules.add_perm("readiness.view_readiness", is_reader | (can_read & results_published))
# An open round is work in progress: only members see its provisional results.
rules.add_perm("readiness.view_round", is_reader | (can_read & results_published & round_is_closed))
rules.add_perm("readiness.view_evidence", is_manager)
rules.add_perm("readiness.manage_readiness", is_manager)
rules.add_perm("readiness.answer_round", is_invited & round_is_open)
rules.add_perm("readiness.view_benchmark", is_reader)
rules.add_perm("readiness.change_interfaceitem", is_editor)
