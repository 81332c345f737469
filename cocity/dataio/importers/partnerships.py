"""The partnerships importer: checks partnership rows and their members (existing stakeholders)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from cocity.dataio.importers.base import Importer, RowError, _bulk_create
from cocity.dataio.importers.cells import _bool, _choice, _date, _decimal, choice_lookup, split_list
from cocity.dataio.parsers import Row
from cocity.ecosystem.models import (
    MemberRole,
    Partnership,
    PartnershipForm,
    PartnershipMember,
    PartnershipStatus,
    Stakeholder,
)
from cocity.territories.models import Territory

_CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- Partnerships ----------------------------------------------------------------------------


@dataclass
class PartnershipItem:
    partnership: Partnership
    members: list[tuple[Stakeholder, str]]


class PartnershipImporter(Importer):
    kind = "partnerships"
    columns = (
        "name",
        "form",
        "status",
        "start_date",
        "end_date",
        "value",
        "currency",
        "description",
        "members",
        "draft",
    )
    required = ("name", "form", "members")

    def __init__(self, territory: Territory) -> None:
        super().__init__(territory)
        self.forms = choice_lookup(PartnershipForm)
        self.statuses = choice_lookup(PartnershipStatus)
        self.roles = choice_lookup(MemberRole)
        stakeholders = list(Stakeholder.objects.filter(territory=territory).only("name"))
        self.stakeholders = {s.name: s for s in stakeholders}
        folded: dict[str, list[Stakeholder]] = {}
        for s in stakeholders:
            folded.setdefault(s.name.lower(), []).append(s)
        self.stakeholders_folded = folded

    def existing_names(self) -> set[str]:
        return set(
            Partnership.objects.filter(territory=self.territory).values_list("name", flat=True)
        )

    def _stakeholder(self, name: str) -> Stakeholder | None:
        found = self.stakeholders.get(name)
        if found is None:
            candidates = self.stakeholders_folded.get(name.lower(), [])
            found = candidates[0] if len(candidates) == 1 else None
        return found

    def _members(self, row: Row, errors: list[RowError]) -> list[tuple[Stakeholder, str]]:
        members: list[tuple[Stakeholder, str]] = []
        unknown: list[str] = []
        for entry in split_list(row.values.get("members", "")):
            name, role = entry, MemberRole.PARTNER.value
            if ":" in entry:
                head, _sep, tail = entry.rpartition(":")
                if tail.strip().lower() in self.roles:
                    name, role = head.strip(), self.roles[tail.strip().lower()]
                elif self._stakeholder(entry) is None:
                    errors.append(
                        RowError(
                            row.number,
                            "members",
                            _("“%(role)s” is not a role. Use one of: %(roles)s.")
                            % {"role": tail.strip(), "roles": ", ".join(MemberRole.values)},
                        )
                    )
                    continue
            stakeholder = self._stakeholder(name)
            if stakeholder is None:
                unknown.append(name)
            else:
                members.append((stakeholder, role))
        if unknown:
            errors.append(
                RowError(
                    row.number,
                    "members",
                    _("No stakeholder named %(names)s in %(territory)s; import them first.")
                    % {
                        "names": ", ".join(f"“{n}”" for n in unknown),
                        "territory": self.territory.name,
                    },
                )
            )
            return members
        seen: set[int] = set()
        for stakeholder, _role in members:
            if stakeholder.pk in seen:
                errors.append(
                    RowError(
                        row.number,
                        "members",
                        _("%(name)s is listed twice.") % {"name": stakeholder.name},
                    )
                )
            seen.add(stakeholder.pk)
        if len(seen) < 2:
            errors.append(
                RowError(row.number, "members", _("A partnership needs at least two stakeholders."))
            )
        return members

    def check_row(self, row: Row, errors: list[RowError]) -> PartnershipItem:
        v = row.values
        form = ""
        if not v.get("form"):
            errors.append(RowError(row.number, "form", _("A form of partnership is required.")))
        else:
            form = self._parse(row, "form", errors, lambda s: _choice(s, self.forms, _("form")), "")
        status = PartnershipStatus.EXPLORING.value
        if v.get("status"):
            status = self._parse(
                row, "status", errors, lambda s: _choice(s, self.statuses, _("status")), status
            )
        start = self._parse(row, "start_date", errors, _date)
        end = self._parse(row, "end_date", errors, _date)
        if start and end and end < start:
            errors.append(
                RowError(row.number, "end_date", _("The end date is before the start date."))
            )
        value = self._parse(row, "value", errors, _decimal)
        currency = v.get("currency", "").strip().upper() or self.territory.currency
        if not _CURRENCY.match(currency):
            errors.append(
                RowError(
                    row.number,
                    "currency",
                    _("“%(value)s” is not a currency code; use three letters, e.g. EUR.")
                    % {"value": v.get("currency", "")},
                )
            )
        is_draft = self._parse(row, "draft", errors, _bool, False)
        partnership = Partnership(
            territory=self.territory,
            name=v.get("name", "").strip(),
            form=form,
            status=status,
            description=v.get("description", ""),
            start_date=start,
            end_date=end,
            value=value,
            currency=currency,
            is_draft=is_draft,
        )
        self._validate_model(
            partnership,
            row,
            errors,
            exclude=[
                f for f, ok in (("form", form), ("currency", _CURRENCY.match(currency))) if not ok
            ],
        )
        members = self._members(row, errors)
        return PartnershipItem(partnership=partnership, members=members)

    def write(self, items: list[PartnershipItem]) -> int:
        partnerships = [item.partnership for item in items]
        self.activity_is_public = not any(p.is_draft for p in partnerships)
        if connection.features.can_return_rows_from_bulk_insert:
            _bulk_create(Partnership, partnerships)
        else:  # names are not unique, so ids must come back one by one
            for p in partnerships:
                p.save(force_insert=True)
        _bulk_create(
            PartnershipMember,
            [
                PartnershipMember(partnership_id=item.partnership.pk, stakeholder=s, role=role)
                for item in items
                for s, role in item.members
            ],
        )
        return len(partnerships)
