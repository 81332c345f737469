"""Who may do what with consultations (django-rules predicates on a territory or conversation).

* Facilitators (and staff) create and edit conversations, write seed statements, moderate,
  import and export (Pol.is format) and revoke participants.
* Officers see the moderation queue and the participants (they do not decide).
* A public conversation that is not a draft is read by anyone who may read the territory;
  while it is open, they may vote and add statements, without an account (a participant
  token). Its results (map, report) are public too.
* A members-only conversation (``is_public`` off) is read, voted on and reported to the
  territory's signed-in members only.
* Drafts are seen by editors (facilitators, officers, staff) only.
"""

from __future__ import annotations

from typing import Any

import rules

from cocity.core.permissions import can_read, is_editor, is_manager, is_member, is_staff


def _conversation(obj: Any) -> Any:
    from cocity.engagement.models import Conversation

    return obj if isinstance(obj, Conversation) else None


@rules.predicate
def is_draft(user: Any, obj: Any) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.status == "draft"


@rules.predicate
def is_public_conversation(user: Any, obj: Any) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.is_public


@rules.predicate
def is_open(user: Any, obj: Any) -> bool:
    conversation = _conversation(obj)
    return conversation is not None and conversation.status == "open"


can_see = can_read & ~is_draft & (is_public_conversation | is_member | is_staff)

rules.add_perm("engagement.view_conversation", can_see | (can_read & is_editor))
rules.add_perm("engagement.vote", can_see & is_open)
rules.add_perm("engagement.view_results", can_see | (can_read & is_editor))
rules.add_perm("engagement.add_conversation", is_manager)
rules.add_perm("engagement.change_conversation", is_manager)
rules.add_perm("engagement.moderate", is_manager)
rules.add_perm("engagement.view_moderation", is_editor)
rules.add_perm("engagement.view_participants", is_editor)
rules.add_perm("engagement.revoke_participant", is_manager)
rules.add_perm("engagement.import_polis", is_manager)
rules.add_perm("engagement.export_polis", is_manager)
