"""The importer for each kind of row a file may hold."""

from __future__ import annotations

from cocity.dataio.importers.base import Importer
from cocity.dataio.importers.partnerships import PartnershipImporter
from cocity.dataio.importers.stakeholders import StakeholderImporter
from cocity.territories.models import Territory

IMPORTERS: dict[str, type[Importer]] = {
    StakeholderImporter.kind: StakeholderImporter,
    PartnershipImporter.kind: PartnershipImporter,
}


def importer_for(kind: str, territory: Territory) -> Importer:
    return IMPORTERS[kind](territory)
