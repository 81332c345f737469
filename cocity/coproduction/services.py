"""Writes to co-production: proposals (with their workflow, supports, comments) and workshops.

Every service takes the acting user and checks, with the rules of :mod:`.permissions`, that
they may do it (``PermissionDenied`` otherwise), so pages, the API and code behave the same.
Bad input raises ``ValidationError`` naming the field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.coproduction.models import (
    COMMENT_MAX,
    REASON_MAX,
    OutputStatus,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
    Workshop,
    WorkshopOutput,
)
from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.programme import services as programme
from cocity.programme.models import Challenge, Initiative, Stage
from cocity.territories.models import Territory

S = ProposalStatus
REVIEWER = "coproduction.review_proposal"
AUTHOR = "coproduction.withdraw_proposal"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.UNDER_REVIEW): REVIEWER,
    (S.SUBMITTED, S.WITHDRAWN): AUTHOR,
    (S.UNDER_REVIEW, S.ACCEPTED): REVIEWER,
    (S.UNDER_REVIEW, S.DECLINED): REVIEWER,
    (S.UNDER_REVIEW, S.WITHDRAWN): AUTHOR,
    (S.ACCEPTED, S.IMPLEMENTED): REVIEWER,
}
"""The workflow: each allowed ``(from, to)`` and the permission it takes.

Facilitators and officers review; only the author withdraws, and only before a decision.
Declined, implemented and withdrawn are final.
"""
REASON_REQUIRED = frozenset({S.DECLINED})
SUPPORT_CLOSED = frozenset({S.DECLINED, S.IMPLEMENTED, S.WITHDRAWN})
COMMENTS_CLOSED = frozenset({S.WITHDRAWN})
INITIATIVE_FROM = frozenset({S.UNDER_REVIEW, S.ACCEPTED})
INITIATIVE_STAGES = (Stage.IDEA, Stage.CONCEPT)
PROPOSAL_FIELDS = ("title", "body", "challenge")
WORKSHOP_FIELDS = ("title", "starts_at", "place", "description", "people_count", "challenge")
OUTPUT_FIELDS = ("kind", "text", "owner", "due_date", "initiative", "proposal", "status")


def _require(actor: Any, perm: str, obj: Any) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Your role in this territory does not allow this."))


def _proposal_url(p: Proposal) -> str:
    return reverse("coproduction:proposal_detail", args=[p.territory.slug, p.pk])


def _workshop_url(w: Workshop) -> str:
    return reverse("coproduction:workshop_detail", args=[w.territory.slug, w.pk])


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _check_challenge(territory: Territory, challenge: Challenge | None) -> None:
    if challenge is None:
        raise ValidationError({"challenge": _("Choose the challenge your proposal answers.")})
    ensure_in_territory(territory, "challenge", [challenge])
    if challenge.is_draft:
        raise ValidationError(
            {"challenge": _("Proposals answer published challenges; this one is a draft.")}
        )


# --- proposals -------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *, territory: Territory, actor: Any, challenge: Challenge | None, title: str, body: str
) -> Proposal:
    """A member's new proposal, ``submitted``; the activity feed announces it."""
    _require(actor, "coproduction.add_proposal", territory)
    _check_challenge(territory, challenge)
    proposal = Proposal(
        territory=territory,
        challenge=challenge,
        title=_clean_text(title, "title"),
        body=_clean_text(body, "body"),
        author=actor,
        status=S.SUBMITTED,
    )
    validated_save(proposal)
    activity_record(
        territory=territory,
        actor=actor,
        verb="proposal_created",
        sentence=lambda: _("New citizen proposal: %(title)s") % {"title": proposal.title},
        url=_proposal_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor: Any, **fields: Any) -> Proposal:
    """The author changes the title, text or challenge while the proposal is ``submitted``."""
    if not actor.has_perm("coproduction.change_proposal", proposal):
        if actor.has_perm("coproduction.withdraw_proposal", proposal):
            raise ValidationError(
                _("A proposal can be edited only until its review starts; add a comment instead.")
            )
        _require(actor, "coproduction.change_proposal", proposal)
    apply_fields(proposal, fields, PROPOSAL_FIELDS)
    if "challenge" in fields:
        _check_challenge(proposal.territory, proposal.challenge)
    for name in ("title", "body"):
        if name in fields:
            setattr(proposal, name, _clean_text(getattr(proposal, name), name))
    validated_save(proposal)
    return proposal


def proposal_transitions_allowed(*, proposal: Proposal, user: Any) -> list[str]:
    """The statuses ``user`` may move ``proposal`` to now, in workflow order."""
    return [
        to
        for (frm, to), perm in TRANSITIONS.items()
        if frm == proposal.status and user.has_perm(perm, proposal)
    ]


def _record_status(proposal: Proposal, actor: Any, to: str, reason: str) -> None:
    ProposalStatusChange.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, reason=reason, by=actor
    )
    proposal.status = to
    proposal.status_reason = reason
    validated_save(proposal)


@transaction.atomic
def proposal_transition(*, proposal: Proposal, actor: Any, to: str, reason: str = "") -> Proposal:
    """Move ``proposal`` to the status ``to`` along :data:`TRANSITIONS`, recording why.

    ``PermissionDenied`` when the actor may take no step of this proposal's workflow, or not
    this one; ``ValidationError`` (on ``to`` or ``reason``) for a step the workflow does not
    have or a decline without a reason.
    """
    if not (
        actor is not None
        and (actor.has_perm(REVIEWER, proposal) or actor.has_perm(AUTHOR, proposal))
    ):
        raise PermissionDenied(_("Your role in this territory does not allow this."))
    if to not in S.values:
        raise ValidationError({"to": _("Unknown status: %(status)s.") % {"status": to}})
    current = S(proposal.status)
    target = S(to)
    perm = TRANSITIONS.get((current, target))
    if perm is None:
        if current == target:
            message = _("The proposal is already %(status)s.") % {"status": current.label.lower()}
        else:
            message = _("A proposal that is %(from)s cannot be moved to %(to)s.") % {
                "from": current.label.lower(),
                "to": target.label.lower(),
            }
        raise ValidationError({"to": message})
    if not actor.has_perm(perm, proposal):
        if perm == AUTHOR:
            raise PermissionDenied(_("Only the author can withdraw a proposal."))
        raise PermissionDenied(_("Only facilitators and officers change a proposal's status."))
    reason = (reason or "").strip()
    if target in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Say why the proposal is declined.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Enter at most %(n)s characters.") % {"n": REASON_MAX}})
    _record_status(proposal, actor, target, reason)
    activity_record(
        territory=proposal.territory,
        actor=actor,
        verb="proposal_status",
        sentence=lambda: (
            _("Proposal %(title)s is now %(status)s")
            % {"title": proposal.title, "status": target.label.lower()}
        ),
        url=_proposal_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_initiative_create(
    *,
    proposal: Proposal,
    actor: Any,
    title: str | None = None,
    description: str | None = None,
    stage: str = Stage.IDEA,
) -> Initiative:
    """Turn ``proposal`` into a new initiative answering its challenge, keeping the link.

    The initiative takes the proposal's title and text unless others are given, starts at
    ``stage`` (idea or concept), and the proposal becomes ``accepted`` (recorded in its
    history). Only a proposal under review or accepted, and not yet turned, can be.
    """
    _require(actor, "coproduction.make_initiative", proposal)
    if proposal.initiative_id is not None:
        raise ValidationError(
            _("This proposal has already become the initiative %(title)s.")
            % {"title": proposal.initiative.title}  # type: ignore[union-attr]
        )
    if proposal.status not in INITIATIVE_FROM:
        raise ValidationError(
            _(
                "Only a proposal under review or accepted can become an initiative; "
                "this one is %(status)s."
            )
            % {"status": proposal.get_status_display().lower()}
        )
    if stage not in INITIATIVE_STAGES:
        raise ValidationError({"stage": _("A new initiative starts as an idea or a concept.")})
    challenges = [proposal.challenge] if proposal.challenge is not None else []
    initiative = programme.initiative_create(
        territory=proposal.territory,
        actor=actor,
        title=_clean_text(proposal.title if title is None else title, "title"),
        description=proposal.body if description is None else description.strip(),
        stage=stage,
        challenges=challenges,
        record_activity=False,
    )
    proposal.initiative = initiative
    reason = _("Turned into the initiative %(title)s.") % {"title": initiative.title}
    if proposal.status != S.ACCEPTED:
        _record_status(proposal, actor, S.ACCEPTED, reason)
    else:
        validated_save(proposal)
    activity_record(
        territory=proposal.territory,
        actor=actor,
        verb="proposal_initiative",
        sentence=lambda: (
            _("Citizen proposal %(proposal)s became the initiative %(initiative)s")
            % {"proposal": proposal.title, "initiative": initiative.title}
        ),
        url=reverse("programme:initiative_detail", args=[proposal.territory.slug, initiative.pk]),
    )
    return initiative


@transaction.atomic
def proposal_support_set(*, proposal: Proposal, actor: Any, supported: bool) -> bool:
    """Give (``supported=True``) or take back the actor's support; ``True`` if it changed.

    Idempotent: supporting twice counts once. Authors cannot support their own proposal, and
    declined, implemented or withdrawn proposals take no new support.
    """
    _require(actor, "coproduction.support_proposal", proposal)
    if not supported:
        deleted, _counts = ProposalSupport.objects.filter(proposal=proposal, user=actor).delete()
        return deleted > 0
    if proposal.author_id == actor.pk:
        raise ValidationError(_("You cannot support your own proposal."))
    if proposal.status in SUPPORT_CLOSED:
        raise ValidationError(
            _("This proposal is %(status)s and takes no more support.")
            % {"status": proposal.get_status_display().lower()}
        )
    _support, created = ProposalSupport.objects.get_or_create(proposal=proposal, user=actor)
    return created


@transaction.atomic
def proposal_comment_create(*, proposal: Proposal, actor: Any, body: str) -> ProposalComment:
    _require(actor, "coproduction.comment_proposal", proposal)
    if proposal.status in COMMENTS_CLOSED:
        raise ValidationError(_("This proposal was withdrawn; it takes no more comments."))
    text = _clean_text(body, "body")
    if len(text) > COMMENT_MAX:
        raise ValidationError({"body": _("Enter at most %(n)s characters.") % {"n": COMMENT_MAX}})
    comment = ProposalComment(proposal=proposal, author=actor, body=text)
    validated_save(comment)
    return comment


@transaction.atomic
def proposal_comment_hide(*, comment: ProposalComment, actor: Any, reason: str) -> ProposalComment:
    """A moderator hides a comment from readers, saying why; the text is kept (to restore it)."""
    _require(actor, "coproduction.moderate_comments", comment.proposal)
    reason = _clean_text(reason, "reason")
    comment.hidden_by_moderator = True
    comment.hidden_reason = reason
    validated_save(comment)
    return comment


@transaction.atomic
def proposal_comment_restore(*, comment: ProposalComment, actor: Any) -> ProposalComment:
    _require(actor, "coproduction.moderate_comments", comment.proposal)
    comment.hidden_by_moderator = False
    comment.hidden_reason = ""
    validated_save(comment)
    return comment


# --- workshops -------------------------------------------------------------------------------


def _check_workshop_relations(
    territory: Territory, challenge: Challenge | None, stakeholders: Iterable[Any] | None
) -> list[Any] | None:
    ensure_in_territory(territory, "challenge", [challenge])
    if stakeholders is None:
        return None
    return ensure_in_territory(territory, "stakeholders", stakeholders)


@transaction.atomic
def workshop_create(
    *,
    territory: Territory,
    actor: Any,
    title: str,
    starts_at: dt.datetime,
    place: str,
    description: str = "",
    people_count: int = 0,
    challenge: Challenge | None = None,
    stakeholders: Iterable[Any] = (),
) -> Workshop:
    _require(actor, "coproduction.add_workshop", territory)
    attending = _check_workshop_relations(territory, challenge, stakeholders) or []
    workshop = Workshop(
        territory=territory,
        title=_clean_text(title, "title"),
        starts_at=starts_at,
        place=_clean_text(place, "place"),
        description=description.strip(),
        people_count=people_count,
        challenge=challenge,
        created_by=actor,
    )
    validated_save(workshop)
    workshop.stakeholders.set(attending)
    activity_record(
        territory=territory,
        actor=actor,
        verb="workshop_created",
        sentence=lambda: _("Workshop planned: %(title)s") % {"title": workshop.title},
        url=_workshop_url(workshop),
    )
    return workshop


@transaction.atomic
def workshop_update(
    *, workshop: Workshop, actor: Any, stakeholders: Iterable[Any] | None = None, **fields: Any
) -> Workshop:
    _require(actor, "coproduction.change_workshop", workshop)
    attending = _check_workshop_relations(workshop.territory, fields.get("challenge"), stakeholders)
    apply_fields(workshop, fields, WORKSHOP_FIELDS)
    for name in ("title", "place"):
        if name in fields:
            setattr(workshop, name, _clean_text(getattr(workshop, name), name))
    validated_save(workshop)
    if attending is not None:
        workshop.stakeholders.set(attending)
    return workshop


@transaction.atomic
def workshop_delete(*, workshop: Workshop, actor: Any) -> None:
    _require(actor, "coproduction.delete_workshop", workshop)
    workshop.delete()


def _check_output_relations(workshop: Workshop, fields: dict[str, Any]) -> None:
    territory = workshop.territory
    for name in ("owner", "initiative", "proposal"):
        if name in fields:
            ensure_in_territory(territory, name, [fields[name]])


@transaction.atomic
def workshop_output_create(
    *,
    workshop: Workshop,
    actor: Any,
    kind: str,
    text: str,
    owner: Any = None,
    due_date: dt.date | None = None,
    initiative: Initiative | None = None,
    proposal: Proposal | None = None,
    status: str = OutputStatus.OPEN,
) -> WorkshopOutput:
    _require(actor, "coproduction.change_workshop", workshop)
    _check_output_relations(
        workshop, {"owner": owner, "initiative": initiative, "proposal": proposal}
    )
    output = WorkshopOutput(
        workshop=workshop,
        kind=kind,
        text=_clean_text(text, "text"),
        owner=owner,
        due_date=due_date,
        initiative=initiative,
        proposal=proposal,
        status=status,
    )
    validated_save(output)
    return output


@transaction.atomic
def workshop_output_update(*, output: WorkshopOutput, actor: Any, **fields: Any) -> WorkshopOutput:
    _require(actor, "coproduction.change_workshop", output.workshop)
    _check_output_relations(output.workshop, fields)
    apply_fields(output, fields, OUTPUT_FIELDS)
    if "text" in fields:
        output.text = _clean_text(output.text, "text")
    validated_save(output)
    return output


@transaction.atomic
def workshop_output_delete(*, output: WorkshopOutput, actor: Any) -> None:
    _require(actor, "coproduction.change_workshop", output.workshop)
    output.delete()
