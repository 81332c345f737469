"""Writes to readiness: models and their versions, rounds, answers, targets, the register.

Every service checks its input before writing and writes in one transaction; a
``ValidationError`` names the field that is wrong and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.analytics.layers import LayerInputError, interface_key
from cocity.core.permissions import memberships_of
from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.ecosystem.models import Sector, Stakeholder
from cocity.programme.models import Challenge, Initiative, Layer
from cocity.readiness import default_model, selectors
from cocity.readiness.models import (
    MAX_LEVELS,
    MIN_LEVELS,
    ActionLink,
    Answer,
    AssessmentRound,
    Confidence,
    Dimension,
    InterfaceItem,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
    ReadinessSettings,
    RoundStatus,
    Target,
)
from cocity.territories.models import Role, Territory

RESPONDENT_ROLES = (Role.FACILITATOR, Role.OFFICER, Role.PARTNER)
DIMENSION_FIELDS = (
    "code",
    "name",
    "description",
    "layer",
    "descriptors",
    "question",
    "evidence_prompt",
)
INTERFACE_FIELDS = ("layer_a", "layer_b", "kind", "title", "description", "significance")


def _round_url(round_: AssessmentRound) -> str:
    return reverse("readiness:round_detail", args=[round_.territory.slug, round_.pk])


# --- models and versions ----------------------------------------------------------------------


def _clean_level_names(level_names: Sequence[str]) -> list[str]:
    names = [str(n).strip() for n in level_names if str(n).strip()]
    if not MIN_LEVELS <= len(names) <= MAX_LEVELS:
        raise ValidationError(
            {
                "level_names": _("A model has %(min)s to %(max)s levels; you gave %(n)s.")
                % {"min": MIN_LEVELS, "max": MAX_LEVELS, "n": len(names)}
            }
        )
    if any(len(n) > 60 for n in names):
        raise ValidationError({"level_names": _("A level name has at most 60 characters.")})
    return names


def _ensure_draft(model: MaturityModel) -> None:
    if model.status != ModelStatus.DRAFT:
        raise ValidationError(
            _(
                "This version is published and frozen so that its rounds stay comparable. "
                "Make a new version to change it."
            )
        )


@transaction.atomic
def maturity_model_install_default(*, territory: Territory, actor: Any) -> MaturityModel:
    """The territory's copy of the model cocity ships, published as version 1 (made once)."""
    existing = MaturityModel.objects.filter(territory=territory, is_default=True).order_by(
        "version"
    )
    if existing:
        return existing[0]
    model = MaturityModel(
        territory=territory,
        name=_(default_model.NAME),
        description=_(default_model.DESCRIPTION),
        level_names=[_(n) for n in default_model.LEVEL_NAMES],
        status=ModelStatus.PUBLISHED,
        is_default=True,
        published_at=timezone.now(),
    )
    validated_save(model)
    Dimension.objects.bulk_create(
        Dimension(
            model=model,
            code=d.code,
            name=_(d.name),
            description=_(d.description),
            layer=d.layer,
            position=i,
            descriptors=[_(x) for x in d.descriptors],
            question=_(d.question),
            evidence_prompt=_(d.evidence_prompt),
        )
        for i, d in enumerate(default_model.DIMENSIONS)
    )
    return model


def _copy_dimensions(source: MaturityModel, target: MaturityModel) -> None:
    Dimension.objects.bulk_create(
        Dimension(
            model=target,
            code=d.code,
            name=d.name,
            description=d.description,
            layer=d.layer,
            position=d.position,
            descriptors=list(d.descriptors),
            question=d.question,
            evidence_prompt=d.evidence_prompt,
        )
        for d in source.dimensions.all()
    )


@transaction.atomic
def maturity_model_copy(*, model: MaturityModel, actor: Any, name: str) -> MaturityModel:
    """A new model (its own family, version 1, a draft) that starts as a copy of ``model``."""
    copy = MaturityModel(
        territory=model.territory,
        name=name.strip(),
        description=model.description,
        level_names=list(model.level_names),
        status=ModelStatus.DRAFT,
        based_on=model,
    )
    validated_save(copy)
    _copy_dimensions(model, copy)
    return copy


@transaction.atomic
def maturity_model_new_version(*, model: MaturityModel, actor: Any) -> MaturityModel:
    """The next version of ``model``'s family, as a draft copy; its rounds still compare."""
    latest = MaturityModel.objects.filter(territory=model.territory, family=model.family).aggregate(
        v=Max("version")
    )["v"]
    version = MaturityModel(
        territory=model.territory,
        family=model.family,
        version=(latest or 0) + 1,
        name=model.name,
        description=model.description,
        level_names=list(model.level_names),
        status=ModelStatus.DRAFT,
        based_on=model,
    )
    validated_save(version)
    _copy_dimensions(model, version)
    return version


@transaction.atomic
def maturity_model_update(
    *, model: MaturityModel, actor: Any, name: str, description: str, level_names: Sequence[str]
) -> MaturityModel:
    """Rename a draft or change its levels (descriptors are cut or padded to the new count)."""
    _ensure_draft(model)
    names = _clean_level_names(level_names)
    model.name = name.strip()
    model.description = description
    model.level_names = names
    validated_save(model)
    for d in model.dimensions.all():
        descriptors = list(d.descriptors)[: len(names)]
        d.descriptors = descriptors + [""] * (len(names) - len(descriptors))
        d.save(update_fields=["descriptors"])
    return model


def _clean_dimension(model: MaturityModel, fields: dict[str, Any]) -> dict[str, Any]:
    if "descriptors" in fields:
        descriptors = [str(x).strip() for x in fields["descriptors"]]
        if len(descriptors) != model.n_levels:
            raise ValidationError(
                {"descriptors": _("Give one descriptor per level: %(n)s.") % {"n": model.n_levels}}
            )
        fields["descriptors"] = descriptors
    if "layer" in fields and fields["layer"] and fields["layer"] not in Layer.values:
        raise ValidationError({"layer": _("Unknown layer.")})
    return fields


@transaction.atomic
def dimension_create(
    *,
    model: MaturityModel,
    actor: Any,
    code: str,
    name: str,
    descriptors: Sequence[str],
    description: str = "",
    layer: str = "",
    question: str = "",
    evidence_prompt: str = "",
) -> Dimension:
    _ensure_draft(model)
    fields = _clean_dimension(model, {"descriptors": descriptors, "layer": layer})
    if model.dimensions.filter(code=code.strip()).exists():
        raise ValidationError({"code": _("This model already has a dimension with this code.")})
    position = (model.dimensions.aggregate(p=Max("position"))["p"] or 0) + 1
    dimension = Dimension(
        model=model,
        code=code.strip(),
        name=name.strip(),
        description=description,
        layer=fields["layer"],
        position=position,
        descriptors=fields["descriptors"],
        question=question,
        evidence_prompt=evidence_prompt,
    )
    validated_save(dimension)
    return dimension


@transaction.atomic
def dimension_update(*, dimension: Dimension, actor: Any, **fields: Any) -> Dimension:
    _ensure_draft(dimension.model)
    fields = _clean_dimension(dimension.model, dict(fields))
    code = fields.get("code", dimension.code).strip()
    if dimension.model.dimensions.filter(code=code).exclude(pk=dimension.pk).exists():
        raise ValidationError({"code": _("This model already has a dimension with this code.")})
    apply_fields(dimension, fields, DIMENSION_FIELDS)
    validated_save(dimension)
    return dimension


@transaction.atomic
def dimension_delete(*, dimension: Dimension, actor: Any) -> None:
    _ensure_draft(dimension.model)
    dimension.delete()


@transaction.atomic
def maturity_model_publish(*, model: MaturityModel, actor: Any) -> MaturityModel:
    """Freeze a draft so rounds can use it: it needs levels, dimensions and every descriptor."""
    _ensure_draft(model)
    _clean_level_names(model.level_names)
    dimensions = list(model.dimensions.all())
    if not dimensions:
        raise ValidationError(_("Add at least one dimension before publishing."))
    incomplete = [
        d.code for d in dimensions if len(d.descriptors) != model.n_levels or not all(d.descriptors)
    ]
    if incomplete:
        raise ValidationError(
            _("Describe every level of these dimensions before publishing: %(codes)s.")
            % {"codes": ", ".join(incomplete)}
        )
    model.status = ModelStatus.PUBLISHED
    model.published_at = timezone.now()
    validated_save(model)
    activity_record(
        territory=model.territory,
        actor=actor,
        verb="maturity_model_published",
        summary=_("Maturity model published: %(model)s") % {"model": str(model)},
        is_public=False,
    )
    return model


@transaction.atomic
def maturity_model_delete(*, model: MaturityModel, actor: Any) -> None:
    _ensure_draft(model)
    model.delete()


# --- rounds, invitations, answers --------------------------------------------------------------


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
        summary=_("Readiness assessment opened: %(title)s") % {"title": round_.title},
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
        summary=_("Readiness assessment closed: %(title)s") % {"title": round_.title},
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


# --- settings and the interface register -------------------------------------------------------


def readiness_settings_of(territory: Territory) -> ReadinessSettings:
    """The territory's settings, or unsaved defaults (private results, anonymous benchmarks)."""
    try:
        return territory.readiness_settings
    except ReadinessSettings.DoesNotExist:
        return ReadinessSettings(territory=territory)


@transaction.atomic
def readiness_settings_update(
    *,
    territory: Territory,
    actor: Any,
    results_public: bool,
    in_benchmarks: bool,
    named_in_benchmarks: bool,
) -> ReadinessSettings:
    found = readiness_settings_of(territory)
    found.results_public = results_public
    found.in_benchmarks = in_benchmarks
    found.named_in_benchmarks = named_in_benchmarks and in_benchmarks
    validated_save(found)
    territory.readiness_settings = found
    return found


def _clean_interface(layer_a: str, layer_b: str) -> tuple[str, str]:
    try:
        return interface_key(layer_a, layer_b)
    except LayerInputError:
        raise ValidationError(
            {
                "layer_b": _(
                    "These layers share no interface: pick neighbouring layers, or governance "
                    "with any layer."
                )
            }
        ) from None


@transaction.atomic
def interface_item_create(
    *,
    territory: Territory,
    actor: Any,
    layer_a: str,
    layer_b: str,
    kind: str,
    title: str,
    description: str = "",
    significance: int = 2,
    initiatives: Iterable[Initiative] = (),
) -> InterfaceItem:
    initiatives = ensure_in_territory(territory, "initiatives", initiatives)
    low, high = _clean_interface(layer_a, layer_b)
    item = InterfaceItem(
        territory=territory,
        layer_a=low,
        layer_b=high,
        kind=kind,
        title=title.strip(),
        description=description,
        significance=significance,
    )
    validated_save(item)
    item.initiatives.set(initiatives)
    return item


@transaction.atomic
def interface_item_update(
    *,
    item: InterfaceItem,
    actor: Any,
    initiatives: Iterable[Initiative] | None = None,
    **fields: Any,
) -> InterfaceItem:
    if initiatives is not None:
        initiatives = ensure_in_territory(item.territory, "initiatives", initiatives)
    apply_fields(item, fields, INTERFACE_FIELDS)
    item.layer_a, item.layer_b = _clean_interface(item.layer_a, item.layer_b)
    validated_save(item)
    if initiatives is not None:
        item.initiatives.set(initiatives)
    return item


@transaction.atomic
def interface_item_delete(*, item: InterfaceItem, actor: Any) -> None:
    item.delete()


def stakeholder_of(user: Any, territory: Territory) -> Stakeholder | None:
    """The stakeholder ``user`` represents in ``territory`` (partners only)."""
    found = memberships_of(user).get(territory.pk)
    if not found or found[0] != Role.PARTNER or found[1] is None:
        return None
    return Stakeholder.objects.filter(pk=found[1], territory=territory).first()
