"""Errors raised by the equity analytics.

Every error is a :class:`ValueError` subclass whose message says what was wrong and
where (a line of a CSV file, a feature of a GeoJSON file, an argument name), so that a
file command or a Django form can show it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cocity.analytics._i18n import gettext_noop

__all__ = ["EquityInputError", "ImportIssue", "ImportRejected", "gettext_noop", "issue"]

_MAX_LISTED = 20


class EquityInputError(ValueError):
    """An argument given to an equity computation is unusable (shape, NaN, range...)."""


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One problem (or one repair) found in one row of an imported file.

    Attributes
    ----------
    where : str
        The row, as a user finds it in the file: ``"line 7"`` for CSV (the header is
        line 1) or ``"feature 3"`` for GeoJSON (features numbered from 1).
    message : str
        What is wrong, in words, naming the field (English).
    template, params : str, mapping
        ``message`` is ``template % params`` when made by :func:`issue`: the web pages
        translate the template (it is in the project's message catalogue) and fill it in.
    """

    where: str
    message: str
    template: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def issue(where: str, template: str, **params: object) -> ImportIssue:
    """An :class:`ImportIssue` whose message is ``template % params`` (a ``gettext_noop``
    template with named placeholders), so that it can be shown in the reader's language."""
    return ImportIssue(where, template % params, template, params)


class ImportRejected(EquityInputError):
    """A file was rejected as a whole: nothing from it was imported.

    Parameters
    ----------
    source : str
        The file's name, for the message.
    issues : sequence of ImportIssue
        Every problem found (the file is read to the end before rejecting it).
    """

    def __init__(self, source: str, issues: Sequence[ImportIssue]) -> None:
        self.source = source
        self.issues: tuple[ImportIssue, ...] = tuple(issues)
        listed = "\n".join(f"  {issue}" for issue in self.issues[:_MAX_LISTED])
        more = len(self.issues) - _MAX_LISTED
        tail = f"\n  ... and {more} more" if more > 0 else ""
        noun = "problem" if len(self.issues) == 1 else "problems"
        super().__init__(
            f"{source}: {len(self.issues)} {noun}; nothing was imported:\n{listed}{tail}"
        )
