"""The demo territory: complete, valid, realistic in the ways analytics will look for, and
the same every time for the same seed.

The demo is generated once for the module (it takes a few seconds) and deleted afterwards;
tests that generate another copy do so inside their own rolled-back transaction.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
from typing import Any

import igraph as ig
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver, reverse
from scipy.stats import spearmanr
from shapely.geometry import shape
from shapely.ops import unary_union

from cocity.core.models import ActivityEntry
from cocity.core.permissions import represented_stakeholder_id, role_of
from cocity.demo import DEMO_ANCHOR, demo_delete, demo_generate, demo_logins_set
from cocity.demo.generator import CITY_TIME_ZONE
from cocity.ecosystem.models import (
    Collaboration,
    LeadershipMember,
    LeadershipTeam,
    MemberRole,
    Partnership,
    PartnershipForm,
    PartnershipMember,
    PartnershipStatus,
    Sector,
    Stakeholder,
    TrustRating,
)
from cocity.programme.models import Challenge, Initiative, Layer, LayerProgress, Stage
from cocity.territories.models import Area, Cluster, Membership, Territory

PASSWORD = "demo-test-password-1"
BROKERS = {
    "Norrhamn University",
    "Norrhamn Innovation Agency",
    "Norrhamn Municipality – Digital Office",  # noqa: RUF001
}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        summary = demo_generate(password=PASSWORD)
    yield summary
    with django_db_blocker.unblock():
        demo_delete(slug=summary.slug)


@pytest.fixture
def city(demo: Any, db: Any) -> Territory:
    return Territory.objects.get(slug=demo.slug)


def _export(territory: Territory, *, relative_to: dt.date | None = None) -> dict[str, list[Any]]:
    """Every row of ``territory`` as plain values with natural keys (no pks, no slugs).

    With ``relative_to``, dates and times become offsets from that day, so two demos dated
    from different days can be compared.
    """

    def when(value: Any) -> Any:
        if value is None or relative_to is None:
            return value
        if isinstance(value, dt.datetime):
            # Local time: the feed is dated in working hours of the city, whatever the season.
            local = value.astimezone(CITY_TIME_ZONE).replace(tzinfo=None)
            return (local - dt.datetime.combine(relative_to, dt.time())).total_seconds()
        return (value - relative_to).days

    t = territory
    return {
        "territory": [
            (t.name, t.kind, t.country, t.population, t.currency, t.description,
             t.parent.name if t.parent else None, t.is_public)
        ],
        "clusters": sorted(Cluster.objects.filter(territory=t).values_list("name", flat=True)),
        "areas": [
            (a.code, a.name, a.geometry, a.population, a.deprivation_rank, a.deprivation_decile,
             a.indicators)
            for a in Area.objects.filter(territory=t).order_by("code")
        ],
        "stakeholders": [
            (s.name, s.sector, s.type, s.description, s.website, s.leader_role,
             sorted(c.name for c in s.clusters.all()), sorted(a.code for a in s.areas.all()))
            for s in Stakeholder.objects.filter(territory=t).prefetch_related("clusters", "areas")
        ],
        "partnerships": sorted(
            (p.name, p.form, p.status, p.description, when(p.start_date), when(p.end_date),
             p.value, p.currency, p.is_draft,
             sorted((m.stakeholder.name, m.role) for m in p.members.all()),
             sorted(i.title for i in p.initiatives.all()))
            for p in Partnership.objects.filter(territory=t).prefetch_related(
                "members__stakeholder", "initiatives"
            )
        ),
        "collaborations": sorted(
            (c.title, c.kind, when(c.date), c.outcome, c.notes,
             c.partnership.name if c.partnership else "",
             sorted(s.name for s in c.stakeholders.all()))
            for c in Collaboration.objects.filter(territory=t)
            .select_related("partnership")
            .prefetch_related("stakeholders")
        ),
        "ratings": sorted(
            (r.rater.name, r.ratee.name, r.ability, r.benevolence, r.integrity, when(r.rated_on),
             r.comment, r.given_by.username if r.given_by else "")
            for r in TrustRating.objects.filter(territory=t).select_related(
                "rater", "ratee", "given_by"
            )
        ),
        "teams": sorted(
            (team.name, team.theme, team.challenge.title if team.challenge else "",
             sorted((m.stakeholder.name, m.role_title) for m in team.members.all()))
            for team in LeadershipTeam.objects.filter(territory=t).prefetch_related(
                "members__stakeholder"
            )
        ),
        "challenges": [
            (c.title, c.description, c.mission, c.cost_of_inaction, c.is_draft)
            for c in Challenge.objects.filter(territory=t)
        ],
        "initiatives": [
            (i.title, i.description, i.stage, i.lead.name if i.lead else "", i.budget, i.currency,
             i.funding, when(i.start_date), when(i.end_date), i.is_draft,
             sorted(p.name for p in i.partners.all()), sorted(c.title for c in i.challenges.all()),
             sorted(a.code for a in i.areas.all()),
             sorted((lp.layer, lp.progress) for lp in i.layer_progress.all()))
            for i in Initiative.objects.filter(territory=t)
            .select_related("lead")
            .prefetch_related("partners", "challenges", "areas", "layer_progress")
        ],
        "activity": [
            (e.verb, e.summary, e.is_public, when(e.created_at),
             e.actor.username if e.actor else "")
            for e in ActivityEntry.objects.filter(territory=t).select_related("actor")
        ],
    }  # fmt: skip


def test_demo_generate_counts_are_in_the_stated_ranges(demo: Any, city: Territory) -> None:
    assert demo.areas == Area.objects.filter(territory=city).count() == 100
    assert 140 <= demo.stakeholders <= 160
    assert demo.partnerships == 200
    assert demo.initiatives == 25
    assert {c.title for c in Challenge.objects.filter(territory=city)} == {
        "Mobility", "Smart energy", "Lighting"
    }  # fmt: skip
    assert 2 <= demo.leadership_teams <= 3
    assert demo.collaborations >= 600
    assert demo.trust_ratings >= 200
    assert demo.activity_entries >= 20
    assert sum(a.population for a in Area.objects.filter(territory=city)) == city.population
    region = Territory.objects.get(slug=demo.region_slug)
    assert city.parent == region
    assert 3 <= Stakeholder.objects.filter(territory=region).count() <= 10


def test_demo_generate_covers_every_form_status_stage_layer_and_sector(city: Territory) -> None:
    partnerships = Partnership.objects.filter(territory=city)
    assert set(partnerships.values_list("form", flat=True)) == set(PartnershipForm.values)
    assert set(partnerships.values_list("status", flat=True)) == set(PartnershipStatus.values)
    assert 1 <= partnerships.filter(is_draft=True).count() <= 15
    initiatives = Initiative.objects.filter(territory=city)
    assert set(initiatives.values_list("stage", flat=True)) == set(Stage.values)
    layers = LayerProgress.objects.filter(initiative__territory=city)
    assert set(layers.values_list("layer", flat=True)) == set(Layer.values)
    sectors = collections.Counter(
        Stakeholder.objects.filter(territory=city).values_list("sector", flat=True)
    )
    assert set(sectors) == set(Sector.values)
    assert min(sectors.values()) >= 10
    sizes = collections.Counter(
        PartnershipMember.objects.filter(partnership__territory=city).values_list(
            "partnership_id", flat=True
        )
    )
    assert set(sizes.values()) == {2, 3, 4, 5}


def test_demo_generate_every_row_is_valid(city: Territory) -> None:
    """Every row passes the validation the services apply, and the services' own rules."""
    models = [Area, Cluster, Stakeholder, Partnership, Collaboration, TrustRating, LeadershipTeam,
              Challenge, Initiative]  # fmt: skip
    for model in models:
        for row in model.objects.filter(territory=city):
            row.full_clean()
    for row in itertools.chain(
        PartnershipMember.objects.filter(partnership__territory=city),
        LeadershipMember.objects.filter(team__territory=city),
        LayerProgress.objects.filter(initiative__territory=city),
        Membership.objects.filter(territory=city),
    ):
        row.full_clean()

    for p in Partnership.objects.filter(territory=city).prefetch_related("members__stakeholder"):
        members = list(p.members.all())
        assert len(members) >= 2, p
        assert [m.role for m in members].count(MemberRole.LEAD) == 1, p
        assert {m.stakeholder.territory_id for m in members} == {city.pk}
    for c in Collaboration.objects.filter(territory=city).prefetch_related("stakeholders"):
        stakeholders = list(c.stakeholders.all())
        assert len(stakeholders) >= 2, c
        assert {s.territory_id for s in stakeholders} == {city.pk}
        assert c.partnership is None or c.partnership.territory_id == city.pk
    for team in LeadershipTeam.objects.filter(territory=city).prefetch_related(
        "members__stakeholder"
    ):
        assert len({m.stakeholder.sector for m in team.members.all()}) >= 2
    for i in Initiative.objects.filter(territory=city).prefetch_related(
        "partners", "areas", "challenges", "partnerships"
    ):
        related = [*i.partners.all(), *i.areas.all(), *i.challenges.all(), *i.partnerships.all()]
        assert {r.territory_id for r in related} <= {city.pk}
        assert i.lead is not None and i.lead.territory_id == city.pk
    for s in Stakeholder.objects.filter(territory=city).prefetch_related("clusters", "areas"):
        assert {r.territory_id for r in [*s.clusters.all(), *s.areas.all()]} <= {city.pk}


def test_demo_generate_areas_tile_the_city_without_overlap(city: Territory) -> None:
    areas = list(Area.objects.filter(territory=city).order_by("code"))
    assert [a.code for a in areas] == [f"NH{i:03d}" for i in range(1, 101)]
    polygons = [shape(a.geometry) for a in areas]
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polygons)
    assert all(p.exterior.is_ccw for p in polygons)  # RFC 7946: exterior rings anticlockwise
    union = unary_union(polygons)
    assert union.geom_type == "Polygon"  # one piece, no gaps between neighbours
    assert union.area == pytest.approx(sum(p.area for p in polygons), rel=1e-9)  # no overlap
    lon_min, lat_min, lon_max, lat_max = union.bounds
    assert 13.0 < lon_min < lon_max < 13.4 and 55.6 < lat_min < lat_max < 55.8
    assert sorted(a.deprivation_rank for a in areas) == list(range(1, 101))
    assert collections.Counter(a.deprivation_decile for a in areas) == {d: 10 for d in range(1, 11)}
    assert all(900 <= a.population <= 2600 for a in areas)


def test_demo_generate_deprivation_is_spatially_clustered(city: Territory) -> None:
    """Moran's I over neighbouring areas is clearly positive, and the harbour (east) is poorer."""
    areas = list(Area.objects.filter(territory=city).order_by("code"))
    polygons = [shape(a.geometry) for a in areas]
    rank = np.array([a.deprivation_rank for a in areas], dtype=float)
    z = rank - rank.mean()
    pairs = [(i, j) for i, j in itertools.combinations(range(len(areas)), 2)
             if polygons[i].intersection(polygons[j]).length > 0]  # fmt: skip
    weight_sum = 2 * len(pairs)
    numerator = 2 * sum(z[i] * z[j] for i, j in pairs)
    morans_i = len(areas) / weight_sum * numerator / (z @ z)
    assert morans_i > 0.4
    centre = np.array([p.centroid.x for p in polygons])
    east = rank[centre > np.median(centre)].mean()
    west = rank[centre <= np.median(centre)].mean()
    assert east < west - 20  # rank 1 is the most deprived


def test_demo_generate_initiatives_favour_less_deprived_areas(city: Territory) -> None:
    initiatives = list(Initiative.objects.filter(territory=city).prefetch_related("areas"))
    served = [a.deprivation_decile for i in initiatives for a in i.areas.all()]
    assert len(served) >= 150
    assert np.mean(served) > 5.5 + 0.4  # every decile holds 10 areas: the mean of all is 5.5
    inclusion = next(i for i in initiatives if i.title == "Digital inclusion hubs")
    assert np.mean([a.deprivation_decile for a in inclusion.areas.all()]) < 5.5


def _ties(city: Territory) -> tuple[list[Stakeholder], ig.Graph]:
    """The network of partnerships and joint work between the city's stakeholders."""
    stakeholders = list(Stakeholder.objects.filter(territory=city).order_by("name"))
    index = {s.pk: i for i, s in enumerate(stakeholders)}
    groups: dict[tuple[str, int], list[int]] = collections.defaultdict(list)
    for pid, sid in PartnershipMember.objects.filter(partnership__territory=city).values_list(
        "partnership_id", "stakeholder_id"
    ):
        groups[("p", pid)].append(index[sid])
    for cid, sid in Collaboration.stakeholders.through.objects.filter(
        collaboration__territory=city
    ).values_list("collaboration_id", "stakeholder_id"):
        groups[("c", cid)].append(index[sid])
    weights: collections.Counter[tuple[int, int]] = collections.Counter()
    for (kind, _pk), members in sorted(groups.items()):
        for a, b in itertools.combinations(sorted(members), 2):
            weights[(a, b)] += 1.0 if kind == "p" else 0.5
    graph = ig.Graph(n=len(stakeholders), edges=list(weights))
    graph.es["weight"] = list(weights.values())
    return stakeholders, graph


def test_demo_generate_ecosystem_has_communities_joined_by_brokers(city: Territory) -> None:
    stakeholders, graph = _ties(city)
    communities = graph.community_multilevel(weights="weight")
    assert communities.modularity > 0.35
    assert sum(1 for c in communities if len(c) >= 12) >= 4
    betweenness = graph.betweenness()
    top = sorted(range(len(stakeholders)), key=lambda i: -betweenness[i])[:3]
    assert {stakeholders[i].name for i in top} == BROKERS


def test_demo_generate_citizens_rarely_work_with_industry(city: Territory) -> None:
    stakeholders, graph = _ties(city)
    sector = [s.sector for s in stakeholders]
    citizen_ties = [
        tuple(sorted((sector[e.source], sector[e.target])))
        for e in graph.es
        if "citizens" in (sector[e.source], sector[e.target])
    ]
    to_industry = sum(1 for pair in citizen_ties if "industry" in pair)
    assert len(citizen_ties) >= 50
    assert to_industry / len(citizen_ties) < 0.05
    isolated_civil = [s for s, d in zip(stakeholders, graph.degree(), strict=True)
                      if d == 0 and s.sector == "civil"]  # fmt: skip
    assert len(isolated_civil) >= 3


def test_demo_generate_stated_trust_follows_joint_work_with_exceptions(city: Territory) -> None:
    outcomes: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
    for c in Collaboration.objects.filter(territory=city).prefetch_related("stakeholders"):
        for a, b in itertools.combinations(sorted(s.pk for s in c.stakeholders.all()), 2):
            outcomes[(a, b)].append(c.outcome)
    stated, behavioural = [], []
    for r in TrustRating.objects.filter(territory=city):
        pair = outcomes[tuple(sorted((r.rater_id, r.ratee_id)))]
        assert pair, "every rating is between partners who worked together"
        shown = (pair.count("positive") + 0.5 * pair.count("mixed") + 1) / (len(pair) + 2)
        stated.append((r.mean - 1) / 4)
        behavioural.append(shown)
    correlation = spearmanr(stated, behavioural).statistic
    assert correlation > 0.4
    gaps = np.abs(np.array(stated) - np.array(behavioural))
    assert (gaps >= 0.45).sum() >= 4
    outcome_share = collections.Counter(
        Collaboration.objects.filter(territory=city).values_list("outcome", flat=True)
    )
    assert outcome_share["positive"] > outcome_share["mixed"] + outcome_share["negative"]
    assert outcome_share["negative"] > 0


def test_demo_generate_joint_work_spans_five_years_and_favours_partnerships(
    demo: Any, city: Territory
) -> None:
    collaborations = Collaboration.objects.filter(territory=city)
    dates = list(collaborations.values_list("date", flat=True))
    assert min(dates) >= DEMO_ANCHOR - dt.timedelta(days=5 * 366)
    assert max(dates) <= DEMO_ANCHOR
    assert len({d.year for d in dates}) >= 5
    inside = collaborations.filter(partnership__isnull=False).count()
    assert inside > collaborations.filter(partnership__isnull=True).count()


def test_demo_generate_logins_hold_their_roles(demo: Any, city: Territory) -> None:
    region = Territory.objects.get(slug=demo.region_slug)
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[login.username for login in demo.logins]
    )}  # fmt: skip
    assert {login.role for login in demo.logins} == {
        "facilitator", "officer", "partner", "citizen", "observer", "admin"
    }  # fmt: skip
    for login in demo.logins:
        assert login.password == PASSWORD
        user = users[login.username]
        if login.role == "admin":
            assert user.is_staff and user.is_superuser
        else:
            assert role_of(user, city) == login.role
            assert not user.is_staff
    assert role_of(users["facilitator"], region) == "facilitator"
    university = Stakeholder.objects.get(territory=city, name="Norrhamn University")
    assert represented_stakeholder_id(users["partner"], city) == university.pk
    assert TrustRating.objects.filter(rater=university, given_by=users["partner"]).exists()


def test_demo_generate_dates_the_activity_feed_over_recent_weeks(
    demo: Any, city: Territory
) -> None:
    entries = list(ActivityEntry.objects.filter(territory=city))
    assert len(entries) == demo.activity_entries
    start = dt.datetime.combine(DEMO_ANCHOR - dt.timedelta(days=42), dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(DEMO_ANCHOR + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    assert all(start <= e.created_at <= end for e in entries)
    assert len({e.created_at.date() for e in entries}) >= 10
    assert {e.verb for e in entries} >= {
        "collaboration_created", "partnership_created", "initiative_updated"
    }  # fmt: skip
    drafts = set(Partnership.objects.filter(territory=city, is_draft=True).values_list(
        "name", flat=True
    ))  # fmt: skip
    for e in entries:
        if e.verb == "partnership_created":
            assert e.is_public == (e.summary.removeprefix("New partnership: ") not in drafts)


def test_demo_generate_same_seed_gives_the_same_data(city: Territory) -> None:
    copy = demo_generate(slug="demo-copy", password=PASSWORD)
    assert copy.slug == "demo-copy"
    assert _export(Territory.objects.get(slug="demo-copy")) == _export(city)


def test_demo_generate_another_day_shifts_the_same_data(city: Territory) -> None:
    later = DEMO_ANCHOR + dt.timedelta(days=100)
    demo_generate(slug="demo-later", today=later, password=PASSWORD)
    shifted = _export(Territory.objects.get(slug="demo-later"), relative_to=later)
    assert shifted == _export(city, relative_to=DEMO_ANCHOR)


def test_demo_generate_another_seed_gives_other_data(city: Territory) -> None:
    demo_generate(seed=7, slug="demo-seven", password=PASSWORD)
    other = _export(Territory.objects.get(slug="demo-seven"))
    mine = _export(city)
    assert other["areas"] != mine["areas"]
    assert other["partnerships"] != mine["partnerships"]
    assert other["collaborations"] != mine["collaborations"]


def test_demo_generate_refuses_an_existing_territory(demo: Any, city: Territory) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        demo_generate(slug=demo.slug)
    assert Territory.objects.filter(slug=demo.slug).count() == 1


def test_demo_logins_set_leaves_a_non_demo_user_alone(demo: Any, city: Territory) -> None:
    users = get_user_model().objects
    users.filter(username="observer").update(email="someone@example.org")
    before = dict(users.values_list("username", "password"))
    with pytest.raises(ValidationError, match="observer"):
        demo_logins_set(territory=city, region=None, password="another-password-2")
    assert dict(users.values_list("username", "password")) == before


def _territory_pages(city: Territory) -> list[str]:
    """Every page of the territory that takes no argument but a territory and a known pk."""
    first = {
        "stakeholder": Stakeholder.objects.filter(territory=city).first(),
        "partnership": Partnership.objects.filter(territory=city, is_draft=False).first(),
        "challenge": Challenge.objects.filter(territory=city).first(),
        "initiative": Initiative.objects.filter(territory=city).first(),
        "area": Area.objects.filter(territory=city).first(),
    }
    pages: list[str] = []

    def walk(resolver: URLResolver, namespace: str | None, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace, prefix + str(entry.pattern))
                continue
            route = prefix + str(entry.pattern)
            if not route.startswith("t/<slug:territory>/") or not entry.name:
                continue
            kwargs: dict[str, Any] = {"territory": city.slug}
            rest = route.removeprefix("t/<slug:territory>/")
            if "<int:pk>" in rest:
                kind = next((k for k in first if entry.name.startswith(k)), None)
                if kind is None:
                    continue
                kwargs["pk"] = first[kind].pk
                rest = rest.replace("<int:pk>", "")
            if "<" in rest:
                continue
            pages.append(reverse(f"{namespace}:{entry.name}" if namespace else entry.name,
                                 kwargs=kwargs))  # fmt: skip

    walk(get_resolver(), None, "")
    return pages


@pytest.mark.parametrize("role", ["anonymous", "facilitator", "partner", "citizen"])
def test_demo_generate_pages_render_for_every_role(
    city: Territory, client: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    """The demo can be browsed: no page errs or runs a query per row on the full data set."""
    pages = _territory_pages(city)
    assert len(pages) >= 10
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    for page in pages:
        with django_assert_max_num_queries(40):
            response = client.get(page)
        assert response.status_code < 500, page
