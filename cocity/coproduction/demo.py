"""Demo co-production: citizen proposals for the three challenges, and five workshops.

:func:`coproduction_demo_generate` gives a territory (the demo city) about 30 proposals in
every status of the workflow, with supports and comments (some by the demo ``citizen``
login, one comment hidden by a moderator), two proposals turned into initiatives, and five
workshops, three past with their outputs (decisions, actions, insights linked to initiatives
and proposals) and two upcoming.

Everything is written through the services, as the people of the city would. Deterministic:
every draw comes from a numpy generator seeded with ``(seed, "coproduction")`` and dates are
offsets from ``today``. Residents made here have unusable passwords and an address in the
reserved demo domain.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cocity.coproduction import services
from cocity.coproduction.models import (
    OutputKind,
    OutputStatus,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
    Workshop,
)
from cocity.core.models import ActivityEntry
from cocity.ecosystem.models import Stakeholder
from cocity.programme.models import Challenge, Initiative
from cocity.territories import services as terr
from cocity.territories.models import Membership, Role, Territory

DEMO_EMAIL_DOMAIN = "demo.cocity.invalid"
S = ProposalStatus

RESIDENTS = (
    ("Astrid", "Lind"), ("Omar", "Haddad"), ("Elin", "Berg"), ("Mikael", "Sund"),
    ("Fatima", "Yusuf"), ("Johan", "Ek"), ("Sara", "Nyström"), ("Ali", "Rahimi"),
    ("Karin", "Holm"), ("Noah", "Lundqvist"), ("Amira", "Said"), ("Erik", "Dahl"),
    ("Maja", "Strand"), ("Leo", "Virtanen"),
)  # fmt: skip
"""Invented residents who propose, support and comment (first name and initial are shown)."""

IDEAS: dict[str, tuple[tuple[str, str], ...]] = {
    "Mobility": (
        ("Night bus from Hamnen to the hospital",
         "Shift workers in Hamnen have no bus after 23:00. A night line every 30 minutes to the "
         "hospital and the station would let them leave the car at home."),
        ("Safe bike parking at every school",
         "Parents do not let children cycle because bikes get stolen. Covered, lockable racks "
         "at schools would make cycling the normal way to get there."),
        ("Open data on bus delays",
         "Publish real-time and historic delay data so residents and developers can see which "
         "lines fail most, and the city can fix them first."),
        ("Car-free Sundays in Gamla staden",
         "Close the old town to cars one Sunday a month in summer, with markets and play "
         "streets, to test what a calmer centre feels like."),
        ("Shared cargo bikes for families",
         "A few electric cargo bikes in each district, booked through the library card, for "
         "the big shop or the trip to the recycling centre."),
        ("Benches and shade at bus stops in Varvet",
         "Older residents stop taking the bus because they cannot stand for 15 minutes in the "
         "sun. Benches and shelters would bring them back."),
        ("One ticket for bus, ferry and city bikes",
         "Today every mode has its own app. One ticket in one app would make combining them "
         "easy for visitors and residents alike."),
        ("Count pedestrians, not only cars",
         "Put anonymous counters on the main walking routes so that decisions about crossings "
         "and pavements rest on data about people on foot."),
        ("Speed bumps near Kvarnby school",
         "Cars use the school street as a shortcut at 50 km/h. Physical calming would protect "
         "the children crossing every morning."),
        ("Carpool lane on the harbour road",
         "Reserve one lane for buses and full cars at rush hour to reward sharing and speed up "
         "the buses stuck in the same queue."),
    ),
    "Smart energy": (
        ("Energy advice café in every library",
         "A monthly drop-in where volunteers and the utility help tenants read their bills, "
         "use smart meters and find support."),
        ("Solar panels on school roofs, owned by residents",
         "Let residents buy shares in solar panels on public roofs and get the savings back, "
         "so the transition is something people own."),
        ("Show each building's energy use on a map",
         "An open map of public buildings' energy use per square metre would show where "
         "renovation pays off first."),
        ("Heat pump bulk purchase for villa owners",
         "The city could organise a joint purchase so households get a lower price and a "
         "checked installer."),
        ("Warm rooms for energy-poor households",
         "On the coldest days, open heated public rooms with wifi in Hamnen and Varvet for "
         "those who cannot afford to heat their homes."),
        ("Smart charging for shared car parks",
         "Charge electric cars when the grid is quiet and power is cheap, and show residents "
         "what they saved."),
        ("Tenant dashboards for indoor temperature",
         "Let tenants see the indoor temperature the landlord measures, so complaints rest on "
         "facts and heating is fairer."),
        ("Turn off office lights at night",
         "Many municipal offices stay lit all night. Presence sensors would cut waste at "
         "almost no cost."),
        ("Neighbourhood battery in Östervång",
         "A shared battery could store the district's rooftop solar for the evening peak "
         "instead of exporting it at a low price."),
        ("Energy lessons in secondary schools",
         "Students could measure their school's energy use and propose savings, learning data "
         "skills on a real problem."),
    ),
    "Lighting": (
        ("Light the path from the station to Kajen",
         "The walk from the station to Kajen is dark and feels unsafe. Better lighting there "
         "would make evenings in the district possible again."),
        ("Dim street lights when nobody is there",
         "Adaptive lights that brighten when someone passes would save energy on quiet "
         "streets without leaving anyone in the dark."),
        ("Let residents report broken lamps with a photo",
         "A simple form with map and photo, with a status you can follow, so broken lamps are "
         "fixed in days, not months."),
        ("Warmer light colour in residential streets",
         "Cold white LEDs keep people awake and disturb birds. Warmer light in housing areas "
         "would be kinder to both."),
        ("Walk-throughs after dark with women and older residents",
         "Walk the districts at night with the people who feel unsafe and fix what they point "
         "out, street by street."),
        ("Light art in the harbour tunnels",
         "Local artists could turn the dark tunnels under the harbour road into lit galleries "
         "that people want to walk through."),
        ("Solar lamps in the allotment gardens",
         "Allotment paths have no light at all. Small solar lamps would help gardeners in "
         "autumn without new cables."),
        ("Publish the lighting maintenance plan",
         "Residents want to know when their street is due for new lamps. An open plan would "
         "end the guessing."),
        ("Motion lights at the Södervik playground",
         "The playground is used until late in summer but pitch dark in winter afternoons."),
        ("Keep lights on along the ski track",
         "The lit track in Ängslätt switches off at 21:00, too early for people who train "
         "after work."),
    ),
}  # fmt: skip

# For each idea (by position): its final status and whether it becomes an initiative.
STATUS_PLAN: tuple[str, ...] = (
    S.ACCEPTED, S.UNDER_REVIEW, S.SUBMITTED, S.IMPLEMENTED, S.DECLINED,
    S.SUBMITTED, S.UNDER_REVIEW, S.WITHDRAWN, S.ACCEPTED, S.SUBMITTED,
)  # fmt: skip
TURNED_INTO_INITIATIVES = {("Mobility", 0), ("Lighting", 0)}
CITIZEN_AUTHORS = {("Mobility", 5), ("Smart energy", 1), ("Lighting", 2)}
"""Ideas the demo ``citizen`` login proposed, so whoever tries the demo finds their own."""
DECLINE_REASONS = (
    "The street belongs to the regional road authority; we have passed the idea on to them.",
    "A study last year found the cost far above the benefit; we will look again in 2028.",
)
COMMENTS = (
    "Yes please, I would use this every week.",
    "Good idea, but who would pay for the upkeep?",
    "We tried something like this in Kvarnby and it worked well.",
    "Could this start as a small pilot in one district?",
    "I support this, especially for older residents.",
    "Please ask the people who live there before deciding.",
    "The data on this should be open so we can all see the effect.",
    "This would help my children get to school safely.",
    "Not convinced: the money is needed more elsewhere.",
    "Our residents' association would be happy to help test it.",
)
HIDDEN_COMMENT = "Typical politicians, all of you should be fired!!!"

WORKSHOPS = (
    # title, challenge, days from today, hour, place, people, description
    ("Safe streets after dark: walk-through in Hamnen", "Lighting", -150, 18,
     "Hamnen community centre", 34,
     "Residents, the lighting department and the police walked the district after dark and "
     "marked the places that feel unsafe."),
    ("Mobility co-design day", "Mobility", -90, 10, "City library, Gamla staden", 58,
     "Citizens and transport partners worked in groups on the most supported mobility "
     "proposals."),
    ("Energy café for tenants", "Smart energy", -35, 17, "Varvet library", 22,
     "Tenants, the housing company and the utility looked at energy bills and smart meter "
     "data together."),
    ("Bus routes for the harbour districts", "Mobility", 16, 18, "Kajen school hall", 40,
     "Open workshop on the redesign of the bus network in the east."),
    ("Lighting pilot review", "Lighting", 45, 14, "City hall, room 3", 25,
     "What did the adaptive-lighting pilot change for residents? Results and next steps."),
)  # fmt: skip
OUTPUTS = {
    0: (
        (OutputKind.DECISION, "Light the path from the station to Kajen first, this year.",
         "initiative", 60, OutputStatus.DONE),
        (OutputKind.ACTION, "Map every dark spot named on the walk and publish the map.",
         "proposal", 30, OutputStatus.DONE),
        (OutputKind.INSIGHT, "Women and older residents avoid the tunnels entirely after 18:00.",
         "proposal", None, OutputStatus.OPEN),
    ),
    1: (
        (OutputKind.DECISION, "Test the night bus for six months before deciding on a line.",
         "initiative", 120, OutputStatus.OPEN),
        (OutputKind.ACTION, "Publish bus delay data as open data.", "proposal", 60,
         OutputStatus.DONE),
        (OutputKind.ACTION, "Ask schools which bike racks they need.", "proposal", 45,
         OutputStatus.OPEN),
        (OutputKind.INSIGHT, "Cost, not distance, keeps families in the east off the bus.",
         None, None, OutputStatus.OPEN),
    ),
    2: (
        (OutputKind.ACTION, "Run an energy advice café every month in two libraries.",
         "proposal", 30, OutputStatus.OPEN),
        (OutputKind.INSIGHT, "Tenants cannot read their bills; the utility will simplify them.",
         None, None, OutputStatus.OPEN),
        (OutputKind.DECISION, "Share indoor temperature data with tenants in one building.",
         "initiative", 90, OutputStatus.OPEN),
    ),
}  # fmt: skip


def _rng(seed: int, section: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(section.encode())])


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


@contextmanager
def _dated(territory: Territory, when: dt.datetime) -> Iterator[None]:
    """Date the activity that the services inside record at ``when`` rather than now."""
    before = ActivityEntry.objects.aggregate(m=Max("id"))["m"] or 0
    yield
    ActivityEntry.objects.filter(territory=territory, id__gt=before).update(created_at=when)


def _member(territory: Territory, role: str, username: str | None = None) -> Any:
    found = Membership.objects.filter(territory=territory, role=role).select_related("user")
    if username:
        named = found.filter(user__username=username).first()
        if named:
            return named.user
    first = found.order_by("id").first()
    return first.user if first else None


def _residents(territory: Territory) -> list[Any]:
    """The invented residents, citizens of ``territory`` (made once, reused afterwards)."""
    residents = []
    for i, (first, last) in enumerate(RESIDENTS, start=1):
        username = f"{territory.slug}-resident-{i:02d}"[:150]
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "first_name": first,
                "last_name": f"{last[0]}.",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Membership.objects.filter(user=user, territory=territory).exists():
            terr.membership_set(territory=territory, actor=None, user=user, role=Role.CITIZEN)
        residents.append(user)
    return residents


def _ideas_for(challenges: list[Challenge]) -> list[tuple[Challenge, str, int]]:
    """(challenge, theme, position) for every idea: by title, else the themes in turn."""
    themes = list(IDEAS)
    chosen = []
    for i, challenge in enumerate(challenges):
        theme = challenge.title if challenge.title in IDEAS else themes[i % len(themes)]
        chosen.extend((challenge, theme, n) for n in range(len(IDEAS[theme])))
    return chosen


@transaction.atomic
def coproduction_demo_generate(
    *, territory: Territory, seed: int = 2026, today: dt.date | None = None
) -> dict[str, int]:
    """Give ``territory`` its demo proposals and workshops (see the module); counts made.

    Needs a facilitator and at least one published challenge (the demo city has three);
    does nothing when the territory already has proposals, so it is safe to call twice.
    ``today`` (default: the current date) anchors every date.
    """
    empty = {"proposals": 0, "initiatives": 0, "workshops": 0}
    if Proposal.objects.filter(territory=territory).exists():
        return empty
    facilitator = _member(territory, Role.FACILITATOR, "facilitator")
    challenges = list(
        Challenge.objects.filter(territory=territory, is_draft=False).order_by("title")[:3]
    )
    if facilitator is None or not challenges:
        return empty
    officer = _member(territory, Role.OFFICER, "officer") or facilitator
    citizen = _member(territory, Role.CITIZEN, "citizen")
    today = today or timezone.localdate()
    rng = _rng(seed, "coproduction")
    residents = _residents(territory)
    people = residents + ([citizen] if citizen else [])

    proposals: dict[tuple[str, int], Proposal] = {}
    made_initiatives = []
    for challenge, theme, n in _ideas_for(challenges):
        title, body = IDEAS[theme][n]
        key = (theme, n)
        author = (
            citizen
            if key in CITIZEN_AUTHORS and citizen
            else residents[int(rng.integers(len(residents)))]
        )
        created = _moment(
            today - dt.timedelta(days=int(rng.integers(20, 320))),
            int(rng.integers(7, 22)),
            int(rng.integers(60)),
        )
        with _dated(territory, created):
            proposal = services.proposal_create(
                territory=territory, actor=author, challenge=challenge, title=title, body=body
            )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=created, updated_at=created)
        proposal.created_at = proposal.updated_at = created  # later saves keep the date
        proposals[key] = proposal
        when = created
        target = STATUS_PLAN[n % len(STATUS_PLAN)]

        def step(to: str, actor: Any, reason: str = "", *, _p: Proposal = proposal) -> dt.datetime:
            nonlocal when
            when = when + dt.timedelta(days=int(rng.integers(3, 15)), hours=int(rng.integers(5)))
            when = min(when, _moment(today, 9))
            with _dated(territory, when):
                services.proposal_transition(proposal=_p, actor=actor, to=to, reason=reason)
            ProposalStatusChange.objects.filter(proposal=_p, to_status=to).update(at=when)
            return when

        if target == S.WITHDRAWN:
            step(S.WITHDRAWN, author, "I found out a neighbourhood group is already on it.")
        elif target != S.SUBMITTED:
            step(S.UNDER_REVIEW, officer)
            if key in TURNED_INTO_INITIATIVES:
                when = min(when + dt.timedelta(days=int(rng.integers(5, 20))), _moment(today, 9))
                with _dated(territory, when):
                    initiative = services.proposal_initiative_create(
                        proposal=proposal, actor=facilitator, stage="concept"
                    )
                ProposalStatusChange.objects.filter(proposal=proposal, to_status=S.ACCEPTED).update(
                    at=when
                )
                Initiative.objects.filter(pk=initiative.pk).update(created_at=when)
                made_initiatives.append(initiative)
            elif target in {S.ACCEPTED, S.IMPLEMENTED}:
                step(S.ACCEPTED, facilitator, "Fits the challenge and the budget; planned next.")
                if target == S.IMPLEMENTED:
                    step(S.IMPLEMENTED, facilitator, "Done: thank you for the idea!")
            elif target == S.DECLINED:
                reason = DECLINE_REASONS[int(rng.integers(len(DECLINE_REASONS)))]
                step(S.DECLINED, facilitator, reason)
        _supports(proposal, people, rng, created=created, today=today, citizen=citizen)
        _comments(proposal, people, rng, created=created, today=today, citizen=citizen)

    _hide_one_comment(proposals, facilitator, today=today)
    workshops = _workshops(
        territory,
        rng=rng,
        today=today,
        actor=facilitator,
        challenges={c.title: c for c in challenges},
        proposals=proposals,
        initiatives=made_initiatives,
    )
    return {
        "proposals": len(proposals),
        "initiatives": len(made_initiatives),
        "workshops": workshops,
    }


def _support_count(status: str, rng: np.random.Generator) -> int:
    mean = {S.SUBMITTED: 3, S.WITHDRAWN: 1}.get(status, 7)
    return int(min(13, rng.poisson(mean)))


def _supports(
    proposal: Proposal,
    people: list[Any],
    rng: np.random.Generator,
    *,
    created: dt.datetime,
    today: dt.date,
    citizen: Any,
) -> None:
    # Support is given while the proposal is open; written directly with its date, because
    # the service (rightly) refuses new support once a proposal is closed.
    others = [p for p in people if p.pk != proposal.author_id]
    count = _support_count(proposal.status, rng)
    chosen = [others[int(i)] for i in rng.choice(len(others), size=count, replace=False)]
    if citizen and citizen.pk != proposal.author_id and rng.random() < 0.25:
        chosen.append(citizen)
    span = max(1, (_moment(today, 9) - created).days)
    ProposalSupport.objects.bulk_create(
        [
            ProposalSupport(
                proposal=proposal,
                user=user,
                created_at=created + dt.timedelta(days=int(rng.integers(span)), hours=1),
            )
            for user in dict.fromkeys(chosen)
        ],
        ignore_conflicts=True,
    )


def _comments(
    proposal: Proposal,
    people: list[Any],
    rng: np.random.Generator,
    *,
    created: dt.datetime,
    today: dt.date,
    citizen: Any,
) -> None:
    if proposal.status == S.WITHDRAWN:
        return
    span = max(1, (_moment(today, 9) - created).days)
    for _i in range(int(rng.integers(0, 4))):
        author = people[int(rng.integers(len(people)))]
        if citizen and rng.random() < 0.15:
            author = citizen
        comment = services.proposal_comment_create(
            proposal=proposal, actor=author, body=COMMENTS[int(rng.integers(len(COMMENTS)))]
        )
        at = created + dt.timedelta(days=int(rng.integers(span)), hours=int(rng.integers(1, 9)))
        ProposalComment.objects.filter(pk=comment.pk).update(created_at=at)


def _hide_one_comment(
    proposals: dict[tuple[str, int], Proposal], moderator: Any, *, today: dt.date
) -> None:
    """One rude comment on the first proposal, hidden by a moderator."""
    target = next(iter(proposals.values()))
    author = ProposalComment.objects.filter(proposal=target).values_list("author", flat=True)
    rude = services.proposal_comment_create(
        proposal=target,
        actor=get_user_model().objects.filter(pk__in=author).first() or moderator,
        body=HIDDEN_COMMENT,
    )
    services.proposal_comment_hide(
        comment=rude, actor=moderator, reason="Insults people rather than discussing the idea."
    )
    ProposalComment.objects.filter(pk=rude.pk).update(
        created_at=_moment(today - dt.timedelta(days=2), 21, 40)
    )


def _workshops(
    territory: Territory,
    *,
    rng: np.random.Generator,
    today: dt.date,
    actor: Any,
    challenges: dict[str, Challenge],
    proposals: dict[tuple[str, int], Proposal],
    initiatives: list[Initiative],
) -> int:
    pool = list(Stakeholder.objects.filter(territory=territory).order_by("name"))
    by_sector: dict[str, list[Stakeholder]] = {}
    for s in pool:
        by_sector.setdefault(s.sector, []).append(s)
    fallback = next(iter(challenges.values()))
    made = 0
    for index, (title, theme, days, hour, place, people, description) in enumerate(WORKSHOPS):
        challenge = challenges.get(theme, fallback)
        attending = []
        for sector, n in (("public", 1), ("civil", 2), ("academia", 1), ("industry", 1)):
            options = by_sector.get(sector, [])
            if options:
                picks = rng.choice(len(options), size=min(n, len(options)), replace=False)
                attending.extend(options[int(i)] for i in picks)
        starts = _moment(today + dt.timedelta(days=days), hour)
        planned = min(starts - dt.timedelta(days=30), _moment(today, 9))
        with _dated(territory, planned):
            workshop = services.workshop_create(
                territory=territory,
                actor=actor,
                title=title,
                starts_at=starts,
                place=place,
                description=description,
                people_count=people,
                challenge=challenge,
                stakeholders=attending,
            )
        Workshop.objects.filter(pk=workshop.pk).update(created_at=planned)
        theme_proposals = [p for (t, _n), p in sorted(proposals.items()) if t == theme]
        theme_initiatives = list(
            Initiative.objects.filter(territory=territory, challenges=challenge).order_by("title")
        )
        preferred = [i for i in initiatives if challenge in i.challenges.all()]
        for kind, text, link, due, status in OUTPUTS.get(index, ()):
            initiative = proposal = None
            if link == "initiative":
                options = preferred or theme_initiatives
                initiative = options[int(rng.integers(len(options)))] if options else None
            elif link == "proposal" and theme_proposals:
                proposal = theme_proposals[int(rng.integers(len(theme_proposals)))]
            services.workshop_output_create(
                workshop=workshop,
                actor=actor,
                kind=kind,
                text=text,
                owner=attending[int(rng.integers(len(attending)))] if attending else None,
                due_date=(starts.date() + dt.timedelta(days=due)) if due else None,
                initiative=initiative,
                proposal=proposal,
                status=status,
            )
        made += 1
    return made
