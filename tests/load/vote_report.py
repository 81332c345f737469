"""The vote load test's figures: one run per limiter, and the Markdown report written to
``bench/results/opinion_load.md`` (see ``run_vote_load.py``, which measures them)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
from dataclasses import dataclass

GOAL_VOTES_PER_SECOND = 1000


@dataclass
class Run:
    limiter: str
    acknowledged: int
    unanswered: int
    acknowledged_sum: int
    stored_sum: int
    failures: int
    joins: int
    join_failures: int
    votes_per_second: float
    steady_votes_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    stored: int
    cache_rows_written: int
    vote_rows_written: int
    commits: int
    server_cpu_s: float
    postgres_cpu_s: float
    locust_cpu_s: float
    machine_busy: float
    load_before: tuple[float, float, float]
    wall_s: float
    failure_examples: list[str]


def report(runs: list[Run], args: argparse.Namespace, pg_version: str) -> str:
    def n(x: float) -> str:
        return f"{x:,.0f}"

    head = "| measure | " + " | ".join(f"limiter: {r.limiter}" for r in runs) + " | goal |"
    rule = "| --- | " + " | ".join("---" for _ in runs) + " | --- |"
    rows = [
        (
            "votes/s (whole run, ramp-up included)",
            [n(r.votes_per_second) for r in runs],
            f"≥ {GOAL_VOTES_PER_SECOND:,}",
        ),
        (
            "votes/s (after the ramp-up)",
            [n(r.steady_votes_per_second) for r in runs],
            f"≥ {GOAL_VOTES_PER_SECOND:,}",
        ),
        (
            "latency p50 / p95 / p99 (ms)",
            [f"{r.p50_ms:.0f} / {r.p95_ms:.0f} / {r.p99_ms:.0f}" for r in runs],
            "",
        ),
        ("errors (votes, joins)", [f"{r.failures} / {r.join_failures}" for r in runs], "0"),
        ("votes acknowledged (HTTP 200)", [n(r.acknowledged) for r in runs], ""),
        ("votes stored", [n(r.stored) for r in runs], "= acknowledged"),
        (
            "lost (acknowledged, not stored)",
            [n(max(r.acknowledged - r.stored, 0)) for r in runs],
            "0",
        ),
        ("stored, not acknowledged", [n(max(r.stored - r.acknowledged, 0)) for r in runs], "0"),
        (
            "sum of vote values: acknowledged / stored",
            [f"{r.acknowledged_sum} / {r.stored_sum}" for r in runs],
            "equal",
        ),
        ("votes sent without an answer at the end", [n(r.unanswered) for r in runs], ""),
        (
            "database transactions per vote",
            [f"{r.commits / max(r.stored, 1):.2f}" for r in runs],
            "",
        ),
        (
            "cache rows written per 1,000 votes",
            [f"{1000 * r.cache_rows_written / max(r.stored, 1):.1f}" for r in runs],
            "",
        ),
        (
            "server CPU per vote (ms)",
            [f"{1000 * r.server_cpu_s / max(r.acknowledged, 1):.2f}" for r in runs],
            "",
        ),
        (
            "PostgreSQL CPU per vote (ms)",
            [f"{1000 * r.postgres_cpu_s / max(r.acknowledged, 1):.2f}" for r in runs],
            "",
        ),
        (
            "server / PostgreSQL / locust CPU (s)",
            [f"{r.server_cpu_s:.0f} / {r.postgres_cpu_s:.0f} / {r.locust_cpu_s:.0f}" for r in runs],
            "",
        ),
        ("machine CPU busy (all processes)", [f"{100 * r.machine_busy:.0f}%" for r in runs], ""),
        (
            "load average before (1, 5, 15 min)",
            [", ".join(f"{x:.1f}" for x in r.load_before) for r in runs],
            "",
        ),
    ]
    table = "\n".join(
        [head, rule, *(f"| {m} | " + " | ".join(v) + f" | {g} |" for m, v, g in rows)]
    )
    examples = [f"- {r.limiter}: {e}" for r in runs for e in r.failure_examples]
    cores = os.cpu_count() or 0
    lines = [
        "# Vote load test",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `tests/load/run_vote_load.py` "
        f"({args.users} concurrent voters, spawn rate {args.spawn_rate}/s, {args.duration} s).",
        "",
        table,
        "",
        "Setup: "
        f"{cores} CPU cores ({platform.processor() or platform.machine()}), shared with other "
        "jobs (see the load average); "
        f"PostgreSQL {pg_version} on the same machine; `cocity serve --workers "
        f"{args.workers} --threads {args.threads}` (gunicorn gthread, DEBUG off) on loopback; "
        f"locust {_locust_version()} (FastHttpUser, one process) on the same cores. "
        "A consultation of "
        f"{args.statements:,} statements; each voter joins (`POST .../participants/`) and votes "
        "(`POST .../votes/`, JSON, `X-Participant-Token`) with no pause, never twice on one "
        "statement, so every acknowledged vote must be exactly one stored row. The database "
        "has planner statistics (as autovacuum gathers them) and the vote's SQL is prepared "
        "once per connection (`prepare_threshold`, see `cocity/settings.py`).",
        "",
        "Limiters: *hybrid* is cocity's (per-process token buckets, shared count in the "
        "database cache written once per tenth of the limit); *shared* writes the cache on "
        "every vote for each of the two scopes (participant and address), for comparison. "
        "Limits are raised for the test (every voter is 127.0.0.1) but stay on.",
    ]
    lines += ["", *_verdict(runs[0], args)]
    if examples:
        lines += ["", "Failures seen:", *examples]
    return "\n".join(lines) + "\n"


def _verdict(run: Run, args: argparse.Namespace) -> list[str]:
    """How far from the goal, and why, in words (for cocity's own limiter)."""
    lost = max(run.acknowledged - run.stored, 0)
    per_vote = run.server_cpu_s / max(run.acknowledged, 1)
    per_core = 1 / per_vote if per_vote else 0.0
    cores_used = run.server_cpu_s / max(args.duration, 1)
    rate = max(run.votes_per_second, run.steady_votes_per_second)
    head = (
        f"**Goal met**: {rate:,.0f} votes/s."
        if rate >= GOAL_VOTES_PER_SECOND
        else f"**Goal missed** by a factor of {GOAL_VOTES_PER_SECOND / max(rate, 1):.1f} "
        f"({rate:,.0f} of {GOAL_VOTES_PER_SECOND:,} votes/s)."
    )
    return [
        f"{head} Errors: {run.failures + run.join_failures}; lost votes: {lost}. "
        f"The bottleneck is CPU: the web processes spent {1000 * per_vote:.2f} ms of CPU per "
        f"vote (HTTP, middleware, JSON, token check, the one SQL statement), so one core serves "
        f"about {per_core:,.0f} votes/s and {GOAL_VOTES_PER_SECOND:,} votes/s needs about "
        f"{GOAL_VOTES_PER_SECOND / max(per_core, 1):.1f} cores for the web tier (PostgreSQL and "
        f"the load generator apart); PostgreSQL spent "
        f"{1000 * run.postgres_cpu_s / max(run.acknowledged, 1):.2f} ms per vote. Here the web "
        f"processes got {cores_used:.1f} of the "
        f"{os.cpu_count()} cores, shared with PostgreSQL, locust and other jobs "
        f"(load average {run.load_before[0]:.1f} before the run; the machine was "
        f"{100 * run.machine_busy:.0f}% busy). Web processes share nothing but the database, "
        "so more processes on more cores (or machines) add throughput.",
    ]


def _locust_version() -> str:
    try:
        import locust

        return str(locust.__version__)
    except ImportError:
        return "?"
