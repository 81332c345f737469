"""The stored ecosystem analysis of the demo territory.

``cocity demo`` builds an ecosystem with planted structure (see :mod:`cocity.demo.ecosystem`:
communities around energy, mobility, health and digital, tied together by the university,
the digital office and the innovation agency); this computes and stores its analysis so
that the ecosystem intelligence page has something true to say from the start.
"""

from __future__ import annotations

from cocity.network.models import NetworkResult
from cocity.network.services import network_result_request
from cocity.territories.models import Territory


def network_demo_generate(*, territory: Territory, seed: int = 0) -> NetworkResult:
    """Compute (now, not as a task) and store the analysis of ``territory``'s current data."""
    return network_result_request(territory=territory, run="now", seed=seed)


def network_demo_delete(*, slug: str) -> None:
    NetworkResult.objects.filter(territory__slug=slug).delete()
