"""The demo data each domain app adds on top of the demo territory.

``cocity demo`` calls :func:`demo_extensions_generate` right after
:func:`cocity.demo.demo_generate`, and :func:`demo_extensions_delete` before a reset, so each
app keeps its demo code beside its models and the generator stays about the ecosystem and
the programme.
"""

from __future__ import annotations

import datetime as dt

from cocity.territories.models import Territory


def demo_extensions_generate(*, territory: Territory, seed: int, today: dt.date) -> None:
    from cocity.coproduction.demo import coproduction_demo_generate
    from cocity.engagement.demo import engagement_demo_generate
    from cocity.equity.demo import equity_demo_generate
    from cocity.network.demo import network_demo_generate
    from cocity.readiness.demo import readiness_demo_generate

    readiness_demo_generate(territory=territory, seed=seed, today=today)
    coproduction_demo_generate(territory=territory, seed=seed, today=today)
    equity_demo_generate(territory=territory, seed=seed)
    engagement_demo_generate(territory=territory, seed=seed, today=today)
    # Last: the ecosystem analysis is computed from everything the others added.
    network_demo_generate(territory=territory, seed=seed)


def demo_extensions_delete(*, slug: str) -> None:
    from cocity.network.demo import network_demo_delete
    from cocity.readiness.demo import readiness_demo_delete

    readiness_demo_delete(slug=slug)
    network_demo_delete(slug=slug)
