"""Per-user API tokens: created, checked and revoked here. Only digests are stored."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cocity.core.models import ApiToken


@transaction.atomic
def api_token_create(*, user: Any, name: str) -> str:
    """Create a token for ``user`` and return the raw secret (shown once, never stored)."""
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[3 : 3 + ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_for(raw),
    )
    return raw


def api_token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_for(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user: Any, token_id: str) -> None:
    if str(token_id).isdigit():
        ApiToken.objects.filter(user=user, pk=int(token_id), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
