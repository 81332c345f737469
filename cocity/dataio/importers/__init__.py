"""Checking imported rows and writing them, all or nothing, one importer per kind of row.

The rules are the models' own (``full_clean``, the same as the forms and the API use) plus the
rules the services add (a partnership has two or more distinct members, a stakeholder's
clusters and areas belong to its territory). Uniqueness and the date-order constraint are
checked here in Python against sets loaded once, because ``full_clean`` would run one query per
row for them; that is what makes 100,000 rows take seconds rather than minutes.

Choices decided for imports:

- unknown columns are rejected (a misspelt column would otherwise lose its data silently);
- a name that already exists in the territory, or twice in the file, is rejected with its row:
  an import only adds, it never overwrites;
- clusters named in a stakeholders file are created when the territory has none of that name
  (matched case-insensitively); areas must already exist (they carry geometry);
- members of a partnership must already be stakeholders of the territory.
"""

from cocity.dataio.importers.base import Checked, Importer, RowError
from cocity.dataio.importers.cells import LIST_SEPARATOR, choice_lookup, split_list
from cocity.dataio.importers.partnerships import PartnershipImporter, PartnershipItem
from cocity.dataio.importers.registry import IMPORTERS, importer_for
from cocity.dataio.importers.stakeholders import StakeholderImporter, StakeholderItem

__all__ = [
    "IMPORTERS",
    "LIST_SEPARATOR",
    "Checked",
    "Importer",
    "PartnershipImporter",
    "PartnershipItem",
    "RowError",
    "StakeholderImporter",
    "StakeholderItem",
    "choice_lookup",
    "importer_for",
    "split_list",
]
