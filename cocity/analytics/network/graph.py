"""Building the ecosystem network: stakeholders, sectors, ties, joint work and ratings.

Everything here is plain arrays in, frozen dataclasses out. Node ids are the integers
``0 .. n_nodes - 1`` (the caller maps its own ids to these). Times are decimal years
(``2023.5`` is the middle of 2023); a caller holding days divides by 365.25.

The five helix sectors are coded ``0 .. 4`` in the order of :data:`SECTORS`; ``-1`` means
that a stakeholder's sector is unknown (it still takes part in every structural measure,
and is left out of the sector measures: mixing matrix, E-I index, brokerage roles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import igraph as ig
import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

SECTORS: tuple[str, ...] = ("public", "academia", "industry", "civil", "citizens")
"""The helix sectors, in code order (quintuple helix: public sector, academia & research,
industry & business, civil society & not-for-profit, citizens & community)."""

UNKNOWN_SECTOR = -1


class NetworkInputError(ValueError):
    """Raised when network input is malformed; the message says what and where."""


@dataclass(frozen=True, slots=True, eq=False)
class EcosystemNetwork:
    """Validated stakeholders and ties, as they were given (ties not yet merged).

    Attributes
    ----------
    n_nodes : int
        Number of stakeholders; ids are ``0 .. n_nodes - 1``.
    sector : ndarray of int8, shape (n_nodes,)
        Helix sector code per stakeholder (index into :data:`SECTORS`), -1 if unknown.
    src, dst : ndarray of int32, shape (n_ties,)
        Tie endpoints, stored with ``src < dst`` (ties are undirected). Self-ties are
        removed; duplicates are kept here and merged by :func:`simple_ties`.
    weight : ndarray of float64, shape (n_ties,)
        Tie weight (> 0, unitless strength; see
        :func:`~cocity.analytics.network.weights.partnership_tie_weights`).
    start_year, end_year : ndarray of float64, shape (n_ties,)
        Year the tie started and ended (decimal years). NaN start: undated, always
        present; NaN end: still running.
    names : tuple of str
        A display name per stakeholder (``"#<id>"`` when none was given).
    clusters, challenges : scipy.sparse.csr_array of bool, shape (n_nodes, k)
        Incidence of stakeholders in smart-specialisation clusters and city challenges.
    cluster_names, challenge_names : tuple of str
        Labels for the columns of ``clusters`` and ``challenges``.
    dropped_self_ties : int
        How many self-ties (a stakeholder tied to itself) were removed.
    """

    n_nodes: int
    sector: NDArray[np.int8]
    src: NDArray[np.int32]
    dst: NDArray[np.int32]
    weight: NDArray[np.float64]
    start_year: NDArray[np.float64]
    end_year: NDArray[np.float64]
    names: tuple[str, ...]
    clusters: sp.csr_array
    challenges: sp.csr_array
    cluster_names: tuple[str, ...]
    challenge_names: tuple[str, ...]
    dropped_self_ties: int = 0

    @property
    def n_ties(self) -> int:
        """Number of tie records (duplicates counted separately)."""
        return int(self.src.size)


@dataclass(frozen=True, slots=True, eq=False)
class SimpleTies:
    """Ties merged to one per unordered pair (``src < dst``), sorted by ``(src, dst)``.

    ``weight`` is the sum of the merged weights, ``start_year`` the earliest start and
    ``end_year`` the latest end (NaN if any merged tie is still running), ``multiplicity``
    how many records were merged into the pair.
    """

    src: NDArray[np.int32]
    dst: NDArray[np.int32]
    weight: NDArray[np.float64]
    start_year: NDArray[np.float64]
    end_year: NDArray[np.float64]
    multiplicity: NDArray[np.int32]


@dataclass(frozen=True, slots=True, eq=False)
class JointWork:
    """Dated records of joint work between two stakeholders, with their outcome.

    Attributes
    ----------
    a, b : ndarray of int32
        The two stakeholders (order does not matter; joint work is mutual evidence).
    time : ndarray of float64
        When the work happened, in decimal years.
    outcome : ndarray of int8
        +1 positive, 0 mixed, -1 negative.
    """

    a: NDArray[np.int32]
    b: NDArray[np.int32]
    time: NDArray[np.float64]
    outcome: NDArray[np.int8]


@dataclass(frozen=True, slots=True, eq=False)
class TrustRatings:
    """Stated trust: stakeholder ``rater`` rates ``ratee`` on three dimensions (1-5).

    Attributes
    ----------
    rater, ratee : ndarray of int32
    ability, benevolence, integrity : ndarray of float64
        Scores on the 1-5 scale of Mayer, Davis & Schoorman (1995).
    time : ndarray of float64
        When the rating was given, in decimal years.
    """

    rater: NDArray[np.int32]
    ratee: NDArray[np.int32]
    ability: NDArray[np.float64]
    benevolence: NDArray[np.float64]
    integrity: NDArray[np.float64]
    time: NDArray[np.float64]


_Array = TypeVar("_Array", bound="np.ndarray[Any, Any]")


def _frozen(array: _Array) -> _Array:
    """Make ``array`` read-only, so that frozen results stay frozen."""
    array.setflags(write=False)
    return array


def weighted_bincount(
    index: NDArray[np.integer[Any]], weights: ArrayLike, minlength: int = 0
) -> NDArray[np.float64]:
    """``numpy.bincount`` with weights, typed as the float64 array it returns."""
    return np.asarray(np.bincount(index, weights=weights, minlength=minlength), dtype=np.float64)


def _int_ids(values: ArrayLike, n_nodes: int, what: str) -> NDArray[np.int32]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise NetworkInputError(f"{what} must be a 1-D array of node ids, got shape {array.shape}")
    if array.size == 0:
        return np.zeros(0, dtype=np.int32)
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            raise NetworkInputError(
                f"{what}[{int(np.flatnonzero(bad)[0])}] is not an integer node id"
            )
    elif array.dtype.kind not in "iu":
        raise NetworkInputError(f"{what} must hold integer node ids, got dtype {array.dtype}")
    out_of_range = (array < 0) | (array >= n_nodes)
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise NetworkInputError(
            f"{what}[{i}] = {array[i]} is not a node id (expected 0 .. {n_nodes - 1})"
        )
    return array.astype(np.int32)


def _floats(values: ArrayLike | None, size: int, what: str, default: float) -> NDArray[np.float64]:
    if values is None:
        return np.full(size, default, dtype=np.float64)
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise NetworkInputError(f"{what} must be numeric: {error}") from None
    if array.shape != (size,):
        raise NetworkInputError(f"{what} has shape {array.shape}, expected ({size},)")
    return array


def sector_codes(labels: Sequence[str | None]) -> NDArray[np.int8]:
    """Turn sector labels into codes (index into :data:`SECTORS`, -1 for missing).

    Parameters
    ----------
    labels : sequence of str or None
        One of :data:`SECTORS` (case-insensitive), or ``None`` / ``""`` when unknown.

    Returns
    -------
    ndarray of int8
        Sector codes.

    Raises
    ------
    NetworkInputError
        If a label is not a helix sector; the message gives its position.
    """
    lookup = {name: code for code, name in enumerate(SECTORS)}
    codes = np.empty(len(labels), dtype=np.int8)
    for i, label in enumerate(labels):
        if label is None or str(label).strip() == "":
            codes[i] = UNKNOWN_SECTOR
            continue
        key = str(label).strip().lower()
        if key not in lookup:
            raise NetworkInputError(
                f"sector {label!r} at position {i} is not one of {', '.join(SECTORS)}"
            )
        codes[i] = lookup[key]
    return codes


def incidence_matrix(
    sets: Sequence[frozenset[str] | set[str]] | None, n_nodes: int, what: str
) -> tuple[sp.csr_array, tuple[str, ...]]:
    """Turn per-node label sets (clusters, challenges) into a boolean incidence matrix.

    Returns the ``(n_nodes, k)`` matrix and the sorted labels of its ``k`` columns.
    """
    if sets is None:
        return sp.csr_array((n_nodes, 0), dtype=bool), ()
    if len(sets) != n_nodes:
        raise NetworkInputError(
            f"{what} has {len(sets)} entries, expected one per node ({n_nodes})"
        )
    labels = tuple(sorted({label for labels in sets for label in labels}))
    column = {label: j for j, label in enumerate(labels)}
    rows = [i for i, labels_i in enumerate(sets) for _ in labels_i]
    cols = [column[label] for labels_i in sets for label in labels_i]
    matrix = sp.csr_array(
        (
            np.ones(len(rows), dtype=bool),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(n_nodes, len(labels)),
    )
    matrix.sum_duplicates()
    return matrix, labels


def build_network(
    n_nodes: int,
    sector: ArrayLike,
    src: ArrayLike,
    dst: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    start_year: ArrayLike | None = None,
    end_year: ArrayLike | None = None,
    names: Sequence[str] | None = None,
    clusters: Sequence[frozenset[str] | set[str]] | sp.sparray | None = None,
    challenges: Sequence[frozenset[str] | set[str]] | sp.sparray | None = None,
    cluster_names: Sequence[str] | None = None,
    challenge_names: Sequence[str] | None = None,
) -> EcosystemNetwork:
    """Validate stakeholders and ties and return an :class:`EcosystemNetwork`.

    Parameters
    ----------
    n_nodes : int
        Number of stakeholders (may be 0).
    sector : array_like of int, shape (n_nodes,)
        Sector codes 0..4 (see :data:`SECTORS`, :func:`sector_codes`), -1 for unknown.
    src, dst : array_like of int, shape (n_ties,)
        Tie endpoints (node ids). Order does not matter; ties are undirected.
    weight : array_like of float, optional
        Tie weights, finite and > 0 (default 1 for every tie).
    start_year, end_year : array_like of float, optional
        When each tie started and ended (decimal years, NaN when unknown / still running).
    names : sequence of str, optional
        Display names (used in recommendation reasons and summaries).
    clusters, challenges : sequence of sets of str, or sparse (n_nodes, k) matrix, optional
        Smart-specialisation clusters and city challenges per stakeholder.
    cluster_names, challenge_names : sequence of str, optional
        Column labels when ``clusters`` / ``challenges`` are given as sparse matrices.

    Returns
    -------
    EcosystemNetwork
        Self-ties are dropped (counted in ``dropped_self_ties``); duplicates are kept and
        merged later by :func:`simple_ties` (weights summed).

    Raises
    ------
    NetworkInputError
        On wrong shapes, unknown node ids, unknown sector codes, weights that are not
        finite and positive, or an end year before the start year; the message names
        the array and the position.
    """
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or n_nodes < 0:
        raise NetworkInputError(f"n_nodes must be a non-negative integer, got {n_nodes!r}")
    n = int(n_nodes)
    sector_array = np.asarray(sector)
    if sector_array.shape != (n,):
        raise NetworkInputError(f"sector has shape {sector_array.shape}, expected ({n},)")
    if n and sector_array.dtype.kind not in "iu":
        raise NetworkInputError("sector must hold integer codes (use sector_codes() for labels)")
    bad_sector = (sector_array < UNKNOWN_SECTOR) | (sector_array >= len(SECTORS))
    if bad_sector.any():
        i = int(np.flatnonzero(bad_sector)[0])
        raise NetworkInputError(f"sector[{i}] = {sector_array[i]} is not a sector code (-1 .. 4)")
    src_array = _int_ids(src, n, "src")
    dst_array = _int_ids(dst, n, "dst")
    if src_array.shape != dst_array.shape:
        raise NetworkInputError(
            f"src and dst differ in length ({src_array.size} and {dst_array.size})"
        )
    m = src_array.size
    weight_array = _floats(weight, m, "weight", 1.0)
    bad_weight = ~np.isfinite(weight_array) | (weight_array <= 0)
    if bad_weight.any():
        i = int(np.flatnonzero(bad_weight)[0])
        raise NetworkInputError(f"weight[{i}] = {weight_array[i]} must be finite and > 0")
    start = _floats(start_year, m, "start_year", np.nan)
    end = _floats(end_year, m, "end_year", np.nan)
    if np.isinf(start).any() or np.isinf(end).any():
        raise NetworkInputError("start_year and end_year must be finite years or NaN")
    backwards = end < start
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise NetworkInputError(f"tie {i} ends ({end[i]}) before it starts ({start[i]})")

    self_tie = src_array == dst_array
    keep = ~self_tie
    low = np.minimum(src_array, dst_array)[keep]
    high = np.maximum(src_array, dst_array)[keep]

    if names is None:
        name_tuple = tuple(f"#{i}" for i in range(n))
    else:
        if len(names) != n:
            raise NetworkInputError(f"names has {len(names)} entries, expected {n}")
        name_tuple = tuple(str(name) for name in names)

    cluster_matrix, cluster_labels = _label_matrix(clusters, cluster_names, n, "clusters")
    challenge_matrix, challenge_labels = _label_matrix(challenges, challenge_names, n, "challenges")
    return EcosystemNetwork(
        n_nodes=n,
        sector=_frozen(sector_array.astype(np.int8)),
        src=_frozen(low),
        dst=_frozen(high),
        weight=_frozen(weight_array[keep].copy()),
        start_year=_frozen(start[keep].copy()),
        end_year=_frozen(end[keep].copy()),
        names=name_tuple,
        clusters=cluster_matrix,
        challenges=challenge_matrix,
        cluster_names=cluster_labels,
        challenge_names=challenge_labels,
        dropped_self_ties=int(self_tie.sum()),
    )


def _label_matrix(
    value: Sequence[frozenset[str] | set[str]] | sp.sparray | None,
    labels: Sequence[str] | None,
    n_nodes: int,
    what: str,
) -> tuple[sp.csr_array, tuple[str, ...]]:
    if value is None or not sp.issparse(value):
        return incidence_matrix(value, n_nodes, what)
    matrix = sp.csr_array(value, dtype=bool)
    if matrix.shape[0] != n_nodes:
        raise NetworkInputError(f"{what} has {matrix.shape[0]} rows, expected {n_nodes}")
    names = (
        tuple(labels)
        if labels is not None
        else tuple(f"{what}-{j}" for j in range(matrix.shape[1]))
    )
    if len(names) != matrix.shape[1]:
        raise NetworkInputError(f"{what} has {matrix.shape[1]} columns but {len(names)} names")
    return matrix, names


def simple_ties(network: EcosystemNetwork) -> SimpleTies:
    """Merge duplicate ties into one per unordered pair.

    Several partnerships between the same two stakeholders strengthen one tie: the
    merged weight is the sum of the weights; the merged tie starts at the earliest start
    and ends at the latest end (NaN, still running, if any record is).

    Returns
    -------
    SimpleTies
        Sorted by ``(src, dst)`` with ``src < dst``.
    """
    n = max(network.n_nodes, 1)
    key = network.src.astype(np.int64) * n + network.dst
    unique_key, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    k = unique_key.size
    weight = weighted_bincount(inverse, weights=network.weight, minlength=k)
    start = np.full(k, np.inf)
    np.minimum.at(
        start, inverse, np.where(np.isnan(network.start_year), np.inf, network.start_year)
    )
    start[np.isinf(start)] = np.nan
    end_filled = np.where(np.isnan(network.end_year), np.inf, network.end_year)
    end = np.full(k, -np.inf)
    np.maximum.at(end, inverse, end_filled)
    end[np.isinf(end)] = np.nan
    return SimpleTies(
        src=(unique_key // n).astype(np.int32),
        dst=(unique_key % n).astype(np.int32),
        weight=weight,
        start_year=start,
        end_year=end,
        multiplicity=counts.astype(np.int32),
    )


def network_as_of(network: EcosystemNetwork, year: float) -> EcosystemNetwork:
    """The network as it stood in ``year``: ties started by then and not yet ended.

    A tie is present in ``year`` when ``start_year <= year`` (or the start is unknown)
    and ``end_year >= year`` (or it is still running). Stakeholders are all kept, so
    that node ids and per-node arrays line up across years.

    Parameters
    ----------
    network : EcosystemNetwork
    year : float
        Decimal year; ``2020`` keeps ties that started in or before 2020.

    Returns
    -------
    EcosystemNetwork
        A new network holding the present ties.
    """
    if not np.isfinite(year):
        raise NetworkInputError(f"year must be a finite number, got {year!r}")
    started = np.isnan(network.start_year) | (network.start_year <= year)
    running = np.isnan(network.end_year) | (network.end_year >= year)
    keep = started & running
    return EcosystemNetwork(
        n_nodes=network.n_nodes,
        sector=network.sector,
        src=_frozen(network.src[keep]),
        dst=_frozen(network.dst[keep]),
        weight=_frozen(network.weight[keep]),
        start_year=_frozen(network.start_year[keep]),
        end_year=_frozen(network.end_year[keep]),
        names=network.names,
        clusters=network.clusters,
        challenges=network.challenges,
        cluster_names=network.cluster_names,
        challenge_names=network.challenge_names,
        dropped_self_ties=network.dropped_self_ties,
    )


def to_igraph(n_nodes: int, ties: SimpleTies) -> ig.Graph:
    """Build one undirected igraph ``Graph`` with a ``weight`` edge attribute.

    Edge ``i`` of the graph is tie ``i`` of ``ties``, so edge arrays line up.
    """
    graph = ig.Graph(
        n=n_nodes, edges=np.column_stack([ties.src, ties.dst]).tolist(), directed=False
    )
    graph.es["weight"] = ties.weight.tolist()
    return graph


def joint_work(
    a: ArrayLike, b: ArrayLike, time: ArrayLike, outcome: ArrayLike, *, n_nodes: int
) -> JointWork:
    """Validate joint-work records (see :class:`JointWork`) against ``n_nodes``."""
    a_array = _int_ids(a, n_nodes, "joint work a")
    b_array = _int_ids(b, n_nodes, "joint work b")
    m = a_array.size
    if b_array.size != m:
        raise NetworkInputError(f"joint work a and b differ in length ({m} and {b_array.size})")
    time_array = _floats(time, m, "joint work time", np.nan)
    if not np.isfinite(time_array).all():
        i = int(np.flatnonzero(~np.isfinite(time_array))[0])
        raise NetworkInputError(f"joint work time[{i}] is missing or not finite")
    outcome_array = _floats(outcome, m, "joint work outcome", np.nan)
    bad = ~np.isin(outcome_array, (-1.0, 0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise NetworkInputError(f"joint work outcome[{i}] = {outcome_array[i]} must be -1, 0 or 1")
    return JointWork(
        a=_frozen(a_array),
        b=_frozen(b_array),
        time=_frozen(time_array),
        outcome=_frozen(outcome_array.astype(np.int8)),
    )


def trust_ratings(
    rater: ArrayLike,
    ratee: ArrayLike,
    ability: ArrayLike,
    benevolence: ArrayLike,
    integrity: ArrayLike,
    time: ArrayLike,
    *,
    n_nodes: int,
) -> TrustRatings:
    """Validate stated trust ratings (see :class:`TrustRatings`) against ``n_nodes``.

    Scores must lie in [1, 5]; a stakeholder rating itself is an error.
    """
    rater_array = _int_ids(rater, n_nodes, "rating rater")
    ratee_array = _int_ids(ratee, n_nodes, "rating ratee")
    m = rater_array.size
    if ratee_array.size != m:
        raise NetworkInputError(f"rater and ratee differ in length ({m} and {ratee_array.size})")
    self_rating = rater_array == ratee_array
    if self_rating.any():
        raise NetworkInputError(f"rating {int(np.flatnonzero(self_rating)[0])} rates its own rater")
    scores = []
    for label, values in (
        ("ability", ability),
        ("benevolence", benevolence),
        ("integrity", integrity),
    ):
        array = _floats(values, m, label, np.nan)
        bad = ~np.isfinite(array) | (array < 1) | (array > 5)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise NetworkInputError(f"{label}[{i}] = {array[i]} must be a score from 1 to 5")
        scores.append(_frozen(array))
    time_array = _floats(time, m, "rating time", np.nan)
    if not np.isfinite(time_array).all():
        i = int(np.flatnonzero(~np.isfinite(time_array))[0])
        raise NetworkInputError(f"rating time[{i}] is missing or not finite")
    return TrustRatings(
        rater=_frozen(rater_array),
        ratee=_frozen(ratee_array),
        ability=scores[0],
        benevolence=scores[1],
        integrity=scores[2],
        time=_frozen(time_array),
    )
