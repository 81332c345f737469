"""Joint work between the demo's stakeholders, and the trust ratings it grows.

Joint work is more frequent inside partnerships (lapsed ones go worse) than ad hoc; its
outcome follows the mean latent reliability of the organisations involved. Each stated
rating is drawn from the joint work of its pair (the beta-reputation mean that the analytics
call behavioural trust), except for a few pairs where what a partner says and what the joint
work shows deliberately disagree. Both are bulk-created; the tests check every row with
``full_clean``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cocity.demo import names
from cocity.demo.ecosystem import (
    ALL,
    COMMUNITY_WEIGHTS,
    INDUSTRY_COMMUNITIES,
    YEAR,
    Node,
    PartnershipPlan,
    compatible_sectors,
    pick_nodes,
)
from cocity.demo.names import CIVIC
from cocity.ecosystem.models import (
    Collaboration,
    Outcome,
    Partnership,
    PartnershipStatus,
    TrustRating,
)
from cocity.territories.models import Territory


@dataclass(slots=True)
class CollaborationPlan:
    title: str
    kind: str
    date: dt.date
    outcome: str
    notes: str
    nodes: list[Node]
    partnership: Partnership | None


KINDS_IN_PARTNERSHIP = (
    ("meeting", 0.3),
    ("workshop", 0.2),
    ("project", 0.2),
    ("data", 0.15),
    ("cofunding", 0.15),
)
KINDS_AD_HOC = (("meeting", 0.5), ("workshop", 0.35), ("data", 0.1), ("project", 0.05))
AD_HOC_COUNT = 300
WINDOW_DAYS = 5 * YEAR


def _kind(rng: np.random.Generator, table: Sequence[tuple[str, float]]) -> str:
    return str(rng.choice([k for k, _p in table], p=[p for _k, p in table]))


def _outcome(rng: np.random.Generator, quality: float) -> str:
    quality = float(np.clip(quality, 0.05, 0.97))
    u = rng.random()
    if u < quality:
        return Outcome.POSITIVE
    if u < quality + (1 - quality) * 0.45:
        return Outcome.NEGATIVE
    return Outcome.MIXED


def _collaboration(
    rng: np.random.Generator,
    *,
    kind: str,
    topic: str,
    date: dt.date,
    nodes: list[Node],
    partnership: Partnership | None,
    penalty: float = 0.0,
) -> CollaborationPlan:
    quality = float(np.mean([n.reliability for n in nodes])) - penalty
    outcome = _outcome(rng, quality)
    heading = names.COLLABORATION_TITLES[kind]
    title = f"{heading[int(rng.integers(len(heading)))]}: {topic}"
    notes = ""
    if outcome == Outcome.NEGATIVE:
        notes = names.NEGATIVE_NOTES[int(rng.integers(len(names.NEGATIVE_NOTES)))]
    elif outcome == Outcome.MIXED and rng.random() < 0.5:
        notes = names.MIXED_NOTES[int(rng.integers(len(names.MIXED_NOTES)))]
    return CollaborationPlan(title, kind, date, outcome, notes, nodes, partnership)


def plan_collaborations(
    *,
    rng: np.random.Generator,
    nodes: list[Node],
    partnerships: list[PartnershipPlan],
    today: dt.date,
) -> list[CollaborationPlan]:
    """Joint work over the last five years: mostly inside partnerships, some ad hoc."""
    window_start = today - dt.timedelta(days=WINDOW_DAYS)
    plans: list[CollaborationPlan] = []
    for plan in partnerships:
        p = plan.partnership
        members = [m for m, _r in plan.members]
        if p.status in ("exploring", "agreed"):
            if rng.random() < 0.6:
                date = today - dt.timedelta(days=int(rng.integers(1, 120)))
                plans.append(
                    _collaboration(
                        rng,
                        kind="meeting",
                        topic=plan.topic,
                        date=date,
                        nodes=members[:2],
                        partnership=p,
                    )
                )
            continue
        assert p.start_date is not None
        first = max(p.start_date, window_start)
        last = min(p.end_date or today, today)
        if last <= first:
            continue
        years = (last - first).days / YEAR
        lapsed = p.status == PartnershipStatus.LAPSED
        rate = (0.9 if lapsed else 1.6) * (1 + 0.15 * (len(members) - 2))
        for _ in range(min(int(rng.poisson(rate * years)), 12)):
            k = 2 if len(members) == 2 or rng.random() < 0.6 else 3
            chosen = [
                members[int(i)] for i in sorted(rng.choice(len(members), size=k, replace=False))
            ]
            date = first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))
            plans.append(
                _collaboration(
                    rng,
                    kind=_kind(rng, KINDS_IN_PARTNERSHIP),
                    topic=plan.topic,
                    date=date,
                    nodes=chosen,
                    partnership=p,
                    penalty=0.25 if lapsed else -0.05,
                )
            )
    for _ in range(AD_HOC_COUNT):
        community = (
            CIVIC
            if rng.random() < 0.3
            else str(rng.choice(INDUSTRY_COMMUNITIES, p=COMMUNITY_WEIGHTS))
        )
        first_node = pick_nodes(rng, nodes, 1, community=community, sectors=ALL)
        others = pick_nodes(
            rng,
            nodes,
            2 if rng.random() < 0.2 else 1,
            community=community,
            sectors=compatible_sectors(rng, ALL, first_node),
            exclude=first_node,
        )
        # Recent years see more joint work than early ones: density grows towards today.
        t = float(rng.random()) ** (1 / 1.5)
        date = window_start + dt.timedelta(days=int(t * WINDOW_DAYS))
        topics = names.TOPICS[community]
        plans.append(
            _collaboration(
                rng,
                kind=_kind(rng, KINDS_AD_HOC),
                topic=topics[int(rng.integers(len(topics)))],
                date=date,
                nodes=first_node + others,
                partnership=None,
            )
        )
    plans.sort(key=lambda c: (c.date, c.title))
    return plans


def create_collaborations(
    *, territory: Territory, plans: list[CollaborationPlan]
) -> list[Collaboration]:
    rows = Collaboration.objects.bulk_create(
        Collaboration(
            territory=territory,
            title=c.title,
            kind=c.kind,
            date=c.date,
            outcome=c.outcome,
            notes=c.notes,
            partnership=c.partnership,
        )
        for c in plans
    )
    through = Collaboration.stakeholders.through
    through.objects.bulk_create(
        through(collaboration_id=row.pk, stakeholder_id=n.stakeholder.pk)
        for row, plan in zip(rows, plans, strict=True)
        for n in plan.nodes
    )
    return rows


# --- trust ------------------------------------------------------------------------------


@dataclass(slots=True)
class _PairEvidence:
    positive: int = 0
    mixed: int = 0
    negative: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def n(self) -> int:
        return self.positive + self.mixed + self.negative

    @property
    def behavioural(self) -> float:
        """Beta-reputation mean of the joint work, a mixed outcome counting half each way."""
        return (self.positive + 0.5 * self.mixed + 1) / (self.n + 2)


def _evidence(plans: list[CollaborationPlan]) -> dict[tuple[int, int], _PairEvidence]:
    pairs: dict[tuple[int, int], _PairEvidence] = {}
    for c in plans:
        ids = sorted(n.index for n in c.nodes)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                e = pairs.setdefault((a, b), _PairEvidence())
                setattr(e, c.outcome, getattr(e, c.outcome) + 1)
                e.first = c.date if e.first is None else min(e.first, c.date)
                e.last = c.date if e.last is None else max(e.last, c.date)
    return dict(sorted(pairs.items()))


RATE_PROBABILITY = {"citizens": 0.1, "civil": 0.25}
"""How likely an organisation of a sector is to rate a partner it worked with (default 0.35)."""
DISAGREEMENTS_EACH_WAY = 4


def plan_ratings(
    *,
    territory: Territory,
    rng: np.random.Generator,
    nodes: list[Node],
    collaborations: list[CollaborationPlan],
    today: dt.date,
    rater_users: dict[int, Any],
) -> list[TrustRating]:
    """Stated trust drawn from the joint work of each pair, plus pairs where the two disagree.

    ``rater_users`` maps a node index to the user who gives that organisation's ratings.
    """
    evidence = _evidence(collaborations)
    directed: list[tuple[Node, Node, _PairEvidence]] = []
    for (a, b), e in evidence.items():
        for rater, ratee in ((nodes[a], nodes[b]), (nodes[b], nodes[a])):
            p = 0.9 if rater.index in rater_users else RATE_PROBABILITY.get(rater.org.sector, 0.35)
            if rng.random() < p:
                directed.append((rater, ratee, e))

    strong = [d for d in directed if d[2].n >= 3 and d[0].org.sector != "citizens"]
    by_trust = sorted(strong, key=lambda d: (d[2].behavioural, d[0].index, d[1].index))
    says_more = {(r.index, t.index) for r, t, _e in by_trust[:DISAGREEMENTS_EACH_WAY]}
    says_less = {(r.index, t.index) for r, t, _e in by_trust[-DISAGREEMENTS_EACH_WAY:]}

    def score(x: float) -> int:
        return int(np.clip(round(x), 1, 5))

    ratings: list[TrustRating] = []
    for rater, ratee, e in directed:
        key = (rater.index, ratee.index)
        assert e.last is not None and e.first is not None
        rated_on = min(e.last + dt.timedelta(days=int(rng.integers(0, 120))), today)
        comment = ""
        if key in says_more:
            values = (5, 5, int(rng.integers(4, 6)))
            comment = names.STATED_HIGH_COMMENT
        elif key in says_less:
            values = (2, 1, int(rng.integers(1, 3)))
            comment = names.STATED_LOW_COMMENT
        else:
            base = 1 + 4 * e.behavioural + rng.normal(0, 0.3)
            # Universities are trusted for their ability more than for their commitment.
            ability_bonus = 0.4 if ratee.org.sector == "academia" else 0.0
            values = (
                score(base + ability_bonus + rng.normal(0, 0.4)),
                score(base + rng.normal(0, 0.4)),
                score(base + rng.normal(0, 0.4)),
            )
        common = {
            "territory": territory,
            "rater": rater.stakeholder,
            "ratee": ratee.stakeholder,
            "given_by": rater_users.get(rater.index),
        }
        if comment == "" and rng.random() < 0.2 and (rated_on - e.first).days > YEAR:
            # An earlier rating shows trust growing over the years.
            earlier = rated_on - dt.timedelta(days=int(rng.integers(300, 700)))
            if earlier >= e.first:
                ratings.append(
                    TrustRating(
                        **common,
                        ability=score(values[0] - 1),
                        benevolence=score(values[1] - 1),
                        integrity=score(values[2] - float(rng.integers(0, 2))),
                        rated_on=earlier,
                    )
                )
        ratings.append(
            TrustRating(
                **common,
                ability=values[0],
                benevolence=values[1],
                integrity=values[2],
                rated_on=rated_on,
                comment=comment,
            )
        )
    return ratings
