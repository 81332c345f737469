"""A deterministic, realistic demo territory (the fictional city of Norrhamn).

``demo_generate`` builds it; ``cocity demo`` migrates, generates it once, prints the logins
and serves the site. See :mod:`cocity.demo.generator`.
"""

from cocity.demo.generator import (
    DEFAULT_SEED,
    DEFAULT_SLUG,
    DEMO_ANCHOR,
    DemoLogin,
    DemoSummary,
    demo_delete,
    demo_exists,
    demo_generate,
    demo_logins_set,
    demo_logins_valid,
)

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SLUG",
    "DEMO_ANCHOR",
    "DemoLogin",
    "DemoSummary",
    "demo_delete",
    "demo_exists",
    "demo_generate",
    "demo_logins_set",
    "demo_logins_valid",
]
