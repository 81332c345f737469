"""A small hand-made ecosystem whose structure is known, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import (
    Collaboration,
    Partnership,
    PartnershipMember,
    Stakeholder,
    TrustRating,
)
from cocity.programme.models import Challenge, Initiative
from cocity.territories.models import Cluster, Territory


@dataclass
class Town:
    """``hub`` (the city) links two groups that never work together: ``uni`` + ``lab``
    (academia) and ``shop`` + ``bike`` (industry); ``lonely`` has no tie."""

    hub: Stakeholder
    uni: Stakeholder
    lab: Stakeholder
    shop: Stakeholder
    bike: Stakeholder
    lonely: Stakeholder
    challenge: Challenge


def partnership(territory: Territory, members: list[Stakeholder], *, form: str = "research",
                status: str = "active", start: dt.date | None = dt.date(2022, 3, 1),
                end: dt.date | None = None, draft: bool = False) -> Partnership:  # fmt: skip
    p = Partnership.objects.create(
        territory=territory, name=f"P{Partnership.objects.count() + 1}", form=form,
        status=status, start_date=start, end_date=end, is_draft=draft,
    )  # fmt: skip
    for s in members:
        PartnershipMember.objects.create(partnership=p, stakeholder=s)
    return p


def joint(territory: Territory, members: list[Stakeholder], *, outcome: str = "positive",
          day: dt.date = dt.date(2023, 5, 1)) -> Collaboration:  # fmt: skip
    c = Collaboration.objects.create(
        territory=territory, title="Workshop", kind="workshop", date=day, outcome=outcome
    )
    c.stakeholders.set(members)
    return c


def rate(territory: Territory, rater: Stakeholder, ratee: Stakeholder, score: int,
         day: dt.date = dt.date(2024, 1, 10)) -> TrustRating:  # fmt: skip
    return TrustRating.objects.create(
        territory=territory, rater=rater, ratee=ratee, ability=score, benevolence=score,
        integrity=score, rated_on=day,
    )  # fmt: skip


def make_town(territory: Territory, **names: Any) -> Town:
    hub = make_stakeholder(territory, name="City Hall", sector="public")
    uni = make_stakeholder(territory, name="Uni", sector="academia")
    lab = make_stakeholder(territory, name="Lab", sector="academia")
    shop = make_stakeholder(territory, name="Shop", sector="industry")
    bike = make_stakeholder(territory, name="Bike Co", sector="industry")
    lonely = make_stakeholder(territory, name="Lonely Club", sector="civil")
    partnership(territory, [hub, uni, lab])
    partnership(territory, [hub, shop, bike], form="ppp")
    partnership(territory, [uni, shop], form="merger", draft=True)  # a draft: not analysed
    joint(territory, [hub, uni])
    joint(territory, [shop, bike], outcome="negative")
    joint(territory, [shop, bike], outcome="negative", day=dt.date(2024, 2, 1))
    rate(territory, shop, bike, 1)
    rate(territory, uni, hub, 5)
    rate(territory, lab, hub, 4)
    rate(territory, bike, hub, 4)
    cluster = Cluster.objects.create(territory=territory, name="Mobility")
    shop.clusters.add(cluster)
    bike.clusters.add(cluster)
    challenge = Challenge.objects.create(territory=territory, title="Clean air")
    initiative = Initiative.objects.create(territory=territory, title="Air sensors", lead=hub)
    initiative.partners.add(uni)
    initiative.challenges.add(challenge)
    return Town(hub, uni, lab, shop, bike, lonely, challenge)
