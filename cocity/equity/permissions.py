"""Who may do what with spatial equity (django-rules).

Areas, digital assets and the equity results are public data of the territory: whoever may
read the territory may read them. Imports, allocations of investment and asking for new
results are for editors (staff, facilitators, officers).
"""

from __future__ import annotations

import rules

from cocity.core.permissions import can_read, is_editor

rules.add_perm("equity.view_equity", can_read)
rules.add_perm("equity.import_data", is_editor)
rules.add_perm("equity.change_allocation", is_editor)
rules.add_perm("equity.compute_results", is_editor)
