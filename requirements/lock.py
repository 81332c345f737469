"""Write pinned requirements from a `pip install --dry-run --report` JSON file (used by `make lock`)."""

import json
import sys

report, out = sys.argv[1], sys.argv[2]
pins = sorted(
    f"{item['metadata']['name']}=={item['metadata']['version']}"
    for item in json.load(open(report))["install"]
)
with open(out, "w") as fh:
    fh.write("# Pinned by `make lock` from requirements/*.in; do not edit by hand.\n")
    fh.write("\n".join(pins) + "\n")
