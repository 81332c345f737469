"""Per-group vote counts and Pol.is's representativeness ("repness") of statements.

For group ``g`` and statement ``j`` (Pol.is ``repness.clj``, ``stats.clj``):

    na, nd, ns = agrees, disagrees, votes cast (passes included) by members of g on j
    pa = (na + 1) / (ns + 2)                  pd = (nd + 1) / (ns + 2)
    pat = prop_test(na, ns)                   pdt = prop_test(nd, ns)
    ra = pa / ((na_rest + 1) / (ns_rest + 2)) rd likewise, "rest" = all other groups
    rat = two_prop_test(na, na_rest, ns, ns_rest)   rdt likewise

    prop_test(s, n)            = 2 sqrt(n + 1) ((s + 1) / (n + 1) - 1/2)
    two_prop_test(s1, s2, n1, n2), with every count incremented by one:
        p1 = s1 / n1, p2 = s2 / n2, p = (s1 + s2) / (n1 + n2)
        z  = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)),  0 when p = 1

A statement represents a group when agreement (or disagreement) is both likely within the
group and more likely than outside it at 90% one-sided confidence: ``pat > 1.2816 and
rat > 1.2816`` (or the same for ``pdt``, ``rdt``). These Laplace-smoothed tests exist in no
statistics library, so they are written out here, vectorised over groups x statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.matrix import VoteMatrix

#: Pol.is's one-sided 90% critical value (``z-sig-90?``); scipy's norm.ppf(0.9) = 1.28155.
Z_90 = 1.2816
#: Pol.is keeps at most this many representative statements per group.
PICK_MAX = 5

Direction = Literal["agree", "disagree"]


@dataclass(frozen=True, slots=True, eq=False)
class GroupStatementStats:
    """Vote counts and repness statistics, one row per group, one column per statement.

    Every attribute is an ndarray of shape (n_groups, n_statements): counts are int64,
    probabilities are in (0, 1), tests are z-scores, ratios are dimensionless.
    """

    na: NDArray[np.int64]
    nd: NDArray[np.int64]
    ns: NDArray[np.int64]
    pa: NDArray[np.float64]
    pd: NDArray[np.float64]
    pat: NDArray[np.float64]
    pdt: NDArray[np.float64]
    ra: NDArray[np.float64]
    rd: NDArray[np.float64]
    rat: NDArray[np.float64]
    rdt: NDArray[np.float64]

    @property
    def n_groups(self) -> int:
        """Number of groups (rows)."""
        return int(self.na.shape[0])


@dataclass(frozen=True, slots=True)
class RepresentativeStatement:
    """A statement that tells one group apart (Pol.is ``finalize-cmt-stats``).

    Attributes
    ----------
    statement_id : int
    repful_for : {"agree", "disagree"}
        Whether the group stands out by agreeing or by disagreeing.
    n_success, n_trials : int
        Agrees (or disagrees) and votes cast in the group.
    p_success, p_test : float
        ``pa`` and ``pat`` (or ``pd``, ``pdt``).
    repness, repness_test : float
        ``ra`` and ``rat`` (or ``rd``, ``rdt``).
    best_agree : bool
        Pol.is's "best agree" statement, put first.
    """

    statement_id: int
    repful_for: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False


def prop_test(successes: ArrayLike, trials: ArrayLike) -> NDArray[np.float64]:
    """Pol.is's one-proportion z-score against 1/2, with add-one smoothing (see module doc)."""
    s = np.asarray(successes, dtype=np.float64) + 1.0
    n = np.asarray(trials, dtype=np.float64) + 1.0
    return np.asarray(2.0 * np.sqrt(n) * (s / n - 0.5), dtype=np.float64)


def two_prop_test(
    succ_in: ArrayLike,
    succ_out: ArrayLike,
    n_in: ArrayLike,
    n_out: ArrayLike,
) -> NDArray[np.float64]:
    """Pol.is's two-proportion z-score (in-group above out-group), add-one smoothed."""
    s1 = np.asarray(succ_in, dtype=np.float64) + 1.0
    s2 = np.asarray(succ_out, dtype=np.float64) + 1.0
    n1 = np.asarray(n_in, dtype=np.float64) + 1.0
    n2 = np.asarray(n_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denom
    return np.asarray(np.where(pooled >= 1.0, 0.0, z), dtype=np.float64)


def group_vote_counts(
    matrix: VoteMatrix, group_labels: NDArray[np.int64], n_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Agrees, disagrees and votes cast per group and statement.

    Parameters
    ----------
    matrix : VoteMatrix
    group_labels : ndarray of int, shape (n_participants,)
        Group of each participant, ``0..n_groups-1``, or ``-1`` for none.
    n_groups : int

    Returns
    -------
    na, nd, ns : ndarray of int64, shape (n_groups, n_statements)
    """
    n, m = matrix.shape
    labels = np.asarray(group_labels, dtype=np.int64)
    if labels.shape != (n,):
        raise OpinionInputError(f"group_labels must have shape ({n},), got {labels.shape}")
    if labels.size and (labels.max() >= n_groups or labels.min() < -1):
        raise OpinionInputError(f"group_labels must lie in -1..{n_groups - 1}")
    votes = matrix.votes
    row_group = np.repeat(labels, np.diff(votes.indptr))
    grouped = row_group >= 0
    key = row_group[grouped] * m + votes.indices[grouped]
    data = votes.data[grouped]
    size = n_groups * m
    na = np.bincount(key[data == 1], minlength=size).reshape(n_groups, m)
    nd = np.bincount(key[data == -1], minlength=size).reshape(n_groups, m)
    ns = np.bincount(key, minlength=size).reshape(n_groups, m)
    return na.astype(np.int64), nd.astype(np.int64), ns.astype(np.int64)


def group_statement_stats(
    matrix: VoteMatrix, group_labels: NDArray[np.int64], n_groups: int
) -> GroupStatementStats:
    """Counts, probabilities, repness ratios and z-scores for every group and statement.

    See the module docstring for the formulas (Pol.is ``conv-repness``). The "rest" of a
    group is every *other grouped* participant; ungrouped participants count nowhere.
    """
    na, nd, ns = group_vote_counts(matrix, group_labels, n_groups)
    na_rest = na.sum(axis=0, keepdims=True) - na
    nd_rest = nd.sum(axis=0, keepdims=True) - nd
    ns_rest = ns.sum(axis=0, keepdims=True) - ns
    pa = (na + 1.0) / (ns + 2.0)
    pd = (nd + 1.0) / (ns + 2.0)
    return GroupStatementStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((na_rest + 1.0) / (ns_rest + 2.0)),
        rd=pd / ((nd_rest + 1.0) / (ns_rest + 2.0)),
        rat=two_prop_test(na, na_rest, ns, ns_rest),
        rdt=two_prop_test(nd, nd_rest, ns, ns_rest),
    )


def _finalize(
    stats: GroupStatementStats, g: int, j: int, statement_id: int, best_agree: bool = False
) -> RepresentativeStatement:
    # Pol.is finalizes even the best-agree statement by this rule (rat > rdt), then marks it.
    if stats.rat[g, j] > stats.rdt[g, j]:
        return RepresentativeStatement(
            statement_id=statement_id,
            repful_for="agree",
            n_success=int(stats.na[g, j]),
            n_trials=int(stats.ns[g, j]),
            p_success=float(stats.pa[g, j]),
            p_test=float(stats.pat[g, j]),
            repness=float(stats.ra[g, j]),
            repness_test=float(stats.rat[g, j]),
            best_agree=best_agree,
        )
    return RepresentativeStatement(
        statement_id=statement_id,
        repful_for="disagree",
        n_success=int(stats.nd[g, j]),
        n_trials=int(stats.ns[g, j]),
        p_success=float(stats.pd[g, j]),
        p_test=float(stats.pdt[g, j]),
        repness=float(stats.rd[g, j]),
        repness_test=float(stats.rdt[g, j]),
        best_agree=best_agree,
    )


def _best_agree(stats: GroupStatementStats, g: int, columns: NDArray[np.int64]) -> int | None:
    """Pol.is's ``beats-best-agr?`` scan, in statement order: a sequential choice."""
    na, nd = stats.na[g].tolist(), stats.nd[g].tolist()
    ra, rat = stats.ra[g].tolist(), stats.rat[g].tolist()
    pa, pat = stats.pa[g].tolist(), stats.pat[g].tolist()
    best: int | None = None
    for j in columns.tolist():
        if na[j] == 0 and nd[j] == 0:
            continue
        if best is not None and ra[best] > 1.0:
            wins = ra[j] * rat[j] * pa[j] * pat[j] > ra[best] * rat[best] * pa[best] * pat[best]
        elif best is not None:
            wins = pa[j] * pat[j] > pa[best] * pat[best]
        else:
            wins = pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5)
        if wins:
            best = j
    return best


def select_representative(
    stats: GroupStatementStats,
    statement_ids: NDArray[np.int64],
    excluded: NDArray[np.bool_] | None = None,
    pick_max: int = PICK_MAX,
) -> tuple[tuple[RepresentativeStatement, ...], ...]:
    """Choose each group's representative statements as Pol.is does (``select-rep-comments``).

    Parameters
    ----------
    stats : GroupStatementStats
    statement_ids : ndarray of int64, shape (n_statements,)
    excluded : ndarray of bool, shape (n_statements,), optional
        Statements never to choose (moderated out).
    pick_max : int
        At most this many per group (Pol.is: 5).

    Returns
    -------
    tuple of tuple of RepresentativeStatement
        One tuple per group: the "best agree" statement first when there is one, then the
        significant statements by decreasing ``repness * repness_test * p_success *
        p_test``, cut at ``pick_max``, agrees before disagrees. When no statement passes
        the significance test, the single best by ``max(rat, rdt)`` (or the best agree).
    """
    m = statement_ids.size
    if stats.na.shape[1] != m:
        raise OpinionInputError(
            f"statement_ids has {m} entries but the stats cover {stats.na.shape[1]} statements"
        )
    keep = np.ones(m, dtype=bool) if excluded is None else ~np.asarray(excluded, dtype=bool)
    columns = np.flatnonzero(keep).astype(np.int64)
    passes = ((stats.rat > Z_90) & (stats.pat > Z_90)) | ((stats.rdt > Z_90) & (stats.pdt > Z_90))
    out: list[tuple[RepresentativeStatement, ...]] = []
    for g in range(stats.n_groups):
        best_agree_col = _best_agree(stats, g, columns)
        head: list[RepresentativeStatement] = []
        if best_agree_col is not None:
            head = [_finalize(stats, g, best_agree_col, int(statement_ids[best_agree_col]), True)]
        sufficient = columns[passes[g, columns]]
        if sufficient.size == 0:
            if head:
                out.append(tuple(head))
                continue
            if columns.size == 0:
                out.append(())
                continue
            score = np.maximum(stats.rat[g, columns], stats.rdt[g, columns])
            j = int(columns[int(np.argmax(score))])
            out.append((_finalize(stats, g, j, int(statement_ids[j])),))
            continue
        chosen = [
            _finalize(stats, g, int(j), int(statement_ids[j]))
            for j in sufficient
            if best_agree_col is None or int(j) != best_agree_col
        ]
        # Stable sort, as Clojure's sort-by: ties keep statement order.
        chosen.sort(key=lambda r: -(r.repness * r.repness_test * r.p_success * r.p_test))
        picked = (head + chosen)[:pick_max]
        picked = [r for r in picked if r.repful_for == "agree"] + [
            r for r in picked if r.repful_for == "disagree"
        ]
        out.append(tuple(picked))
    return tuple(out)
