"""Programme permissions: officers and facilitators edit; readers see what is published."""

from __future__ import annotations

import rules

from cocity.core.permissions import can_read, is_editor
from cocity.ecosystem.permissions import is_published

for model in ("challenge", "initiative"):
    rules.add_perm(f"programme.view_{model}", can_read & (is_published | is_editor))
    rules.add_perm(f"programme.add_{model}", is_editor)
    rules.add_perm(f"programme.change_{model}", is_editor)
    rules.add_perm(f"programme.delete_{model}", is_editor)
