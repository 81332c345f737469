"""Benchmark: the full ecosystem analysis at national scale, and cocity against NetworkX.

1. A synthetic national ecosystem (100,000 stakeholders, 1,000,000 ties, 5 sectors,
   planted communities of about 100, joint work and ratings; see
   ``cocity.analytics.network.synthetic``): wall time of ``analyse_ecosystem`` (every
   measure, trust and recommendations) with ``n_jobs=1`` and ``n_jobs=2``, and peak memory.
   Goal: <= 10 s and <= 2 GB on 2 cores.
2. On a 5,000-stakeholder / 50,000-tie graph from the same generator: the same measure
   set in cocity and in NetworkX (degree, PageRank, exact betweenness, constraint,
   effective size, communities (Leiden / Louvain), sector mixing matrix), in the same run.
   Goal: NetworkX at least 20 times slower.

Each measured step runs in its own subprocess; peak memory is the largest of the
process tree's summed resident memory, sampled every 20 ms with psutil (a forked worker
shares pages with its parent, so the sum overstates), and the child's own ``ru_maxrss``.

Run from the repository root::

    .venv/bin/python bench/ecosystem.py           # full size, writes bench/results/ecosystem.md
    .venv/bin/python bench/ecosystem.py --quick   # 10,000 / 100,000 and 1,000 / 10,000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 10.0
GOAL_MEMORY_MB = 2048.0
GOAL_RATIO = 20.0

FULL_WORKER = """
import json, resource, sys, time
from cocity.analytics.network import analyse_ecosystem
from cocity.analytics.network.synthetic import synthetic_ecosystem
n, m, jobs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
eco = synthetic_ecosystem(n, m, seed=42)
generated = time.perf_counter() - start
start = time.perf_counter()
cpu_start = time.process_time()
children_start = resource.getrusage(resource.RUSAGE_CHILDREN)
result = analyse_ecosystem(eco.network, work=eco.work, ratings=eco.ratings, seed=1, n_jobs=jobs)
seconds = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu_start + (children.ru_utime - children_start.ru_utime) + (
    children.ru_stime - children_start.ru_stime
)
top = result.betweenness.value.argsort()[::-1][:100]
relative = (result.betweenness.standard_error[top] / result.betweenness.value[top])
print(json.dumps({
    "seconds": seconds, "cpu_seconds": cpu, "generate_seconds": generated,
    "n_ties": result.n_ties,
    "steps": dict(result.timings), "betweenness_sources": result.betweenness.n_sources,
    "top100_median_relative_se": float(sorted(relative)[50]),
    "communities": int((result.communities.sizes > 1).sum()),
    "modularity": result.communities.modularity,
    "recommendations": len(result.recommendations),
    "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

COCITY_WORKER = """
import json, sys, time
import numpy as np
from cocity.analytics.network import (
    betweenness, degree_and_strength, leiden_communities, pagerank, sector_mixing,
    simple_ties, structural_holes, to_igraph, triangles,
)
from cocity.analytics.network.synthetic import synthetic_ecosystem
n, m = int(sys.argv[1]), int(sys.argv[2])
net = synthetic_ecosystem(n, m, seed=7).network
start = time.perf_counter()
ties = simple_ties(net)
g = to_igraph(n, ties)
degree, strength = degree_and_strength(n, ties)
ranks = pagerank(g)
b = betweenness(g, exact_limit=n)
constraint, effective, _ = structural_holes(n, ties, triangles(g))
communities = leiden_communities(g, seed=1)
mixing = sector_mixing(n, net.sector, ties)
seconds = time.perf_counter() - start
np.save(sys.argv[3], b.value)
print(json.dumps({"seconds": seconds, "modularity": communities.modularity}))
"""

NETWORKX_WORKER = """
import json, sys, time
import networkx as nx
import numpy as np
from cocity.analytics.network import simple_ties
from cocity.analytics.network.synthetic import synthetic_ecosystem
n, m = int(sys.argv[1]), int(sys.argv[2])
net = synthetic_ecosystem(n, m, seed=7).network
ties = simple_ties(net)
start = time.perf_counter()
G = nx.Graph()
G.add_nodes_from((i, {"sector": int(s)}) for i, s in enumerate(net.sector.tolist()))
G.add_weighted_edges_from(zip(ties.src.tolist(), ties.dst.tolist(), ties.weight.tolist()))
degree = dict(G.degree()); strength = dict(G.degree(weight="weight"))
ranks = nx.pagerank(G, weight="weight")
lap = time.perf_counter()
b = nx.betweenness_centrality(G, normalized=False)
betweenness_seconds = time.perf_counter() - lap
constraint = nx.constraint(G, weight="weight")
effective = nx.effective_size(G, weight="weight")
communities = nx.community.louvain_communities(G, weight="weight", seed=1)
mixing = nx.attribute_mixing_matrix(G, "sector", mapping={k: k for k in range(5)})
seconds = time.perf_counter() - start
np.save(sys.argv[3], np.array([b[i] for i in range(n)]))
print(json.dumps({
    "seconds": seconds, "betweenness_seconds": betweenness_seconds,
    "modularity": nx.community.modularity(G, communities, weight="weight"),
}))
"""


def run_worker(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; sample the process tree's memory meanwhile."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watched = psutil.Process(process.pid)
    peak = 0.0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree) / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.02)
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"worker failed:\n{err}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_mb"] = peak
    return result


def machine() -> str:
    ram = psutil.virtual_memory().total / 2**30
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, "
        f"load average {load:.1f} at start"
    )


def versions() -> str:
    import igraph
    import leidenalg
    import networkx
    import numpy
    import scipy

    return (
        f"Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"scipy {scipy.__version__}, igraph {igraph.__version__}, "
        f"leidenalg {leidenalg.version}, networkx {networkx.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small smoke sizes")
    args = parser.parse_args(argv)
    big = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    small = (1_000, 10_000) if args.quick else (5_000, 50_000)
    # the generator draws ~5% self-ties and duplicates; ask for a few more to land near m
    big_draw = int(big[1] * 1.05)
    small_draw = int(small[1] * 1.05)
    start_machine = machine()

    print(f"full analysis, {big[0]:,} / {big[1]:,}, n_jobs=1 ...", flush=True)
    serial = run_worker(FULL_WORKER, str(big[0]), str(big_draw), "1")
    print(f"  {serial['seconds']:.2f} s", flush=True)
    print("full analysis, n_jobs=2 ...", flush=True)
    parallel = run_worker(FULL_WORKER, str(big[0]), str(big_draw), "2")
    print(f"  {parallel['seconds']:.2f} s", flush=True)

    tmp = ROOT / "bench" / "results"
    tmp.mkdir(parents=True, exist_ok=True)
    ours_file, theirs_file = tmp / ".ecosystem_cocity.npy", tmp / ".ecosystem_networkx.npy"
    print(f"measure set, {small[0]:,} / {small[1]:,}: cocity ...", flush=True)
    ours = run_worker(COCITY_WORKER, str(small[0]), str(small_draw), str(ours_file))
    print(f"  {ours['seconds']:.2f} s; NetworkX (exact betweenness, minutes) ...", flush=True)
    theirs = run_worker(NETWORKX_WORKER, str(small[0]), str(small_draw), str(theirs_file))
    print(f"  {theirs['seconds']:.2f} s", flush=True)
    import numpy as np

    ours_b, theirs_b = np.load(ours_file), np.load(theirs_file)
    ours_file.unlink()
    theirs_file.unlink()
    agreement = float(np.max(np.abs(ours_b - theirs_b)))
    ratio = theirs["seconds"] / ours["seconds"]

    memory = max(parallel["tree_peak_mb"], serial["tree_peak_mb"])

    def verdict(ok: bool) -> str:
        return "pass" if ok else "miss"

    steps = " · ".join(f"{k} {v:.2f}" for k, v in serial["steps"].items())
    steps_parallel = " · ".join(f"{k} {v:.2f}" for k, v in parallel["steps"].items())
    rows = [
        ("machine", start_machine, "", ""),
        ("versions", versions(), "", ""),
        (
            f"full analysis, {big[0]:,} stakeholders / {serial['n_ties']:,} ties, n_jobs=1",
            f"{serial['seconds']:.2f} s",
            f"<= {GOAL_SECONDS:.0f} s",
            verdict(serial["seconds"] <= GOAL_SECONDS),
        ),
        (
            "full analysis, n_jobs=2 (betweenness and Leiden in a forked worker)",
            f"{parallel['seconds']:.2f} s",
            f"<= {GOAL_SECONDS:.0f} s",
            verdict(parallel["seconds"] <= GOAL_SECONDS),
        ),
        (
            "CPU time of the analysis (process + forked worker), n_jobs=1 / n_jobs=2",
            f"{serial['cpu_seconds']:.2f} s / {parallel['cpu_seconds']:.2f} s",
            "",
            "",
        ),
        ("steps, n_jobs=1 (s)", steps, "", ""),
        ("steps, n_jobs=2 (s)", steps_parallel, "", ""),
        (
            "peak memory, process tree (psutil sum; generation included)",
            f"{serial['tree_peak_mb']:.0f} MB (n_jobs=1), "
            f"{parallel['tree_peak_mb']:.0f} MB (n_jobs=2)",
            f"<= {GOAL_MEMORY_MB:.0f} MB",
            verdict(memory <= GOAL_MEMORY_MB),
        ),
        ("peak memory, analysing process (ru_maxrss)", f"{serial['ru_maxrss_mb']:.0f} MB", "", ""),
        (
            "betweenness: sampled sources, median relative SE of the top 100",
            f"{serial['betweenness_sources']}, {serial['top100_median_relative_se']:.0%}",
            "stated",
            "",
        ),
        (
            "communities (2+ members), modularity; recommendations",
            f"{serial['communities']}, {serial['modularity']:.3f}; {serial['recommendations']}",
            "",
            "",
        ),
        (f"measure set, {small[0]:,} / {small[1]:,}: cocity", f"{ours['seconds']:.2f} s", "", ""),
        (
            "measure set: NetworkX (of which exact betweenness)",
            f"{theirs['seconds']:.2f} s ({theirs['betweenness_seconds']:.2f} s)",
            "",
            "",
        ),
        (
            "NetworkX / cocity",
            f"{ratio:.1f}x",
            f">= {GOAL_RATIO:.0f}x",
            verdict(ratio >= GOAL_RATIO),
        ),
        ("max abs difference of exact betweenness, cocity vs NetworkX", f"{agreement:.2e}", "", ""),
        (
            "modularity: cocity Leiden vs NetworkX Louvain",
            f"{ours['modularity']:.3f} vs {theirs['modularity']:.3f}",
            "",
            "",
        ),
    ]
    lines = [
        "# Ecosystem network benchmark",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/ecosystem.py"
        f"{' --quick' if args.quick else ''}`. Synthetic data (no real data involved): "
        "`cocity.analytics.network.synthetic`, seeds 42 (full) and 7 (comparison). "
        "The machine is shared with other agents working at the same time, so wall times "
        "vary from run to run (the load average at the start is in the first row); CPU "
        "time is what the analysis itself consumed, close to the wall time it would take "
        "on an otherwise idle machine with n_jobs=1.",
        "",
        "| figure | value | goal | result |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        "Same measure set on both sides: degree and strength, weighted PageRank, exact "
        "betweenness (hops), Burt's constraint and effective size (weighted), communities "
        "(cocity: Leiden via igraph; NetworkX: Louvain), sector mixing matrix; graph building "
        "included on both sides.",
        "",
    ]
    out = ROOT / "bench" / "results" / ("ecosystem-quick.md" if args.quick else "ecosystem.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
