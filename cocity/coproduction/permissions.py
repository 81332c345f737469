"""Who may do what with proposals and workshops.

Members who take part (facilitators, officers, partners, citizens) propose, support and
comment; observers, like the public, only read. An author edits a proposal while it is
``submitted`` and may withdraw it. Facilitators and officers review proposals (move their
status, hide comments, turn one into an initiative) and keep the workshops.
"""

from __future__ import annotations

from typing import Any

import rules

from cocity.core.permissions import can_read, is_editor, is_member, role_of
from cocity.territories.models import Role


@rules.predicate
def is_observer(user: Any, obj: Any) -> bool:
    return role_of(user, obj) == Role.OBSERVER


@rules.predicate
def is_author(user: Any, proposal: Any) -> bool:
    author_id = getattr(proposal, "author_id", None)
    return author_id is not None and author_id == getattr(user, "pk", None)


@rules.predicate
def is_submitted(user: Any, proposal: Any) -> bool:
    return getattr(proposal, "status", None) == "submitted"


is_participant = is_member & ~is_observer

rules.add_perm("coproduction.view_proposal", can_read)
# On the territory: may this user act on proposals at all (as an author or a reviewer)?
rules.add_perm("coproduction.take_part", is_participant | is_editor)
rules.add_perm("coproduction.add_proposal", is_participant)
rules.add_perm("coproduction.change_proposal", is_participant & is_author & is_submitted)
rules.add_perm("coproduction.withdraw_proposal", is_participant & is_author)
rules.add_perm("coproduction.support_proposal", is_participant)
rules.add_perm("coproduction.comment_proposal", is_participant)
rules.add_perm("coproduction.review_proposal", is_editor)
rules.add_perm("coproduction.moderate_comments", is_editor)
rules.add_perm("coproduction.make_initiative", is_editor)

rules.add_perm("coproduction.view_workshop", can_read)
rules.add_perm("coproduction.add_workshop", is_editor)
rules.add_perm("coproduction.change_workshop", is_editor)
rules.add_perm("coproduction.delete_workshop", is_editor)
