"""Builders for readiness tests: a published model, a round with answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cocity.readiness import services
from cocity.readiness.models import AssessmentRound, MaturityModel
from cocity.readiness.services import AnswerInput


def default_model(territory: Any) -> MaturityModel:
    return services.maturity_model_install_default(territory=territory, actor=None)


def small_model(
    territory: Any,
    *,
    levels: Sequence[str] = ("Low", "Mid", "High"),
    codes: Sequence[str] = ("A", "B"),
) -> MaturityModel:
    """A published model with ``codes`` dimensions on ``levels``."""
    base = default_model(territory)
    model = services.maturity_model_copy(model=base, actor=None, name="Small model")
    for d in list(model.dimensions.all()):
        services.dimension_delete(dimension=d, actor=None)
    services.maturity_model_update(
        model=model, actor=None, name="Small model", description="", level_names=list(levels)
    )
    for code in codes:
        services.dimension_create(
            model=model,
            actor=None,
            code=code,
            name=f"Dimension {code}",
            layer="data" if code == codes[0] else "",
            descriptors=[f"{code} at {lv}" for lv in levels],
        )
    return services.maturity_model_publish(model=model, actor=None)


def answer(
    round_: AssessmentRound, user: Any, levels: Mapping[str, int | None], *, submit: bool = True
) -> Any:
    by_code = {d.code: d.pk for d in round_.model.dimensions.all()}
    return services.answers_save(
        round_=round_,
        user=user,
        answers={by_code[c]: AnswerInput(level) for c, level in levels.items()},
        submit=submit,
    )


def open_round(
    territory: Any, model: MaturityModel, users: Sequence[Any] = (), title: str = "Round"
) -> AssessmentRound:
    return services.round_open(
        territory=territory, actor=None, model=model, title=title, invitees=users
    )
