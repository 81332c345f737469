"""Marking the analytics' messages for translation without importing Django.

The analytics stay pure: a message that a page may show is built from a template marked with
:func:`gettext_noop` (``make messages`` extracts it into the project's catalogue) and named
values; the error keeps both, and the Django side translates the template and fills it in.
Shell commands print the English text.
"""

from __future__ import annotations

__all__ = ["gettext_noop"]


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translators; returns it unchanged."""
    return message
