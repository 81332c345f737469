"""Template helpers of co-production, also for other apps' pages.

``{% load coproduction %}{% initiative_origin initiative %}`` on an initiative's page says
which citizen proposal it came from (nothing when it did not come from one).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from cocity.coproduction.selectors import proposals_from_initiative

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """How a member is named on public pages: their full name, else their username."""
    if user is None:
        return _("a former member")
    return str(user.get_full_name() or user.get_username())


@register.inclusion_tag("coproduction/_initiative_origin.html", takes_context=True)
def initiative_origin(context: template.Context, initiative: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "territory": initiative.territory,
        "origins": list(proposals_from_initiative(initiative=initiative, user=user)),
    }
