"""The row-checking machinery every importer shares: the errors it reports, the header and
name checks, model validation, and writing in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cocity.dataio.parsers import Row, Table
from cocity.territories.models import Territory


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
        # Uniqueness and constraints are checked in bulk (see the package docstring); the
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
