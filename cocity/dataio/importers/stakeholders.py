"""The stakeholders importer: checks stakeholder rows, creates the clusters they name."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cocity.dataio.importers.base import Importer, RowError, _bulk_create
from cocity.dataio.importers.cells import _choice, choice_lookup, split_list
from cocity.dataio.parsers import Row
from cocity.ecosystem.models import Sector, Stakeholder, StakeholderType
from cocity.territories.models import Area, Cluster, Territory

# --- Stakeholders ----------------------------------------------------------------------------


@dataclass
class StakeholderItem:
    stakeholder: Stakeholder
    clusters: list[str]
    areas: list[Area]


class StakeholderImporter(Importer):
    kind = "stakeholders"
    columns = (
        "name",
        "sector",
        "type",
        "description",
        "website",
        "leader_role",
        "clusters",
        "areas",
    )
    required = ("name", "sector")

    def __init__(self, territory: Territory) -> None:
        super().__init__(territory)
        self.sectors = choice_lookup(Sector)
        self.types = choice_lookup(StakeholderType)
        self.clusters = {
            c.name.lower(): c for c in Cluster.objects.filter(territory=territory).only("name")
        }
        self.areas = {a.code: a for a in Area.objects.filter(territory=territory).only("code")}
        self.areas_folded = {code.lower(): a for code, a in self.areas.items()}
        self.new_clusters: dict[str, str] = {}

    def existing_names(self) -> set[str]:
        return set(
            Stakeholder.objects.filter(territory=self.territory).values_list("name", flat=True)
        )

    def check_row(self, row: Row, errors: list[RowError]) -> StakeholderItem:
        v = row.values
        sector = ""
        if not v.get("sector"):
            errors.append(RowError(row.number, "sector", _("A helix sector is required.")))
        else:
            sector = self._parse(
                row, "sector", errors, lambda s: _choice(s, self.sectors, _("sector")), ""
            )
        type_ = "other"
        if v.get("type"):
            type_ = self._parse(
                row, "type", errors, lambda s: _choice(s, self.types, _("type")), "other"
            )
        website = v.get("website", "")
        if website and "://" not in website:
            website = "https://" + website  # as the form does for an address without a scheme
        stakeholder = Stakeholder(
            territory=self.territory,
            name=v.get("name", "").strip(),
            sector=sector,
            type=type_,
            description=v.get("description", ""),
            website=website,
            leader_role=v.get("leader_role", ""),
        )
        self._validate_model(stakeholder, row, errors, exclude=["sector"] if not sector else [])

        clusters = []
        for name in split_list(v.get("clusters", "")):
            if len(name) > Cluster._meta.get_field("name").max_length:  # type: ignore[operator]
                errors.append(
                    RowError(
                        row.number,
                        "clusters",
                        _("Cluster name too long: “%(name)s”.") % {"name": name},
                    )
                )
                continue
            existing = self.clusters.get(name.lower())
            clusters.append(existing.name if existing else name)
        areas = []
        unknown = []
        for code in split_list(v.get("areas", "")):
            area = self.areas.get(code) or self.areas_folded.get(code.lower())
            if area is None:
                unknown.append(code)
            else:
                areas.append(area)
        if unknown:
            errors.append(
                RowError(
                    row.number,
                    "areas",
                    _("No area with the code %(codes)s in %(territory)s.")
                    % {"codes": ", ".join(unknown), "territory": self.territory.name},
                )
            )
        return StakeholderItem(
            stakeholder=stakeholder,
            clusters=list(dict.fromkeys(clusters)),
            areas=list({a.pk: a for a in areas}.values()),
        )

    def write(self, items: list[StakeholderItem]) -> int:
        new_names = {
            name.lower(): name
            for item in items
            for name in item.clusters
            if name.lower() not in self.clusters
        }
        if new_names:
            _bulk_create(
                Cluster, [Cluster(territory=self.territory, name=n) for n in new_names.values()]
            )
            self.clusters = {
                c.name.lower(): c for c in Cluster.objects.filter(territory=self.territory)
            }
            self.notes.append(
                _("New clusters: %(names)s.") % {"names": ", ".join(sorted(new_names.values()))}
            )
        stakeholders = [item.stakeholder for item in items]
        _bulk_create(Stakeholder, stakeholders)
        if any(s.pk is None for s in stakeholders):  # a database that cannot return ids
            ids = dict(
                Stakeholder.objects.filter(territory=self.territory).values_list("name", "pk")
            )
            for s in stakeholders:
                s.pk = ids[s.name]
        cluster_links = [
            Stakeholder.clusters.through(
                stakeholder_id=item.stakeholder.pk, cluster_id=self.clusters[name.lower()].pk
            )
            for item in items
            for name in item.clusters
        ]
        area_links = [
            Stakeholder.areas.through(stakeholder_id=item.stakeholder.pk, area_id=area.pk)
            for item in items
            for area in item.areas
        ]
        _bulk_create(Stakeholder.clusters.through, cluster_links, batch_size=900)
        _bulk_create(Stakeholder.areas.through, area_links, batch_size=900)
        return len(stakeholders)
