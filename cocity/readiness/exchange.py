"""City-to-city exchange: a round's results as a versioned JSON document, and its strict import.

The document (format ``cocity.readiness.round/1``)::

    {
      "format": "cocity.readiness.round/1",
      "exported_at": "2026-06-30T10:00:00+00:00",
      "territory": {"name": "Norrhamn" | null, "named": true, "kind": "city",
                    "population_band": "200k_1m"},
      "model": {"name": "...", "version": 1, "levels": ["Ad hoc", ...],
                "dimensions": [{"code": "D1", "name": "...", "layer": "governance" | ""}]},
      "round": {"title": "...", "opened_on": "2026-01-10", "closed_on": "2026-02-01" | null,
                "respondents": 14},
      "results": [{"code": "D1", "median": 3.0, "q1": 2.5, "q3": 3.5, "n": 14}, ...]
    }

Only aggregates leave the installation: no respondent, organisation or evidence note. The
territory's name is included only when it agreed to be named in benchmarks. An import is
checked completely before anything is stored; every problem is reported with its path
(``results[3].median``) and nothing is saved unless the whole document is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.analytics.maturity import POPULATION_BANDS, UNKNOWN_BAND, population_band
from cocity.core.services import activity_record
from cocity.programme.models import Layer
from cocity.readiness import selectors
from cocity.readiness.models import (
    MAX_LEVELS,
    MIN_LEVELS,
    AssessmentRound,
    ExternalPeer,
    ExternalResult,
    code_validator,
)
from cocity.readiness.services import readiness_settings_of
from cocity.territories.models import Territory

FORMAT = "cocity.readiness.round/1"
MAX_BYTES = 1024 * 1024
MAX_DIMENSIONS = 100
BANDS = {code for code, _low, _high in POPULATION_BANDS} | {UNKNOWN_BAND}


def _level_round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def round_export(*, round_: AssessmentRound) -> dict[str, Any]:
    """The aggregate results of ``round_`` as a ``cocity.readiness.round/1`` document."""
    territory = round_.territory
    named = readiness_settings_of(territory).named_in_benchmarks
    results = selectors.round_results(round_=round_, with_actions=False)
    model = round_.model
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "territory": {
            "name": territory.name if named else None,
            "named": named,
            "kind": territory.kind,
            "population_band": population_band(territory.population),
        },
        "model": {
            "name": model.name,
            "version": model.version,
            "levels": list(model.level_names),
            "dimensions": [
                {"code": r.dimension.code, "name": r.dimension.name, "layer": r.dimension.layer}
                for r in results.rows
            ],
        },
        "round": {
            "title": round_.title,
            "opened_on": timezone.localdate(round_.created_at).isoformat(),
            "closed_on": (
                timezone.localdate(round_.closed_at).isoformat() if round_.closed_at else None
            ),
            "respondents": results.submitted,
        },
        "results": [
            {
                "code": r.dimension.code,
                "median": _level_round(r.result.overall.median),
                "q1": _level_round(r.result.overall.q1),
                "q3": _level_round(r.result.overall.q3),
                "n": r.result.overall.n,
            }
            for r in results.rows
        ],
    }


@dataclass(frozen=True)
class ParsedResult:
    code: str
    name: str
    layer: str
    median: float | None
    q1: float | None
    q3: float | None
    n: int


@dataclass(frozen=True)
class ParsedRound:
    name: str | None
    named: bool
    kind: str
    band: str
    model_name: str
    n_levels: int
    round_title: str
    assessed_on: dt.date | None
    respondents: int
    results: tuple[ParsedResult, ...]


class _Checker:
    """Collects every problem with its path, so one import attempt reports them all."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        if len(self.errors) < 50:
            self.errors.append(f"{path}: {message}")

    def obj(
        self, value: Any, path: str, required: set[str], optional: Iterable[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object"))
            return {}
        for key in sorted(required - set(value)):
            self.fail(f"{path}.{key}" if path else key, _("missing"))
        for key in sorted(set(value) - required - set(optional)):
            self.fail(f"{path}.{key}" if path else str(key), _("unknown field"))
        return value

    def text(self, value: Any, path: str, max_length: int, *, nullable: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, _("expected non-empty text"))
            return None
        if len(value) > max_length or "\x00" in value:
            self.fail(path, _("at most %(n)s characters, no NUL") % {"n": max_length})
            return None
        return value.strip()

    def integer(self, value: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, _("expected a whole number"))
            return None
        if not low <= value <= high:
            self.fail(
                path, _("expected a number from %(low)s to %(high)s") % {"low": low, "high": high}
            )
            return None
        return value

    def number(self, value: Any, path: str, low: float, high: float) -> float | None:
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.fail(path, _("expected a number or null"))
            return None
        if not low <= value <= high:
            self.fail(
                path, _("expected a number from %(low)s to %(high)s") % {"low": low, "high": high}
            )
            return None
        return float(value)

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            pass
        self.fail(path, _("expected a date as YYYY-MM-DD or null"))
        return None


def parse_round_document(raw: bytes | str | dict[str, Any]) -> ParsedRound:
    """Check a ``cocity.readiness.round/1`` document; ``ValidationError`` lists every problem."""
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            data = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise ValidationError(
                _("The file is not valid JSON: %(error)s") % {"error": exc}
            ) from None
    else:
        data = raw
    c = _Checker()
    doc = c.obj(data, "", {"format", "territory", "model", "round", "results"}, {"exported_at"})
    if c.errors and not doc:
        raise ValidationError(c.errors)
    if "format" in doc and doc["format"] != FORMAT:
        c.fail(
            "format",
            _("expected %(format)s; this file is another format or version") % {"format": FORMAT},
        )
    terr = c.obj(doc.get("territory"), "territory", {"named", "kind", "population_band"}, {"name"})
    named = terr.get("named")
    if "named" in terr and not isinstance(named, bool):
        c.fail("territory.named", _("expected true or false"))
    name = c.text(terr.get("name"), "territory.name", 200, nullable=not named)
    kind = terr.get("kind")
    if "kind" in terr and kind not in Territory.Kind.values:
        c.fail(
            "territory.kind", _("expected one of: %(v)s") % {"v": ", ".join(Territory.Kind.values)}
        )
    band = terr.get("population_band")
    if "population_band" in terr and band not in BANDS:
        c.fail(
            "territory.population_band",
            _("expected one of: %(v)s") % {"v": ", ".join(sorted(BANDS))},
        )

    model = c.obj(doc.get("model"), "model", {"name", "levels", "dimensions"}, {"version"})
    model_name = c.text(model.get("name"), "model.name", 200)
    if "version" in model:
        c.integer(model["version"], "model.version", 1, 10_000)
    levels = model.get("levels")
    n_levels = 0
    if not isinstance(levels, list) or not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        if "levels" in model:
            c.fail(
                "model.levels",
                _("expected a list of %(min)s to %(max)s level names")
                % {"min": MIN_LEVELS, "max": MAX_LEVELS},
            )
    else:
        n_levels = len(levels)
        for i, level in enumerate(levels):
            c.text(level, f"model.levels[{i}]", 60)
    dims: dict[str, tuple[str, str]] = {}
    raw_dims = model.get("dimensions")
    if not isinstance(raw_dims, list) or not 1 <= len(raw_dims) <= MAX_DIMENSIONS:
        if "dimensions" in model:
            c.fail(
                "model.dimensions",
                _("expected a list of 1 to %(n)s dimensions") % {"n": MAX_DIMENSIONS},
            )
        raw_dims = []
    for i, d in enumerate(raw_dims):
        path = f"model.dimensions[{i}]"
        d = c.obj(d, path, {"code", "name"}, {"layer"})
        code = c.text(d.get("code"), f"{path}.code", 20)
        if code is not None:
            try:
                code_validator(code)
            except ValidationError:
                c.fail(f"{path}.code", _("letters, digits, dots, dashes or underscores only"))
            if code in dims:
                c.fail(f"{path}.code", _("%(code)s appears twice") % {"code": code})
        dname = c.text(d.get("name"), f"{path}.name", 200)
        layer = d.get("layer", "")
        if layer not in ("", None, *Layer.values):
            c.fail(
                f"{path}.layer",
                _("expected one of: %(v)s, or empty") % {"v": ", ".join(Layer.values)},
            )
            layer = ""
        if code is not None and dname is not None:
            dims[code] = (dname, layer or "")

    rnd = c.obj(doc.get("round"), "round", {"title", "respondents"}, {"opened_on", "closed_on"})
    title = c.text(rnd.get("title"), "round.title", 200)
    respondents = (
        c.integer(rnd.get("respondents"), "round.respondents", 0, 1_000_000)
        if "respondents" in rnd
        else None
    )
    c.date(rnd.get("opened_on"), "round.opened_on")
    closed_on = c.date(rnd.get("closed_on"), "round.closed_on")

    results: list[ParsedResult] = []
    raw_results = doc.get("results")
    if not isinstance(raw_results, list) or not raw_results:
        if "results" in doc:
            c.fail("results", _("expected a non-empty list"))
        raw_results = []
    seen: set[str] = set()
    top = float(n_levels or MAX_LEVELS)
    for i, r in enumerate(raw_results):
        path = f"results[{i}]"
        r = c.obj(r, path, {"code", "median", "n"}, {"q1", "q3"})
        code = r.get("code")
        if not isinstance(code, str) or code not in dims:
            c.fail(f"{path}.code", _("not one of the model's dimensions"))
            continue
        if code in seen:
            c.fail(f"{path}.code", _("%(code)s appears twice") % {"code": code})
            continue
        seen.add(code)
        before = len(c.errors)
        median = c.number(r.get("median"), f"{path}.median", 1.0, top)
        q1 = c.number(r.get("q1"), f"{path}.q1", 1.0, top)
        q3 = c.number(r.get("q3"), f"{path}.q3", 1.0, top)
        n = c.integer(r.get("n"), f"{path}.n", 0, 1_000_000)
        if len(c.errors) > before or n is None:
            continue  # the rules between fields only make sense for valid fields
        if median is not None and q1 is not None and q3 is not None and not q1 <= median <= q3:
            c.fail(path, _("expected q1 <= median <= q3"))
        if n == 0 and median is not None:
            c.fail(f"{path}.median", _("a dimension no one answered has no median (null)"))
        if n > 0 and median is None:
            c.fail(f"{path}.median", _("missing for a dimension with answers"))
        results.append(ParsedResult(code, dims[code][0], dims[code][1], median, q1, q3, n))
    if c.errors:
        raise ValidationError(c.errors)
    return ParsedRound(
        name=name,
        named=bool(named),
        kind=str(kind),
        band=str(band),
        model_name=model_name or "",
        n_levels=n_levels,
        round_title=title or "",
        assessed_on=closed_on,
        respondents=respondents or 0,
        results=tuple(results),
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a number") % {"name": name})


@transaction.atomic
def peer_results_import(
    *, territory: Territory, actor: Any, document: bytes | str | dict[str, Any]
) -> ExternalPeer:
    """Store another installation's round results as an external peer of ``territory``.

    All or nothing: the document is checked completely first (:func:`parse_round_document`).
    """
    parsed = parse_round_document(document)
    peer = ExternalPeer.objects.create(
        territory=territory,
        name=(parsed.name or "") if parsed.named else "",
        named=parsed.named,
        kind=parsed.kind,
        population_band=parsed.band,
        round_title=parsed.round_title,
        assessed_on=parsed.assessed_on,
        model_name=parsed.model_name,
        n_levels=parsed.n_levels,
        respondents=parsed.respondents,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ExternalResult.objects.bulk_create(
        ExternalResult(
            peer=peer,
            code=r.code,
            name=r.name,
            layer=r.layer,
            median=r.median,
            q1=r.q1,
            q3=r.q3,
            n=r.n,
        )
        for r in parsed.results
    )
    activity_record(
        territory=territory,
        actor=actor,
        verb="peer_results_imported",
        sentence=lambda: (
            _("Peer results imported for benchmarking: %(round)s") % {"round": parsed.round_title}
        ),
        is_public=False,
    )
    return peer


@transaction.atomic
def external_peer_delete(*, peer: ExternalPeer, actor: Any) -> None:
    peer.delete()
