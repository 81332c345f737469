"""Load test of voting: 100 concurrent voters against ``cocity serve`` on PostgreSQL.

Run from the project's root::

    .venv/bin/python tests/load/run_vote_load.py [--users 100] [--duration 30]
        [--workers 2] [--threads 4] [--limiter both|hybrid|shared]

For each limiter (by default both: the in-memory one cocity uses, then the cache on every
vote, to measure what the first one saves) it:

1. drops and creates the PostgreSQL database ``cocity_load`` (``--pg`` names the server),
   migrates it, creates a public territory with an open consultation of ``--statements``
   statements and gathers planner statistics (``ANALYZE``, as autovacuum would);
2. starts ``cocity serve`` on a free loopback port (gunicorn, DEBUG off) with the settings
   of ``tests/load/settings.py`` (the vote limits raised, since every voter comes from
   127.0.0.1, but left on);
3. runs locust headless (``--users`` voters, ``--spawn-rate`` a second, ``--duration``
   seconds): each voter joins (``POST .../participants/``) and then votes (``POST
   .../votes/``, the JSON API) as fast as the server answers, never twice on one statement;
4. counts the votes stored and compares them with the votes acknowledged (HTTP 200), reads
   PostgreSQL's row counters (votes and cache rows written) and the CPU time each side used.

It writes the table to ``bench/results/opinion_load.md`` and drops the database. Bounded in
time: about ``2 * (duration + 40)`` seconds. Needs PostgreSQL (default
``postgres://postgres@127.0.0.1:5432``) and locust (in requirements/test.txt).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.load.vote_report import Run, report  # noqa: E402  (after the root is on the path)

BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "results" / "opinion_load.md"
SETTINGS = "tests.load.settings"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _admin_connection(pg: str) -> Any:
    import psycopg

    return psycopg.connect(f"{pg}/postgres", autocommit=True)


def _recreate_database(pg: str, name: str) -> None:
    with _admin_connection(pg) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(pg: str, name: str) -> None:
    with _admin_connection(pg) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, data_dir: Path, limiter: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "COCITY_DATA_DIR": str(data_dir),
        "COCITY_VOTE_LIMITER": limiter,
        "COCITY_LOG_LEVEL": "ERROR",
    }


def _prepare(env: dict[str, str], n_statements: int, plan_path: Path) -> dict[str, Any]:
    """Migrate, then create the territory, the consultation and its statements (in a child
    process, so that this one never holds a connection to the database it drops)."""
    cocity = [str(BIN / "cocity")]
    subprocess.run([*cocity, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*cocity, "createcachetable"], env=env, check=True, cwd=ROOT)
    script = f"""
import json, django
django.setup()
from cocity.engagement.models import Statement, StatementStatus
from cocity.engagement.services import conversation_create
from cocity.territories.models import Territory
from django.utils import timezone
territory = Territory.objects.create(name="Load town", slug="load", is_public=True)
conv = conversation_create(territory=territory, actor=None, title="Load test", status="open")
now = timezone.now()
Statement.objects.bulk_create(
    Statement(conversation=conv, number=i, text=f"Statement {{i}}", is_seed=True,
              status=StatementStatus.ACCEPTED, moderated_at=now, created_at=now)
    for i in range({n_statements})
)
ids = list(Statement.objects.filter(conversation=conv).values_list("pk", flat=True))
plan = {{"slug": "load", "conversation": conv.pk, "statements": ids}}
json.dump(plan, open({str(plan_path)!r}, "w"))
# Planner statistics, as autovacuum gathers them within a minute of the statements being
# added: without them PostgreSQL may find a statement through its conversation's index and
# read every statement of the conversation on each vote.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT)
    return dict(json.loads(plan_path.read_text()))


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise SystemExit(f"cocity serve stopped (exit {proc.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"cocity serve did not answer on {url} within {timeout:.0f} s")


def _pg_counters(database_url: str) -> dict[str, int]:
    """Rows written to the cache and vote tables, and transactions, so far (PostgreSQL's
    statistics; read after a pause so that the backends have reported them)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(1.0)
        rows = conn.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables "
            "WHERE relname IN ('cocity_cache', 'engagement_vote')"
        ).fetchall()
        commits = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    counters = {name: int(n) for name, n in rows}
    counters["commits"] = int(commits[0]) if commits else 0
    return counters


def _stored_votes(database_url: str, conversation: int) -> tuple[int, int]:
    """The votes stored, and the sum of their values (a check that each kept its value)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*), coalesce(sum(value), 0) FROM engagement_vote "
            "WHERE conversation_id = %s",
            [conversation],
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _cpu_busy() -> tuple[float, float]:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [float(v) for v in fields]
    idle = values[3] + values[4]
    return sum(values), idle


def _tree_cpu(pid: int) -> float:
    import psutil

    try:
        root = psutil.Process(pid)
        total = 0.0
        for p in [root, *root.children(recursive=True)]:
            times = p.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return 0.0


def _postgres_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL processes of this machine (the server runs
    here; its backends for the web processes live as long as their connections)."""
    import psutil

    total = 0.0
    for p in psutil.process_iter(["name"]):
        if p.info["name"] in {"postgres", "postmaster"}:
            try:
                times = p.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
    return total


def _read_stats(prefix: Path) -> dict[str, dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _steady_rate(prefix: Path, ramp_s: float) -> float:
    """Votes a second after the ramp-up, from the per-second history."""
    path = prefix.parent / f"{prefix.name}_stats_history.csv"
    if not path.exists():
        return 0.0
    points = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("Name") == "vote":
                points.append((float(row["Timestamp"]), int(row["Total Request Count"])))
    if len(points) < 3:
        return 0.0
    start = points[0][0] + ramp_s + 1
    steady = [p for p in points if p[0] >= start]
    if len(steady) < 2 or steady[-1][0] <= steady[0][0]:
        return 0.0
    return (steady[-1][1] - steady[0][1]) / (steady[-1][0] - steady[0][0])


def run_once(args: argparse.Namespace, limiter: str) -> Run:
    database_url = f"{args.pg}/{args.database}"
    with tempfile.TemporaryDirectory(prefix="cocity-load-") as tmp:
        work = Path(tmp)
        env = _env(database_url, work, limiter)
        _recreate_database(args.pg, args.database)
        plan = _prepare(env, args.statements, work / "plan.json")
        port = _free_port()
        server_log = (work / "server.log").open("wb")
        server = subprocess.Popen(
            [
                str(BIN / "cocity"),
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--no-migrate",
                "--no-collectstatic",
            ],
            env=env,
            cwd=ROOT,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            host = f"http://127.0.0.1:{port}"
            _wait_until_up(
                f"{host}/api/v1/territories/load/consultations/{plan['conversation']}/",
                server,
                work / "server.log",
            )
            before = _pg_counters(database_url)
            load_before = os.getloadavg()
            server_cpu_before = _tree_cpu(server.pid)
            postgres_cpu_before = _postgres_cpu()
            total0, idle0 = _cpu_busy()
            started = time.monotonic()
            prefix = work / "locust"
            log = (work / "locust.log").open("wb")
            locust = subprocess.Popen(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.spawn_rate),
                    "-t",
                    f"{args.duration}s",
                    "--stop-timeout",
                    "5",
                    "--host",
                    host,
                    "--csv",
                    str(prefix),
                    "--csv-full-history",
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                ],
                env={
                    **env,
                    "COCITY_LOAD_PLAN": str(work / "plan.json"),
                    "COCITY_LOAD_COUNTS": str(work / "counts.json"),
                },
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
            usage = _wait_with_usage(locust, args.duration + 60)
            locust_cpu = usage.ru_utime + usage.ru_stime
            wall = time.monotonic() - started
            total1, idle1 = _cpu_busy()
            server_cpu = _tree_cpu(server.pid) - server_cpu_before
            postgres_cpu = _postgres_cpu() - postgres_cpu_before
            time.sleep(1.0)  # let in-flight requests finish before counting
            stored, stored_sum = _stored_votes(database_url, plan["conversation"])
            after = _pg_counters(database_url)
        finally:
            _stop(server)
        stats = _read_stats(prefix)
        steady = _steady_rate(prefix, args.users / args.spawn_rate)
        counts = (
            json.loads((work / "counts.json").read_text())
            if (work / "counts.json").exists()
            else {}
        )
        failures_path = work / "locust_failures.csv"
        examples: list[str] = []
        if failures_path.exists():
            with failures_path.open(encoding="utf-8") as handle:
                examples = [
                    f"{r['Name']}: {r['Error']} (x{r['Occurrences']})"
                    for r in csv.DictReader(handle)
                ][:5]
    vote = stats.get("vote", {})
    join = stats.get("join", {})
    acknowledged = int(counts.get("acknowledged", 0))
    failures = int(counts.get("refused", vote.get("Failure Count", 0) or 0))
    busy = 1.0 - (idle1 - idle0) / max(total1 - total0, 1.0)
    return Run(
        limiter=limiter,
        acknowledged=acknowledged,
        unanswered=int(counts.get("sent", 0)) - acknowledged - failures,
        acknowledged_sum=int(counts.get("vote_sum", 0)),
        stored_sum=stored_sum,
        failures=failures,
        joins=int(join.get("Request Count", 0) or 0),
        join_failures=int(join.get("Failure Count", 0) or 0),
        votes_per_second=acknowledged / args.duration,
        steady_votes_per_second=steady,
        p50_ms=float(vote.get("50%", 0) or 0),
        p95_ms=float(vote.get("95%", 0) or 0),
        p99_ms=float(vote.get("99%", 0) or 0),
        stored=stored,
        cache_rows_written=after.get("cocity_cache", 0) - before.get("cocity_cache", 0),
        vote_rows_written=after.get("engagement_vote", 0) - before.get("engagement_vote", 0),
        commits=after.get("commits", 0) - before.get("commits", 0),
        server_cpu_s=server_cpu,
        postgres_cpu_s=postgres_cpu,
        locust_cpu_s=locust_cpu,
        machine_busy=busy,
        load_before=load_before,
        wall_s=wall,
        failure_examples=examples,
    )


def _wait_with_usage(proc: subprocess.Popen[bytes], timeout: float) -> Any:
    """Wait for ``proc`` (killed after ``timeout`` s) and return its resource usage."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage
        time.sleep(0.2)
    proc.kill()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers (they share the session the server started)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _pg_version(pg: str) -> str:
    with _admin_connection(pg) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    # `cocity serve`'s own defaults: the load test measures the server as shipped.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--limiter", choices=["both", "hybrid", "shared"], default="both")
    parser.add_argument(
        "--pg", default=os.environ.get("COCITY_LOAD_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database", default="cocity_load")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    limiters = ["hybrid", "shared"] if args.limiter == "both" else [args.limiter]
    runs = []
    try:
        for limiter in limiters:
            print(
                f"running {args.users} voters for {args.duration} s (limiter: {limiter})…",
                flush=True,
            )
            runs.append(run_once(args, limiter))
    finally:
        _drop_database(args.pg, args.database)
    text = report(runs, args, _pg_version(args.pg))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
