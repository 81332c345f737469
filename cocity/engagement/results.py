"""What the map and report pages show of a stored opinion map (no computation, only lookup).

:func:`opinion_view` turns an :class:`~cocity.engagement.models.OpinionResult`'s payload
and the conversation's statements into plain dataclasses for the templates: groups with
their representative statements (agreement in the group against the rest), consensus,
each group's make-up by sector and area, the representativeness of the participants, and
every statement's vote counts. :func:`map_svg` draws the participants as points.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from cocity.ecosystem.models import Sector
from cocity.engagement.models import OpinionResult, Statement, StatementStatus

MAX_GROUPS = 5  # the analytics try at most five groups (Pol.is's max-k)


def group_label(index: int) -> str:
    return _("Group %(letter)s") % {"letter": string.ascii_uppercase[index]}


@dataclass(frozen=True)
class StatementLine:
    number: int
    text: str
    agree: int
    disagree: int
    passed: int
    status: str

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    def _pct(self, n: int) -> int:
        return round(100 * n / self.votes) if self.votes else 0

    @property
    def agree_pct(self) -> int:
        return self._pct(self.agree)

    @property
    def disagree_pct(self) -> int:
        return self._pct(self.disagree)

    @property
    def pass_pct(self) -> int:
        return self._pct(self.passed)


@dataclass(frozen=True)
class RepresentativeLine:
    statement: StatementLine
    direction: str  # "agree" or "disagree"
    in_group_pct: int
    rest_pct: int
    in_group_votes: int


@dataclass(frozen=True)
class MakeUpRow:
    label: str
    counts: list[int]


@dataclass(frozen=True)
class GroupView:
    index: int
    label: str
    size: int
    representative: list[RepresentativeLine]


@dataclass(frozen=True)
class ConsensusLine:
    statement: StatementLine
    direction: str
    pct: int


@dataclass(frozen=True)
class AreaShare:
    code: str
    name: str
    participants: int
    participant_pct: float
    population_pct: float
    verdict: str  # "under", "over" or ""


@dataclass
class OpinionView:
    result: OpinionResult
    groups: list[GroupView]
    consensus: list[ConsensusLine]
    statements: list[StatementLine]
    sector_rows: list[MakeUpRow]
    area_rows: list[MakeUpRow]
    areas: list[AreaShare]
    dissimilarity: float | None
    p_value: float | None
    deciles: list[AreaShare]
    decile_dissimilarity: float | None
    n_in_conv: int
    svg: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _pct(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole else 0


def _make_up(payload: dict[str, Any], key: str, labels: dict[str, str]) -> list[MakeUpRow]:
    table = (payload.get("composition") or {}).get(key)
    if not table:
        return []
    n_groups = len(table["counts"])
    rows = []
    for j, category in enumerate(table["categories"]):
        counts = [int(table["counts"][g][j]) for g in range(n_groups)]
        if any(counts):
            rows.append(MakeUpRow(labels.get(category, category), counts))
    unknown = [int(u) for u in table["unknown"]]
    if any(unknown):
        rows.append(MakeUpRow(_("Not given"), unknown))
    return rows


def _decile_label(decile: str) -> str:
    if decile == "1":
        return _("Decile 1 (the most deprived 10% of areas)")
    if decile == "10":
        return _("Decile 10 (the least deprived)")
    return _("Decile %(n)s") % {"n": decile}


def _shares(rep: dict[str, Any] | None, label: Any) -> list[AreaShare]:
    """Rows of a stored representativeness comparison (``label`` names a category)."""
    if not rep:
        return []
    under, over = set(rep["under_represented"]), set(rep["over_represented"])
    return [
        AreaShare(
            code=code,
            name=label(code) or code,
            participants=int(rep["observed"][i]),
            participant_pct=100 * float(rep["observed_shares"][i]),
            population_pct=100 * float(rep["reference_shares"][i]),
            verdict="under" if code in under else "over" if code in over else "",
        )
        for i, code in enumerate(rep["categories"])
    ]


def opinion_view(*, result: OpinionResult, statements: list[Statement]) -> OpinionView:
    """The page's view of ``result``; ``statements`` are the conversation's (any status)."""
    payload = result.payload
    by_number = {s.number: s for s in statements}
    ids = [int(s["id"]) for s in payload.get("statements", [])]
    counts = payload.get("statement_votes", {"agree": [], "disagree": [], "pass": []})
    lines: dict[int, StatementLine] = {}
    for j, number in enumerate(ids):
        stored = by_number.get(number)
        lines[number] = StatementLine(
            number=number,
            text=stored.text if stored else _("(statement removed)"),
            agree=int(counts["agree"][j]),
            disagree=int(counts["disagree"][j]),
            passed=int(counts["pass"][j]),
            status=stored.status if stored else StatementStatus.REJECTED,
        )
    position = {number: j for j, number in enumerate(ids)}
    votes = payload.get("group_votes", {"agree": [], "disagree": [], "votes": []})

    def shown(number: int) -> bool:
        return number in lines and lines[number].status == StatementStatus.ACCEPTED

    groups = []
    for g, group in enumerate(payload.get("groups", [])):
        reps = []
        for rep in group.get("repness", []):
            number = int(rep["statement_id"])
            if not shown(number):
                continue
            j = position[number]
            key = "agree" if rep["repful_for"] == "agree" else "disagree"
            success = [int(row[j]) for row in votes[key]]
            trials = [int(row[j]) for row in votes["votes"]]
            rest_s, rest_n = sum(success) - success[g], sum(trials) - trials[g]
            reps.append(
                RepresentativeLine(
                    statement=lines[number],
                    direction=key,
                    in_group_pct=_pct(success[g], trials[g]),
                    rest_pct=_pct(rest_s, rest_n),
                    in_group_votes=trials[g],
                )
            )
        groups.append(GroupView(g, group_label(g), int(group["size"]), reps))

    consensus = []
    for direction in ("agree", "disagree"):
        for item in (payload.get("consensus") or {}).get(direction, []):
            number = int(item["statement_id"])
            if shown(number):
                line = lines[number]
                pct = line.agree_pct if direction == "agree" else line.disagree_pct
                consensus.append(ConsensusLine(line, direction, pct))

    rep = payload.get("representativeness")
    names = payload.get("areas", {})
    areas = _shares(rep, names.get)
    by_decile = payload.get("representativeness_by_decile")
    deciles = _shares(by_decile, _decile_label)
    area_labels = {code: f"{name} ({code})" for code, name in names.items()}
    return OpinionView(
        result=result,
        groups=groups,
        consensus=consensus,
        statements=[lines[n] for n in sorted(lines) if lines[n].status == StatementStatus.ACCEPTED],
        sector_rows=_make_up(
            payload, "sector", {code: str(label) for code, label in Sector.choices}
        ),
        area_rows=_make_up(payload, "area", area_labels),
        areas=areas,
        dissimilarity=rep["dissimilarity"] if rep else None,
        p_value=rep["p_value"] if rep else None,
        deciles=deciles,
        decile_dissimilarity=by_decile["dissimilarity"] if by_decile else None,
        n_in_conv=int(payload.get("n_in_conv", 0)),
        svg=map_svg(payload),
    )


# --- The map as SVG ---------------------------------------------------------------------------

WIDTH, HEIGHT, PAD = 640, 440, 28


def map_svg(payload: dict[str, Any]) -> str:
    """The participants who were clustered, as points coloured by group (CSS classes ``g0``..
    ``g4`` in engagement.css), with each group's label at its centre. Valid XML; every text
    escaped. Axes are the first two principal components (their signs carry no meaning)."""
    people = [p for p in payload.get("participants", []) if p.get("in_conv")]
    groups = payload.get("groups", [])
    xs = [float(p["x"]) for p in people] + [float(g["center"][0]) for g in groups]
    ys = [float(p["y"]) for p in people] + [float(g["center"][-1]) for g in groups]
    span_x = max((abs(v) for v in xs), default=1.0) or 1.0
    span_y = max((abs(v) for v in ys), default=1.0) or 1.0
    # One scale for both axes: distance on the map is distance between voting patterns.
    scale = min((WIDTH / 2 - PAD) / span_x, (HEIGHT / 2 - PAD) / span_y)

    def at(x: float, y: float) -> tuple[float, float]:
        return round(WIDTH / 2 + x * scale, 1), round(HEIGHT / 2 - y * scale, 1)

    title = _("Opinion map")
    desc = _(
        "%(n)d participants shown as points, placed by how they voted: people who vote alike "
        "are close. %(groups)s."
    ) % {
        "n": len(people),
        "groups": "; ".join(
            _("%(label)s: %(size)d people") % {"label": group_label(g), "size": int(group["size"])}
            for g, group in enumerate(groups)
        )
        or _("No groups yet"),
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="opinion-map" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(desc)}</desc>',
        f'<rect class="frame" x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}"/>',
        f'<line class="axis" x1="{PAD}" y1="{HEIGHT / 2}" x2="{WIDTH - PAD}" y2="{HEIGHT / 2}"/>',
        f'<line class="axis" x1="{WIDTH / 2}" y1="{PAD}" x2="{WIDTH / 2}" y2="{HEIGHT - PAD}"/>',
        '<g class="points">',
    ]
    for p in people:
        cx, cy = at(float(p["x"]), float(p["y"]))
        group = p.get("group")
        css = f"g{int(group) % MAX_GROUPS}" if group is not None else "ungrouped"
        parts.append(f'<circle class={quoteattr(css)} cx="{cx}" cy="{cy}" r="3.5"/>')
    parts.append("</g>")
    for g, group in enumerate(groups):
        cx, cy = at(float(group["center"][0]), float(group["center"][-1]))
        label = escape(group_label(g))
        parts.append(
            f'<g class="group-label"><circle class="centre g{g % MAX_GROUPS}" cx="{cx}" '
            f'cy="{cy}" r="9"/><text x="{cx + 12}" y="{cy + 5}">{label}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
