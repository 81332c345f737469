"""The demo programme: three challenges and 25 initiatives answering them.

Initiatives cover every open-innovation stage and every layer of the digital city. Progress
grows with the stage but lags in the upper layers (governance most), so the layer balance has
something to show. Most initiatives serve the less deprived areas (the old town, the
university quarter); a few are aimed at the harbour on purpose. An equity analysis should
find that cherry-picking.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from cocity.demo import names
from cocity.demo.ecosystem import ALL, Node, PartnershipPlan, pick_nodes
from cocity.programme import services as prog
from cocity.programme.models import Challenge, Initiative, Layer, Stage
from cocity.territories.models import Area, Territory

STAGE_ORDER = list(Stage.values)
STAGE_PROGRESS = (5, 12, 25, 40, 55, 75, 92)
"""Typical progress (%) at each stage, from idea to mainstream."""
LAYER_LAG: dict[str, int] = {
    Layer.ANALOGUE: 10,
    Layer.SENSING: 5,
    Layer.DATA: 0,
    Layer.PLATFORMS: -5,
    Layer.GOVERNANCE: -20,
}
"""How far each layer runs ahead of (or behind) the typical progress, in points."""
AREAS_SERVED = ((0, 0), (0, 2), (1, 3), (2, 6), (4, 10), (10, 30), (35, 70))
BUDGET_MEDIAN = (None, 4e5, 1.2e6, 2.5e6, 5e6, 10e6, 18e6)
STARTED_YEARS_AGO = ((0.0, 0.0), (0.0, 0.5), (0.5, 1.5), (1.0, 2.0), (1.0, 3.0), (2.0, 4.0),
                     (3.0, 6.0))  # fmt: skip
CHERRY_PICKING = 0.22
"""How much more likely each decile less deprived is to be served (log-odds a decile)."""


def create_challenges(*, territory: Territory) -> dict[str, Challenge]:
    """The three challenges, through ``challenge_create``."""
    return {
        title: prog.challenge_create(
            territory=territory,
            actor=None,
            title=title,
            description=description,
            mission=mission,
            cost_of_inaction=cost,
        )
        for title, mission, description, cost in names.CHALLENGES
    }


def _served_areas(
    rng: np.random.Generator, spec: names.InitiativeSpec, stage_index: int, areas: list[Area]
) -> list[Area]:
    if spec.districts:
        pool = [a for a in areas if a.indicators.get("district") in spec.districts]
        return pool
    lo, hi = AREAS_SERVED[stage_index]
    count = int(rng.integers(lo, hi + 1))
    if count == 0:
        return []
    deciles = np.array([a.deprivation_decile or 5 for a in areas], dtype=float)
    tilt = (10 - deciles) if spec.for_deprived else (deciles - 1)
    weights = np.exp(CHERRY_PICKING * tilt)
    chosen = rng.choice(len(areas), size=count, replace=False, p=weights / weights.sum())
    return [areas[int(i)] for i in sorted(chosen)]


def _layers(
    rng: np.random.Generator, spec: names.InitiativeSpec, stage_index: int
) -> dict[str, int]:
    base = STAGE_PROGRESS[stage_index]
    return {
        layer: int(np.clip(round(base + LAYER_LAG[layer] + rng.normal(0, 8)), 0, 100))
        for layer in spec.layers
    }


def _budget(rng: np.random.Generator, stage_index: int) -> Decimal | None:
    median = BUDGET_MEDIAN[stage_index]
    if median is None:
        return None
    return Decimal(int(round(float(rng.lognormal(np.log(median), 0.5)), -4)))


def _funding(rng: np.random.Generator, stage_index: int) -> str:
    count = int(rng.integers(1, 4))
    picked = [names.FUNDERS[int(i)] for i in sorted(rng.choice(len(names.FUNDERS), count,
                                                               replace=False))]  # fmt: skip
    if stage_index >= STAGE_ORDER.index(Stage.SCALE_UP) and "Municipal budget" not in picked:
        picked.insert(0, "Municipal budget")
    return "; ".join(picked)


def _dates(
    rng: np.random.Generator, stage_index: int, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    lo, hi = STARTED_YEARS_AGO[stage_index]
    if hi == 0:
        return None, None
    start = today - dt.timedelta(days=int(rng.uniform(lo, hi) * 365) + 7)
    if stage_index == len(STAGE_ORDER) - 1 and rng.random() < 0.5:
        return start, None  # mainstream services run on
    return start, today + dt.timedelta(days=int(rng.integers(90, 3 * 365)))


def create_initiatives(
    *,
    territory: Territory,
    rng: np.random.Generator,
    nodes: list[Node],
    by_name: dict[str, Node],
    challenges: dict[str, Challenge],
    areas: list[Area],
    partnerships: list[PartnershipPlan],
    today: dt.date,
) -> list[Initiative]:
    """The 25 initiatives through ``initiative_create``, each linked to partnerships of its lead."""
    initiatives: list[Initiative] = []
    for spec in names.INITIATIVES:
        stage_index = STAGE_ORDER.index(spec.stage)
        lead = by_name[spec.lead]
        partners = pick_nodes(rng, nodes, int(rng.integers(2, 6)), community=spec.community,
                         sectors=ALL, exclude=[lead])  # fmt: skip
        start, end = _dates(rng, stage_index, today)
        initiative = prog.initiative_create(
            territory=territory,
            actor=None,
            title=spec.title,
            stage=spec.stage,
            description=spec.description,
            lead=lead.stakeholder,
            partners=[p.stakeholder for p in partners],
            challenges=[challenges[c] for c in spec.challenges],
            areas=_served_areas(rng, spec, stage_index, areas),
            layers=_layers(rng, spec, stage_index),
            budget=_budget(rng, stage_index),
            funding=_funding(rng, stage_index),
            start_date=start,
            end_date=end,
            is_draft=spec.is_draft,
            record_activity=False,
        )
        initiatives.append(initiative)
        if stage_index >= STAGE_ORDER.index(Stage.PROTOTYPE):
            _link_partnerships(initiative, lead, partnerships)
    return initiatives


def _link_partnerships(
    initiative: Initiative, lead: Node, partnerships: list[PartnershipPlan]
) -> None:
    """Link up to two of the lead's live partnerships to the initiative they carry."""
    linked: list[Any] = []
    for plan in partnerships:
        p = plan.partnership
        if p.is_draft or p.status not in ("agreed", "active", "completed"):
            continue
        if any(node is lead for node, _role in plan.members):
            linked.append(p)
        if len(linked) == 2:
            break
    for p in linked:
        p.initiatives.add(initiative)
