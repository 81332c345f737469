"""The ``cocity`` console script.

``cocity demo | serve | worker | import | export | <any Django command>`` run with the
project's settings; ``cocity ecosystem|opinion|equity ...`` analyse files without a database
(those never import Django).
"""

from __future__ import annotations

import importlib
import os
import sys

FILE_COMMANDS = ("ecosystem", "opinion", "equity")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in FILE_COMMANDS:
        module = importlib.import_module(f"cocity.filecli.{args[0]}")
        return int(module.main(args[1:]))
    if args and args[0] in {"serve", "demo"}:
        # The production server never runs with DEBUG on, whatever the environment says.
        os.environ["COCITY_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cocity", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
