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

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import translation
from django.utils.translation import gettext as _

from cocity.dataio.parsers import Row, Table
from cocity.ecosystem.models import (
    MemberRole,
    Partnership,
    PartnershipForm,
    PartnershipMember,
    PartnershipStatus,
    Sector,
    Stakeholder,
    StakeholderType,
)
from cocity.territories.models import Area, Cluster, Territory

LIST_SEPARATOR = ";"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TRUE = {"yes", "true", "1", "y", "x"}
_FALSE = {"no", "false", "0", "n", ""}


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as the spreadsheet shows it (None: the whole file), the column."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Checked:
    """What checking a table found: rows ready to write, or the errors that stop the import."""

    items: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def split_list(value: str) -> list[str]:
    """``"ICT; Health;"`` → ``["ICT", "Health"]``."""
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and English labels, lower-cased, mapped to the code."""
    with translation.override("en"):
        found = {str(label).lower(): code for code, label in choices.choices}
    found.update({code.lower(): code for code in choices.values})
    return found


def _choice(value: str, lookup: dict[str, str], what: str) -> str:
    code = lookup.get(value.strip().lower())
    if code is None:
        codes = sorted(set(lookup.values()))
        raise ValidationError(
            _("“%(value)s” is not a known %(what)s. Use one of: %(codes)s.")
            % {"value": value, "what": what, "codes": ", ".join(codes)}
        )
    return code


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date. Write dates as YYYY-MM-DD, e.g. 2025-03-31.")
            % {"value": value}
        ) from None


def _decimal(value: str) -> Decimal | None:
    if not value:
        return None
    if not _DECIMAL.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a number. Use a dot for decimals and no thousands "
                "separator, e.g. 12500.50."
            )
            % {"value": value}
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from None


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValidationError(_("Write yes or no, not “%(value)s”.") % {"value": value})


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [str(m) for m in v] for k, v in error.message_dict.items()}
    return {"": [str(m) for m in error.messages]}


class Importer:
    """Checks rows of one kind for one territory and writes them.

    Subclasses set ``columns`` (every column a file may have), ``required`` and
    ``name_column``, and implement :meth:`check_row` and :meth:`write`.
    """

    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    name_column: ClassVar[str] = "name"

    def __init__(self, territory: Territory) -> None:
        self.territory = territory
        self.notes: list[str] = []
        # False once a written row is private (a draft): the activity entry is then private too.
        self.activity_is_public = True
        self._first_row_of: dict[str, int] = {}

    # Subclasses -----------------------------------------------------------------------------

    def existing_names(self) -> set[str]:
        raise NotImplementedError

    def check_row(self, row: Row, errors: list[RowError]) -> Any:
        """Return the item to write, appending a :class:`RowError` for each problem."""
        raise NotImplementedError

    def write(self, items: list[Any]) -> int:
        """Write every item (inside the caller's transaction); return how many rows were added."""
        raise NotImplementedError

    # The checks every kind shares -----------------------------------------------------------

    def header_errors(self, table: Table) -> list[RowError]:
        errors = []
        missing = [c for c in self.required if c not in table.columns]
        if missing:
            errors.append(
                RowError(
                    1,
                    ", ".join(missing),
                    _("Required column missing: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            )
        unknown = [c for c in table.columns if c not in self.columns]
        if unknown:
            errors.append(
                RowError(
                    1,
                    ", ".join(unknown),
                    _("Unknown column: %(columns)s. The columns are: %(known)s.")
                    % {"columns": ", ".join(unknown), "known": ", ".join(self.columns)},
                )
            )
        return errors

    def check_table(
        self,
        table: Table,
        *,
        on_progress: Callable[[int], None] | None = None,
        step: int = 500,
    ) -> Checked:
        """Check every row (never stopping at the first bad one)."""
        result = Checked(errors=self.header_errors(table))
        if result.errors:
            return result
        self._existing = self.existing_names()
        for index, row in enumerate(table.rows, start=1):
            row_errors: list[RowError] = []
            if row.overflow:
                row_errors.append(
                    RowError(row.number, "", _("This row has values beyond the last named column."))
                )
            item = self.check_row(row, row_errors)
            self._check_name_unique(row, row_errors)
            if row_errors:
                result.errors.extend(row_errors)
            elif item is not None:
                result.items.append(item)
            if on_progress and (index % step == 0 or index == len(table.rows)):
                on_progress(index)
        return result

    def _check_name_unique(self, row: Row, errors: list[RowError]) -> None:
        name = row.values.get(self.name_column, "").strip()
        if not name:
            return
        if name in self._existing:
            errors.append(
                RowError(
                    row.number,
                    self.name_column,
                    _("“%(name)s” already exists in %(territory)s; an import only adds new rows.")
                    % {"name": name, "territory": self.territory.name},
                )
            )
        first = self._first_row_of.setdefault(name, row.number)
        if first != row.number:
            errors.append(
                RowError(
                    row.number,
                    self.name_column,
                    _("“%(name)s” is already on row %(row)s of this file.")
                    % {"name": name, "row": first},
                )
            )

    def _validate_model(
        self, instance: models.Model, row: Row, errors: list[RowError], exclude: Iterable[str]
    ) -> None:
        # Uniqueness and constraints are checked in bulk (see the module docstring); the
        # territory foreign key is known to exist.
        try:
            instance.full_clean(
                exclude=["territory", *exclude], validate_unique=False, validate_constraints=False
            )
        except ValidationError as e:
            for column, messages in _messages(e).items():
                column = "" if column == "__all__" else column
                errors.extend(RowError(row.number, column, m) for m in messages)

    def _parse(
        self,
        row: Row,
        column: str,
        errors: list[RowError],
        parse: Callable[[str], Any],
        default: Any = None,
    ) -> Any:
        value = row.values.get(column, "")
        try:
            return parse(value)
        except ValidationError as e:
            errors.extend(RowError(row.number, column, m) for m in e.messages)
            return default


def _bulk_create(model: type[models.Model], objects: list[Any], batch_size: int = 500) -> list[Any]:
    created: list[Any] = model._default_manager.bulk_create(objects, batch_size=batch_size)
    return created


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


IMPORTERS: dict[str, type[Importer]] = {
    StakeholderImporter.kind: StakeholderImporter,
    PartnershipImporter.kind: PartnershipImporter,
}


def importer_for(kind: str, territory: Territory) -> Importer:
    return IMPORTERS[kind](territory)
