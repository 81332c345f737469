"""Where the real public data is (``../shared/data`` beside the project, or
``COCITY_SHARED_DATA``). Tests that need it skip with a clear message where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_data_dir() -> Path:
    """The shared data folder, whether or not it exists."""
    env = os.environ.get("COCITY_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data"


def real_data(*parts: str) -> Path:
    """``shared_data_dir() / parts``, or skip the test saying where it was looked for."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found at {path} (set COCITY_SHARED_DATA; see its README)")
    return path
