"""Who may do what with ecosystem intelligence (django-rules).

The structural measures (who brokers, which sectors are cut off, recommendations) are
public data of the territory. Stated trust ratings are private: facilitators (and staff)
see trust per named pair; everyone else sees aggregates only (counts and means per sector
pair), never what one named stakeholder stated about another.
"""

from __future__ import annotations

import rules

from cocity.core.permissions import can_read, is_editor, is_manager

rules.add_perm("network.view_analysis", can_read)
rules.add_perm("network.view_trust_pairs", is_manager)
rules.add_perm("network.compute_analysis", is_editor)
