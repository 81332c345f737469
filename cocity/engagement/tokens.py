"""Participant tokens: who an anonymous participant is, signed so that it cannot be forged.

A token is the participant's public id (a random UUID) signed with the site's secret key and
a salt of its own (:func:`django.core.signing.dumps`), so it says nothing about the person and
no other signed value of the site can stand in for it. It travels in an HttpOnly,
SameSite=Lax cookie scoped to the conversation's pages (the web flow) or in the
``X-Participant-Token`` header (the JSON API). Revoking the participant (``revoked_at``) makes
its token useless: every use checks the row.
"""

from __future__ import annotations

import uuid

from django.core import signing

SALT = "cocity.engagement.participant"
HEADER = "X-Participant-Token"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365  # a year: a consultation can run for months


def cookie_name(conversation_id: int) -> str:
    return f"cc_participant_{conversation_id}"


def participant_token(public_id: uuid.UUID) -> str:
    """The signed token for a participant's public id."""
    return signing.dumps(public_id.hex, salt=SALT, compress=False)


def participant_public_id(token: str | None) -> uuid.UUID | None:
    """The public id a token was signed for, or None for a missing, forged or garbled token."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=SALT)
        return uuid.UUID(hex=str(value))
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
