"""Generate the demo territory: the fictional city of Norrhamn inside Norrhamn Region.

``demo_generate`` writes, in one transaction, a city with 100 neighbourhoods, 150
stakeholders in all five helix sectors, 200 partnerships of every form and status, five
years of joint work, trust ratings, three leadership teams, three challenges, 25 initiatives
across every stage and layer, a recent-activity feed, and one login per role.

Determinism: every random draw comes from a numpy generator seeded with ``(seed, section)``,
so the same seed gives the same names, numbers and dates, and one section changing does not
shift the others. Dates are offsets from ``today``, which defaults to a fixed anchor
(:data:`DEMO_ANCHOR`), so ``demo_generate()`` gives identical data on every day; a caller that
passes the real date gets the same data shifted in time (``cocity demo`` does, so that the
demo's "recent" activity is recent). No outside data and no network are used.

Passwords are the one thing that is not reproducible: they come from :mod:`secrets`, so no
password of a running demo is ever in the repository.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.core.models import ActivityEntry
from cocity.core.services import activity_entry
from cocity.demo import names
from cocity.demo.areas import area_grid
from cocity.demo.ecosystem import (
    Node,
    PartnershipPlan,
    city_orgs,
    create_leadership_teams,
    create_partnerships,
    create_stakeholders,
)
from cocity.demo.jointwork import (
    CollaborationPlan,
    create_collaborations,
    plan_collaborations,
    plan_ratings,
)
from cocity.demo.programme import create_challenges, create_initiatives
from cocity.ecosystem import services as eco
from cocity.ecosystem.models import (
    Collaboration,
    LeadershipTeam,
    Partnership,
    Stakeholder,
    TrustRating,
)
from cocity.programme.models import Challenge, Initiative
from cocity.territories import services as terr
from cocity.territories.models import Area, Role, Territory

DEFAULT_SEED = 2026
DEFAULT_SLUG = "demo-city"
DEMO_ANCHOR = dt.date(2026, 6, 30)
"""The day the demo data is dated from unless another ``today`` is given."""
DEMO_EMAIL_DOMAIN = "demo.cocity.invalid"
"""Demo logins carry an address in this reserved domain; that is how they are recognised."""
ROLES = (Role.FACILITATOR, Role.OFFICER, Role.PARTNER, Role.CITIZEN, Role.OBSERVER)
ADMIN = "admin"
PARTNER_REPRESENTS = "Norrhamn University"
CITY_TIME_ZONE = ZoneInfo("Europe/Stockholm")
ACTIVITY_DAYS = 42


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo sign-in: ``role`` is a territory role, or ``"admin"`` for the staff superuser."""

    role: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What ``demo_generate`` created, with the logins (and their passwords) to print."""

    slug: str
    region_slug: str
    seed: int
    today: dt.date
    areas: int
    stakeholders: int
    partnerships: int
    collaborations: int
    trust_ratings: int
    leadership_teams: int
    challenges: int
    initiatives: int
    activity_entries: int
    logins: tuple[DemoLogin, ...]


def region_slug_for(slug: str) -> str:
    return f"{slug}-region"


def demo_exists(*, slug: str = DEFAULT_SLUG) -> bool:
    return Territory.objects.filter(slug=slug).exists()


def _rng(seed: int, section: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(section.encode())])


def _usernames() -> tuple[str, ...]:
    """The demo logins are named after their roles: ``facilitator`` ... ``observer``, ``admin``."""
    return (*(str(role) for role in ROLES), ADMIN)


def _is_demo_user(user: Any) -> bool:
    return str(user.email).endswith("@" + DEMO_EMAIL_DOMAIN)


def _existing_demo_users() -> dict[str, Any]:
    """The users with demo names; refuses when one of them is not a demo login."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    strangers = sorted(name for name, u in users.items() if not _is_demo_user(u))
    if strangers:
        raise ValidationError(
            _(
                "These users exist and are not demo logins, so the demo leaves them alone: "
                "%(names)s."
            )
            % {"names": ", ".join(strangers)}
        )
    return users


@transaction.atomic
def demo_logins_set(
    *, territory: Territory, region: Territory | None, password: str
) -> tuple[DemoLogin, ...]:
    """Create (or reuse) the demo users with ``password`` and give each its role.

    One user per role in ``territory`` (the partner represents the university), the
    facilitator also in ``region``, plus the staff superuser ``admin``. Refuses to touch an
    existing user of the same name that is not a demo login.
    """
    user_model = get_user_model()
    existing = _existing_demo_users()
    hashed = make_password(password)  # one hash for all: they share the demo password
    university = Stakeholder.objects.get(territory=territory, name=PARTNER_REPRESENTS)
    logins = []
    for username in _usernames():
        user = existing.get(username) or user_model(username=username)
        user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        user.password = hashed
        user.is_staff = user.is_superuser = username == ADMIN
        user.is_active = True
        user.save()
        if username != ADMIN:
            terr.membership_set(
                territory=territory,
                actor=None,
                user=user,
                role=username,
                stakeholder=university if username == Role.PARTNER else None,
            )
        if username == Role.FACILITATOR and region is not None:
            terr.membership_set(territory=region, actor=None, user=user, role=Role.FACILITATOR)
        logins.append(DemoLogin(username, username, password))
    return tuple(logins)


def demo_logins_valid(logins: tuple[DemoLogin, ...]) -> bool:
    """Whether ``logins`` are exactly the demo users that exist now.

    Passwords are not checked: that costs one slow hash each, and only ``cocity demo`` sets them.
    """
    expected = sorted(_usernames())
    if sorted(login.username for login in logins) != expected:
        return False
    found = get_user_model().objects.filter(
        username__in=expected, email__endswith="@" + DEMO_EMAIL_DOMAIN, is_active=True
    )
    return sorted(found.values_list("username", flat=True)) == expected


@transaction.atomic
def demo_delete(*, slug: str = DEFAULT_SLUG) -> bool:
    """Delete the demo city, its region and the demo logins; ``True`` if there was a demo."""
    deleted, _counts = Territory.objects.filter(slug__in=[slug, region_slug_for(slug)]).delete()
    get_user_model().objects.filter(
        username__in=_usernames(), email__endswith="@" + DEMO_EMAIL_DOMAIN
    ).delete()
    return deleted > 0


@transaction.atomic
def demo_generate(
    *,
    seed: int = DEFAULT_SEED,
    slug: str = DEFAULT_SLUG,
    today: dt.date | None = None,
    password: str | None = None,
) -> DemoSummary:
    """Create the demo city ``slug`` (and its region ``<slug>-region``) with all its data.

    Same ``seed`` and ``today``, same data (passwords aside). ``password`` is the demo
    password of every login; by default a fresh one from :func:`secrets.token_urlsafe`.
    Raises ``ValidationError`` when either territory or a non-demo user of a demo name exists.
    """
    today = today or DEMO_ANCHOR
    region_slug = region_slug_for(slug)
    taken = list(
        Territory.objects.filter(slug__in=[slug, region_slug]).values_list("slug", flat=True)
    )
    if taken:
        raise ValidationError(
            _("A territory with this short name already exists: %(slugs)s.")
            % {"slugs": ", ".join(sorted(taken))}
        )
    _existing_demo_users()  # fail before writing anything
    password = password or secrets.token_urlsafe(9)

    region = terr.territory_create(
        actor=None,
        name=names.REGION,
        slug=region_slug,
        kind=Territory.Kind.REGION,
        country=names.COUNTRY,
        currency=names.CURRENCY,
        population=612_000,
        description=(
            "The region around Norrhamn: its smart-specialisation strategy frames the city's."
        ),
    )
    plans = area_grid(_rng(seed, "areas"), centre=names.CENTRE_LON_LAT)
    city = terr.territory_create(
        actor=None,
        name=names.CITY,
        slug=slug,
        kind=Territory.Kind.CITY,
        parent=region,
        country=names.COUNTRY,
        currency=names.CURRENCY,
        population=sum(p.population for p in plans),
        description=(
            "A fictional mid-sized harbour city, generated for this demo. Its partners are "
            "invented; its challenges are real for many cities."
        ),
    )
    clusters = {
        name: terr.cluster_create(territory=city, actor=None, name=name) for name in names.CLUSTERS
    }
    areas = [
        terr.area_create(
            territory=city,
            actor=None,
            code=p.code,
            name=p.name,
            geometry=p.geometry,
            population=p.population,
            deprivation_rank=p.deprivation_rank,
            deprivation_decile=p.deprivation_decile,
            indicators=p.indicators,
        )
        for p in plans
    ]
    by_district: dict[str, list[Area]] = {}
    for area in areas:
        by_district.setdefault(area.indicators["district"], []).append(area)

    nodes = create_stakeholders(
        territory=city,
        rng=_rng(seed, "stakeholders"),
        orgs=city_orgs(_rng(seed, "orgs")),
        clusters=clusters,
        areas_by_district=by_district,
    )
    by_name = {n.org.name: n for n in nodes}
    _create_region_ecosystem(region, seed=seed)
    logins = demo_logins_set(territory=city, region=region, password=password)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}

    partnerships = create_partnerships(
        territory=city, rng=_rng(seed, "partnerships"), nodes=nodes, today=today
    )
    collaboration_plans = plan_collaborations(
        rng=_rng(seed, "joint work"), nodes=nodes, partnerships=partnerships, today=today
    )
    create_collaborations(territory=city, plans=collaboration_plans)
    TrustRating.objects.bulk_create(
        plan_ratings(
            territory=city,
            rng=_rng(seed, "trust"),
            nodes=nodes,
            collaborations=collaboration_plans,
            today=today,
            rater_users={by_name[PARTNER_REPRESENTS].index: users[Role.PARTNER]},
        )
    )
    challenges = create_challenges(territory=city)
    create_leadership_teams(territory=city, by_name=by_name, challenges=challenges)
    initiatives = create_initiatives(
        territory=city,
        rng=_rng(seed, "initiatives"),
        nodes=nodes,
        by_name=by_name,
        challenges=challenges,
        areas=areas,
        partnerships=partnerships,
        today=today,
    )
    activity = _write_activity(
        territory=city,
        rng=_rng(seed, "activity"),
        today=today,
        users=users,
        nodes=nodes,
        partnerships=partnerships,
        collaborations=collaboration_plans,
        initiatives=initiatives,
        challenges=list(challenges.values()),
        university=by_name[PARTNER_REPRESENTS],
    )
    return DemoSummary(
        slug=slug,
        region_slug=region_slug,
        seed=seed,
        today=today,
        areas=Area.objects.filter(territory=city).count(),
        stakeholders=Stakeholder.objects.filter(territory=city).count(),
        partnerships=Partnership.objects.filter(territory=city).count(),
        collaborations=Collaboration.objects.filter(territory=city).count(),
        trust_ratings=TrustRating.objects.filter(territory=city).count(),
        leadership_teams=LeadershipTeam.objects.filter(territory=city).count(),
        challenges=Challenge.objects.filter(territory=city).count(),
        initiatives=Initiative.objects.filter(territory=city).count(),
        activity_entries=activity,
        logins=logins,
    )


def _create_region_ecosystem(region: Territory, *, seed: int) -> None:
    """A few regional stakeholders and one partnership, so the region is not empty."""
    clusters = {
        name: terr.cluster_create(territory=region, actor=None, name=name)
        for name in names.REGION_CLUSTERS
    }
    nodes = create_stakeholders(
        territory=region,
        rng=_rng(seed, "region"),
        orgs=names.REGION_ORGS,
        clusters=clusters,
        areas_by_district={},
    )
    eco.partnership_create(
        territory=region,
        actor=None,
        name="Regional smart specialisation partnership",
        form="other",
        status="active",
        members=[(n.stakeholder, "lead" if i == 0 else "partner") for i, n in enumerate(nodes)],
        description="The region's innovation actors steer its smart-specialisation strategy.",
        record_activity=False,
    )


def _at(rng: np.random.Generator, day: dt.date) -> dt.datetime:
    """A working-hours moment of ``day`` in the city's time zone."""
    minutes = int(rng.integers(8 * 60, 17 * 60 + 30))
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=CITY_TIME_ZONE)


def _write_activity(
    *,
    territory: Territory,
    rng: np.random.Generator,
    today: dt.date,
    users: dict[str, Any],
    nodes: list[Node],
    partnerships: list[PartnershipPlan],
    collaborations: list[CollaborationPlan],
    initiatives: list[Initiative],
    challenges: list[Challenge],
    university: Node,
) -> int:
    """Replace what the services logged while generating by a feed dated over recent weeks."""
    ActivityEntry.objects.filter(territory=territory).delete()
    since = today - dt.timedelta(days=ACTIVITY_DAYS)
    slug = territory.slug

    def some_day() -> dt.date:
        return today - dt.timedelta(days=int(rng.integers(0, ACTIVITY_DAYS)))

    def staff() -> Any:
        return users[Role.OFFICER] if rng.random() < 0.6 else users[Role.FACILITATOR]

    entries: list[tuple[dt.datetime, ActivityEntry]] = []
    for c in collaborations:
        if since <= c.date <= today:
            actor = users[Role.PARTNER] if any(n is university for n in c.nodes) else staff()
            entry = activity_entry(
                territory=territory,
                actor=actor,
                verb="collaboration_created",
                sentence=lambda title=c.title: (
                    _("Joint work recorded: %(title)s") % {"title": title}
                ),
            )
            entries.append((_at(rng, c.date), entry))
    fresh = [p for p in partnerships if p.partnership.status in ("exploring", "agreed")][:6]
    for plan in fresh:
        p = plan.partnership
        entry = activity_entry(
            territory=territory,
            actor=staff(),
            verb="partnership_created",
            sentence=lambda name=p.name: _("New partnership: %(name)s") % {"name": name},
            url=reverse("ecosystem:partnership_detail", args=[slug, p.pk]),
            is_public=not p.is_draft,
        )
        entries.append((_at(rng, some_day()), entry))
    moving = [i for i in initiatives if i.stage != "idea" and not i.is_draft]
    for i in sorted(rng.choice(len(moving), size=min(6, len(moving)), replace=False)):
        initiative = moving[int(i)]
        entry = activity_entry(
            territory=territory,
            actor=staff(),
            verb="initiative_updated",
            sentence=lambda i=initiative: (
                _("%(title)s moved to %(stage)s")
                % {"title": i.title, "stage": i.get_stage_display()}
            ),
            url=reverse("programme:initiative_detail", args=[slug, initiative.pk]),
        )
        entries.append((_at(rng, some_day()), entry))
    newcomers = [n for n in nodes if n.org.type == "startup"][-3:]
    for node in newcomers:
        entry = activity_entry(
            territory=territory,
            actor=staff(),
            verb="stakeholder_created",
            sentence=lambda name=node.org.name: _("%(name)s joined the ecosystem") % {"name": name},
            url=reverse("ecosystem:stakeholder_detail", args=[slug, node.stakeholder.pk]),
        )
        entries.append((_at(rng, some_day()), entry))
    challenge = challenges[int(rng.integers(len(challenges)))]
    entries.append(
        (
            _at(rng, some_day()),
            activity_entry(
                territory=territory,
                actor=users[Role.FACILITATOR],
                verb="challenge_updated",
                sentence=lambda: _("Challenge updated: %(title)s") % {"title": challenge.title},
                url=reverse("programme:challenge_detail", args=[slug, challenge.pk]),
            ),
        )
    )
    entries.sort(key=lambda e: e[0])
    rows = ActivityEntry.objects.bulk_create(entry for _when, entry in entries)
    # created_at is set to "now" on insert; date each entry when it happened.
    for row, (when, _entry) in zip(rows, entries, strict=True):
        row.created_at = when
    ActivityEntry.objects.bulk_update(rows, ["created_at"])
    return len(rows)
