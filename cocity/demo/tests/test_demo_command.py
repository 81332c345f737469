"""``cocity demo --no-serve``: prepares the database, generates the demo once, prints logins."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cocity.core.permissions import role_of
from cocity.demo import DEFAULT_SLUG
from cocity.demo.logins import logins_path, logins_read
from cocity.ecosystem.models import Stakeholder
from cocity.territories.models import Territory


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    return tmp_path


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--today", "2026-06-30", *args, stdout=out)
    return out.getvalue()


def prints_login(output: str, login: Any) -> bool:
    line = rf"^\s*{login.role}\s+{login.username}\s+{re.escape(login.password)}$"
    return re.search(line, output, re.MULTILINE) is not None


def saved_passwords(data_dir: Path) -> set[str]:
    logins = logins_read(logins_path(data_dir))
    assert logins is not None
    return {login.password for login in logins}


def test_demo_command_twice_keeps_the_data_and_prints_the_same_logins(
    db: Any, data_dir: Path, client: Any
) -> None:
    first = run_demo()
    assert "http://127.0.0.1:8000/" in first
    city = Territory.objects.get(slug=DEFAULT_SLUG)
    stakeholders = set(Stakeholder.objects.filter(territory=city).values_list("pk", flat=True))
    assert len(stakeholders) == 150
    path = logins_path(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    logins = logins_read(path)
    assert logins is not None and len(logins) == 6
    for login in logins:
        assert prints_login(first, login)

    second = run_demo()
    assert "keeping its data" in second
    assert set(Stakeholder.objects.filter(territory=city).values_list("pk", flat=True)) == (
        stakeholders
    )
    assert logins_read(path) == logins
    for login in logins:
        assert prints_login(second, login)

    for login in logins:
        assert client.login(username=login.username, password=login.password), login.role
        user = get_user_model().objects.get(username=login.username)
        if login.role == "admin":
            assert user.is_superuser
        else:
            assert role_of(user, city) == login.role
        client.logout()


def test_demo_command_reset_generates_again_with_a_new_password(
    db: Any, data_dir: Path, client: Any
) -> None:
    run_demo()
    old_city = Territory.objects.get(slug=DEFAULT_SLUG).pk
    old_passwords = saved_passwords(data_dir)

    out = run_demo("--reset")

    assert "Deleted the previous demo" in out
    assert Territory.objects.get(slug=DEFAULT_SLUG).pk != old_city
    new_passwords = saved_passwords(data_dir)
    assert new_passwords != old_passwords
    (new_password,) = new_passwords
    assert client.login(username="officer", password=new_password)
    assert not client.login(username="observer", password=old_passwords.pop())


def test_demo_command_without_saved_logins_sets_new_passwords(
    db: Any, data_dir: Path, client: Any
) -> None:
    run_demo()
    (old_password,) = saved_passwords(data_dir)
    logins_path(data_dir).unlink()

    out = run_demo()

    assert "setting new passwords" in out
    (new_password,) = saved_passwords(data_dir)
    assert new_password in out
    assert client.login(username="citizen", password=new_password)
    assert not client.login(username="citizen", password=old_password)


def test_demo_command_leaves_a_non_demo_user_alone(db: Any, data_dir: Path) -> None:
    get_user_model().objects.create_user(username="admin", password="their-own-password-7")

    with pytest.raises(CommandError, match="admin"):
        run_demo()

    assert not Territory.objects.filter(slug=DEFAULT_SLUG).exists()
    assert not logins_path(data_dir).exists()
    assert not get_user_model().objects.get(username="admin").is_superuser


def test_demo_command_rejects_a_malformed_date(db: Any, data_dir: Path) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo", "--no-serve", "--today", "30/06/2026", stdout=io.StringIO())
    assert not Territory.objects.filter(slug=DEFAULT_SLUG).exists()
