"""Who may do what in a territory, as named predicates (django-rules).

Every predicate takes ``(user, obj)`` where ``obj`` is a territory or any row that has a
``territory``. A user's roles are read once per user object and cached on it, so a page that
checks many permissions costs one query.
"""

from __future__ import annotations

from typing import Any

import rules

from cocity.territories.models import Role, Territory

_CACHE_ATTR = "_cocity_memberships"


def territory_of(obj: Any) -> Territory | None:
    if isinstance(obj, Territory):
        return obj
    return getattr(obj, "territory", None)


def memberships_of(user: Any) -> dict[int, tuple[str, int | None]]:
    """Map territory id → (role, represented stakeholder id) for ``user``; cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            t: (r, s)
            for t, r, s in user.memberships.values_list("territory_id", "role", "stakeholder_id")
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_of(user: Any, obj: Any) -> str | None:
    territory = territory_of(obj)
    if territory is None:
        return None
    found = memberships_of(user).get(territory.pk)
    return found[0] if found else None


def represented_stakeholder_id(user: Any, obj: Any) -> int | None:
    territory = territory_of(obj)
    if territory is None:
        return None
    found = memberships_of(user).get(territory.pk)
    return found[1] if found and found[0] == Role.PARTNER else None


def _has_role(*roles: str) -> Any:
    @rules.predicate(name="has_role_" + "_".join(roles))
    def predicate(user: Any, obj: Any) -> bool:
        return role_of(user, obj) in roles

    return predicate


is_staff = rules.is_superuser | rules.predicate(lambda user: bool(getattr(user, "is_staff", False)))
is_facilitator = _has_role(Role.FACILITATOR)
is_officer = _has_role(Role.OFFICER)
is_partner = _has_role(Role.PARTNER)
is_member = _has_role(*Role.values)


@rules.predicate
def is_public_territory(user: Any, obj: Any) -> bool:
    territory = territory_of(obj)
    return bool(territory and territory.is_public)


is_manager = is_staff | is_facilitator
is_editor = is_manager | is_officer
can_read = is_public_territory | is_member | is_staff

rules.add_perm("territories.view_territory", can_read)
rules.add_perm("territories.view_private", is_member | is_staff)
rules.add_perm("territories.manage_territory", is_manager)
rules.add_perm("territories.view_membership", is_manager)
rules.add_perm("territories.change_area", is_editor)
rules.add_perm("core.view_drafts", is_editor)
rules.add_perm("core.import_data", is_editor)
rules.add_perm("core.export_data", can_read)
