"""Ecosystem permissions. Partners keep their own organisation, partnerships and ratings."""

from __future__ import annotations

from typing import Any

import rules

from cocity.core.permissions import (
    can_read,
    is_editor,
    is_manager,
    is_member,
    is_partner,
    represented_stakeholder_id,
)


@rules.predicate
def represents_stakeholder(user: Any, stakeholder: Any) -> bool:
    sid = represented_stakeholder_id(user, stakeholder)
    return sid is not None and sid == getattr(stakeholder, "pk", None)


@rules.predicate
def is_member_of_partnership(user: Any, partnership: Any) -> bool:
    sid = represented_stakeholder_id(user, partnership)
    if sid is None or not hasattr(partnership, "members"):
        return False
    return any(m.stakeholder_id == sid for m in partnership.members.all())


@rules.predicate
def gave_rating(user: Any, rating: Any) -> bool:
    sid = represented_stakeholder_id(user, rating)
    return sid is not None and sid == getattr(rating, "rater_id", None)


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return not getattr(obj, "is_draft", False)


rules.add_perm("ecosystem.view_stakeholder", can_read)
rules.add_perm("ecosystem.add_stakeholder", is_editor)
rules.add_perm("ecosystem.change_stakeholder", is_editor | represents_stakeholder)
rules.add_perm("ecosystem.delete_stakeholder", is_editor)

rules.add_perm(
    "ecosystem.view_partnership", can_read & (is_published | is_editor | is_member_of_partnership)
)
rules.add_perm("ecosystem.add_partnership", is_editor | is_partner)
rules.add_perm("ecosystem.change_partnership", is_editor | is_member_of_partnership)
rules.add_perm("ecosystem.delete_partnership", is_editor)

rules.add_perm("ecosystem.view_collaboration", can_read)
rules.add_perm("ecosystem.add_collaboration", is_editor | is_partner)
rules.add_perm("ecosystem.change_collaboration", is_editor)
rules.add_perm("ecosystem.delete_collaboration", is_editor)

# Stated trust is private: facilitators and the rating organisation's representatives only.
rules.add_perm("ecosystem.view_trust_ratings", is_manager)
rules.add_perm("ecosystem.view_trustrating", is_manager | gave_rating)
rules.add_perm("ecosystem.add_trustrating", is_manager | is_partner)
rules.add_perm("ecosystem.change_trustrating", is_manager | gave_rating)
rules.add_perm("ecosystem.delete_trustrating", is_manager | gave_rating)

rules.add_perm("ecosystem.view_leadershipteam", can_read)
rules.add_perm("ecosystem.add_leadershipteam", is_editor)
rules.add_perm("ecosystem.change_leadershipteam", is_editor)
rules.add_perm("ecosystem.delete_leadershipteam", is_editor)

__all__ = ["is_member"]
