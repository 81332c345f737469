"""Reads of ecosystem intelligence: the analytics' arrays from a territory's rows, the data
version, the stored results and what each role may see of them.

Every function takes the territory explicitly. Building the inputs costs a fixed handful of
``values_list`` queries, whatever the size of the territory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max, Sum
from numpy.typing import NDArray

from cocity.analytics.network import sector_codes
from cocity.core.models import ResultStatus
from cocity.ecosystem.models import (
    Collaboration,
    Outcome,
    Partnership,
    PartnershipForm,
    PartnershipMember,
    Stakeholder,
    TrustRating,
)
from cocity.network.models import NetworkResult
from cocity.programme.models import Challenge, Initiative
from cocity.territories.models import Territory

PAYLOAD_SCHEMA = 1
"""Raised whenever the stored payload changes shape or meaning: old results are then out of date."""

JOINT_WORK = "joint_work"
"""The form code of a tie that comes from joint work rather than a partnership."""

FORM_WEIGHT_KEY: dict[str, str] = {
    PartnershipForm.PPP: "public_private_partnership",
    PartnershipForm.MERGER: "merger_acquisition",
    PartnershipForm.SUBCONTRACTING: "subcontracting",
    PartnershipForm.RESEARCH: "research_cooperation",
    PartnershipForm.TECHNICAL: "technical_cooperation",
    PartnershipForm.ASSISTANCE: "technical_assistance",
    PartnershipForm.LICENSING: "licensing",
    PartnershipForm.MANUFACTURING: "manufacturing_agreement",
    PartnershipForm.FRANCHISE: "franchise",
    PartnershipForm.RECIPROCAL: "reciprocal_production",
    PartnershipForm.JOINT_VENTURE: "joint_venture",
    PartnershipForm.OTHER: "other",
}
"""The stored partnership form → the key of ``PARTNERSHIP_FORM_WEIGHT`` in the analytics."""

OUTCOME_CODE: dict[str, int] = {Outcome.POSITIVE: 1, Outcome.MIXED: 0, Outcome.NEGATIVE: -1}


def decimal_year(day: dt.date) -> float:
    """``2024-07-02`` → ``2024.5``: the year plus the share of it already gone."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _year_or_nan(day: dt.date | None) -> float:
    return float("nan") if day is None else decimal_year(day)


@dataclass(slots=True)
class NetworkInputs:
    """A territory's ecosystem as the analytics take it; node ``i`` is ``stakeholder_ids[i]``.

    Partnership ties join every pair of a published partnership's members (one record per
    pair and partnership, so two partnerships between the same pair make two records that
    the analytics merge). ``tie_form`` is the stored form code of each record's partnership;
    ``tie_status`` its status. Joint work is kept apart, one record per pair and collaboration.
    """

    stakeholder_ids: list[int]
    names: list[str]
    sector: NDArray[np.int8]
    tie_src: list[int] = field(default_factory=list)
    tie_dst: list[int] = field(default_factory=list)
    tie_form: list[str] = field(default_factory=list)
    tie_status: list[str] = field(default_factory=list)
    tie_start: list[float] = field(default_factory=list)
    tie_end: list[float] = field(default_factory=list)
    work_a: list[int] = field(default_factory=list)
    work_b: list[int] = field(default_factory=list)
    work_time: list[float] = field(default_factory=list)
    work_outcome: list[int] = field(default_factory=list)
    rating_rater: list[int] = field(default_factory=list)
    rating_ratee: list[int] = field(default_factory=list)
    rating_scores: list[tuple[int, int, int]] = field(default_factory=list)
    rating_time: list[float] = field(default_factory=list)
    clusters: list[set[str]] = field(default_factory=list)
    challenges: list[set[str]] = field(default_factory=list)
    challenge_nodes: dict[int, list[int]] = field(default_factory=dict)
    challenge_titles: dict[int, str] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.stakeholder_ids)


def network_inputs(*, territory: Territory) -> NetworkInputs:
    """Turn the territory's rows into the analytics' arrays (eight queries).

    Draft partnerships and initiatives are left out (results are shown to every reader).
    A stored sector that is not a helix sector raises ``NetworkInputError``.
    """
    rows = list(
        Stakeholder.objects.filter(territory=territory)
        .order_by("pk")
        .values_list("pk", "name", "sector")
    )
    index = {pk: i for i, (pk, _name, _sector) in enumerate(rows)}
    n = len(rows)
    inputs = NetworkInputs(
        stakeholder_ids=[pk for pk, _n, _s in rows],
        names=[name for _pk, name, _s in rows],
        sector=sector_codes([sector or None for _pk, _n, sector in rows]),
        clusters=[set() for _ in range(n)],
        challenges=[set() for _ in range(n)],
    )

    members: dict[int, list[int]] = defaultdict(list)
    partnership_info: dict[int, tuple[str, str, float, float]] = {}
    for pid, sid, form, status, start, end in (
        PartnershipMember.objects.filter(
            partnership__territory=territory, partnership__is_draft=False
        )
        .order_by("partnership_id", "stakeholder_id")
        .values_list(
            "partnership_id",
            "stakeholder_id",
            "partnership__form",
            "partnership__status",
            "partnership__start_date",
            "partnership__end_date",
        )
    ):
        if sid in index:
            members[pid].append(index[sid])
            partnership_info[pid] = (form, status, _year_or_nan(start), _year_or_nan(end))
    for pid, nodes in members.items():
        p_form, p_status, p_start, p_end = partnership_info[pid]
        for x in range(len(nodes)):
            for y in range(x + 1, len(nodes)):
                inputs.tie_src.append(nodes[x])
                inputs.tie_dst.append(nodes[y])
                inputs.tie_form.append(p_form)
                inputs.tie_status.append(p_status)
                inputs.tie_start.append(p_start)
                inputs.tie_end.append(p_end)

    collaborations: dict[int, list[int]] = defaultdict(list)
    collaboration_info: dict[int, tuple[float, int]] = {}
    for cid, sid, day, outcome in (
        Collaboration.stakeholders.through.objects.filter(collaboration__territory=territory)
        .order_by("collaboration_id", "stakeholder_id")
        .values_list(
            "collaboration_id", "stakeholder_id", "collaboration__date", "collaboration__outcome"
        )
    ):
        if sid in index:
            collaborations[cid].append(index[sid])
            collaboration_info[cid] = (decimal_year(day), OUTCOME_CODE.get(outcome, 0))
    for cid, nodes in collaborations.items():
        when, code = collaboration_info[cid]
        for x in range(len(nodes)):
            for y in range(x + 1, len(nodes)):
                inputs.work_a.append(nodes[x])
                inputs.work_b.append(nodes[y])
                inputs.work_time.append(when)
                inputs.work_outcome.append(code)

    for rater, ratee, ability, benevolence, integrity, day in (
        TrustRating.objects.filter(territory=territory)
        .order_by("pk")
        .values_list("rater_id", "ratee_id", "ability", "benevolence", "integrity", "rated_on")
    ):
        if rater in index and ratee in index and rater != ratee:
            inputs.rating_rater.append(index[rater])
            inputs.rating_ratee.append(index[ratee])
            inputs.rating_scores.append((ability, benevolence, integrity))
            inputs.rating_time.append(decimal_year(day))

    for sid, name in Stakeholder.clusters.through.objects.filter(
        stakeholder__territory=territory
    ).values_list("stakeholder_id", "cluster__name"):
        if sid in index:
            inputs.clusters[index[sid]].add(name)

    inputs.challenge_titles = dict(
        Challenge.objects.filter(territory=territory, is_draft=False).values_list("pk", "title")
    )
    published = Initiative.objects.filter(territory=territory, is_draft=False)
    by_initiative: dict[int, set[int]] = defaultdict(set)
    for iid, cid in Initiative.challenges.through.objects.filter(
        initiative__in=published
    ).values_list("initiative_id", "challenge_id"):
        by_initiative[iid].add(cid)
    involved: list[tuple[int, int | None]] = list(published.values_list("pk", "lead_id"))
    involved += list(
        Initiative.partners.through.objects.filter(initiative__in=published).values_list(
            "initiative_id", "stakeholder_id"
        )
    )
    challenge_nodes: dict[int, set[int]] = defaultdict(set)
    for iid, member in involved:
        if member is None or member not in index:
            continue
        for cid in by_initiative.get(iid, ()):
            if cid in inputs.challenge_titles:
                node = index[member]
                challenge_nodes[cid].add(node)
                title = inputs.challenge_titles[cid]
                # A challenge named like one of the stakeholder's clusters is the same theme:
                # counting it twice would read "both work on Mobility and Mobility".
                if title.lower() not in {c.lower() for c in inputs.clusters[node]}:
                    inputs.challenges[node].add(title)
    inputs.challenge_nodes = {cid: sorted(nodes) for cid, nodes in challenge_nodes.items()}
    return inputs


def network_data_version(*, territory: Territory, today: dt.date | None = None) -> str:
    """A digest of everything the analysis is computed from (a few aggregate queries).

    Any row added, removed or saved among stakeholders, published partnerships and their
    members, joint work, trust ratings, clusters, challenges and published initiatives
    changes it; so does a new year (tie weights decay with the years since a partnership
    ended).
    """
    today = today or dt.date.today()

    def stats(queryset: Any, dated: bool = True) -> list[tuple[str, Any]]:
        aggregates: dict[str, Any] = {"n": Count("pk"), "ids": Sum("pk")}
        if dated:
            aggregates["last"] = Max("updated_at")
        return sorted(queryset.aggregate(**aggregates).items())

    published = Initiative.objects.filter(territory=territory, is_draft=False)
    text = repr(
        (
            PAYLOAD_SCHEMA,
            today.year,
            stats(Stakeholder.objects.filter(territory=territory)),
            stats(Partnership.objects.filter(territory=territory, is_draft=False)),
            stats(PartnershipMember.objects.filter(partnership__territory=territory), dated=False),
            stats(Collaboration.objects.filter(territory=territory)),
            stats(
                Collaboration.stakeholders.through.objects.filter(
                    collaboration__territory=territory
                ),
                dated=False,
            ),
            stats(TrustRating.objects.filter(territory=territory)),
            stats(
                Stakeholder.clusters.through.objects.filter(stakeholder__territory=territory),
                dated=False,
            ),
            stats(Challenge.objects.filter(territory=territory)),
            stats(published),
            stats(
                Initiative.challenges.through.objects.filter(initiative__in=published), dated=False
            ),
            stats(
                Initiative.partners.through.objects.filter(initiative__in=published), dated=False
            ),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- Stored results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkState:
    """What the pages show: the newest ready result and whether newer work is under way.

    ``is_current`` is None when it was not checked (pages that only read), False when the
    data changed after the result was computed.
    """

    result: NetworkResult | None
    pending: NetworkResult | None
    failed: NetworkResult | None
    is_current: bool | None

    @property
    def payload(self) -> dict[str, Any]:
        return self.result.payload if self.result is not None else {}


def network_result_latest(*, territory: Territory) -> NetworkResult | None:
    """The newest ready result of the territory (one query), or None.

    Results stored in an older shape (another ``PAYLOAD_SCHEMA``) are skipped: pages could not
    read them; the page then offers to analyse again.
    """
    return (
        NetworkResult.objects.filter(
            territory=territory, status=ResultStatus.READY, payload__schema=PAYLOAD_SCHEMA
        )
        .order_by("-finished_at", "-id")
        .first()
    )


def network_state(*, territory: Territory, check_version: bool = True) -> NetworkState:
    ready = network_result_latest(territory=territory)
    newer = NetworkResult.objects.filter(territory=territory).exclude(status=ResultStatus.READY)
    if ready is not None:
        newer = newer.filter(created_at__gte=ready.created_at).exclude(pk=ready.pk)
    latest = list(newer.defer("payload").order_by("-created_at", "-id")[:1])
    other = latest[0] if latest else None
    is_current: bool | None = None
    if check_version:
        is_current = (
            ready is not None
            and ready.data_version == network_data_version(territory=territory)
            and ready.payload.get("schema") == PAYLOAD_SCHEMA
        )
    return NetworkState(
        result=ready,
        pending=other if other is not None and other.status != ResultStatus.FAILED else None,
        failed=other if other is not None and other.status == ResultStatus.FAILED else None,
        is_current=is_current,
    )


def network_result_get(*, territory: Territory, pk: int) -> NetworkResult:
    return NetworkResult.objects.defer("payload").get(territory=territory, pk=pk)
