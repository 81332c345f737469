"""Why a participant's action was refused: raised by the services, shown by pages and the API."""

from __future__ import annotations


class ParticipationRefused(Exception):
    """The conversation is closed, the participant was revoked, or statements are not taken.

    ``code`` is stable for programs (``conversation_closed``, ``participant_revoked``,
    ``statements_closed``, ``not_a_statement``); ``message`` is translated for people.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RateLimited(Exception):
    """Too many votes or statements from one participant or one address."""

    def __init__(self, scope: str, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.scope = scope
        self.message = message
        self.retry_after = retry_after
