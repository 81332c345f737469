"""Scores of a maturity assessment: medians, spread, sector views, gaps, change and percentiles.

A maturity model has dimensions and ``L`` ordered levels numbered ``1..L`` (the default model
has ``L = 5``: ad hoc, exploring, defined, integrated, adaptive). In an assessment round each
respondent gives each dimension a level, or no level ("don't know" or not answered yet).
Levels are ordinal, so every summary here is a quantile, never a mean of levels.

Quantiles
    The ``p``-quantile of the sorted levels ``x_(1) <= ... <= x_(n)`` is the linear
    interpolation of Hyndman & Fan's definition 7 (numpy's default, Excel's ``QUARTILE.INC``):
    with ``h = (n - 1) p`` and ``j = floor h``,
    ``Q(p) = x_(j + 1) + (h - j) (x_(j + 2) - x_(j + 1))``.
    The median is ``Q(0.5)``; the spread (disagreement) is the inter-quartile range
    ``IQR = Q(0.75) - Q(0.25)``. Both stay within ``[1, L]`` and ``[0, L - 1]``.

Normalised scale
    To compare models with a different number of levels, a level ``x`` of an ``L``-level model
    is mapped to ``(x - 1) / (L - 1)`` in ``[0, 1]`` (0 = the first level, 1 = the top level).

Percentile among peers
    The mean of the strict and the weak percentile ranks of ``v`` among peer values
    ``p_1..p_m``: ``100 (#{p_j < v} + 0.5 #{p_j = v}) / m`` (``scipy.stats.percentileofscore``
    with ``kind="mean"``): 50 means "in the middle of the peers", ties count half.

Examples
--------
>>> s = dimension_score([1, 2, 2, 3, 5], n_levels=5)
>>> (s.median, s.q1, s.q3, s.iqr)
(2.0, 2.0, 3.0, 1.0)
>>> percentile_rank(3.0, [1.0, 2.0, 3.0, 4.0])
62.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "POPULATION_BANDS",
    "Answer",
    "DimensionBenchmark",
    "DimensionResult",
    "DimensionScore",
    "Gap",
    "MaturityInputError",
    "PreviousScore",
    "RoundScores",
    "benchmark_dimensions",
    "dimension_score",
    "normalise_level",
    "percentile_rank",
    "population_band",
    "rescale_level",
    "score_round",
]

MIN_LEVELS = 2
MAX_LEVELS = 10
MOST_DISAGREED = 3
"""How many dimensions the results name as those where sectors disagree most."""
GAP_THRESHOLD = 1.0
"""A dimension whose median is at least this many levels below its target becomes an action."""

POPULATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_50k", 0, 50_000),
    ("50k_200k", 50_000, 200_000),
    ("200k_1m", 200_000, 1_000_000),
    ("over_1m", 1_000_000, None),
)
"""Size bands for peer groups: ``(code, lower bound inclusive, upper bound exclusive)``."""
UNKNOWN_BAND = "unknown"


class MaturityInputError(ValueError):
    """A level, a level count or a target that a maturity model cannot have."""


def _check_levels(n_levels: int) -> None:
    if isinstance(n_levels, bool) or not isinstance(n_levels, int):
        raise MaturityInputError(f"n_levels: expected a whole number, got {n_levels!r}")
    if not MIN_LEVELS <= n_levels <= MAX_LEVELS:
        raise MaturityInputError(
            f"n_levels: a model has {MIN_LEVELS} to {MAX_LEVELS} levels, got {n_levels}"
        )


def _check_level(level: int, n_levels: int, what: str = "level") -> int:
    if isinstance(level, bool) or not isinstance(level, int | np.integer):
        raise MaturityInputError(f"{what}: expected a whole number, got {level!r}")
    if not 1 <= int(level) <= n_levels:
        raise MaturityInputError(f"{what}: {level} is outside 1..{n_levels}")
    return int(level)


def normalise_level(value: float, n_levels: int) -> float:
    """Map a level (or a median) of an ``n_levels`` model to ``[0, 1]``: ``(x - 1) / (L - 1)``.

    Parameters
    ----------
    value : float
        A level or a median, in ``[1, n_levels]``.
    n_levels : int
        The model's number of levels ``L`` (2 to 10).

    Returns
    -------
    float
        0 for the first level, 1 for the top level.

    Examples
    --------
    >>> normalise_level(3, 5)
    0.5
    """
    _check_levels(n_levels)
    if not math.isfinite(value) or not 1 <= value <= n_levels:
        raise MaturityInputError(f"value: {value} is outside 1..{n_levels}")
    return (float(value) - 1.0) / (n_levels - 1)


def rescale_level(value: float, from_levels: int, to_levels: int) -> float:
    """Express a level of a ``from_levels`` model on a ``to_levels`` scale (same normalised value).

    ``x' = 1 + (x - 1) (L' - 1) / (L - 1)``. Used to compare a round with an earlier round of
    an older model version that had another number of levels.

    Examples
    --------
    >>> rescale_level(2.0, 3, 5)
    3.0
    """
    _check_levels(to_levels)
    return 1.0 + normalise_level(value, from_levels) * (to_levels - 1)


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """What a group of respondents said about one dimension.

    Attributes
    ----------
    n : int
        Respondents who gave a level (missing answers and "don't know" are left out).
    n_levels : int
        The model's number of levels ``L``.
    median, q1, q3 : float or None
        Median and quartiles of the levels (definition 7, see the module); ``None`` when
        ``n == 0``.
    iqr : float or None
        Spread as disagreement, ``q3 - q1``, in levels: 0 = everyone agrees.
    lowest, highest : int or None
        The lowest and highest level given.
    """

    n: int
    n_levels: int
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    lowest: int | None
    highest: int | None

    @property
    def normalised_median(self) -> float | None:
        """The median on the ``[0, 1]`` scale, comparable between models."""
        return None if self.median is None else normalise_level(self.median, self.n_levels)

    @property
    def normalised_iqr(self) -> float | None:
        """The spread as a share of the whole scale, ``IQR / (L - 1)``, in ``[0, 1]``."""
        return None if self.iqr is None else self.iqr / (self.n_levels - 1)


def dimension_score(levels: Iterable[int | None], *, n_levels: int) -> DimensionScore:
    """Median, quartiles and spread of the levels respondents gave one dimension.

    Parameters
    ----------
    levels : iterable of int or None
        One entry per respondent: a level in ``1..n_levels``, or ``None`` for no answer.
        The order does not matter.
    n_levels : int
        The model's number of levels (2 to 10).

    Returns
    -------
    DimensionScore

    Raises
    ------
    MaturityInputError
        A level outside ``1..n_levels`` or not a whole number.

    Examples
    --------
    >>> dimension_score([4], n_levels=5).median
    4.0
    >>> dimension_score([None, None], n_levels=5).median is None
    True
    """
    _check_levels(n_levels)
    given = sorted(_check_level(x, n_levels) for x in levels if x is not None)
    if not given:
        return DimensionScore(0, n_levels, None, None, None, None, None, None)
    quartiles = np.quantile(np.asarray(given, dtype=np.float64), [0.25, 0.5, 0.75])
    q1, median, q3 = (float(q) for q in quartiles)
    return DimensionScore(
        n=len(given),
        n_levels=n_levels,
        median=median,
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        lowest=given[0],
        highest=given[-1],
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """One respondent's level for one dimension.

    Attributes
    ----------
    respondent : str
        Any stable key of the respondent (only used to count respondents).
    dimension : str
        The dimension's code.
    level : int or None
        ``1..L``, or ``None`` for "don't know".
    sector : str
        The respondent's helix sector (``public``, ``academia``, ...).
    """

    respondent: str
    dimension: str
    level: int | None
    sector: str


@dataclass(frozen=True, slots=True)
class PreviousScore:
    """A dimension's median in an earlier round, with that round's number of levels."""

    median: float
    n_levels: int


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """The result of one dimension in a round.

    Attributes
    ----------
    code : str
        The dimension's code.
    overall : DimensionScore
        All respondents together.
    by_sector : tuple of (str, DimensionScore)
        Each helix sector's own view, sectors in the order they were first met in ``sectors``
        of :func:`score_round` (or sorted when not given).
    sector_gap : float or None
        How far the sectors are apart: the highest sector median minus the lowest, in levels;
        ``None`` when fewer than two sectors answered.
    target : int or None
        The level the territory aims at.
    gap : float or None
        ``target - median`` in levels; positive when the dimension is below its target.
    previous : float or None
        The median of the last round on this round's scale (see :func:`rescale_level`).
    change : float or None
        ``median - previous`` in levels; positive = progress.
    """

    code: str
    overall: DimensionScore
    by_sector: tuple[tuple[str, DimensionScore], ...]
    sector_gap: float | None
    target: int | None
    gap: float | None
    previous: float | None
    change: float | None


@dataclass(frozen=True, slots=True)
class Gap:
    """A dimension at least :data:`GAP_THRESHOLD` levels below its target: a suggested action."""

    code: str
    median: float
    target: int
    gap: float


@dataclass(frozen=True, slots=True)
class RoundScores:
    """Every dimension's result, the dimensions sectors disagree on most, and the gaps.

    Attributes
    ----------
    n_levels : int
    respondents : int
        Respondents with at least one level given.
    dimensions : tuple of DimensionResult
        In the order of the dimensions given to :func:`score_round`.
    most_disagreed : tuple of str
        Codes of up to :data:`MOST_DISAGREED` dimensions with the largest ``sector_gap``
        (ties broken by the larger overall IQR, then by the model's order); only dimensions
        whose sectors do disagree (``sector_gap > 0``).
    gaps : tuple of Gap
        Dimensions with ``gap >= GAP_THRESHOLD``, largest gap first (ties in model order).
    """

    n_levels: int
    respondents: int
    dimensions: tuple[DimensionResult, ...]
    most_disagreed: tuple[str, ...]
    gaps: tuple[Gap, ...]

    def result(self, code: str) -> DimensionResult:
        for d in self.dimensions:
            if d.code == code:
                return d
        raise KeyError(code)


def score_round(
    answers: Iterable[Answer],
    *,
    dimensions: Sequence[str],
    n_levels: int,
    targets: Mapping[str, int] | None = None,
    previous: Mapping[str, PreviousScore] | None = None,
    sectors: Sequence[str] | None = None,
) -> RoundScores:
    """Score a round: per dimension the median, spread, sector views, target gap and change.

    Parameters
    ----------
    answers : iterable of Answer
        Any order; a dimension no one answered gets an empty score. Answers for a dimension
        not in ``dimensions`` are an error (they would be silently lost otherwise).
    dimensions : sequence of str
        The model's dimension codes, in the model's order.
    n_levels : int
        The model's number of levels.
    targets : mapping of code to int, optional
        Target level per dimension (``1..n_levels``).
    previous : mapping of code to PreviousScore, optional
        The last round's medians, possibly of a model version with another number of levels.
    sectors : sequence of str, optional
        The order in which sector views are listed (sectors not in it follow, sorted).

    Returns
    -------
    RoundScores

    Notes
    -----
    The result does not depend on the order of the answers: every summary is a quantile of
    the multiset of levels.
    """
    _check_levels(n_levels)
    codes = list(dimensions)
    if len(set(codes)) != len(codes):
        raise MaturityInputError("dimensions: codes must be unique")
    wanted = set(codes)
    per_dim: dict[str, list[Answer]] = {c: [] for c in codes}
    respondents: set[str] = set()
    for a in answers:
        if a.dimension not in wanted:
            raise MaturityInputError(f"answer for unknown dimension {a.dimension!r}")
        if a.level is not None:
            _check_level(a.level, n_levels, f"level of {a.dimension}")
            respondents.add(a.respondent)
        per_dim[a.dimension].append(a)
    targets = dict(targets or {})
    for code, level in targets.items():
        if code not in wanted:
            raise MaturityInputError(f"target for unknown dimension {code!r}")
        _check_level(level, n_levels, f"target of {code}")
    previous = dict(previous or {})
    order = list(sectors or [])

    results: list[DimensionResult] = []
    for code in codes:
        rows = per_dim[code]
        overall = dimension_score((a.level for a in rows), n_levels=n_levels)
        seen = sorted({a.sector for a in rows if a.level is not None})
        sector_order = [s for s in order if s in seen] + [s for s in seen if s not in order]
        by_sector = tuple(
            (s, dimension_score((a.level for a in rows if a.sector == s), n_levels=n_levels))
            for s in sector_order
        )
        medians = [score.median for _s, score in by_sector if score.median is not None]
        sector_gap = max(medians) - min(medians) if len(medians) >= 2 else None
        target = targets.get(code)
        gap = None if target is None or overall.median is None else target - overall.median
        before = previous.get(code)
        prev_value = (
            None if before is None else rescale_level(before.median, before.n_levels, n_levels)
        )
        change = (
            None if prev_value is None or overall.median is None else overall.median - prev_value
        )
        results.append(
            DimensionResult(code, overall, by_sector, sector_gap, target, gap, prev_value, change)
        )

    position = {c: i for i, c in enumerate(codes)}
    disagreed = sorted(
        (r for r in results if r.sector_gap is not None and r.sector_gap > 0),
        key=lambda r: (-(r.sector_gap or 0.0), -(r.overall.iqr or 0.0), position[r.code]),
    )
    gaps = sorted(
        (
            Gap(r.code, r.overall.median, r.target, r.gap)
            for r in results
            if r.gap is not None
            and r.gap >= GAP_THRESHOLD
            and r.overall.median is not None
            and r.target is not None
        ),
        key=lambda g: (-g.gap, position[g.code]),
    )
    return RoundScores(
        n_levels=n_levels,
        respondents=len(respondents),
        dimensions=tuple(results),
        most_disagreed=tuple(r.code for r in disagreed[:MOST_DISAGREED]),
        gaps=tuple(gaps),
    )


def percentile_rank(value: float, peers: Sequence[float]) -> float | None:
    """Percentile of ``value`` among ``peers``: the mean of the strict and weak percentile ranks.

    ``100 (#{p < v} + 0.5 #{p = v}) / m`` for ``m`` peer values; ``None`` without peers.

    Examples
    --------
    >>> percentile_rank(2.0, [1.0, 3.0])
    50.0
    >>> percentile_rank(5.0, [1.0, 2.0])
    100.0
    """
    values = [float(p) for p in peers]
    if not values:
        return None
    if not math.isfinite(value) or not all(math.isfinite(p) for p in values):
        raise MaturityInputError("percentile_rank: values must be finite")
    below = sum(1 for p in values if p < value)
    equal = sum(1 for p in values if p == value)
    return 100.0 * (below + 0.5 * equal) / len(values)


@dataclass(frozen=True, slots=True)
class DimensionBenchmark:
    """One dimension of a territory compared with its peers, on the normalised ``[0, 1]`` scale.

    Attributes
    ----------
    code : str
    own : float or None
        The territory's normalised median.
    peers : tuple of float or None
        Each peer's normalised median, in the order the peers were given (``None`` where the
        peer has no score for this dimension).
    n_peers : int
        Peers with a score.
    peer_median : float or None
        Median of the peers' scores.
    percentile : float or None
        :func:`percentile_rank` of ``own`` among the peers' scores.
    """

    code: str
    own: float | None
    peers: tuple[float | None, ...]
    n_peers: int
    peer_median: float | None
    percentile: float | None


def benchmark_dimensions(
    own: Mapping[str, float | None],
    peers: Sequence[Mapping[str, float | None]],
    *,
    dimensions: Sequence[str],
) -> tuple[DimensionBenchmark, ...]:
    """Compare a territory's normalised medians with its peers', dimension by dimension.

    Parameters
    ----------
    own : mapping of code to float or None
        The territory's normalised medians (``[0, 1]``).
    peers : sequence of mappings
        One mapping per peer; a dimension a peer did not assess is missing or ``None``.
    dimensions : sequence of str
        The codes to compare, in display order.

    Returns
    -------
    tuple of DimensionBenchmark
    """
    out: list[DimensionBenchmark] = []
    for code in dimensions:
        mine = own.get(code)
        scores = tuple(p.get(code) for p in peers)
        for v in (mine, *scores):
            if v is not None and (not math.isfinite(v) or not 0.0 <= v <= 1.0):
                raise MaturityInputError(f"{code}: normalised scores lie in [0, 1], got {v}")
        present = [s for s in scores if s is not None]
        out.append(
            DimensionBenchmark(
                code=code,
                own=mine,
                peers=scores,
                n_peers=len(present),
                peer_median=float(np.median(present)) if present else None,
                percentile=None if mine is None else percentile_rank(mine, present),
            )
        )
    return tuple(out)


def population_band(population: int | None) -> str:
    """The size band of a territory (see :data:`POPULATION_BANDS`); ``"unknown"`` without one.

    Examples
    --------
    >>> population_band(120_000)
    '50k_200k'
    >>> population_band(None)
    'unknown'
    """
    if population is None or population < 0:
        return UNKNOWN_BAND
    for code, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return code
    return UNKNOWN_BAND  # pragma: no cover - the last band is open-ended
