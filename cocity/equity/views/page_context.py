"""What every equity page shows, and the permissions the pages ask for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cocity.equity import selectors
from cocity.territories.models import Territory

VIEW = "equity.view_equity"
IMPORT = "equity.import_data"


def _context(
    request: HttpRequest,
    territory: Territory,
    section: str,
    state: selectors.EquityState | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What every equity page shows; ``state`` only for the pages that show results."""
    return {
        "nav": "equity",
        "section": section,
        "state": state,
        "payload": state.payload if state is not None else {},
        "can_import": request.user.has_perm(IMPORT, territory),
        "can_compute": request.user.has_perm("equity.compute_results", territory),
        **extra,
    }
