"""Writes to the programme: challenges and initiatives (with their progress per layer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.programme.models import Challenge, Initiative, Layer, LayerProgress
from cocity.territories.models import Territory

CHALLENGE_FIELDS = ("title", "description", "mission", "cost_of_inaction", "is_draft")
INITIATIVE_FIELDS = (
    "title",
    "description",
    "stage",
    "lead",
    "budget",
    "currency",
    "funding",
    "start_date",
    "end_date",
    "is_draft",
)


def _challenge_url(c: Challenge) -> str:
    return reverse("programme:challenge_detail", args=[c.territory.slug, c.pk])


def _initiative_url(i: Initiative) -> str:
    return reverse("programme:initiative_detail", args=[i.territory.slug, i.pk])


@transaction.atomic
def challenge_create(
    *,
    territory: Territory,
    actor: Any,
    title: str,
    description: str = "",
    mission: str = "both",
    cost_of_inaction: str = "",
    is_draft: bool = False,
) -> Challenge:
    challenge = Challenge(
        territory=territory,
        title=title.strip(),
        description=description,
        mission=mission,
        cost_of_inaction=cost_of_inaction,
        is_draft=is_draft,
    )
    validated_save(challenge)
    activity_record(
        territory=territory,
        actor=actor,
        verb="challenge_created",
        sentence=lambda: _("New challenge: %(title)s") % {"title": challenge.title},
        url=_challenge_url(challenge),
        is_public=not is_draft,
    )
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, actor: Any, **fields: Any) -> Challenge:
    apply_fields(challenge, fields, CHALLENGE_FIELDS)
    validated_save(challenge)
    activity_record(
        territory=challenge.territory,
        actor=actor,
        verb="challenge_updated",
        sentence=lambda: _("Challenge updated: %(title)s") % {"title": challenge.title},
        url=_challenge_url(challenge),
        is_public=not challenge.is_draft,
    )
    return challenge


@transaction.atomic
def challenge_delete(*, challenge: Challenge, actor: Any) -> None:
    challenge.delete()


def _clean_layers(layers: Mapping[str, int]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for layer, value in layers.items():
        if layer not in Layer.values:
            raise ValidationError({"layers": _("Unknown layer: %(layer)s.") % {"layer": layer}})
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"layers": _("Progress for %(layer)s must be a whole number.") % {"layer": layer}}
            ) from None
        if not 0 <= number <= 100:
            raise ValidationError(
                {
                    "layers": _("Progress for %(layer)s must be between 0 and 100.")
                    % {"layer": layer}
                }
            )
        cleaned[layer] = number
    return cleaned


def _set_layers(initiative: Initiative, layers: dict[str, int]) -> None:
    initiative.layer_progress.all().delete()
    LayerProgress.objects.bulk_create(
        LayerProgress(initiative=initiative, layer=layer, progress=value)
        for layer, value in layers.items()
    )


@transaction.atomic
def initiative_create(
    *,
    territory: Territory,
    actor: Any,
    title: str,
    stage: str = "idea",
    description: str = "",
    lead: Any = None,
    partners: Iterable[Any] = (),
    challenges: Iterable[Challenge] = (),
    areas: Iterable[Any] = (),
    layers: Mapping[str, int] | None = None,
    budget: Decimal | None = None,
    currency: str = "",
    funding: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    is_draft: bool = False,
    record_activity: bool = True,
) -> Initiative:
    ensure_in_territory(territory, "lead", [lead])
    partners = ensure_in_territory(territory, "partners", partners)
    challenges = ensure_in_territory(territory, "challenges", challenges)
    areas = ensure_in_territory(territory, "areas", areas)
    cleaned_layers = _clean_layers(layers or {})
    initiative = Initiative(
        territory=territory,
        title=title.strip(),
        stage=stage,
        description=description,
        lead=lead,
        budget=budget,
        currency=currency or territory.currency,
        funding=funding,
        start_date=start_date,
        end_date=end_date,
        is_draft=is_draft,
    )
    validated_save(initiative)
    initiative.partners.set(partners)
    initiative.challenges.set(challenges)
    initiative.areas.set(areas)
    _set_layers(initiative, cleaned_layers)
    if record_activity:
        activity_record(
            territory=territory,
            actor=actor,
            verb="initiative_created",
            sentence=lambda: _("New initiative: %(title)s") % {"title": initiative.title},
            url=_initiative_url(initiative),
            is_public=not is_draft,
        )
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    actor: Any,
    partners: Iterable[Any] | None = None,
    challenges: Iterable[Challenge] | None = None,
    areas: Iterable[Any] | None = None,
    layers: Mapping[str, int] | None = None,
    **fields: Any,
) -> Initiative:
    territory = initiative.territory
    if "lead" in fields:
        ensure_in_territory(territory, "lead", [fields["lead"]])
    if partners is not None:
        partners = ensure_in_territory(territory, "partners", partners)
    if challenges is not None:
        challenges = ensure_in_territory(territory, "challenges", challenges)
    if areas is not None:
        areas = ensure_in_territory(territory, "areas", areas)
    cleaned_layers = _clean_layers(layers) if layers is not None else None
    previous_stage = initiative.stage
    apply_fields(initiative, fields, INITIATIVE_FIELDS)
    validated_save(initiative)
    if partners is not None:
        initiative.partners.set(partners)
    if challenges is not None:
        initiative.challenges.set(challenges)
    if areas is not None:
        initiative.areas.set(areas)
    if cleaned_layers is not None:
        _set_layers(initiative, cleaned_layers)
    moved = initiative.stage != previous_stage
    activity_record(
        territory=territory,
        actor=actor,
        verb="initiative_updated",
        sentence=lambda: (
            _("%(title)s moved to %(stage)s")
            % {"title": initiative.title, "stage": initiative.get_stage_display()}
            if moved
            else _("Initiative updated: %(title)s") % {"title": initiative.title}
        ),
        url=_initiative_url(initiative),
        is_public=not initiative.is_draft,
    )
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative, actor: Any) -> None:
    initiative.delete()
