#!/usr/bin/env python
"""Django's command-line utility; ``cocity`` (the console script) does the same and more."""

import sys

from cocity.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
