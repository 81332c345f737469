"""Writes to maturity models: the default model, copies, versions, dimensions, publishing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.core.services import activity_record, apply_fields, validated_save
from cocity.programme.models import Layer
from cocity.readiness import default_model
from cocity.readiness.models import MAX_LEVELS, MIN_LEVELS, Dimension, MaturityModel, ModelStatus
from cocity.territories.models import Territory

DIMENSION_FIELDS = (
    "code",
    "name",
    "description",
    "layer",
    "descriptors",
    "question",
    "evidence_prompt",
)


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
        sentence=lambda: _("Maturity model published: %(model)s") % {"model": str(model)},
        is_public=False,
    )
    return model


@transaction.atomic
def maturity_model_delete(*, model: MaturityModel, actor: Any) -> None:
    _ensure_draft(model)
    model.delete()
