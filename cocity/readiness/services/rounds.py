"""Writes to rounds: opening, invitations, answers, targets, closing, links from gaps to action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.core.permissions import memberships_of
from cocity.core.services import activity_record, ensure_in_territory, validated_save
from cocity.ecosystem.models import Sector, Stakeholder
from cocity.programme.models import Challenge, Initiative
from cocity.readiness import selectors
from cocity.readiness.models import (
    ActionLink,
    Answer,
    AssessmentRound,
    Confidence,
    Dimension,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
    RoundStatus,
    Target,
)
from cocity.territories.models import Role, Territory

RESPONDENT_ROLES = (Role.FACILITATOR, Role.OFFICER, Role.PARTNER)


def _round_url(round_: AssessmentRound) -> str:
    return reverse("readiness:round_detail", args=[round_.territory.slug, round_.pk])


@transaction.atomic
def round_open(
    *,
    territory: Territory,
    actor: Any,
    model: MaturityModel,
    title: str,
    closes_on: dt.date | None = None,
    invitees: Iterable[Any] = (),
    carry_targets: bool = True,
) -> AssessmentRound:
    """Open a round on a published model version and invite ``invitees``.

    With ``carry_targets`` the targets of the family's last round are kept for the dimensions
    whose code and level count did not change.
    """
    ensure_in_territory(territory, "model", [model])
    if model.status != ModelStatus.PUBLISHED:
        raise ValidationError({"model": _("Publish this model version before opening a round.")})
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The due date is in the past.")})
    round_ = AssessmentRound(
        territory=territory,
        model=model,
        title=title.strip(),
        closes_on=closes_on,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    validated_save(round_)
    if carry_targets:
        previous = selectors.previous_round(round_=round_)
        if previous is not None and previous.model.n_levels == model.n_levels:
            by_code = {d.code: d for d in model.dimensions.all()}
            Target.objects.bulk_create(
                Target(round=round_, dimension=by_code[t.dimension.code], level=t.level)
                for t in previous.targets.select_related("dimension")
                if t.dimension.code in by_code
            )
    round_invite(round_=round_, actor=actor, users=invitees)
    activity_record(
        territory=territory,
        actor=actor,
        verb="assessment_round_opened",
        sentence=lambda: _("Readiness assessment opened: %(title)s") % {"title": round_.title},
        url=_round_url(round_),
        is_public=False,
    )
    return round_


def _ensure_open(round_: AssessmentRound) -> None:
    if not round_.is_open:
        raise ValidationError(_("This round is closed."))


def eligible_respondents(territory: Territory) -> Any:
    """Members who may be invited: facilitators, officers, and partners who represent an org."""
    from cocity.territories.models import Membership

    return (
        Membership.objects.filter(territory=territory, role__in=RESPONDENT_ROLES)
        .exclude(role=Role.PARTNER, stakeholder__isnull=True)
        .select_related("user", "stakeholder")
        .order_by("role", "user__username")
    )


def stakeholder_of(user: Any, territory: Territory) -> Stakeholder | None:
    """The stakeholder ``user`` represents in ``territory`` (partners only)."""
    found = memberships_of(user).get(territory.pk)
    if not found or found[0] != Role.PARTNER or found[1] is None:
        return None
    return Stakeholder.objects.filter(pk=found[1], territory=territory).first()


@transaction.atomic
def round_invite(*, round_: AssessmentRound, actor: Any, users: Iterable[Any]) -> list[Invitation]:
    """Invite members to answer; each answers for their organisation's helix sector.

    Partners answer for the stakeholder they represent; facilitators and officers for the
    public sector. Anyone else (citizens, observers, non-members) is refused. Users already
    invited are left as they are.
    """
    wanted = list(users)
    if not wanted:
        return []
    _ensure_open(round_)
    memberships = {m.user_id: m for m in eligible_respondents(round_.territory)}
    refused = [str(u) for u in wanted if u.pk not in memberships]
    if refused:
        raise ValidationError(
            {
                "invitees": _(
                    "Only facilitators, officers and partners who represent an organisation of "
                    "this territory can answer: %(names)s."
                )
                % {"names": ", ".join(refused)}
            }
        )
    already = set(round_.invitations.values_list("user_id", flat=True))
    created = []
    for user in wanted:
        if user.pk in already:
            continue
        m = memberships[user.pk]
        stakeholder = m.stakeholder if m.role == Role.PARTNER else None
        sector = stakeholder.sector if stakeholder is not None else Sector.PUBLIC
        created.append(Invitation(round=round_, user=user, stakeholder=stakeholder, sector=sector))
        already.add(user.pk)
    Invitation.objects.bulk_create(created)
    return created


@transaction.atomic
def invitation_delete(*, invitation: Invitation, actor: Any) -> None:
    if invitation.status == InvitationStatus.SUBMITTED:
        raise ValidationError(_("This respondent has submitted; their answers stay in the round."))
    _ensure_open(invitation.round)
    invitation.delete()


@dataclass(frozen=True)
class AnswerInput:
    """What a respondent says about one dimension: a level (or ``None``), evidence, confidence."""

    level: int | None
    evidence: str = ""
    confidence: str = Confidence.MEDIUM


@transaction.atomic
def answers_save(
    *,
    round_: AssessmentRound,
    user: Any,
    answers: Mapping[int, AnswerInput],
    submit: bool,
) -> Invitation:
    """Save a respondent's answers (keyed by dimension id) as a draft, or submit them.

    Only invited respondents of an open round may answer. A draft can be saved and resumed;
    submitting counts the answers in the results (at least one level is needed). A submitted
    response can still be corrected until the round closes; it stays submitted.
    """
    invitation = (
        Invitation.objects.select_for_update().filter(round=round_, user=user).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if invitation is None:
        raise PermissionDenied(_("You are not invited to answer this round."))
    _ensure_open(round_)
    dimensions = {d.pk: d for d in round_.model.dimensions.all()}
    unknown = [str(k) for k in answers if k not in dimensions]
    if unknown:
        raise ValidationError(
            _("These dimensions are not in this round: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    errors: dict[str, list[str]] = {}
    n_levels = round_.model.n_levels
    for pk, a in answers.items():
        field = f"dim_{pk}_level"
        if a.level is not None and not (isinstance(a.level, int) and 1 <= a.level <= n_levels):
            errors.setdefault(field, []).append(
                _('Choose a level from 1 to %(n)s, or "don\'t know".') % {"n": n_levels}
            )
        if a.confidence not in Confidence.values:
            errors.setdefault(f"dim_{pk}_confidence", []).append(_("Choose a confidence."))
        if len(a.evidence) > 5000:
            errors.setdefault(f"dim_{pk}_evidence", []).append(
                _("Keep the evidence note under 5,000 characters.")
            )
    if errors:
        raise ValidationError(errors)
    existing = {a.dimension_id: a for a in invitation.answers.all()}
    for pk, a in answers.items():
        row = existing.get(pk) or Answer(invitation=invitation, dimension=dimensions[pk])
        row.level, row.evidence, row.confidence = a.level, a.evidence.strip(), a.confidence
        row.save()
    if submit:
        if not invitation.answers.filter(level__isnull=False).exists():
            raise ValidationError(_("Give a level for at least one dimension before submitting."))
        invitation.status = InvitationStatus.SUBMITTED
        invitation.submitted_at = timezone.now()
    elif invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.DRAFT
    invitation.save(update_fields=["status", "submitted_at"])
    return invitation


@transaction.atomic
def round_targets_set(
    *, round_: AssessmentRound, actor: Any, targets: Mapping[int, int | None]
) -> None:
    """Set (or clear, with ``None``) the target level of dimensions, keyed by dimension id."""
    dimensions = {d.pk: d for d in round_.model.dimensions.all()}
    n_levels = round_.model.n_levels
    errors: dict[str, str] = {}
    for pk, level in targets.items():
        if pk not in dimensions:
            errors["targets"] = _("Unknown dimension.")
        elif level is not None and not (isinstance(level, int) and 1 <= level <= n_levels):
            errors[f"target_{pk}"] = _("Choose a level from 1 to %(n)s.") % {"n": n_levels}
    if errors:
        raise ValidationError(errors)
    existing = {t.dimension_id: t for t in round_.targets.all()}
    for pk, level in targets.items():
        current = existing.get(pk)
        if level is None:
            if current is not None:
                current.delete()
        elif current is None:
            Target.objects.create(round=round_, dimension=dimensions[pk], level=level)
        elif current.level != level:
            current.level = level
            current.save(update_fields=["level"])


@transaction.atomic
def round_close(*, round_: AssessmentRound, actor: Any) -> AssessmentRound:
    """Close a round: answers are frozen, drafts that were never submitted do not count."""
    _ensure_open(round_)
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    validated_save(round_)
    activity_record(
        territory=round_.territory,
        actor=actor,
        verb="assessment_round_closed",
        sentence=lambda: _("Readiness assessment closed: %(title)s") % {"title": round_.title},
        url=_round_url(round_),
        is_public=False,
    )
    return round_


@transaction.atomic
def action_link_create(
    *,
    round_: AssessmentRound,
    actor: Any,
    dimension: Dimension,
    challenge: Challenge | None = None,
    initiative: Initiative | None = None,
    note: str = "",
) -> ActionLink:
    """Link a dimension's gap to the challenge or initiative that will close it."""
    if dimension.model_id != round_.model_id:
        raise ValidationError({"dimension": _("This dimension is not in this round.")})
    ensure_in_territory(round_.territory, "challenge", [challenge])
    ensure_in_territory(round_.territory, "initiative", [initiative])
    if challenge is None and initiative is None:
        raise ValidationError(_("Choose a challenge or an initiative."))
    link = ActionLink(
        round=round_, dimension=dimension, challenge=challenge, initiative=initiative, note=note
    )
    validated_save(link)
    return link


@transaction.atomic
def action_link_delete(*, link: ActionLink, actor: Any) -> None:
    link.delete()
