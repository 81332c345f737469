"""Exports of a territory's data as CSV, XLSX and JSON, read through the domain selectors.

Each export is a :class:`Sheet`: column names and rows of Python values (lists for the
``;``-separated columns). The stakeholders and partnerships sheets have exactly the columns
the importers take, so an exported file imports into another territory unchanged. Areas also
export as a GeoJSON FeatureCollection.

Privacy: rows come from the same selectors as the pages, with the same user, so drafts appear
only to those who may see them; trust ratings export only to facilitators. A cell a
spreadsheet would run as a formula (``= + - @``) is prefixed with ``'`` in CSV and XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.dataio.parsers import FORMULA_START
from cocity.ecosystem import selectors as ecosystem_selectors
from cocity.programme import selectors as programme_selectors
from cocity.territories.models import Area, Territory

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "geojson": "application/geo+json",
}
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Sheet:
    kind: str
    columns: tuple[str, ...]
    rows: list[list[Any]]
    geojson: dict[str, Any] | None = None


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class ExportKind:
    kind: str
    label: Any
    permission: str
    build: Callable[[Territory, Any], Sheet]


def _names(objects: Any) -> list[str]:
    return [str(o) for o in objects]


def _stakeholders(territory: Territory, user: Any) -> Sheet:
    qs = ecosystem_selectors.stakeholder_list(territory=territory).prefetch_related("areas")
    rows = [
        [
            s.name,
            s.sector,
            s.type,
            s.description,
            s.website,
            s.leader_role,
            sorted(c.name for c in s.clusters.all()),
            sorted(a.code for a in s.areas.all()),
        ]
        for s in qs
    ]
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
    return Sheet("stakeholders", columns, rows)


def _partnerships(territory: Territory, user: Any) -> Sheet:
    qs = ecosystem_selectors.partnership_list(territory=territory, user=user).order_by("name", "pk")
    rows = [
        [
            p.name,
            p.form,
            p.status,
            p.start_date,
            p.end_date,
            p.value,
            p.currency,
            p.description,
            [f"{m.stakeholder.name}:{m.role}" for m in sorted(p.members.all(), key=lambda m: m.pk)],
            p.is_draft,
        ]
        for p in qs
    ]
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
    return Sheet("partnerships", columns, rows)


def _collaborations(territory: Territory, user: Any) -> Sheet:
    visible = set(
        ecosystem_selectors.partnership_list(territory=territory, user=user)
        .order_by()
        .values_list("pk", flat=True)
    )
    rows = [
        [
            c.title,
            c.kind,
            c.date,
            c.outcome,
            c.notes,
            sorted(_names(c.stakeholders.all())),
            c.partnership.name if c.partnership_id in visible and c.partnership else "",
        ]
        for c in ecosystem_selectors.collaboration_list(territory=territory)
    ]
    columns = ("title", "kind", "date", "outcome", "notes", "stakeholders", "partnership")
    return Sheet("collaborations", columns, rows)


def _initiatives(territory: Territory, user: Any) -> Sheet:
    # A draft challenge stays unnamed for those who may not see drafts.
    visible = set(
        programme_selectors.challenge_list(territory=territory, user=user)
        .order_by()
        .values_list("pk", flat=True)
    )
    qs = programme_selectors.initiative_list(territory=territory, user=user).prefetch_related(
        "partners", "areas"
    )
    rows = [
        [
            i.title,
            i.description,
            i.stage,
            i.lead.name if i.lead else "",
            sorted(_names(i.partners.all())),
            sorted(c.title for c in i.challenges.all() if c.pk in visible),
            sorted(a.code for a in i.areas.all()),
            [f"{lp.layer}:{lp.progress}" for lp in i.layer_progress.all()],
            i.budget,
            i.currency,
            i.funding,
            i.start_date,
            i.end_date,
            i.is_draft,
        ]
        for i in qs
    ]
    columns = (
        "title",
        "description",
        "stage",
        "lead",
        "partners",
        "challenges",
        "areas",
        "layers",
        "budget",
        "currency",
        "funding",
        "start_date",
        "end_date",
        "draft",
    )
    return Sheet("initiatives", columns, rows)


def _challenges(territory: Territory, user: Any) -> Sheet:
    qs = programme_selectors.challenge_list(territory=territory, user=user).order_by("title")
    # No count of initiatives: the selector's count includes drafts a reader may not see.
    rows = [[c.title, c.description, c.mission, c.cost_of_inaction, c.is_draft] for c in qs]
    columns = ("title", "description", "mission", "cost_of_inaction", "draft")
    return Sheet("challenges", columns, rows)


def _areas(territory: Territory, user: Any) -> Sheet:
    areas = list(Area.objects.filter(territory=territory).order_by("code"))
    columns = (
        "code",
        "name",
        "population",
        "deprivation_rank",
        "deprivation_decile",
        "indicators",
    )
    rows = [
        [
            a.code,
            a.name,
            a.population,
            a.deprivation_rank,
            a.deprivation_decile,
            json.dumps(a.indicators, sort_keys=True, cls=DjangoJSONEncoder) if a.indicators else "",
        ]
        for a in areas
    ]
    features = [
        {
            "type": "Feature",
            "id": a.code,
            "geometry": a.geometry,
            "properties": {
                "code": a.code,
                "name": a.name,
                "population": a.population,
                "deprivation_rank": a.deprivation_rank,
                "deprivation_decile": a.deprivation_decile,
                "indicators": a.indicators,
            },
        }
        for a in areas
    ]
    return Sheet(
        "areas", columns, rows, geojson={"type": "FeatureCollection", "features": features}
    )


def _trust(territory: Territory, user: Any) -> Sheet:
    qs = ecosystem_selectors.trust_rating_list(territory=territory, user=user).order_by(
        "-rated_on", "pk"
    )
    rows = [
        [r.rater.name, r.ratee.name, r.ability, r.benevolence, r.integrity, r.rated_on, r.comment]
        for r in qs
    ]
    columns = ("rater", "rated", "ability", "benevolence", "integrity", "date", "comment")
    return Sheet("trust", columns, rows)


EXPORT_KINDS: dict[str, ExportKind] = {
    k.kind: k
    for k in (
        ExportKind("stakeholders", _("Stakeholders"), "core.export_data", _stakeholders),
        ExportKind("partnerships", _("Partnerships"), "core.export_data", _partnerships),
        ExportKind("collaborations", _("Joint work"), "core.export_data", _collaborations),
        ExportKind("initiatives", _("Initiatives"), "core.export_data", _initiatives),
        ExportKind("challenges", _("Challenges"), "core.export_data", _challenges),
        ExportKind("areas", _("Areas"), "core.export_data", _areas),
        # Stated trust is private: facilitators only, whatever else the user may read.
        ExportKind("trust", _("Trust ratings"), "ecosystem.view_trust_ratings", _trust),
    )
}


def export_kinds_for(*, territory: Territory, user: Any) -> list[ExportKind]:
    return [k for k in EXPORT_KINDS.values() if user.has_perm(k.permission, territory)]


def export_sheet(*, territory: Territory, user: Any, kind: str) -> Sheet:
    """The rows of ``kind`` that ``user`` may read. Raises ``PermissionError`` otherwise."""
    spec = EXPORT_KINDS[kind]
    if not user.has_perm(spec.permission, territory):
        raise PermissionError(kind)
    return spec.build(territory, user)


def export_file(*, territory: Territory, user: Any, kind: str, fmt: str) -> ExportFile:
    """``kind`` rendered as ``fmt`` (csv, xlsx or json), with a file name to offer."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    sheet = export_sheet(territory=territory, user=user, kind=kind)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        content, extension = render_csv(sheet), "csv"
    elif fmt == "xlsx":
        content, extension = render_xlsx(sheet), "xlsx"
    elif sheet.geojson is not None:
        content, extension, fmt = render_geojson(sheet), "geojson", "geojson"
    else:
        content, extension = render_json(sheet, territory), "json"
    return ExportFile(
        content=content,
        content_type=CONTENT_TYPES[fmt],
        filename=f"{territory.slug}-{sheet.kind}-{stamp}.{extension}",
    )


# --- Rendering -------------------------------------------------------------------------------


def escape_formula(text: str) -> str:
    """``=1+1`` → ``'=1+1``: a spreadsheet shows it as text instead of running it."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.columns)
    for row in sheet.rows:
        writer.writerow([escape_formula(_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet.kind[:31])
    ws.freeze_panes = "A2"
    header = []
    from openpyxl.cell import WriteOnlyCell

    for name in sheet.columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in sheet.rows:
        values: list[Any] = []
        for v in row:
            if isinstance(v, bool) or not isinstance(v, int | float | Decimal | dt.date):
                v = ILLEGAL_CHARACTERS_RE.sub("", escape_formula(_text(v)))
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"  # never a formula, whatever the text
                values.append(cell)
            else:
                values.append(v)
        ws.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def render_json(sheet: Sheet, territory: Territory) -> bytes:
    document = {
        "territory": territory.slug,
        "kind": sheet.kind,
        "exported_at": timezone.now().isoformat(),
        "count": len(sheet.rows),
        "items": [
            {c: _json_value(v) for c, v in zip(sheet.columns, row, strict=True)}
            for row in sheet.rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode()


def render_geojson(sheet: Sheet) -> bytes:
    return json.dumps(sheet.geojson, ensure_ascii=False, cls=DjangoJSONEncoder).encode()
