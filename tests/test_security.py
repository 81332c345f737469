"""Security defaults a deployer relies on: deploy checks, CSRF, rate limits, headers, escaping."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from cocity.core.testing import PASSWORD, make_stakeholder


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "COCITY_ENV": "production",
        "COCITY_SECRET_KEY": "x" * 20 + "-not-a-real-secret-but-long-and-random-enough-Q7#",
        "COCITY_ALLOWED_HOSTS": "cocity.example.org",
        "COCITY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cocity.settings",
    }
    env.pop("DATABASE_URL", None)
    # The browser tests set this in their worker process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "cocity.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {**os.environ, "COCITY_ENV": "production", "COCITY_DATA_DIR": str(tmp_path)}
    env.pop("COCITY_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "cocity.cli", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "COCITY_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_a_bad_analysis_jobs_setting_stops_with_its_name(tmp_path, jobs):
    env = {**os.environ, "COCITY_ANALYSIS_JOBS": jobs, "COCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "cocity.cli", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "COCITY_ANALYSIS_JOBS must be a whole number, 1 or more" in result.stderr


@pytest.mark.django_db
def test_forms_reject_posts_without_csrf_token(territory, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])
    response = client.post(
        reverse("ecosystem:stakeholder_create", args=[territory.slug]),
        {"name": "No token", "sector": "public"},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_login_is_rate_limited_per_address(client, users, settings):
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "login": (3, 60)}
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "fiona", "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(reverse("login"), {"username": "fiona", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"


@pytest.mark.django_db
def test_login_with_right_password_works(client, users):
    response = client.post(reverse("login"), {"username": "fiona", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("token_list")).status_code == 200


@pytest.mark.django_db
def test_pages_send_security_headers(client, territory):
    response = client.get(reverse("territories:dashboard", args=[territory.slug]))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_user_text_is_escaped(client, territory):
    s = make_stakeholder(
        territory, name='<script>alert("x")</script>', description="<img src=x onerror=1>"
    )
    body = client.get(
        reverse("ecosystem:stakeholder_detail", args=[territory.slug, s.pk])
    ).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "<img src=x" not in body


@pytest.mark.django_db
def test_passwords_are_hashed_with_a_slow_hasher(settings):
    from django.conf import global_settings

    from cocity.core.testing import make_user

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = make_user("hashed")
    assert user.password.startswith("pbkdf2_sha256$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_no_secret_in_the_repository():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    settings_text = (root / "cocity" / "settings.py").read_text()
    assert 'SECRET_KEY = "' not in settings_text and "SECRET_KEY = '" not in settings_text
