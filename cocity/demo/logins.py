"""The demo logins file: ``COCITY_DATA_DIR/demo-logins.txt``, readable by its owner only.

The demo password is generated once per installation (never stored in the repository) and
kept here, so that a later ``cocity demo`` can print it again. One line a login:
``role<TAB>username<TAB>password``; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import os
from pathlib import Path

from cocity.demo.generator import DemoLogin

FILE_NAME = "demo-logins.txt"
HEADER = (
    "# cocity demo logins, written by `cocity demo`. Delete this file (or run\n"
    "# `cocity demo --reset`) to get new passwords.\n"
)


def logins_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def logins_write(path: Path, logins: tuple[DemoLogin, ...]) -> None:
    """Write ``logins`` to ``path`` with mode 600, replacing the file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for login in logins:
            f.write(f"{login.role}\t{login.username}\t{login.password}\n")
    os.chmod(partial, 0o600)  # in case the file existed with a wider mode
    os.replace(partial, path)


def logins_read(path: Path) -> tuple[DemoLogin, ...] | None:
    """The logins saved at ``path``; ``None`` when the file is missing or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    logins = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(parts):
            return None
        logins.append(DemoLogin(*parts))
    return tuple(logins) or None
