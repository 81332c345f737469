"""Inequality measures over areas: Lorenz curve, Gini, concentration index, Theil.

All take one value per unit (an area's asset count or assets per 1,000 residents) and
optional non-negative weights (the population of each area, so that the measure is
about people rather than areas). Without weights every unit counts the same.

Zero totals
    Every measure is undefined when all values are zero (nothing to share); the
    functions then return NaN (the report says "no assets" instead).

References
----------
- Kakwani, N., Wagstaff, A. & van Doorslaer, E. (1997). Socioeconomic inequalities in
  health: measurement, computation, and statistical inference. *Journal of
  Econometrics* 77(1), 87-103.
- O'Donnell, O., van Doorslaer, E., Wagstaff, A. & Lindelow, M. (2008). *Analyzing
  Health Equity Using Household Survey Data*, chapters 7 and 8. World Bank.
- Theil, H. (1967). *Economics and Information Theory*; Shorrocks, A. F. (1980). The
  class of additively decomposable inequality measures. *Econometrica* 48(3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from cocity.analytics.equity.errors import EquityInputError

__all__ = [
    "ConcentrationIndex",
    "LorenzCurve",
    "TheilDecomposition",
    "concentration_index",
    "fractional_rank",
    "gini",
    "lorenz_curve",
    "theil_decomposition",
]

FloatArray = npt.NDArray[np.float64]

_Z95 = float(stats.norm.ppf(0.975))


def _values_and_weights(
    values: npt.ArrayLike, weights: npt.ArrayLike | None, *, name: str = "values"
) -> tuple[FloatArray, FloatArray]:
    """Check one value per unit (finite, >= 0) and normalised weights (sum to 1)."""
    try:
        y = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EquityInputError(f"{name}: expected numbers ({exc})") from exc
    if y.ndim != 1:
        raise EquityInputError(f"{name}: expected a 1-D array, got shape {y.shape}")
    if y.size == 0:
        raise EquityInputError(f"{name}: at least one value is needed")
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise EquityInputError(f"{name}: NaN or infinite value at positions {bad[:10].tolist()}")
    bad = np.flatnonzero(y < 0)
    if bad.size:
        raise EquityInputError(f"{name}: negative value at positions {bad[:10].tolist()}")
    if weights is None:
        return y, np.full(y.shape[0], 1.0 / y.shape[0])
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EquityInputError(f"weights: expected numbers ({exc})") from exc
    if w.shape != y.shape:
        raise EquityInputError(f"weights: expected {y.shape[0]} values, got shape {w.shape}")
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        raise EquityInputError(
            f"weights: must be finite and >= 0; bad at positions {bad[:10].tolist()}"
        )
    total = float(w.sum())
    if total <= 0:
        raise EquityInputError("weights: they sum to zero")
    return y, w / total


@dataclass(frozen=True, slots=True, eq=False)
class LorenzCurve:
    """A Lorenz (or concentration) curve.

    Attributes
    ----------
    population_share : ndarray of float64, shape (n + 1,)
        Cumulative share of units (or of weight), from 0 to 1, units sorted by the
        ranking variable (by value for a Lorenz curve).
    value_share : ndarray of float64, shape (n + 1,)
        Cumulative share of the total value held by those units, from 0 to 1.
    """

    population_share: FloatArray
    value_share: FloatArray

    def to_dict(self) -> dict[str, Any]:
        return {
            "population_share": [_json_float(x) for x in self.population_share],
            "value_share": [_json_float(x) for x in self.value_share],
        }


def lorenz_curve(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> LorenzCurve:
    """Lorenz curve of non-negative values: units sorted from smallest to largest value.

    Parameters
    ----------
    values : array of float, shape (n,)
        Non-negative value per unit.
    weights : array of float, shape (n,), optional
        Non-negative weight per unit (e.g. population); equal weights if omitted.

    Returns
    -------
    LorenzCurve
        ``(0, 0)`` then one point per unit; NaN value shares when all values are zero.
    """
    y, f = _values_and_weights(values, weights)
    peak = float(y.max()) if y.size else 0.0
    if peak > 0:
        # Shares are scale-free; dividing by the largest value first keeps tiny (subnormal)
        # values from underflowing to a zero total when multiplied by the weight shares.
        y = y / peak
    order = np.argsort(y, kind="stable")
    share = f[order] * y[order]
    total = float(share.sum())
    population = np.concatenate([[0.0], np.cumsum(f[order])])
    population[-1] = 1.0
    if total == 0:
        return LorenzCurve(population, np.full(population.shape, np.nan))
    value = np.concatenate([[0.0], np.cumsum(share) / total])
    value[-1] = 1.0
    return LorenzCurve(population, value)


def gini(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Gini coefficient of non-negative values.

    ``G = 1 - Σ_i f_i (L_{i-1} + L_i)`` over units sorted by value, with ``f_i`` the
    weight share and ``L_i`` the Lorenz ordinate (the trapezoid rule, exact for a step
    distribution; O'Donnell et al. 2008, ch. 7). Unweighted this equals the mean
    absolute difference over twice the mean, ``Σ_i Σ_j |y_i - y_j| / (2 n² μ)``.

    Parameters
    ----------
    values : array of float, shape (n,)
        Non-negative value per unit.
    weights : array of float, shape (n,), optional
        Non-negative weight per unit; equal weights if omitted.

    Returns
    -------
    float
        0 (all equal) to ``1 - 1/n`` (all held by one of n equally weighted units);
        NaN when every value is 0.

    Examples
    --------
    >>> round(gini([0, 0, 0, 4]), 4)
    0.75
    """
    curve = lorenz_curve(values, weights)
    if np.isnan(curve.value_share[-1]):
        return float("nan")
    f = np.diff(curve.population_share)
    lorenz = curve.value_share
    return float(np.clip(1.0 - np.sum(f * (lorenz[:-1] + lorenz[1:])), 0.0, 1.0))


def fractional_rank(rank_by: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> FloatArray:
    """Weighted fractional rank in (0, 1), ties sharing their mean rank.

    ``R_i = Σ_{j before i} f_j + f_i / 2`` over units sorted by ``rank_by`` ascending
    (O'Donnell et al. 2008, eq. 8.3). Tied units get the mean rank of their group, so
    that a unit of weight 3 has the same rank as three tied units of weight 1.
    """
    try:
        r = np.asarray(rank_by, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EquityInputError(f"rank_by: expected numbers ({exc})") from exc
    _, f = _values_and_weights(np.zeros(r.shape[0]) if r.ndim == 1 else r, weights, name="rank_by")
    bad = np.flatnonzero(~np.isfinite(r))
    if bad.size:
        raise EquityInputError(f"rank_by: NaN or infinite value at positions {bad[:10].tolist()}")
    order = np.argsort(r, kind="stable")
    sorted_r = r[order]
    cumulative = np.cumsum(f[order])
    # Mean rank of each group of ties: (weight before the group + weight to its end) / 2.
    group_start = np.concatenate([[True], sorted_r[1:] != sorted_r[:-1]])
    group_id = np.cumsum(group_start) - 1
    group_end = np.flatnonzero(np.concatenate([group_start[1:], [True]]))
    before = np.concatenate([[0.0], cumulative[group_end[:-1]]])
    mid = (before + cumulative[group_end]) / 2.0
    rank = np.empty_like(r)
    rank[order] = mid[group_id]
    return rank


@dataclass(frozen=True, slots=True)
class ConcentrationIndex:
    """A concentration index with its standard error.

    Attributes
    ----------
    value : float
        C in [-1, 1]. Positive: the values are concentrated among the units ranked
        highest (for a deprivation ranking, the *less deprived*); negative: among the
        lowest ranked (the more deprived); 0: no gradient. NaN when all values are 0.
    standard_error : float
        Delta-method standard error (Kakwani, Wagstaff & van Doorslaer 1997).
    z : float
        ``value / standard_error``.
    p_value : float
        Two-sided p-value of ``C = 0`` under the normal approximation.
    ci_low, ci_high : float
        95% confidence interval ``C ± 1.96 SE``.
    n : int
        Number of units (the sample size in the variance formula).
    """

    value: float
    standard_error: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def significantly_positive(self) -> bool:
        """True when the 95% interval lies above 0 (concentration among the best off)."""
        return bool(self.ci_low > 0)

    @property
    def significantly_negative(self) -> bool:
        """True when the 95% interval lies below 0 (concentration among the worst off)."""
        return bool(self.ci_high < 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _json_float(self.value),
            "standard_error": _json_float(self.standard_error),
            "z": _json_float(self.z),
            "p_value": _json_float(self.p_value),
            "ci_low": _json_float(self.ci_low),
            "ci_high": _json_float(self.ci_high),
            "n": self.n,
        }


def _json_float(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def concentration_index(
    values: npt.ArrayLike,
    rank_by: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
) -> ConcentrationIndex:
    """Concentration index of ``values`` against a ranking, with its standard error.

    ``C = (2 / μ) Σ_i f_i (y_i - μ)(R_i - 1/2)``, twice the weighted covariance of the
    value with the fractional rank over the mean (Kakwani et al. 1997; O'Donnell et al.
    2008, eq. 8.5), where ``R`` is :func:`fractional_rank` of ``rank_by``. With a
    deprivation rank where 1 is the most deprived (so a higher rank is better off), a
    positive C means the assets sit in the **less deprived** areas.

    Standard error (Kakwani et al. 1997, eq. 15), with units sorted by rank and
    ``q_i = Σ_{j <= i} f_j y_j / μ`` the ordinates of the concentration curve::

        a_i    = (y_i / μ)(2 R_i - 1 - C) + 2 - q_{i-1} - q_i
        var(C) = (1 / n) [ Σ_i f_i a_i² - (1 + C)² ]

    Unweighted (``f_i = 1/n``) this is the published formula; with weights it is its
    survey-weights form: the weights shape the distribution, and ``n``, the number of
    units, is the sample size. Tied ranks share the mean of their ``q`` terms.

    Parameters
    ----------
    values : array of float, shape (n,)
        Non-negative value per unit (assets, assets per capita...).
    rank_by : array of float, shape (n,)
        The ranking variable, larger = better off (e.g. IMD rank).
    weights : array of float, shape (n,), optional
        Non-negative weight per unit (population); equal if omitted.

    Returns
    -------
    ConcentrationIndex

    Raises
    ------
    EquityInputError
        On bad shapes, NaN, negative values, or fewer than 2 units.

    Examples
    --------
    >>> c = concentration_index([0, 1, 2, 3], rank_by=[1, 2, 3, 4])
    >>> round(c.value, 4)
    0.4167
    """
    y, f = _values_and_weights(values, weights)
    if y.shape[0] < 2:
        raise EquityInputError("values: at least two units are needed for a concentration index")
    r_in = np.asarray(rank_by, dtype=np.float64) if np.ndim(rank_by) == 1 else None
    if r_in is None or r_in.shape != y.shape:
        raise EquityInputError(
            f"rank_by: expected {y.shape[0]} values, got shape {np.shape(rank_by)}"
        )
    rank = fractional_rank(r_in, f)
    n = int(y.shape[0])
    peak = float(y.max())
    if peak > 0:
        # C and its standard error are scale-free; rescaling keeps tiny values from underflowing.
        y = y / peak
    mu = float(np.sum(f * y))
    if mu == 0:
        nan = float("nan")
        return ConcentrationIndex(nan, nan, nan, nan, nan, nan, n)
    c = float(2.0 / mu * np.sum(f * (y - mu) * (rank - 0.5)))

    order = np.lexsort((np.arange(n), r_in))
    q = np.cumsum(f[order] * y[order]) / mu
    q_prev = np.concatenate([[0.0], q[:-1]])
    q_sum = q_prev + q
    # Ties: the units of one tied group act as one, so they share the mean q term.
    sorted_r = r_in[order]
    group = np.cumsum(np.concatenate([[True], sorted_r[1:] != sorted_r[:-1]])) - 1
    sums = np.bincount(group, weights=f[order] * q_sum)
    mass = np.bincount(group, weights=f[order])
    # A group of zero weight contributes nothing to the sums, so its q term is moot.
    mean_q = np.divide(sums, mass, out=np.zeros_like(sums), where=mass > 0)
    a = np.empty(n)
    a[order] = (y[order] / mu) * (2.0 * rank[order] - 1.0 - c) + 2.0 - mean_q[group]
    variance = (float(np.sum(f * a * a)) - (1.0 + c) ** 2) / n
    se = float(np.sqrt(max(variance, 0.0)))
    if se > 0:
        z = c / se
        p = float(2.0 * stats.norm.sf(abs(z)))
    else:
        z = float("inf") if c != 0 else float("nan")
        p = 0.0 if c != 0 else 1.0
    return ConcentrationIndex(
        value=c,
        standard_error=se,
        z=float(z),
        p_value=p,
        ci_low=c - _Z95 * se,
        ci_high=c + _Z95 * se,
        n=n,
    )


@dataclass(frozen=True, slots=True, eq=False)
class TheilDecomposition:
    """Theil T index split into a between-groups and a within-groups part.

    Attributes
    ----------
    total : float
        ``T = Σ_i f_i (y_i/μ) ln(y_i/μ)`` (0 = equal; at most ln(1/min f)).
    between : float
        ``Σ_g s_g ln(μ_g / μ)``: the inequality left if every unit had its group's mean.
    within : float
        ``Σ_g s_g T_g``: the rest; ``between + within == total``.
    groups : tuple of str
        Group labels, sorted.
    population_share, value_share, group_mean, group_theil : ndarray of float64
        Per group: share of weight ``f_g``, share of value ``s_g = f_g μ_g / μ``, mean
        ``μ_g`` and within-group Theil ``T_g``.
    """

    total: float
    between: float
    within: float
    groups: tuple[str, ...]
    population_share: FloatArray
    value_share: FloatArray
    group_mean: FloatArray
    group_theil: FloatArray

    @property
    def between_share(self) -> float:
        """Share of the total that lies between groups (NaN if the total is 0)."""
        return self.between / self.total if self.total > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": _json_float(self.total),
            "between": _json_float(self.between),
            "within": _json_float(self.within),
            "groups": list(self.groups),
            "population_share": [_json_float(x) for x in self.population_share],
            "value_share": [_json_float(x) for x in self.value_share],
            "group_mean": [_json_float(x) for x in self.group_mean],
            "group_theil": [_json_float(x) for x in self.group_theil],
        }


def _theil(y: FloatArray, f: FloatArray) -> tuple[float, float]:
    """Theil T and mean of one distribution; 0 ln 0 is taken as 0."""
    mu = float(np.sum(f * y))
    if mu == 0:
        return 0.0, 0.0
    ratio = y / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ratio > 0, ratio * np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
    return float(np.sum(f * terms)), mu


def theil_decomposition(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
) -> TheilDecomposition:
    """Theil T index of non-negative values, decomposed between and within groups.

    ``T = Σ_g s_g T_g + Σ_g s_g ln(μ_g / μ)`` with ``s_g`` the group's share of the total
    value (Shorrocks 1980). Groups are typically deprivation deciles: the between part
    is then the inequality explained by deprivation.

    Parameters
    ----------
    values : array of float, shape (n,)
        Non-negative value per unit.
    groups : array, shape (n,)
        Group label per unit (numbers or strings; NaN is not a group).
    weights : array of float, shape (n,), optional
        Non-negative weight per unit; equal if omitted.

    Returns
    -------
    TheilDecomposition
        All parts NaN when every value is 0.

    Examples
    --------
    >>> t = theil_decomposition([1, 1, 3, 3], groups=["a", "a", "b", "b"])
    >>> round(t.total, 4), round(t.within, 4)
    (0.1308, 0.0)
    """
    y, f = _values_and_weights(values, weights)
    labels_in = np.asarray(groups)
    if labels_in.shape != y.shape:
        raise EquityInputError(f"groups: expected {y.shape[0]} labels, got shape {labels_in.shape}")
    if labels_in.dtype.kind == "f" and np.isnan(labels_in).any():
        bad = np.flatnonzero(np.isnan(labels_in))[:10].tolist()
        raise EquityInputError(f"groups: missing (NaN) group at positions {bad}")
    if labels_in.dtype.kind == "f" and np.all(labels_in == np.round(labels_in)):
        labels_in = labels_in.astype(np.int64)
    labels, group = np.unique(labels_in, return_inverse=True)
    group = group.reshape(-1)
    total, mu = _theil(y, f)
    k = labels.shape[0]
    if mu == 0:
        nan = np.full(k, np.nan)
        pop = np.bincount(group, weights=f, minlength=k).astype(np.float64)
        return TheilDecomposition(
            float("nan"),
            float("nan"),
            float("nan"),
            tuple(str(x) for x in labels),
            pop,
            nan,
            nan,
            nan,
        )
    pop = np.bincount(group, weights=f, minlength=k).astype(np.float64)
    value = np.bincount(group, weights=f * y, minlength=k)
    group_mean = np.where(pop > 0, value / np.where(pop > 0, pop, 1.0), 0.0)
    share = value / (mu)
    group_theil = np.zeros(k)
    for g in range(k):
        members = group == g
        if pop[g] > 0:
            group_theil[g], _ = _theil(y[members], f[members] / pop[g])
    within = float(np.sum(share * group_theil))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(
            group_mean > 0, np.log(np.where(group_mean > 0, group_mean, 1.0) / mu), 0.0
        )
    between = float(np.sum(share * log_ratio))
    return TheilDecomposition(
        total=total,
        between=between,
        within=within,
        groups=tuple(str(x) for x in labels),
        population_share=pop,
        value_share=share,
        group_mean=group_mean,
        group_theil=group_theil,
    )
