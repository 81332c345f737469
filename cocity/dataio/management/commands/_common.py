"""What the ``import`` and ``export`` commands share: finding the territory."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cocity.territories.models import Territory


def territory_from_option(slug: str | None) -> Territory:
    """The territory ``slug``; without one, the only territory there is."""
    if slug:
        try:
            return Territory.objects.get(slug=slug)
        except Territory.DoesNotExist:
            raise CommandError(
                _("No territory with the short name “%(slug)s”.") % {"slug": slug}
            ) from None
    territories = list(Territory.objects.order_by("slug")[:20])
    if len(territories) == 1:
        return territories[0]
    if not territories:
        raise CommandError(_("There is no territory yet; create one first."))
    raise CommandError(
        _("Say which territory with --territory: %(slugs)s")
        % {
            "slugs": ", ".join(t.slug for t in territories)
            + ("…" if len(territories) == 20 else "")
        }
    )
