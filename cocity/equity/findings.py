"""The stored equity results in words, in the reader's language.

The analytics write their findings in English for the file commands; pages and the API say
the same things from the stored numbers with translatable sentences, most important first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.equity.models import asset_kind_label

MAX_LISTED = 10


@dataclass(frozen=True, slots=True)
class Gradient:
    """A concentration index read for people: which way provision leans, and how surely."""

    value: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def direction(self) -> str:
        """``"less_deprived"`` (cherry-picking), ``"more_deprived"``, or ``"none"``."""
        if self.ci_low > 0:
            return "less_deprived"
        if self.ci_high < 0:
            return "more_deprived"
        return "none"

    def numbers(self) -> str:
        values = {
            "c": c_text(self.value),
            "low": c_text(self.ci_low),
            "high": c_text(self.ci_high),
            "p": p_text(max(self.p_value, 0.001)),
        }
        if self.p_value < 0.001:
            return _("C = %(c)s, 95%% interval %(low)s to %(high)s, p < %(p)s") % values
        return _("C = %(c)s, 95%% interval %(low)s to %(high)s, p = %(p)s") % values


def gradient_of(data: dict[str, Any] | None) -> Gradient | None:
    if not data or data.get("value") is None or data.get("ci_low") is None:
        return None
    return Gradient(data["value"], data["ci_low"], data["ci_high"], data.get("p_value") or 0.0)


def c_text(value: float) -> str:
    return number_format(round(value, 3) + 0.0, 3)


def p_text(value: float) -> str:
    return number_format(round(value, 3), 3)


def pct(share: float | None) -> str:
    if share is None:
        return "—"
    return _("%(n)s%%") % {"n": number_format(round(100 * share), 0)}


def direction_text(gradient: Gradient | None) -> str:
    if gradient is None:
        return _("not measured")
    return {
        "less_deprived": _("favours the less deprived areas"),
        "more_deprived": _("favours the more deprived areas"),
        "none": _("no significant gradient"),
    }[gradient.direction]


def area_labels(payload: dict[str, Any], codes: Sequence[str]) -> str:
    names = {a["code"]: a["name"] for a in payload.get("areas", [])}
    shown = [
        f"{names[c]} ({c})" if names.get(c) and names[c] != c else c for c in codes[:MAX_LISTED]
    ]
    text = ", ".join(shown)
    if len(codes) > MAX_LISTED:
        text = _("%(listed)s and %(n)s more") % {"listed": text, "n": len(codes) - MAX_LISTED}
    return text


def _ranking_label(payload: dict[str, Any]) -> str:
    rank = payload.get("computed_with", {}).get("rank")
    return _("deprivation rank") if rank == "deprivation_rank" else _("deprivation decile")


def findings_for(payload: dict[str, Any]) -> list[str]:
    """What the result says, in sentences, most important first."""
    if not payload:
        return []
    summary = payload["summary"]
    used = payload.get("computed_with", {})
    n_assets, n_outside, n_areas = summary["n_assets"], summary["n_outside"], summary["n_areas"]
    out: list[str] = []
    if n_assets - n_outside <= 0:
        out.append(
            _(
                "No digital asset lies in any of the %(n)s areas yet, so there is nothing to "
                "measure."
            )
            % {"n": n_areas}
        )
        if n_outside:
            out.append(
                ngettext(
                    "The %(n)s imported asset lies outside every area: check that the files "
                    "cover the same place.",
                    "All %(n)s imported assets lie outside every area: check that the files "
                    "cover the same place.",
                    n_outside,
                )
                % {"n": n_outside}
            )
        return out
    gradient = gradient_of(summary.get("concentration"))
    ranking = _ranking_label(payload)
    if gradient is not None:
        values = {"ranking": ranking, "numbers": gradient.numbers()}
        if gradient.direction == "less_deprived":
            out.append(
                _(
                    "Cherry-picking: digital assets are concentrated in the less deprived areas "
                    "(concentration index against the %(ranking)s: %(numbers)s). Provision "
                    "favours the better-off neighbourhoods."
                )
                % values
            )
        elif gradient.direction == "more_deprived":
            out.append(
                _(
                    "Digital assets are concentrated in the more deprived areas (concentration "
                    "index against the %(ranking)s: %(numbers)s): provision favours the "
                    "neighbourhoods in greatest need."
                )
                % values
            )
        else:
            out.append(
                _("No significant gradient with deprivation (%(ranking)s): %(numbers)s.") % values
            )
    elif used.get("rank") is None:
        out.append(
            _(
                "Import the areas' deprivation rank or decile to see whether the assets favour "
                "the better-off neighbourhoods."
            )
        )
    covered = sum(1 for a in payload.get("areas", []) if a.get("covered"))
    line = _("%(covered)s of %(n)s areas (%(pct)s) have at least one asset") % {
        "covered": covered,
        "n": n_areas,
        "pct": pct(summary.get("coverage_share")),
    }
    if summary.get("population_coverage_share") is not None:
        line = _("%(line)s, home to %(pct)s of residents") % {
            "line": line,
            "pct": pct(summary["population_coverage_share"]),
        }
    out.append(line + ".")
    most = summary.get("most_deprived") or []
    uncovered = summary.get("most_deprived_uncovered") or []
    if most:
        if uncovered:
            out.append(
                _(
                    "%(k)s of the %(m)s most deprived areas (the most deprived %(share)s) have "
                    "no asset: %(areas)s."
                )
                % {
                    "k": len(uncovered),
                    "m": len(most),
                    "share": pct(used.get("most_deprived_share", 0.2)),
                    "areas": area_labels(payload, uncovered),
                }
            )
        else:
            out.append(
                _("Every one of the %(m)s most deprived areas has at least one asset.")
                % {"m": len(most)}
            )
    if len(payload.get("types", [])) > 1:
        for summary_of_type in payload["types"]:
            g = gradient_of(summary_of_type.get("concentration"))
            if g is None or g.direction == "none":
                continue
            values = {"type": asset_kind_label(summary_of_type["name"]), "numbers": g.numbers()}
            if g.direction == "less_deprived":
                out.append(
                    _("%(type)s: concentrated in the less deprived areas (%(numbers)s).") % values
                )
            else:
                out.append(
                    _("%(type)s: concentrated in the more deprived areas (%(numbers)s).") % values
                )
    gini = summary.get("gini")
    if gini is not None:
        level = (
            _("very unevenly")
            if gini >= 0.6
            else _("unevenly")
            if gini >= 0.3
            else _("fairly evenly")
        )
        out.append(
            _(
                "Assets are spread %(level)s across areas: Gini %(gini)s (0 = the same "
                "everywhere, 1 = all in one area)."
            )
            % {"level": level, "gini": number_format(round(gini, 2), 2)}
        )
    theil = summary.get("theil") or {}
    if theil.get("total") and theil.get("between") is not None:
        share = theil["between"] / theil["total"]
        out.append(
            _(
                "%(between)s of the inequality (Theil T = %(t)s) lies between deprivation "
                "deciles, %(within)s within them."
            )
            % {
                "between": pct(share),
                "within": pct(1 - share),
                "t": number_format(round(theil["total"], 3), 3),
            }
        )
    money = gradient_of((payload.get("investment") or {}).get("concentration"))
    if money is not None and money.direction != "none":
        out.append(
            (
                _("Investment of the initiatives favours the less deprived areas (%(numbers)s).")
                if money.direction == "less_deprived"
                else _(
                    "Investment of the initiatives favours the more deprived areas (%(numbers)s)."
                )
            )
            % {"numbers": money.numbers()}
        )
    if n_outside:
        out.append(
            ngettext(
                "%(n)s of %(total)s assets lies outside every area and is not counted.",
                "%(n)s of %(total)s assets lie outside every area and are not counted.",
                n_outside,
            )
            % {"n": n_outside, "total": n_assets}
        )
    return out


def notes_for(payload: dict[str, Any]) -> list[str]:
    """How the result was computed, where the data left a choice."""
    out = []
    for note in payload.get("notes", []):
        code = note.get("code")
        if code == "no_population":
            out.append(
                ngettext(
                    "%(n)s area has no population, so every area counts the same (assets per "
                    "area, not per resident).",
                    "%(n)s areas have no population, so every area counts the same (assets per "
                    "area, not per resident).",
                    note["n"],
                )
                % {"n": note["n"]}
            )
        elif code == "no_deprivation":
            out.append(
                _(
                    "Not every area has a deprivation rank or decile, so the gradient with "
                    "deprivation is not measured."
                )
            )
        elif code == "no_boundary":
            out.append(
                ngettext(
                    "%(n)s area has no usable boundary and is left out: %(codes)s.",
                    "%(n)s areas have no usable boundary and are left out: %(codes)s.",
                    note["n"],
                )
                % {"n": note["n"], "codes": ", ".join(note.get("codes", []))}
            )
        elif code == "other_currency":
            out.append(
                _("Left out of the investment figures (budget in another currency): %(titles)s.")
                % {"titles": ", ".join(note.get("titles", []))}
            )
    if payload.get("computed_with", {}).get("population"):
        out.append(
            _(
                "Measures are per 1,000 residents, each area weighted by its population, so "
                "they are about people rather than areas."
            )
        )
    return out
