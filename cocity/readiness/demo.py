"""Demo readiness data: assessment history, targets, the interface register, and peer cities.

:func:`readiness_demo_generate` gives a demo territory everything the readiness pages show:
the default model, three closed rounds and one open round answered by partners of every
helix sector (with sector views that differ), targets, gaps linked to challenges, an
interface register tied to the territory's initiatives, and ``peers`` peer cities of the same
kind and population band, each with its own round history, so every chart has data.

Deterministic: every draw comes from a numpy generator seeded with ``(seed, section)``;
dates are offsets from ``today``. Respondent logins created here have unusable passwords.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cocity.analytics.maturity import POPULATION_BANDS, population_band
from cocity.ecosystem import services as eco
from cocity.ecosystem.models import Sector, Stakeholder
from cocity.programme.models import Challenge, Initiative
from cocity.readiness import selectors, services
from cocity.readiness.models import (
    AssessmentRound,
    ExternalPeer,
    InterfaceItem,
    MaturityModel,
    ReadinessSettings,
)
from cocity.territories import services as terr
from cocity.territories.models import Membership, Role, Territory

DEMO_EMAIL_DOMAIN = "demo.cocity.invalid"
PEER_NAMES = (
    "Västerby",
    "Kallmora",
    "Lindvik",
    "Sörhamn",
    "Granhult",
    "Aspviken",
    "Björkstad",
    "Ekeby",
)
NAMED_PEERS = 2
"""How many peers agree to be named; the others appear as 'Peer A', 'Peer B' ..."""
ROUND_YEARS = 3
# The latent maturity of each default dimension in the first round (levels 1-5), and how
# each sector sees the city compared with the others (it is the disagreement the pages show).
BASE_LEVEL = {
    "D1": 2.2, "D2": 2.6, "D3": 1.8, "D4": 2.4, "D5": 2.0,
    "D6": 1.6, "D7": 2.1, "D8": 1.9, "D9": 2.5, "D10": 1.5,
}  # fmt: skip
SECTOR_BIAS: dict[str, dict[str, float]] = {
    Sector.PUBLIC: {"D1": 0.6, "D7": 0.5, "D3": 0.4},
    Sector.ACADEMIA: {"D5": 0.5, "D8": -0.5, "D1": -0.4},
    Sector.INDUSTRY: {"D6": -0.6, "D9": 0.6, "D4": 0.4},
    Sector.CIVIL: {"D3": -0.9, "D10": -0.7, "D7": -0.5},
    Sector.CITIZENS: {"D3": -1.0, "D10": -0.8, "D9": -0.4},
}
TARGETS = {
    "D1": 4,
    "D2": 4,
    "D3": 4,
    "D4": 4,
    "D5": 4,
    "D6": 3,
    "D7": 4,
    "D8": 3,
    "D9": 4,
    "D10": 4,
}
EVIDENCE = (
    "Seen in the joint projects we took part in this year.",
    "Based on the published strategy and its last review.",
    "Our staff use the shared data catalogue weekly.",
    "Residents' groups we work with say they were consulted late.",
    "The asset register exists but is not kept up to date.",
    "Procurement still buys standalone systems.",
)
INTERFACE_ITEMS = (
    ("analogue", "sensing", "opportunity", 3, "Retrofit street lights as a sensing backbone"),
    ("analogue", "sensing", "risk", 2, "Sensors fixed to ageing assets fail with them"),
    ("sensing", "data", "risk", 3, "Sensor data arrives without common formats"),
    ("sensing", "data", "opportunity", 2, "Shared sensor feeds for mobility and air quality"),
    ("data", "platforms", "opportunity", 3, "Open data catalogue published through the platform"),
    ("data", "platforms", "risk", 2, "Vendor lock-in of the urban data platform"),
    ("platforms", "governance", "risk", 3, "Nobody owns the platform's service levels"),
    ("data", "governance", "risk", 3, "Personal data in mobility traces"),
    ("analogue", "governance", "opportunity", 1, "Digital permits shorten street works"),
    ("sensing", "governance", "opportunity", 2, "Public register of the city's sensors"),
)


def _rng(seed: int, section: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(section.encode())])


def _backdate(model: Any, pk: int, **fields: Any) -> None:
    """Set timestamps the services fill with 'now' (history needs the past)."""
    type(model).objects.filter(pk=pk).update(**fields)


def _backdate_activity(territory: Territory, verb: str, moment: dt.datetime) -> None:
    """Date the activity line a service just wrote at the demo's moment, not today."""
    from cocity.core.models import ActivityEntry

    latest = ActivityEntry.objects.filter(territory=territory, verb=verb).order_by("-id").first()
    if latest is not None:
        ActivityEntry.objects.filter(pk=latest.pk).update(created_at=moment)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


def _respondent(territory: Territory, index: int, stakeholder: Stakeholder | None) -> Any:
    """A demo respondent (unusable password) who represents ``stakeholder`` (or is an officer)."""
    username = f"{territory.slug}-respondent-{index:02d}"[:150]
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{slugify(username)}@{DEMO_EMAIL_DOMAIN}"}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, territory=territory).exists():
        terr.membership_set(
            territory=territory,
            actor=None,
            user=user,
            role=Role.PARTNER if stakeholder is not None else Role.OFFICER,
            stakeholder=stakeholder,
        )
    return user


def _ensure_stakeholders(territory: Territory, rng: np.random.Generator) -> list[Stakeholder]:
    """Up to three organisations per helix sector (made when the territory has too few)."""
    chosen: list[Stakeholder] = []
    for sector in Sector.values:
        pool = list(Stakeholder.objects.filter(territory=territory, sector=sector).order_by("name"))
        if not pool:
            pool = [
                eco.stakeholder_create(
                    territory=territory,
                    actor=None,
                    name=f"{territory.name} {Sector(sector).label} forum",
                    sector=sector,
                    record_activity=False,
                )
            ]
        picks = rng.choice(len(pool), size=min(3, len(pool)), replace=False)
        chosen += [pool[int(i)] for i in sorted(picks)]
    return chosen


def _respondents(territory: Territory, rng: np.random.Generator) -> tuple[list[Any], list[Any]]:
    """The territory's facilitators, officers and partners, and demo partners of every sector."""
    existing = [m.user for m in services.eligible_respondents(territory)]
    made = [
        _respondent(territory, i + 1, s) for i, s in enumerate(_ensure_stakeholders(territory, rng))
    ]
    made.append(_respondent(territory, len(made) + 1, None))
    known = {u.pk for u in existing}
    return existing, [u for u in made if u.pk not in known]


def _answer_round(
    round_: AssessmentRound,
    respondents: Sequence[Any],
    rng: np.random.Generator,
    *,
    base: dict[str, float],
    progress: float,
    submit_share: float = 1.0,
    keep_unanswered: Sequence[Any] = (),
) -> None:
    """Each respondent rates each dimension around the latent level, seen through their sector."""
    services.round_invite(round_=round_, actor=None, users=respondents)
    dimensions = list(round_.model.dimensions.all())
    invitations = {i.user_id: i for i in round_.invitations.all()}
    top = round_.model.n_levels
    for user in respondents:
        if user in keep_unanswered:
            continue
        sector = invitations[user.pk].sector
        answers = {}
        for d in dimensions:
            if rng.random() < 0.06:
                level = None
            else:
                latent = base.get(d.code, 2.0) + progress
                latent += SECTOR_BIAS.get(sector, {}).get(d.code, 0.0) + rng.normal(0, 0.6)
                level = int(np.clip(np.rint(latent), 1, top))
            note = EVIDENCE[int(rng.integers(len(EVIDENCE)))] if rng.random() < 0.3 else ""
            confidence = ("low", "medium", "high")[int(rng.integers(3))]
            answers[d.pk] = services.AnswerInput(level, note, confidence)
        submit = rng.random() < submit_share
        services.answers_save(round_=round_, user=user, answers=answers, submit=submit)


def _history(
    territory: Territory,
    model: MaturityModel,
    respondents: Sequence[Any],
    rng: np.random.Generator,
    *,
    today: dt.date,
    actor: Any,
    years: int,
    open_round: bool,
    base: dict[str, float] = BASE_LEVEL,
    keep_unanswered: Sequence[Any] = (),
) -> list[AssessmentRound]:
    rounds = []
    by_code = {d.code: d.pk for d in model.dimensions.all()}
    for k in range(years + (1 if open_round else 0)):
        is_open = open_round and k == years
        opened = today - dt.timedelta(days=365 * (years - k) + (20 if is_open else 60))
        round_ = services.round_open(
            territory=territory,
            actor=actor,
            model=model,
            title=f"Readiness {opened.year}",
            invitees=[],
        )
        _backdate(round_, round_.pk, created_at=_moment(opened))
        _backdate_activity(territory, "assessment_round_opened", _moment(opened))
        round_.refresh_from_db()
        if k == 0:
            services.round_targets_set(
                round_=round_,
                actor=actor,
                targets={by_code[c]: t for c, t in TARGETS.items() if c in by_code},
            )
        # Some respondents skip a year; small groups all answer, so every sector is heard.
        sample = [u for u in respondents if is_open or len(respondents) < 12 or rng.random() < 0.85]
        _answer_round(
            round_,
            sample,
            rng,
            base=base,
            progress=0.45 * k,
            submit_share=0.7 if is_open else 1.0,
            keep_unanswered=keep_unanswered if is_open else (),
        )
        if is_open:
            _backdate(round_, round_.pk, closes_on=today + dt.timedelta(days=21))
        else:
            services.round_close(round_=round_, actor=actor)
            _backdate(round_, round_.pk, closed_at=_moment(opened + dt.timedelta(days=28)))
            _backdate_activity(
                territory, "assessment_round_closed", _moment(opened + dt.timedelta(days=28))
            )
        rounds.append(round_)
    return rounds


def _register(territory: Territory, rng: np.random.Generator) -> None:
    initiatives = list(
        Initiative.objects.filter(territory=territory).prefetch_related("layer_progress")
    )
    touching: dict[str, list[Initiative]] = {}
    for i in initiatives:
        for lp in i.layer_progress.all():
            touching.setdefault(lp.layer, []).append(i)
    for a, b, kind, significance, title in INTERFACE_ITEMS:
        both = [i for i in touching.get(a, []) if i in touching.get(b, [])]
        pool = both or touching.get(a, []) + touching.get(b, [])
        picks: list[int] = (
            [int(p) for p in rng.choice(len(pool), size=min(2, len(pool)), replace=False)]
            if pool
            else []
        )
        services.interface_item_create(
            territory=territory,
            actor=None,
            layer_a=a,
            layer_b=b,
            kind=kind,
            title=title,
            significance=significance,
            initiatives=[pool[p] for p in picks],
        )


def _link_gaps(round_: AssessmentRound) -> None:
    results = selectors.round_results(round_=round_, with_actions=False)
    challenges = list(Challenge.objects.filter(territory=round_.territory).order_by("title"))
    for n, (row, _gap) in enumerate(results.gaps[:3]):
        initiative = row.related_initiatives[0] if row.related_initiatives else None
        challenge = challenges[n % len(challenges)] if challenges and initiative is None else None
        if initiative is None and challenge is None:
            continue
        services.action_link_create(
            round_=round_,
            actor=None,
            dimension=row.dimension,
            challenge=challenge,
            initiative=initiative,
            note="Suggested by the demo",
        )


def _peer_population(territory: Territory, rng: np.random.Generator) -> int | None:
    band = population_band(territory.population)
    for code, low, high in POPULATION_BANDS:
        if code == band:
            top = high if high is not None else low * 3
            return int(rng.integers(low + (top - low) // 10, top - (top - low) // 10))
    return None


def _peers(territory: Territory, count: int, seed: int, today: dt.date) -> None:
    for i in range(count):
        name = PEER_NAMES[i % len(PEER_NAMES)]
        if i >= len(PEER_NAMES):
            name += f" {i // len(PEER_NAMES) + 1}"
        slug = f"{territory.slug}-peer-{i + 1}"[:60]
        if Territory.objects.filter(slug=slug).exists():
            continue
        rng = _rng(seed, f"peer {i}")
        peer = terr.territory_create(
            actor=None,
            name=name,
            slug=slug,
            kind=territory.kind,
            country=territory.country,
            currency=territory.currency,
            population=_peer_population(territory, rng),
            is_public=False,
            description="A peer city generated for the readiness benchmark of the demo.",
        )
        ReadinessSettings.objects.create(
            territory=peer, in_benchmarks=True, named_in_benchmarks=i < NAMED_PEERS
        )
        model = services.maturity_model_install_default(territory=peer, actor=None)
        existing, made = _respondents(peer, rng)
        respondents = existing + made
        # Peers differ: some are ahead, some behind, each with its own strengths.
        shift = float(rng.normal(0, 0.5))
        base = {
            code: float(np.clip(level + shift + rng.normal(0, 0.35), 1, 4))
            for code, level in BASE_LEVEL.items()
        }
        _history(
            peer,
            model,
            respondents,
            rng,
            today=today,
            actor=None,
            years=int(rng.integers(2, 4)),
            open_round=False,
            base=base,
        )


@transaction.atomic
def readiness_demo_generate(
    *, territory: Territory, peers: int = 5, seed: int = 2026, today: dt.date | None = None
) -> None:
    """Give ``territory`` its readiness history and ``peers`` peer cities (see the module).

    Does nothing when the territory already has assessment rounds, so it is safe to call
    twice. ``today`` (default: the current date) anchors the dates of the rounds.
    """
    if AssessmentRound.objects.filter(territory=territory).exists():
        return
    today = today or timezone.localdate()
    rng = _rng(seed, f"readiness {territory.slug}")
    model = services.maturity_model_install_default(territory=territory, actor=None)
    facilitator = (
        Membership.objects.filter(territory=territory, role=Role.FACILITATOR)
        .select_related("user")
        .order_by("id")
        .first()
    )
    actor = facilitator.user if facilitator else None
    existing, made = _respondents(territory, rng)
    # The territory's own members (the demo logins) are invited to the open round but have
    # not answered it yet, so whoever tries the demo with them can answer.
    respondents = existing + made
    rounds = _history(
        territory,
        model,
        respondents,
        rng,
        today=today,
        actor=actor,
        years=ROUND_YEARS,
        open_round=True,
        keep_unanswered=existing,
    )
    _link_gaps(rounds[-2])
    _register(territory, _rng(seed, f"register {territory.slug}"))
    services.readiness_settings_update(
        territory=territory,
        actor=actor,
        results_public=False,
        in_benchmarks=True,
        named_in_benchmarks=True,
    )
    _peers(territory, peers, seed, today)


@transaction.atomic
def readiness_demo_delete(*, slug: str) -> None:
    """Remove what :func:`readiness_demo_generate` made for the territory ``slug``.

    Its readiness data (if the territory still exists), the peer cities ``<slug>-peer-<n>``
    and the demo respondents. Safe to call before or after the territory itself is deleted.
    """
    territory = Territory.objects.filter(slug=slug).first()
    if territory is not None:
        AssessmentRound.objects.filter(territory=territory).delete()
        MaturityModel.objects.filter(territory=territory).delete()
        InterfaceItem.objects.filter(territory=territory).delete()
        ExternalPeer.objects.filter(territory=territory).delete()
        ReadinessSettings.objects.filter(territory=territory).delete()
    Territory.objects.filter(slug__startswith=f"{slug}-peer-").delete()
    demo_users = get_user_model().objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)
    demo_users.filter(username__startswith=f"{slug}-respondent-").delete()
    demo_users.filter(username__startswith=f"{slug}-peer-").delete()
