"""cocity/analytics stays pure: no Django and no cocity app is imported there."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parents[2] / "analytics"
FORBIDDEN = (
    "django",
    "ninja",
    "rules",
    "cocity.core",
    "cocity.territories",
    "cocity.ecosystem",
    "cocity.programme",
    "cocity.dataio",
    "cocity.engagement",
    "cocity.readiness",
    "cocity.equity",
    "cocity.demo",
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_analytics_modules_import_no_django_or_app():
    offenders = [
        f"{path.relative_to(ANALYTICS)}: {name}"
        for path in ANALYTICS.rglob("*.py")
        if "tests" not in path.parts
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offenders == []


def test_importing_all_analytics_loads_no_django():
    modules = sorted(
        ".".join(("cocity", "analytics", *p.relative_to(ANALYTICS).with_suffix("").parts))
        for p in ANALYTICS.rglob("*.py")
        if "tests" not in p.parts and p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(len(bad))\n"
    )
    out = subprocess.run(  # noqa: S603 - runs this interpreter on code the test wrote
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"


def test_boundary_check_catches_a_django_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport numpy\n")
    assert "django.db" in _imports(bad)
