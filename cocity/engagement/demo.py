"""Demo consultation: an open conversation on the Mobility challenge with a live opinion map.

:func:`engagement_demo_generate` gives a territory one open, public conversation ("How should
we get around in 2030?") with 40 statements (12 seed statements, 28 from participants: 22
accepted, 2 rejected with a reason, 4 waiting for moderation), about 300 participants who
answered the profile questions (or not), and their votes, with three opinion groups planted:

* *transit first* (more likely in the most deprived areas; citizens and civil society),
* *keep the car* (the outer areas; business),
* *streets for people* (the centre and the university; academia, citizens).

They agree on a few statements (safe, lit bus stops; winter maintenance of cycle paths), so
the consensus has something to show. The most deprived areas take part less than their
population share, so the representativeness check finds them under-represented. The opinion
map is computed and stored before it returns.

Deterministic: draws come from ``numpy.random.default_rng([seed, 7])``; times are counted back
from ``today``. Votes and participants are written in bulk (thousands of rows), statements
through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from cocity.ecosystem.models import Sector
from cocity.engagement import services
from cocity.engagement.analysis import opinion_result_compute
from cocity.engagement.models import (
    Conversation,
    ConversationStatus,
    OpinionResult,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from cocity.programme.models import Challenge
from cocity.territories.models import Area, Territory

# Leaning of the three groups (transit first, keep the car, streets for people), -1..1.
SEEDS: tuple[tuple[str, tuple[float, float, float]], ...] = (
    (
        "Buses to the harbour districts should run every ten minutes, evenings included.",
        (0.95, 0.1, 0.0),
    ),
    ("The old town should be closed to through traffic.", (0.3, -0.9, 0.95)),
    (
        "Parking in the centre should cost more, and the money go to public transport.",
        (0.6, -0.95, 0.8),
    ),
    ("A congestion charge on the harbour bridge would be fair.", (0.2, -0.9, 0.7)),
    ("Public transport should be free for everyone under 20.", (0.9, -0.2, -0.5)),
    ("Bus stops should be safe and well lit at night.", (0.95, 0.8, 0.9)),
    ("Cycle paths must be cleared of snow before roads are.", (-0.6, -0.7, 0.95)),
    ("Road works in the centre should happen at night, not in the rush hour.", (0.3, 0.8, 0.2)),
    ("Car sharing should get reserved parking spaces in every district.", (0.3, -0.2, 0.8)),
    ("Delivery vans should use electric cargo bikes in the old town.", (-0.3, -0.6, 0.9)),
    ("The city should publish real-time data on every bus and train.", (0.7, 0.6, 0.7)),
    ("Speed limits should be 30 km/h on every residential street.", (0.0, -0.8, 0.9)),
)
SUBMITTED: tuple[tuple[str, tuple[float, float, float]], ...] = (
    ("A night bus between the hospital and Varvet, for shift workers.", (0.95, 0.2, 0.5)),
    ("Widen the ring road before anything else.", (-0.5, 0.95, -0.9)),
    ("Park-and-ride sites at every entrance to the city.", (0.3, 0.8, -0.6)),
    ("Schools should have car-free streets at drop-off time.", (0.4, -0.5, 0.9)),
    ("Tickets should cost the same for a trip as for a day in the rush hour.", (0.6, 0.1, 0.3)),
    ("Bus lanes on Hamngatan slow everyone down and should go.", (-0.8, 0.9, -0.7)),
    (
        "Every new housing estate needs a bus stop before the first tenants move in.",
        (0.9, 0.4, 0.7),
    ),
    ("Electric scooters should be banned from pavements.", (0.5, 0.6, 0.3)),
    (
        "Companies that let staff work from home two days a week should pay less business rate.",
        (0.1, 0.5, 0.4),
    ),
    ("The harbour ferry should be part of the bus ticket.", (0.85, 0.3, 0.7)),
    ("Parking should stay free on Saturdays so the old town shops survive.", (-0.3, 0.95, -0.6)),
    ("More benches and shade along walking routes, for older people.", (0.8, 0.3, 0.85)),
    ("Traffic lights should give priority to buses.", (0.8, -0.6, -0.3)),
    ("The city should not spend on bike paths while roads have potholes.", (0.5, 0.9, -0.95)),
    ("Bike parking at every station, under a roof and watched.", (-0.3, -0.1, 0.95)),
    ("Taxis and ride-hailing should be allowed in bus lanes.", (-0.3, 0.7, -0.5)),
    ("Ask residents before changing any street, with a real vote.", (0.6, 0.7, 0.1)),
    ("Pave the gravel paths in Ängslätt so wheelchairs can use them.", (0.8, 0.5, 0.7)),
    ("The tram to the university should be built now, not in 2040.", (-0.6, -0.4, 0.95)),
    ("Fines for parking on cycle lanes should double.", (-0.2, -0.7, 0.9)),
    ("Sunday buses should run as often as weekday ones.", (0.9, 0.0, -0.1)),
    ("Carpooling apps should be promoted to commuters from the region.", (0.3, 0.6, 0.4)),
)
REJECTED = (
    (
        "The mayor should resign over the bus timetable fiasco!!!",
        "A personal attack, not a proposal.",
    ),
    ("Buy cheap car insurance at www.example.invalid", "Advertising."),
)
PENDING = (
    "Free bike repair days in every district.",
    "Traffic wardens should patrol school streets in the morning.",
    "A bus line along the coast for summer tourists.",
    "Let teenagers borrow city bikes for free.",
)
GROUP_SHARES = np.array([0.4, 0.3, 0.3])
# Sector mix (Sector.values order: public, academia, industry, civil, citizens) per group.
SECTOR_MIX = np.array(
    [
        [0.05, 0.03, 0.04, 0.18, 0.70],
        [0.08, 0.02, 0.30, 0.05, 0.55],
        [0.07, 0.25, 0.05, 0.08, 0.55],
    ]
)
PROFILE_ANSWERED = 0.8
PASS_RATE = 0.12


@dataclass(frozen=True)
class EngagementDemoSummary:
    conversation: Conversation
    statements: int
    participants: int
    votes: int
    result: OpinionResult | None


def _at(today: dt.date, days_ago: float) -> dt.datetime:
    midday = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)
    return midday - dt.timedelta(days=float(days_ago))


def _area_weights(areas: list[Area]) -> tuple[np.ndarray, np.ndarray]:
    """Population weights of each area for each group, and the take-up of each area: the most
    deprived take part a third as much as their population share (the gap the page shows)."""
    population = np.array([a.population or 1 for a in areas], dtype=np.float64)
    decile = np.array([a.deprivation_decile or 5 for a in areas], dtype=np.float64)
    deprived = (10 - decile) / 9  # 1 for the most deprived decile
    takeup = 1.0 - 0.7 * deprived
    by_group = np.vstack(
        [
            population * takeup * (0.6 + 0.8 * deprived),  # transit first: deprived areas
            population * takeup * (1.4 - deprived),  # keep the car: the better-off outskirts
            population * takeup,  # streets for people: everywhere, the centre a little more
        ]
    )
    return by_group / by_group.sum(axis=1, keepdims=True), takeup


@transaction.atomic
def engagement_demo_generate(
    *,
    territory: Territory,
    seed: int = 2026,
    today: dt.date | None = None,
    n_participants: int = 300,
    actor: Any = None,
) -> EngagementDemoSummary:
    """Create the demo consultation in ``territory`` (see the module docstring)."""
    today = today or timezone.localdate()
    rng = np.random.default_rng([seed, 7])
    challenge = Challenge.objects.filter(territory=territory, title="Mobility").first()
    conversation = services.conversation_create(
        territory=territory,
        actor=actor,
        title="How should we get around in 2030?",
        question=(
            "The city is writing its mobility plan for 2030. Vote on what others said, add "
            "what is missing, and see where the city agrees and where it is divided."
        ),
        challenge=challenge,
        status=ConversationStatus.OPEN,
    )
    Conversation.objects.filter(pk=conversation.pk).update(created_at=_at(today, 24))
    leanings: dict[int, tuple[float, float, float]] = {}
    for text, lean in SEEDS:
        s = services.statement_seed_create(conversation=conversation, actor=actor, text=text)
        leanings[s.pk] = lean

    areas = list(Area.objects.filter(territory=territory).order_by("code"))
    groups = rng.choice(3, size=n_participants, p=GROUP_SHARES)
    joined = np.sort(rng.uniform(0.5, 23.0, size=n_participants))[::-1]  # days ago
    area_weights = _area_weights(areas)[0] if areas else np.zeros((3, 0))
    people = []
    for i in range(n_participants):
        g = int(groups[i])
        answered = rng.random() < PROFILE_ANSWERED
        sector = Sector.values[int(rng.choice(5, p=SECTOR_MIX[g]))] if answered else ""
        area = areas[int(rng.choice(len(areas), p=area_weights[g]))] if answered and areas else None
        people.append(
            Participant(
                conversation=conversation,
                number=i,
                sector=sector,
                area=area,
                profile_answered=True,
                created_at=_at(today, joined[i]),
            )
        )
    people = Participant.objects.bulk_create(people)
    if any(p.pk is None for p in people):
        people = list(Participant.objects.filter(conversation=conversation).order_by("number"))
    for person in people:
        person.conversation = conversation
    Conversation.objects.filter(pk=conversation.pk).update(next_participant_number=n_participants)

    # Participants' statements, each by a different participant, written the day they joined
    # (the pending ones in the last day, waiting for the facilitator).
    authors = iter(rng.permutation(n_participants).tolist())
    statements: list[tuple[Statement, tuple[float, float, float], float]] = []
    for text, lean in SUBMITTED:
        author = next(authors)
        written = float(joined[author])
        s = _submitted(people[author], text, StatementStatus.ACCEPTED, "", actor, today, written)
        statements.append((s, lean, written))
    for text, reason in REJECTED:
        author = next(authors)
        _submitted(
            people[author], text, StatementStatus.REJECTED, reason, actor, today, joined[author]
        )
    for text in PENDING:
        _submitted(
            people[next(authors)], text, StatementStatus.PENDING, "", actor, today, rng.random()
        )
    Statement.objects.filter(conversation=conversation, is_seed=True).update(
        created_at=_at(today, 24), moderated_at=_at(today, 24)
    )

    seeds = list(
        Statement.objects.filter(conversation=conversation, is_seed=True).order_by("number")
    )
    votable = [(s, leanings[s.pk], 24.0) for s in seeds] + statements
    leaning = np.array([v[1] for v in votable])  # (m, 3)
    age = np.array([v[2] for v in votable])  # days since the statement appeared
    votes: list[Vote] = []
    for i, person in enumerate(people):
        g = int(groups[i])
        # A few vote on almost everything, most on a dozen or two (as in Pol.is).
        n = int(np.clip(rng.lognormal(2.6, 0.6), 3, len(votable)))
        chosen = rng.choice(len(votable), size=n, replace=False)
        p_agree = (1 - PASS_RATE) * (1 + leaning[chosen, g]) / 2
        u = rng.random(n)
        values = np.where(u < p_agree, 1, np.where(u < 1 - PASS_RATE, -1, 0))
        # Cast after the participant joined and the statement appeared.
        when = rng.uniform(0, np.minimum(joined[i], age[chosen]))
        votes.extend(
            Vote(
                conversation=conversation,
                participant=person,
                statement=votable[int(j)][0],
                value=int(v),
                updated_at=_at(today, float(t)),
            )
            for j, v, t in zip(chosen.tolist(), values.tolist(), when.tolist(), strict=True)
        )
    Vote.objects.bulk_create(votes, batch_size=5000, ignore_conflicts=True)
    result = opinion_result_compute(conversation=conversation, force=True)
    Conversation.objects.filter(pk=conversation.pk).update(recompute_due_at=None)
    conversation.refresh_from_db()
    return EngagementDemoSummary(
        conversation=conversation,
        statements=Statement.objects.filter(conversation=conversation).count(),
        participants=n_participants,
        votes=Vote.objects.filter(conversation=conversation).count(),
        result=result,
    )


def _submitted(
    author: Participant,
    text: str,
    status: str,
    reason: str,
    actor: Any,
    today: dt.date,
    days_ago: float,
) -> Statement:
    """A participant's statement through the services, moderated as ``status`` says, dated
    ``days_ago`` (and moderated a few hours later)."""
    statement = services.statement_submit(participant=author, text=text)
    if status != StatementStatus.PENDING:
        services.statement_moderate(
            statement=statement,
            actor=actor,
            accept=status == StatementStatus.ACCEPTED,
            reason=reason,
        )
    written = _at(today, float(days_ago))
    Statement.objects.filter(pk=statement.pk).update(
        created_at=written,
        moderated_at=None if status == StatementStatus.PENDING else written + dt.timedelta(hours=5),
    )
    return statement
