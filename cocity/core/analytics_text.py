"""The analytics' messages in the reader's language.

The pure analytics build a message a page may show from a template marked with
``cocity.analytics._i18n.gettext_noop`` and named values, and keep both beside the English
text; this is the one place that translates them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext


def analytics_text(template: str, params: Mapping[str, object], english: str) -> str:
    """``template`` translated and filled with ``params``; ``english`` when there is no
    template or the translation lost a placeholder."""
    if not template:
        return english
    try:
        return gettext(template) % params
    except (KeyError, TypeError, ValueError):
        return english
