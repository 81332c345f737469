"""Participant tokens: signed, tied to one participant, useless when forged or garbled."""

from __future__ import annotations

import uuid

import pytest
from django.core import signing

from cocity.engagement.tokens import SALT, participant_public_id, participant_token


def test_participant_token_round_trips_the_public_id() -> None:
    public_id = uuid.uuid4()
    token = participant_token(public_id)
    assert participant_public_id(token) == public_id
    assert public_id.hex in signing.loads(token, salt=SALT)  # says nothing else about anyone


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "x" * 201,
        "abc:def",
        "\ud800",
        "é" * 10,
        signing.dumps(uuid.uuid4().hex, salt="other"),
    ],
    # Fixed ids: the signed token differs per process, and pytest-xdist workers must
    # collect identical test ids.
    ids=["none", "empty", "too-long", "no-signature", "lone-surrogate", "non-ascii", "other-salt"],
)
def test_participant_public_id_refuses_forged_or_garbled_tokens(token: str | None) -> None:
    assert participant_public_id(token) is None


def test_participant_public_id_refuses_a_tampered_token() -> None:
    token = participant_token(uuid.uuid4())
    _value, _sep, rest = token.partition(":")
    another = signing.b64_encode(f'"{uuid.uuid4().hex}"'.encode()).decode()
    assert participant_public_id(f"{another}:{rest}") is None  # someone else's id, our signature
