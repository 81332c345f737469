"""Reading one cell of an imported row: lists, choices, dates, numbers, yes/no.

Each reader takes the cell's text and returns the value, or raises ``ValidationError`` with a
message the row's error report shows.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

LIST_SEPARATOR = ";"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_TRUE = {"yes", "true", "1", "y", "x"}
_FALSE = {"no", "false", "0", "n", ""}


def split_list(value: str) -> list[str]:
    """``"ICT; Health;"`` → ``["ICT", "Health"]``."""
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and English labels, lower-cased, mapped to the code."""
    with translation.override("en"):
        found = {str(label).lower(): code for code, label in choices.choices}
    found.update({code.lower(): code for code in choices.values})
    return found


def _choice(value: str, lookup: dict[str, str], what: str) -> str:
    code = lookup.get(value.strip().lower())
    if code is None:
        codes = sorted(set(lookup.values()))
        raise ValidationError(
            _("“%(value)s” is not a known %(what)s. Use one of: %(codes)s.")
            % {"value": value, "what": what, "codes": ", ".join(codes)}
        )
    return code


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date. Write dates as YYYY-MM-DD, e.g. 2025-03-31.")
            % {"value": value}
        ) from None


def _decimal(value: str) -> Decimal | None:
    if not value:
        return None
    if not _DECIMAL.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a number. Use a dot for decimals and no thousands "
                "separator, e.g. 12500.50."
            )
            % {"value": value}
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from None


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValidationError(_("Write yes or no, not “%(value)s”.") % {"value": value})
