"""Who is in each opinion group, and whether the participants represent the territory.

Two questions a facilitator asks of a consultation:

* *Make-up*: how each opinion group splits by a category of its members (helix sector,
  area, age band...): counts and shares per group, with unknown categories counted apart.
* *Representativeness*: do the participants (or one group) mirror the territory, e.g. the
  population share of each area? Measured by Pearson's chi-square goodness of fit
  (:func:`scipy.stats.chisquare`) and the index of dissimilarity

      D = 1/2 * sum_c |o_c - q_c|      (Duncan & Duncan 1955)

  with ``o_c`` the observed and ``q_c`` the reference share of category ``c``: the share of
  participants who would have to change category for the two distributions to match.
  A category is *under-represented* when its adjusted residual

      r_c = (O_c - E_c) / sqrt(E_c (1 - q_c))      (Haberman 1973; E_c = n q_c)

  is below ``-z`` (1.96 by default, two-sided 5%), i.e. significantly fewer participants
  than its share would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from cocity.analytics.opinion.errors import OpinionInputError

#: Two-sided 5% critical value of the standard normal.
Z_95 = 1.959963984540054


@dataclass(frozen=True, slots=True, eq=False)
class GroupComposition:
    """Make-up of each opinion group by one category.

    Attributes
    ----------
    categories : tuple of str
        Category names, in code order.
    counts : ndarray of int64, shape (n_groups, n_categories)
        Members of each group in each category.
    unknown : ndarray of int64, shape (n_groups,)
        Members whose category is missing (code ``-1``).
    shares : ndarray, shape (n_groups, n_categories)
        ``counts`` divided by the group's members of known category (rows sum to 1; a row
        of ``nan`` for a group with none).
    """

    categories: tuple[str, ...]
    counts: NDArray[np.int64]
    unknown: NDArray[np.int64]
    shares: NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class Representativeness:
    """How far the participants' categories are from reference shares.

    Attributes
    ----------
    categories : tuple of str
    observed : ndarray of int64, shape (n_categories,)
        Participants in each category (unknowns left out).
    observed_shares, reference_shares : ndarray, shape (n_categories,)
        Each sums to 1.
    expected : ndarray, shape (n_categories,)
        ``n * reference_shares``.
    adjusted_residuals : ndarray, shape (n_categories,)
        Haberman's adjusted residuals (standard normal under a perfect match).
    chi_square, p_value : float
        Pearson's goodness-of-fit statistic and its p-value (``n_categories - 1`` degrees
        of freedom). ``nan`` when fewer than two categories have a positive reference.
    dissimilarity : float
        Index of dissimilarity in [0, 1].
    under_represented, over_represented : tuple of str
        Categories whose adjusted residual is below ``-z`` / above ``z``, most extreme first.
    n_unknown : int
        Participants left out for a missing category.
    """

    categories: tuple[str, ...]
    observed: NDArray[np.int64]
    observed_shares: NDArray[np.float64]
    reference_shares: NDArray[np.float64]
    expected: NDArray[np.float64]
    adjusted_residuals: NDArray[np.float64]
    chi_square: float
    p_value: float
    dissimilarity: float
    under_represented: tuple[str, ...]
    over_represented: tuple[str, ...]
    n_unknown: int


def _codes(values: ArrayLike, n_categories: int, name: str) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise OpinionInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size and arr.dtype.kind == "f":
        if np.any(np.isnan(arr)):
            arr = np.where(np.isnan(arr), -1, arr)
        if not np.all(arr == np.round(arr)):
            raise OpinionInputError(f"{name} must hold whole-number codes")
    elif arr.size and arr.dtype.kind not in "iub":
        raise OpinionInputError(f"{name} must hold integer codes, got dtype {arr.dtype}")
    codes = arr.astype(np.int64)
    bad = (codes < -1) | (codes >= n_categories)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise OpinionInputError(
            f"{name}[{i}] = {codes[i]} is not a category code (0..{n_categories - 1}, "
            "or -1 for unknown)"
        )
    return codes


def _names(categories: Sequence[str] | int) -> tuple[str, ...]:
    if isinstance(categories, int):
        if categories < 1:
            raise OpinionInputError(f"need at least one category, got {categories}")
        return tuple(str(c) for c in range(categories))
    names = tuple(str(c) for c in categories)
    if not names:
        raise OpinionInputError("need at least one category")
    if len(set(names)) != len(names):
        raise OpinionInputError("category names must be distinct")
    return names


def group_composition(
    group_labels: ArrayLike,
    category_codes: ArrayLike,
    categories: Sequence[str] | int,
    n_groups: int | None = None,
) -> GroupComposition:
    """Count each group's members by category.

    Parameters
    ----------
    group_labels : array_like of int, shape (n,)
        Group of each participant, ``0..n_groups-1``; ``-1`` (not grouped) is ignored.
    category_codes : array_like of int, shape (n,)
        Category of each participant, ``0..n_categories-1``; ``-1`` or ``nan`` if unknown.
    categories : sequence of str, or int
        Category names (or their number).
    n_groups : int, optional
        Default ``max(group_labels) + 1``.

    Returns
    -------
    GroupComposition
    """
    names = _names(categories)
    labels = np.asarray(group_labels)
    if labels.ndim != 1 or (labels.size and labels.dtype.kind not in "iu"):
        raise OpinionInputError("group_labels must be a one-dimensional integer array")
    labels = labels.astype(np.int64)
    codes = _codes(category_codes, len(names), "category_codes")
    if codes.size != labels.size:
        raise OpinionInputError(
            f"group_labels ({labels.size}) and category_codes ({codes.size}) differ in length"
        )
    if labels.size and labels.min() < -1:
        raise OpinionInputError("group_labels must be -1 (no group) or a group number")
    groups = int(labels.max()) + 1 if n_groups is None and labels.size else (n_groups or 0)
    if labels.size and labels.max() >= groups:
        raise OpinionInputError(f"group_labels go up to {labels.max()} but n_groups={groups}")
    grouped = labels >= 0
    known = grouped & (codes >= 0)
    k = len(names)
    counts = np.bincount(labels[known] * k + codes[known], minlength=groups * k).reshape(groups, k)
    unknown = np.bincount(labels[grouped & (codes < 0)], minlength=groups)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, counts / totals, np.nan)
    return GroupComposition(
        categories=names,
        counts=counts.astype(np.int64),
        unknown=unknown.astype(np.int64),
        shares=shares,
    )


def representativeness(
    category_codes: ArrayLike,
    reference_shares: ArrayLike,
    categories: Sequence[str] | None = None,
    z: float = Z_95,
) -> Representativeness:
    """Compare participants' categories with reference shares (e.g. population by area).

    Parameters
    ----------
    category_codes : array_like of int, shape (n,)
        Category of each participant (``-1`` or ``nan`` for unknown, left out).
    reference_shares : array_like of float, shape (n_categories,)
        Non-negative weights (population, counts or shares); normalised to sum to 1.
    categories : sequence of str, optional
        Names; default ``"0".."k-1"``.
    z : float
        Critical value for the adjusted residuals (default 1.96).

    Returns
    -------
    Representativeness

    Raises
    ------
    OpinionInputError
        No participant of known category; negative, nan or all-zero reference; a
        participant in a category whose reference share is 0 (infinitely over-represented:
        fix the reference instead).
    """
    ref = np.asarray(reference_shares, dtype=np.float64)
    if ref.ndim != 1 or ref.size == 0:
        raise OpinionInputError("reference_shares must be a non-empty one-dimensional array")
    if not np.all(np.isfinite(ref)) or np.any(ref < 0) or ref.sum() <= 0:
        raise OpinionInputError("reference_shares must be finite, non-negative, not all zero")
    names = _names(categories if categories is not None else ref.size)
    if len(names) != ref.size:
        raise OpinionInputError(f"{len(names)} category names for {ref.size} reference shares")
    q = ref / ref.sum()
    codes = _codes(category_codes, ref.size, "category_codes")
    known = codes >= 0
    observed = np.bincount(codes[known], minlength=ref.size).astype(np.int64)
    n = int(observed.sum())
    if n == 0:
        raise OpinionInputError("no participant has a known category")
    impossible = (q == 0) & (observed > 0)
    if impossible.any():
        bad = names[int(np.flatnonzero(impossible)[0])]
        raise OpinionInputError(f"category {bad!r} has participants but a reference share of 0")
    expected = n * q
    with np.errstate(invalid="ignore", divide="ignore"):
        residuals = np.where(
            (q > 0) & (q < 1), (observed - expected) / np.sqrt(expected * (1 - q)), 0.0
        )
    live = q > 0
    if live.sum() >= 2:
        test = stats.chisquare(observed[live], f_exp=expected[live])
        chi2, p_value = float(test.statistic), float(test.pvalue)
    else:
        chi2, p_value = float("nan"), float("nan")
    shares = observed / n
    under = [int(i) for i in np.argsort(residuals) if residuals[i] < -z]
    over = [int(i) for i in np.argsort(-residuals) if residuals[i] > z]
    return Representativeness(
        categories=names,
        observed=observed,
        observed_shares=shares,
        reference_shares=q,
        expected=expected,
        adjusted_residuals=residuals,
        chi_square=chi2,
        p_value=p_value,
        dissimilarity=float(0.5 * np.abs(shares - q).sum()),
        under_represented=tuple(names[i] for i in under),
        over_represented=tuple(names[i] for i in over),
        n_unknown=int((~known).sum()),
    )
