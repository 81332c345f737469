"""Builders for tests: small, explicit rows made through the services where it matters."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from cocity.ecosystem.models import Stakeholder
from cocity.territories.models import Membership, Role, Territory

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"  # noqa: S105 - a test fixture, never a real account


def make_territory(*, name: str | None = None, is_public: bool = True, **extra: Any) -> Territory:
    n = next(_seq)
    name = name or f"Territory {n}"
    slug = extra.pop("slug", None) or f"t{n}-{name.lower().replace(' ', '-')}"[:60]
    return Territory.objects.create(name=name, slug=slug, is_public=is_public, **extra)


def make_user(username: str | None = None, **extra: Any) -> Any:
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def make_stakeholder(
    territory: Territory, *, name: str | None = None, sector: str = "public", **extra: Any
) -> Stakeholder:
    return Stakeholder.objects.create(
        territory=territory, name=name or f"Org {next(_seq)}", sector=sector, **extra
    )


def make_member(
    territory: Territory,
    role: str,
    *,
    stakeholder: Stakeholder | None = None,
    username: str | None = None,
) -> Any:
    user = make_user(username)
    if role == Role.PARTNER and stakeholder is None:
        stakeholder = make_stakeholder(territory)
    Membership.objects.create(
        user=user,
        territory=territory,
        role=role,
        stakeholder=stakeholder if role == Role.PARTNER else None,
    )
    return user
