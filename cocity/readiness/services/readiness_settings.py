"""A territory's readiness settings: public results, taking part in benchmarks, being named."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cocity.core.services import validated_save
from cocity.readiness.models import ReadinessSettings
from cocity.territories.models import Territory


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
