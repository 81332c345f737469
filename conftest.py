"""Fixtures shared by every test: territories, a user per role, and clients signed in as them."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from cocity.analytics.tests.realdata import real_data
from cocity.core.testing import make_member, make_stakeholder, make_territory

# CI (.ci/run sets HYPOTHESIS_PROFILE=ci) tries the same examples on every run, so a red build
# means a change broke something; local runs draw new examples each time to find what
# no one thought of (and keep the failures in .hypothesis/ to replay them).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The real hasher is slow on purpose; tests make many users (tests/test_security.py checks
    # that the production hasher is the one configured).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # A request in Swedish leaves Swedish active in this thread; each test starts in English.
    translation.activate("en-gb")


@pytest.fixture
def shared_data() -> Path:
    return real_data()


@pytest.fixture
def territory(db: Any) -> Any:
    return make_territory(name="Lund", slug="lund", currency="SEK")


@pytest.fixture
def other_territory(db: Any) -> Any:
    return make_territory(name="Bristol", slug="bristol", is_public=False, currency="GBP")


@pytest.fixture
def partner_org(territory: Any) -> Any:
    return make_stakeholder(territory, name="Lund University", sector="academia", type="university")


@pytest.fixture
def users(territory: Any, partner_org: Any) -> dict[str, Any]:
    """One user per role in ``territory`` (the partner represents ``partner_org``)."""
    return {
        "facilitator": make_member(territory, "facilitator", username="fiona"),
        "officer": make_member(territory, "officer", username="oscar"),
        "partner": make_member(territory, "partner", stakeholder=partner_org, username="petra"),
        "citizen": make_member(territory, "citizen", username="cecilia"),
        "observer": make_member(territory, "observer", username="olle"),
    }


@pytest.fixture
def client_as(client: Any, users: dict[str, Any]) -> Any:
    """``client_as("officer")`` returns the test client signed in with that role."""

    def sign_in(role: str) -> Any:
        client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture
def worker() -> Iterator[Any]:
    """Runs the real database queue until it is empty (restoring the signal handlers it sets).

    Tests that use it run outside the per-test transaction (``django_db(transaction=True)``):
    the worker closes connections that are not in autocommit, as after a request.
    """
    from django.core.management import call_command

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    yield run
    for s, handler in saved.items():
        signal.signal(s, handler)
