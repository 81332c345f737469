"""Investment allocations: how much of an initiative's budget goes to each area it serves."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.core.services import ensure_in_territory
from cocity.equity.models import InvestmentAllocation
from cocity.equity.services.results import _request_after_commit
from cocity.programme.models import Initiative
from cocity.territories.models import Area


def _amount(value: Any, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"amounts": _("%(area)s: enter an amount.") % {"area": label}}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(
            {"amounts": _("%(area)s: enter an amount of 0 or more.") % {"area": label}}
        )
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
        raise ValidationError(
            {"amounts": _("%(area)s: enter at most 12 digits and 2 decimals.") % {"area": label}}
        )
    return amount


@transaction.atomic
def investment_allocation_set(
    *, initiative: Initiative, actor: Any, amounts: Mapping[Area, Any]
) -> list[InvestmentAllocation]:
    """Say how much of ``initiative``'s budget goes to each area it serves.

    Replaces the initiative's allocations. Every area must be one the initiative serves, and
    the amounts together may not exceed its budget.
    """
    territory = initiative.territory
    ensure_in_territory(territory, "amounts", amounts.keys())
    served = set(initiative.areas.values_list("pk", flat=True))
    outside = sorted(str(a) for a in amounts if a.pk not in served)
    if outside:
        raise ValidationError(
            {
                "amounts": _("The initiative does not serve: %(areas)s.")
                % {"areas": ", ".join(outside)}
            }
        )
    cleaned = {area: _amount(value, area.code) for area, value in amounts.items()}
    total = sum(cleaned.values(), Decimal(0))
    if initiative.budget is not None and total > initiative.budget:
        raise ValidationError(
            {
                "amounts": _("The amounts add up to %(total)s, more than the budget of %(budget)s.")
                % {"total": total, "budget": initiative.budget}
            }
        )
    InvestmentAllocation.objects.filter(initiative=initiative).delete()
    rows = InvestmentAllocation.objects.bulk_create(
        InvestmentAllocation(territory=territory, initiative=initiative, area=area, amount=amount)
        for area, amount in cleaned.items()
    )
    _request_after_commit(territory)
    return rows


@transaction.atomic
def investment_allocation_reset(*, initiative: Initiative, actor: Any) -> None:
    """Go back to spreading the budget evenly over the areas the initiative serves."""
    InvestmentAllocation.objects.filter(initiative=initiative).delete()
    _request_after_commit(initiative.territory)
