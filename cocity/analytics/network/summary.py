"""An "ecosystem health" summary in plain English, for the facilitator to read."""

from __future__ import annotations

import math

import numpy as np

from cocity.analytics.network.analysis import EcosystemAnalysis
from cocity.analytics.network.brokerage import ROLES
from cocity.analytics.network.graph import SECTORS


def _names(analysis: EcosystemAnalysis, ids: list[int]) -> str:
    names = [analysis.names[i] for i in ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _count(k: int, singular: str, plural: str | None = None) -> str:
    """``_count(1, "tie")`` -> "1 tie"; ``_count(3, "tie")`` -> "3 ties"."""
    if plural is None:
        plural = singular + "s"
    return f"{k:,} {singular if k == 1 else plural}"


def _top(values: np.ndarray, k: int) -> list[int]:
    finite = np.where(np.isfinite(values), values, -np.inf)
    order = np.lexsort((np.arange(finite.size), -finite))
    return [int(i) for i in order[:k] if finite[i] > 0]


def summary_sentences(analysis: EcosystemAnalysis, *, max_names: int = 3) -> list[str]:
    """Describe the ecosystem's health in a few plain sentences.

    Covers size and cohesion, who holds the network together (betweenness), the
    communities, the sectors most cut off from each other (mixing against chance) and the
    most inward-looking sector (E-I index), the strongest cross-sector broker, trust
    (stated, behavioural, disagreements, reciprocity), growth in the latest year and the
    strongest partnership to broker.

    Parameters
    ----------
    analysis : EcosystemAnalysis
    max_names : int
        Most stakeholders named in one sentence.

    Returns
    -------
    list of str
        Sentences, in reading order; an empty network gives one sentence saying so.
    """
    a = analysis
    if a.n_nodes == 0:
        return ["The ecosystem has no stakeholders yet."]
    sentences: list[str] = []
    density = "" if math.isnan(a.density) else f" (density {a.density:.2%})"
    isolated = _count(a.isolated.size, "has no tie", "have no tie")
    peripheral = _count(a.peripheral.size, "hangs on its edge", "hang on its edge")
    sentences.append(
        f"The ecosystem has {_count(a.n_nodes, 'stakeholder')} and {_count(a.n_ties, 'tie')}"
        f"{density}; {isolated} and {peripheral}."
    )
    if a.n_ties == 0:
        sentences.append(
            "No stakeholder is tied to another yet: every partnership is still to be made."
        )
        return sentences
    holders = _top(a.betweenness.value, max_names)
    if holders:
        verb = "hold"
        precision = ""
        if not a.betweenness.exact:
            top_value = a.betweenness.value[holders]
            relative = float(
                np.median(a.betweenness.standard_error[holders] / np.maximum(top_value, 1e-12))
            )
            precision = (
                f" (estimated from {a.betweenness.n_sources} sampled stakeholders, "
                f"typical error ±{relative:.0%})"
            )
            if relative > 0.5:
                verb = "appear to hold"
        sentences.append(
            f"{_names(a, holders)} {verb} the ecosystem together: they sit on the most "
            f"shortest paths between other stakeholders{precision}."
        )
    if not math.isnan(a.communities.modularity):
        sizes = a.communities.sizes
        multi = int((sizes > 1).sum())
        sentences.append(
            f"It falls into {multi:,} communities of two or more stakeholders "
            f"(modularity {a.communities.modularity:.2f}); the largest holds {int(sizes[0]):,}."
        )
    counts, expected = a.mixing.counts, a.mixing.expected
    present = [g for g in range(len(SECTORS)) if counts[g].sum() > 0]
    worst: tuple[float, int, int] | None = None
    for i, g in enumerate(present):
        for h in present[i + 1 :]:
            if expected[g, h] > 0:
                ratio = counts[g, h] / expected[g, h]
                if worst is None or ratio < worst[0]:
                    worst = (ratio, g, h)
    if worst is not None and worst[0] < 1 and expected[worst[1], worst[2]] >= 1:
        ratio, g, h = worst
        sentences.append(
            f"{SECTORS[g].capitalize()} and {SECTORS[h]} are the most cut off from each other: "
            f"{int(counts[g, h]):,} ties where {expected[g, h]:,.0f} would be expected by chance."
        )
    ei = a.mixing.ei_sector
    if np.isfinite(ei).any():
        g = int(np.nanargmin(ei))
        scale = "-1: only ties inside the sector, +1: only outside"
        if ei[g] < 0:
            sentences.append(
                f"{SECTORS[g].capitalize()} is the most inward-looking sector "
                f"(E-I index {ei[g]:+.2f}; {scale})."
            )
        else:
            sentences.append(
                f"Every sector has at least as many ties outside as inside; {SECTORS[g]} has the "
                f"fewest outside (E-I index {ei[g]:+.2f}; {scale})."
            )
    liaison = ROLES.index("liaison")
    bridges = _top(a.brokerage.z[:, liaison], 1)
    if bridges and a.brokerage.z[bridges[0], liaison] > 2:
        b = bridges[0]
        sentences.append(
            f"{a.names[b]} bridges sectors it does not belong to more than anyone: its liaison "
            f"brokerage is {a.brokerage.z[b, liaison]:.1f} standard deviations above chance."
        )
    trust = a.trust
    if trust.stated.trust.size or trust.behavioural.trust.size:
        parts = []
        if trust.stated.trust.size:
            parts.append(f"stated trust averages {trust.stated.trust.mean():.2f}")
        if trust.behavioural.trust.size:
            parts.append(f"joint work shows {trust.behavioural.trust.mean():.2f}")
        sentence = "On a scale from 0 (none) to 1 (full), " + " and ".join(parts)
        k = trust.disagreements.gap.size
        if k:
            r, e = int(trust.disagreements.rater[0]), int(trust.disagreements.ratee[0])
            more = "more" if trust.disagreements.gap[0] > 0 else "less"
            sentence += (
                f"; {_count(k, 'pair disagrees', 'pairs disagree')} by "
                f"{trust.disagreements.threshold:.2f} or more, "
                f"most of all {a.names[r]}, which says it trusts {a.names[e]} {more} than their "
                f"joint work shows"
            )
        sentences.append(sentence + ".")
        if not math.isnan(trust.reciprocity):
            sentences.append(
                f"{trust.reciprocity:.0%} of trust ratings are returned by the stakeholder rated."
            )
    growth = a.growth
    if growth.years.size >= 2 and not math.isnan(growth.new_tie_rate[-1]):
        sentences.append(
            f"In {int(growth.years[-1])}, {_count(int(growth.new_ties[-1]), 'new tie')} formed "
            f"({growth.new_tie_rate[-1]:.0%} of the ties of the year before)."
        )
    if a.recommendations:
        rec = a.recommendations[0]
        reason = f": {rec.reason}" if rec.reason else ""
        sentences.append(
            f"The partnership most worth brokering is {a.names[rec.a]} with "
            f"{a.names[rec.b]}{reason}."
        )
    return sentences
