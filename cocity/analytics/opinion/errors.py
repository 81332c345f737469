"""The one error type of the opinion map: bad input, said plainly."""

from __future__ import annotations


class OpinionInputError(ValueError):
    """Input to the opinion map is empty, malformed or inconsistent.

    The message names the argument (or the file and row) and what is wrong with it, so a
    caller can show it to a user as it is.
    """
