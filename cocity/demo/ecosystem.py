"""The demo ecosystem: stakeholders, partnerships and leadership teams.

The network is built to have a structure that the analytics should find: dense communities
around energy, mobility, health and digital; brokers (the university, the digital office, the
innovation agency) tying them together; citizens' groups tied to the city and to civil society
but hardly ever to industry; and a few civil-society groups that no one works with. Each
organisation also gets a latent reliability, which the joint work (:mod:`.jointwork`) follows.

Everything here is written through the ecosystem services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils.text import slugify

from cocity.demo import names
from cocity.demo.names import BROKER, CIVIC, DIGITAL, ENERGY, HEALTH, MOBILITY, Org
from cocity.ecosystem import services as eco
from cocity.ecosystem.models import (
    MemberRole,
    Partnership,
    PartnershipStatus,
    Stakeholder,
)
from cocity.territories.models import Area, Cluster, Territory

YEAR = 365


@dataclass(slots=True)
class Node:
    """A stakeholder of the demo with what the generator knows about it."""

    index: int
    org: Org
    stakeholder: Stakeholder
    reliability: float = 0.75


@dataclass(slots=True)
class PartnershipPlan:
    """A created partnership, its community and topic, and its members with their roles."""

    partnership: Partnership
    community: str
    topic: str
    members: list[tuple[Node, str]]


# --- stakeholders -----------------------------------------------------------------------


def _generated_orgs(rng: np.random.Generator) -> list[Org]:
    """SMEs (invented names, unique) and start-ups for each of the four industry communities."""
    orgs: list[Org] = []
    for community in (ENERGY, MOBILITY, HEALTH, DIGITAL):
        prefixes, suffixes = names.SME_PARTS[community]
        picked = rng.permutation(len(prefixes))[: names.SMES_PER_COMMUNITY]
        for i in picked:
            suffix = suffixes[int(rng.integers(len(suffixes)))]
            orgs.append(
                Org(
                    f"{prefixes[int(i)]} {suffix} AB",
                    "industry",
                    "sme",
                    community,
                    names.SME_LEADER,
                    float(rng.uniform(0.7, 1.4)),
                    (names.DISTRICTS[int(rng.integers(len(names.DISTRICTS)))][0],),
                    creative=suffix in names.CREATIVE_SUFFIXES,
                )
            )
        for startup in names.STARTUPS[community]:
            orgs.append(
                Org(
                    startup,
                    "industry",
                    "startup",
                    community,
                    names.STARTUP_LEADER,
                    float(rng.uniform(0.8, 1.6)),
                    (("Klosterdal", "Gamla staden", "Kvarnby")[int(rng.integers(3))],),
                )
            )
    return orgs


def _website(org: Org) -> str:
    if org.sector == "citizens" or org.isolated:
        return ""
    # Departments live under their parent organisation's site.
    for parent, site in (
        (names.MUNICIPALITY, "norrhamn"),
        (names.UNIVERSITY, "norrhamn-university"),
    ):
        if org.name.startswith(parent):
            return f"https://www.{site}.example/{slugify(org.name.removeprefix(parent))}"
    return f"https://www.{slugify(org.name.removesuffix(' AB'))}.example"


def _cluster_names(org: Org) -> tuple[str, ...]:
    if org.community == BROKER:
        return ("ICT",) if org.type == "municipality" else names.CLUSTERS
    if org.creative:
        return ("Creative industries",)
    return names.COMMUNITY_CLUSTERS[org.community]


def create_stakeholders(
    *,
    territory: Territory,
    rng: np.random.Generator,
    orgs: Sequence[Org],
    clusters: dict[str, Cluster],
    areas_by_district: dict[str, list[Area]],
) -> list[Node]:
    """Create ``orgs`` through ``stakeholder_create``; each gets a latent reliability."""
    nodes: list[Node] = []
    for org in orgs:
        areas: list[Area] = []
        for district in org.districts:
            in_district = areas_by_district.get(district, [])
            if org.type in ("sme", "startup") and in_district:
                # A small firm is active where its premises are, not across a district.
                areas.append(in_district[int(rng.integers(len(in_district)))])
            else:
                areas.extend(in_district)
        stakeholder = eco.stakeholder_create(
            territory=territory,
            actor=None,
            name=org.name,
            sector=org.sector,
            type=org.type,
            description=names.DESCRIPTIONS[org.type].format(city=names.CITY),
            website=_website(org),
            leader_role=org.leader_role,
            clusters=[clusters[c] for c in _cluster_names(org) if c in clusters],
            areas=areas,
            record_activity=False,
        )
        nodes.append(Node(len(nodes), org, stakeholder, reliability=float(rng.beta(6.0, 2.0))))
    return nodes


def city_orgs(rng: np.random.Generator) -> list[Org]:
    """The city's 150 organisations, in a fixed order."""
    return [
        *names.PUBLIC,
        *names.ACADEMIA,
        *names.INDUSTRY_NAMED,
        *_generated_orgs(rng),
        *names.CIVIL,
        *names.CITIZEN_GROUPS,
    ]


# --- partnerships -----------------------------------------------------------------------

FORM_COUNTS: dict[str, int] = {
    "research": 30,
    "technical": 30,
    "ppp": 26,
    "subcontracting": 22,
    "other": 22,
    "assistance": 20,
    "licensing": 12,
    "joint_venture": 12,
    "manufacturing": 8,
    "reciprocal": 6,
    "franchise": 6,
    "merger": 6,
}
"""How many partnerships of each form: every form appears, 200 in all."""

ALL = ("public", "academia", "industry", "civil", "citizens")
TECH = ("public", "academia", "industry")
INDUSTRY = ("industry",)


@dataclass(frozen=True, slots=True)
class FormRule:
    lead: tuple[str, ...]
    partners: tuple[str, ...]
    sizes: tuple[int, ...]
    civic_share: float
    lead_types: tuple[str, ...] = ()
    partner_types: tuple[str, ...] = ()
    needs_industry: bool = False
    median_value: float | None = 1e6


FORM_RULES: dict[str, FormRule] = {
    "research": FormRule(("academia",), ALL, (2, 3, 3, 4, 5), 0.05, median_value=6e6),
    "technical": FormRule(TECH, TECH, (2, 2, 3, 4), 0.0, median_value=3e6),
    "ppp": FormRule(
        ("public",),
        ("industry", "academia", "civil"),
        (2, 3, 3, 4, 5),
        0.05,
        needs_industry=True,
        median_value=25e6,
    ),
    "subcontracting": FormRule(
        ("public", "industry"),
        INDUSTRY,
        (2, 2, 3),
        0.0,
        lead_types=("municipality", "agency", "hospital", "utility", "large_company"),
        partner_types=("sme", "startup"),
        median_value=2.5e6,
    ),
    "other": FormRule(
        ("public", "civil"),
        ("public", "academia", "civil", "citizens"),
        (2, 3, 3, 4, 5),
        0.7,
        median_value=None,
    ),
    "assistance": FormRule(
        ("public", "academia", "civil"),
        ("civil", "citizens", "industry"),
        (2, 2, 3, 4),
        0.5,
        partner_types=("ngo", "foundation", "residents", "community_group", "sme", "startup"),
        median_value=8e5,
    ),
    "licensing": FormRule(("academia", "industry"), INDUSTRY, (2,), 0.0, median_value=1.2e6),
    "joint_venture": FormRule(
        ("industry", "public"), ("industry",), (2, 2, 3), 0.0, median_value=40e6
    ),
    "manufacturing": FormRule(INDUSTRY, INDUSTRY, (2,), 0.0, median_value=12e6),
    "reciprocal": FormRule(INDUSTRY, INDUSTRY, (2,), 0.0, median_value=4e6),
    "franchise": FormRule(INDUSTRY, INDUSTRY, (2,), 0.0, median_value=9e5),
    "merger": FormRule(
        INDUSTRY,
        INDUSTRY,
        (2,),
        0.0,
        lead_types=("large_company", "utility"),
        partner_types=("sme", "startup"),
        median_value=60e6,
    ),
}

INDUSTRY_COMMUNITIES = (ENERGY, MOBILITY, HEALTH, DIGITAL)
COMMUNITY_WEIGHTS = np.array([0.27, 0.25, 0.23, 0.25])
STATUS_SHARES = {
    "exploring": 0.08,
    "agreed": 0.07,
    "active": 0.35,
    "completed": 0.35,
    "lapsed": 0.15,
}
BROKER_AFFINITY = 0.6
CROSS_COMMUNITY = 0.03


def pick_nodes(
    rng: np.random.Generator,
    nodes: Sequence[Node],
    k: int,
    *,
    community: str,
    sectors: Sequence[str],
    types: Sequence[str] = (),
    exclude: Sequence[Node] = (),
) -> list[Node]:
    """Up to ``k`` distinct nodes, weighted by activity and by closeness to ``community``."""
    taken = {n.index for n in exclude}
    candidates = [
        n
        for n in nodes
        if n.index not in taken
        and not n.org.isolated
        and n.org.sector in sectors
        and (not types or n.org.type in types)
    ]
    if not candidates or k <= 0:
        return []
    weights = np.array(
        [
            n.org.weight
            * (
                1.0
                if n.org.community == community
                else BROKER_AFFINITY
                if n.org.community == BROKER
                else CROSS_COMMUNITY
            )
            for n in candidates
        ]
    )
    k = min(k, len(candidates))
    chosen = rng.choice(len(candidates), size=k, replace=False, p=weights / weights.sum())
    return [candidates[int(i)] for i in chosen]


def compatible_sectors(
    rng: np.random.Generator, sectors: Sequence[str], members: Sequence[Node]
) -> tuple[str, ...]:
    """``sectors`` less the ones that rarely join ``members``.

    Citizens' groups work with the city and civil society, and hardly ever with firms.
    """
    present = {m.org.sector for m in members}
    if rng.random() < 0.05:
        return tuple(sectors)
    avoid = {"industry"} if "citizens" in present else set()
    avoid |= {"citizens"} if "industry" in present else set()
    return tuple(s for s in sectors if s not in avoid)


def _member_role(rng: np.random.Generator, form: str, node: Node) -> str:
    if form == "subcontracting":
        return MemberRole.SUBCONTRACTOR
    if node.org.type in ("foundation", "agency") and rng.random() < 0.5:
        return MemberRole.FUNDER
    if node.org.sector == "academia" and form in ("ppp", "technical") and rng.random() < 0.4:
        return MemberRole.ADVISOR
    return MemberRole.PARTNER


def _statuses(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` statuses in the shares of ``STATUS_SHARES``, each status at least once."""
    keys = list(STATUS_SHARES)
    drawn = list(rng.choice(keys, size=n - len(keys), p=list(STATUS_SHARES.values())))
    statuses = [str(s) for s in drawn] + keys
    return [statuses[int(i)] for i in rng.permutation(n)]


def _dates(
    rng: np.random.Generator, status: str, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    def days(lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=int(rng.integers(lo, hi + 1)))

    if status == PartnershipStatus.EXPLORING:
        return None, None
    if status == PartnershipStatus.AGREED:
        start = today + days(14, 180)
        return start, start + days(YEAR, 3 * YEAR)
    if status == PartnershipStatus.ACTIVE:
        start = today - days(30, 5 * YEAR)
        return start, (None if rng.random() < 0.3 else today + days(60, 900))
    start = today - days(YEAR, 8 * YEAR)
    longest = (today - start).days - 7
    end = start + dt.timedelta(days=int(rng.integers(min(150, longest), longest + 1)))
    return start, end


def _value(rng: np.random.Generator, rule: FormRule, status: str) -> Decimal | None:
    if rule.median_value is None and rng.random() < 0.5:
        return None
    if status == PartnershipStatus.EXPLORING and rng.random() < 0.6:
        return None
    median = rule.median_value or 3e5
    value = float(rng.lognormal(np.log(median), 0.6))
    return Decimal(int(round(value, -3)))


def _partnership_name(
    rng: np.random.Generator, form: str, topic: str, members: list[Node], taken: set[str]
) -> str:
    """A name no other partnership of the demo has: a later one on a topic is a new phase."""
    if form == "merger":
        name = f"Acquisition of {members[1].org.name} by {members[0].org.name}"
    else:
        nouns = names.FORM_NOUNS[form]
        name = f"{topic[0].upper()}{topic[1:]} {nouns[int(rng.integers(len(nouns)))]}"
    candidate, phase = name, 1
    while candidate in taken:
        phase += 1
        candidate = f"{name}, phase {phase}"
    taken.add(candidate)
    return candidate


def create_partnerships(
    *, territory: Territory, rng: np.random.Generator, nodes: list[Node], today: dt.date
) -> list[PartnershipPlan]:
    """200 partnerships through ``partnership_create``: every form and status, 2-5 members."""
    forms = [form for form, count in FORM_COUNTS.items() for _ in range(count)]
    forms = [forms[int(i)] for i in rng.permutation(len(forms))]
    statuses = _statuses(rng, len(forms))
    taken: set[str] = set()
    plans: list[PartnershipPlan] = []
    drafts_left = 8
    for form, status in zip(forms, statuses, strict=True):
        rule = FORM_RULES[form]
        if rng.random() < rule.civic_share:
            community = CIVIC
        else:
            community = str(rng.choice(INDUSTRY_COMMUNITIES, p=COMMUNITY_WEIGHTS))
        lead = pick_nodes(
            rng, nodes, 1, community=community, sectors=rule.lead, types=rule.lead_types
        )
        if not lead:
            lead = pick_nodes(rng, nodes, 1, community=community, sectors=rule.lead)
        size = int(rng.choice(rule.sizes))
        members = list(lead)
        if rule.needs_industry:
            members += pick_nodes(
                rng, nodes, 1, community=community, sectors=INDUSTRY, exclude=members
            )
        while len(members) < size:
            more = pick_nodes(
                rng,
                nodes,
                1,
                community=community,
                sectors=compatible_sectors(rng, rule.partners, members),
                types=rule.partner_types,
                exclude=members,
            )
            if not more:
                break
            members += more
        roles = [MemberRole.LEAD] + [_member_role(rng, form, m) for m in members[1:]]
        topics = (
            names.PRODUCTS[community] if form in names.PRODUCT_FORMS else names.TOPICS[community]
        )
        topic = (
            "integration after the acquisition"
            if form == "merger"
            else topics[int(rng.integers(len(topics)))]
        )
        start, end = _dates(rng, status, today)
        is_draft = status in ("exploring", "agreed") and drafts_left > 0 and rng.random() < 0.5
        drafts_left -= int(is_draft)
        partnership = eco.partnership_create(
            territory=territory,
            actor=None,
            name=_partnership_name(rng, form, topic, members, taken),
            form=form,
            members=[(m.stakeholder, r) for m, r in zip(members, roles, strict=True)],
            status=status,
            description=(
                f"Led by {members[0].org.name} with {len(members) - 1} "
                f"partner{'s' if len(members) > 2 else ''}."
            ),
            start_date=start,
            end_date=end,
            value=_value(rng, rule, status),
            is_draft=is_draft,
            record_activity=False,
        )
        plans.append(
            PartnershipPlan(partnership, community, topic, list(zip(members, roles, strict=True)))
        )
    return plans


# --- leadership teams -------------------------------------------------------------------

TEAMS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Mobility leadership team",
        "Clean, safe and accessible journeys",
        "Mobility",
        (
            (names.MUNICIPALITY + "Traffic & Streets Department", "Head of Traffic Planning"),
            ("Norrhamn Regional Transport Authority", "Director of Public Transport"),
            ("Institute for Sustainable Mobility", "Institute Director"),
            ("Baltica Bus AB", "Chief Operating Officer"),
            ("Norrhamn Cycling Association", "Chair"),
            ("Norrhamn Bus Users' Group", "Spokesperson"),
        ),
    ),
    (
        "Smart energy transition team",
        "A fossil-free, affordable energy system",
        "Smart energy",
        (
            (names.MUNICIPALITY + "Environment & Climate Department", "Head of Climate Strategy"),
            ("Norrhamn Energi AB", "Chief Executive Officer"),
            ("Norrhamn Institute of Energy Systems", "Research Director"),
            ("Norrhamn Housing Company", "Head of Sustainability"),
            ("Green Norrhamn", "Coordinator"),
            ("GridPilot", "Founder & CEO"),
        ),
    ),
    (
        "Light and safety team",
        "Streets that feel safe at night, with less energy",
        "Lighting",
        (
            (names.MUNICIPALITY + "Street Lighting Unit", "Lighting Manager"),
            ("Ljusverk Lighting AB", "Chief Technology Officer"),
            ("Norrhamn School of Design", "Professor of Lighting Design"),
            ("Night Walkers Norrhamn", "Coordinator"),
            ("Dark Sky Norrhamn", "Chair"),
            ("Kajen Residents' Association", "Chair"),
        ),
    ),
)


def create_leadership_teams(
    *, territory: Territory, by_name: dict[str, Node], challenges: dict[str, Any]
) -> int:
    for name, theme, challenge, members in TEAMS:
        eco.leadership_team_create(
            territory=territory,
            actor=None,
            name=name,
            theme=theme,
            challenge=challenges[challenge],
            members=[(by_name[org].stakeholder, title) for org, title in members],
        )
    return len(TEAMS)
