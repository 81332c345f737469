"""Template helpers of ecosystem intelligence, and the stakeholder page's insights.

``{% load network %}{% stakeholder_insights stakeholder %}`` renders
``network/_stakeholder_insights.html`` from the stored analysis (one query), so the
stakeholder page needs no change to its view.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cocity.core.models import ResultStatus
from cocity.ecosystem.models import Sector
from cocity.network import results
from cocity.network.models import NetworkResult
from cocity.network.selectors import PAYLOAD_SCHEMA

register = template.Library()

ROLE_LABELS: dict[str, Any] = {
    "broker": _("broker (among the top tenth by betweenness)"),
    "coordinator": _("coordinator (links partners of its own sector)"),
    "gatekeeper": _("gatekeeper (lets outsiders into its sector)"),
    "representative": _("representative (speaks for its sector to others)"),
    "itinerant": _("itinerant broker (links two partners of another sector)"),
    "liaison": _("liaison (links two other sectors)"),
}


@register.filter
def sector_label(code: str | None) -> str:
    if not code or code == "unknown":
        return str(_("Sector not given"))
    try:
        return str(Sector(code).label)
    except ValueError:
        return code


@register.filter
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{number_format(100 * value, 1)}%"


def stakeholder_insights_for(
    *, stakeholder: Any, user: Any, result: NetworkResult | None
) -> dict[str, Any] | None:
    """Measures, roles and suggested partners of one stakeholder from a stored analysis."""
    if result is None:
        return None
    payload = result.payload
    try:
        node = payload["stakeholder_ids"].index(stakeholder.pk)
    except (KeyError, ValueError):
        return None
    trust_pairs = user.has_perm("network.view_trust_pairs", stakeholder.territory)
    rows = results.stakeholder_rows(payload, trust_pairs=trust_pairs)
    row = rows[node]
    ranked = results.sort_rows(rows, "betweenness")
    rank = next(i for i, r in enumerate(ranked, start=1) if r["node"] == node)
    n = len(rows)
    if (row["betweenness"] or 0) > 0 and rank <= max(3, n // 10):
        row = {**row, "roles": ["broker", *row["roles"]]}
    return {
        "row": row,
        "n_nodes": n,
        "broker_rank": rank,
        "suggestions": results.recommendation_rows(payload, node=node, limit=5),
        "trust": results.trust_profile(payload, node),
    }


@register.inclusion_tag("network/_stakeholder_insights.html", takes_context=True)
def stakeholder_insights(context: template.Context, stakeholder: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    result = (
        NetworkResult.objects.filter(
            territory_id=stakeholder.territory_id,
            status=ResultStatus.READY,
            payload__schema=PAYLOAD_SCHEMA,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    insights = (
        stakeholder_insights_for(stakeholder=stakeholder, user=user, result=result)
        if user is not None
        else None
    )
    return {"insights": insights, "current_territory": context.get("current_territory")}
