"""A synthetic conversation with planted opinion groups, for tests, demos and benchmarks.

Participants belong to ``n_groups`` hidden groups. Each group has its own leaning on each
statement: it agrees with probability ``a[g, j]``, disagrees with ``d[g, j]`` and passes
otherwise. Participants vote on a heavy-tailed number of statements (a few vote on many,
most on a handful, as in real Pol.is conversations), more popular statements get more
votes, and about 1% of the votes are changed later (the latest vote counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cocity.analytics.opinion.errors import OpinionInputError


@dataclass(frozen=True, slots=True, eq=False)
class SyntheticConversation:
    """Vote events of a synthetic conversation.

    Attributes
    ----------
    participant_ids, statement_ids : ndarray of int64, shape (n_events,)
    votes : ndarray of int8, shape (n_events,)
        +1 agree, -1 disagree, 0 pass.
    timestamps : ndarray of int64, shape (n_events,)
        Milliseconds, increasing.
    true_groups : ndarray of int64, shape (n_participants,)
        Planted group of participant ``i`` (participant ids are ``0..n-1``).
    moderated_statement_ids : ndarray of int64
        Statements to treat as moderated out (about 2%).
    """

    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    votes: NDArray[np.int8]
    timestamps: NDArray[np.int64]
    true_groups: NDArray[np.int64]
    moderated_statement_ids: NDArray[np.int64]


def synthetic_conversation(
    n_participants: int,
    n_statements: int,
    n_votes: int,
    *,
    n_groups: int = 3,
    group_shares: NDArray[np.float64] | None = None,
    polarisation: float = 0.8,
    seed: int | np.random.Generator = 0,
) -> SyntheticConversation:
    """Generate vote events with planted groups.

    Parameters
    ----------
    n_participants, n_statements : int
        At least 2 each.
    n_votes : int
        Number of vote events (before the latest-vote-wins merge), at least
        ``n_participants``.
    n_groups : int
        Planted groups, at least 1.
    group_shares : ndarray, shape (n_groups,), optional
        Expected share of participants in each group; default equal.
    polarisation : float in [0, 1]
        How strongly groups disagree: 0 gives identical groups, 1 gives groups that
        always take opposite sides on divisive statements.
    seed : int or numpy.random.Generator

    Returns
    -------
    SyntheticConversation
    """
    if n_participants < 2 or n_statements < 2:
        raise OpinionInputError("need at least 2 participants and 2 statements")
    if n_votes < n_participants:
        raise OpinionInputError(
            f"n_votes ({n_votes}) must be at least n_participants ({n_participants})"
        )
    if n_groups < 1:
        raise OpinionInputError(f"n_groups must be at least 1, got {n_groups}")
    if not 0.0 <= polarisation <= 1.0:
        raise OpinionInputError(f"polarisation must lie in [0, 1], got {polarisation}")
    rng = np.random.default_rng(seed)
    shares = (
        np.full(n_groups, 1.0 / n_groups)
        if group_shares is None
        else np.asarray(group_shares, dtype=np.float64)
    )
    if shares.shape != (n_groups,) or np.any(shares < 0) or shares.sum() <= 0:
        raise OpinionInputError("group_shares must be n_groups non-negative numbers")
    shares = shares / shares.sum()
    true_groups = rng.choice(n_groups, size=n_participants, p=shares).astype(np.int64)

    # Leaning of each group on each statement: a shared consensus part plus a divisive
    # part whose sign differs between groups.
    consensus = rng.uniform(-0.6, 0.6, size=n_statements)
    divisive = rng.choice([-1.0, 1.0], size=(n_groups, n_statements)) * rng.uniform(
        0.3, 1.0, size=n_statements
    )
    lean = np.clip((1 - polarisation) * consensus + polarisation * divisive, -1.0, 1.0)
    pass_rate = rng.uniform(0.05, 0.3, size=n_statements)
    agree = (1 - pass_rate) * (1 + lean) / 2
    disagree = (1 - pass_rate) * (1 - lean) / 2

    # Heavy-tailed votes per participant, scaled to the requested total.
    raw = rng.lognormal(mean=0.0, sigma=1.0, size=n_participants)
    counts = np.maximum(1, np.floor(raw / raw.sum() * n_votes)).astype(np.int64)
    counts = np.minimum(counts, n_statements)
    short = n_votes - int(counts.sum())
    if short > 0:
        room = n_statements - counts
        extra = rng.multinomial(short, room / room.sum()) if room.sum() > 0 else 0
        counts = np.minimum(counts + extra, n_statements)
    participants = np.repeat(np.arange(n_participants, dtype=np.int64), counts)
    popularity = rng.pareto(1.5, size=n_statements) + 1.0
    statements = rng.choice(
        n_statements, size=participants.size, p=popularity / popularity.sum()
    ).astype(np.int64)

    g = true_groups[participants]
    u = rng.random(participants.size)
    pa = agree[g, statements]
    pd = disagree[g, statements]
    votes = np.where(u < pa, 1, np.where(u < pa + pd, -1, 0)).astype(np.int8)
    timestamps = np.sort(rng.integers(0, 30 * 86_400_000, size=participants.size))
    order = rng.permutation(participants.size)
    moderated = np.flatnonzero(rng.random(n_statements) < 0.02).astype(np.int64)
    return SyntheticConversation(
        participant_ids=participants[order],
        statement_ids=statements[order],
        votes=votes[order],
        timestamps=timestamps.astype(np.int64),
        true_groups=true_groups,
        moderated_statement_ids=moderated,
    )
