"""Benchmark: the opinion map on six real Pol.is conversations (beside red-dwarf) and at scale.

1. Each real conversation of ``../shared/data/polis`` (six Pol.is exports, CC BY 4.0, The
   Computational Democracy Project): the number of groups cocity finds against Pol.is's
   ``summary.csv``; the adjusted Rand index (ARI) of cocity's and red-dwarf's participant
   groups against Pol.is's own ``group-id`` (``participants-votes.csv``), over the
   participants Pol.is grouped; and the time of a full map from vote events, cocity
   (``vote_matrix_from_events`` + ``opinion_map``) against red-dwarf's ``run_pipeline``
   in the same process, alternating, median of repeats.
   Goals: the group count equals Pol.is's on every conversation; cocity's ARI is at least
   red-dwarf's on each, and >= 0.9 where there are >= 200 participants; cocity's time
   <= 0.1 x red-dwarf's.
2. A synthetic conversation of 100,000 participants x 2,000 statements x 4,000,000 votes
   (``cocity.analytics.opinion.synthetic``): full recompute time (vote matrix + map) and
   peak memory of the process. Goals: <= 2 s and <= 1 GB.

Both sides are pinned to one BLAS/OpenMP thread (the machine has two cores and is shared).
Each part runs in its own subprocess; peak memory is the child's ``ru_maxrss``.

Run from the repository root::

    .venv/bin/python bench/opinion.py           # full size, writes bench/results/opinion.md
    .venv/bin/python bench/opinion.py --quick   # 10,000 x 500 x 200,000; opinion-quick.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 0.1
GOAL_ARI = 0.9
GOAL_SECONDS = 2.0
GOAL_MEMORY_MB = 1024.0
SINGLE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

REAL_WORKER = r"""
import json, sys, time, warnings
from pathlib import Path
import numpy as np
from sklearn.metrics import adjusted_rand_score
warnings.filterwarnings("ignore")
from reddwarf.implementations.polis import run_pipeline
from cocity.analytics.opinion import opinion_map, read_polis_export, vote_matrix_from_events

folder, repeats, n_seeds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
export = read_polis_export(folder)
ids, polis = export.polis_groups()
grouped = polis >= 0
keep = ids[grouped]
mod = export.moderated_out_ids()
v = export.votes
# red-dwarf takes one vote per (participant, statement): the latest, as Pol.is counts.
order = np.argsort(v.timestamps, kind="stable")
latest = {}
for i in order.tolist():
    latest[(int(v.voter_ids[i]), int(v.comment_ids[i]))] = i
votes = [
    {"participant_id": p, "statement_id": s, "vote": int(v.votes[i]),
     "modified": int(v.timestamps[i])}
    for (p, s), i in latest.items()
]

def ours(seed=0, keep_ids=keep):
    m = vote_matrix_from_events(v.voter_ids, v.comment_ids, v.votes, v.timestamps)
    return opinion_map(m, moderated_statement_ids=mod, keep_participant_ids=keep_ids, seed=seed)

def theirs(keep_ids=keep):
    return run_pipeline(votes=votes, mod_out_statement_ids=mod.tolist(),
                        keep_participant_ids=keep_ids.tolist(), random_state=0)

def ari_ours(result):
    labels = result.group_labels[np.searchsorted(result.participant_ids, keep)]
    return float(adjusted_rand_score(polis[grouped], labels))

def ari_theirs(result):
    frame = result.participants_df
    labels = frame["cluster_id"].reindex(keep).fillna(-1).astype(int).to_numpy()
    return float(adjusted_rand_score(polis[grouped], labels)), int(frame["cluster_id"].nunique())

ours(); theirs()  # warm-up (imports, caches)
wall_ours, wall_theirs, cpu_ours, cpu_theirs = [], [], [], []
for _ in range(repeats):
    t, c = time.perf_counter(), time.process_time()
    result = ours()
    wall_ours.append(time.perf_counter() - t); cpu_ours.append(time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    red = theirs()
    wall_theirs.append(time.perf_counter() - t); cpu_theirs.append(time.process_time() - c)
red_ari, red_k = ari_theirs(red)
seeded = [ours(seed=s) for s in range(n_seeds)]
seeds = [ari_ours(r) for r in seeded]
seeds_right_k = sum(r.n_groups == int(export.summary_value("groups") or -1) for r in seeded)
default_rule = ours(keep_ids=np.zeros(0, dtype=np.int64))
default_labels = default_rule.group_labels[np.searchsorted(default_rule.participant_ids, keep)]
red_default, _ = ari_theirs(theirs(keep_ids=np.zeros(0, dtype=np.int64)))

# Why agreement with Pol.is is bounded. (1) How well each partition fits the final map: the
# k-means objective (within-group sum of squares) on cocity's projection of Pol.is's grouped
# participants, for Pol.is's groups, cocity's, red-dwarf's, and the best of 50 k-means++ runs.
from sklearn.cluster import KMeans
X = result.pca.participant_projections[np.searchsorted(result.participant_ids, keep)]
def inertia(labels):
    return float(sum(((X[labels == c] - X[labels == c].mean(0)) ** 2).sum()
                     for c in np.unique(labels)))
k_polis = max(int(export.summary_value("groups") or 2), 2)
best = min((KMeans(k_polis, n_init=1, random_state=s).fit(X) for s in range(50)),
           key=lambda fit: fit.inertia_)
red_labels = red.participants_df["cluster_id"].reindex(keep).fillna(-1).astype(int).to_numpy()
# (2) Pol.is's groups come out of the conversation's history: each update starts from the
# previous one. Replay the export's votes in time order through cocity's updates at several
# cadences (the export does not say when Pol.is updated).
order = np.argsort(v.timestamps, kind="stable")
stamps = v.timestamps[order]
def every(n):
    return list(range(n, stamps.size, n)) + [stamps.size]
def window(ms):
    w = (stamps - stamps[0]) // ms
    return (np.flatnonzero(np.diff(w)) + 1).tolist() + [stamps.size]
def replay(cuts):
    prev = None
    for c in cuts:
        sel = order[:c]
        m = vote_matrix_from_events(v.voter_ids[sel], v.comment_ids[sel], v.votes[sel],
                                    v.timestamps[sel])
        prev = opinion_map(m, moderated_statement_ids=mod, previous=prev)
    labels = prev.group_labels[np.searchsorted(prev.participant_ids, keep)]
    return {"ari": float(adjusted_rand_score(polis[grouped], labels)),
            "groups": prev.n_groups, "updates": len(cuts)}
replays = {"every 100 votes": replay(every(100)), "every 1,000 votes": replay(every(1000)),
           "hourly": replay(window(3_600_000)), "daily": replay(window(86_400_000))}
print(json.dumps({
    "inertia_polis": inertia(polis[grouped]),
    "inertia_cocity": inertia(result.group_labels[np.searchsorted(result.participant_ids, keep)]),
    "inertia_red_dwarf": inertia(red_labels),
    "inertia_best": float(best.inertia_),
    "ari_best": float(adjusted_rand_score(polis[grouped], best.labels_)),
    "replays": replays,
    "name": folder.name,
    "participants": int(result.participant_ids.size),
    "polis_grouped": int(grouped.sum()),
    "votes": int(v.votes.size),
    "polis_groups": int(export.summary_value("groups") or -1),
    "cocity_groups": result.n_groups,
    "red_dwarf_groups": red_k,
    "cocity_ari": ari_ours(result),
    "red_dwarf_ari": red_ari,
    "cocity_ari_seeds": seeds,
    "cocity_seeds_right_k": int(seeds_right_k),
    "cocity_ari_default_rule": float(adjusted_rand_score(polis[grouped], default_labels)),
    "red_dwarf_ari_default_rule": red_default,
    "cocity_seconds": float(np.median(wall_ours)),
    "red_dwarf_seconds": float(np.median(wall_theirs)),
    "cocity_cpu_seconds": float(np.median(cpu_ours)),
    "red_dwarf_cpu_seconds": float(np.median(cpu_theirs)),
}))
"""

SYNTHETIC_WORKER = r"""
import json, resource, sys, time
import numpy as np
from sklearn.metrics import adjusted_rand_score
from cocity.analytics.opinion import opinion_map, synthetic_conversation, vote_matrix_from_events

n, m, votes, repeats = (int(x) for x in sys.argv[1:5])
start = time.perf_counter()
conv = synthetic_conversation(n, m, votes, n_groups=3, seed=42)
generated = time.perf_counter() - start
rss_inputs = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
walls, cpus, matrix_walls = [], [], []
for _ in range(repeats):
    t, c = time.perf_counter(), time.process_time()
    matrix = vote_matrix_from_events(conv.participant_ids, conv.statement_ids, conv.votes,
                                     conv.timestamps)
    matrix_walls.append(time.perf_counter() - t)
    result = opinion_map(matrix, moderated_statement_ids=conv.moderated_statement_ids)
    walls.append(time.perf_counter() - t); cpus.append(time.process_time() - c)
t = time.perf_counter()
update = opinion_map(matrix, moderated_statement_ids=conv.moderated_statement_ids,
                     previous=result.state())
update_seconds = time.perf_counter() - t
sure = matrix.votes_per_participant() >= 40
print(json.dumps({
    "participants": int(matrix.shape[0]), "statements": int(matrix.shape[1]),
    "events": int(conv.votes.size), "votes": int(matrix.n_votes),
    "in_conv": int(result.in_conv.sum()), "groups": result.n_groups,
    "generate_seconds": generated,
    "seconds": float(np.median(walls)), "seconds_all": walls,
    "cpu_seconds": float(np.median(cpus)),
    "matrix_seconds": float(np.median(matrix_walls)),
    "update_seconds": update_seconds, "update_groups": update.n_groups,
    "planted_ari_40_votes": float(adjusted_rand_score(conv.true_groups[sure],
                                                      result.group_labels[sure])),
    "rss_inputs_mb": rss_inputs,
    "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def shared_data() -> Path:
    env = os.environ.get("COCITY_SHARED_DATA")
    return Path(env) if env else ROOT / ".." / "shared" / "data"


def run_worker(code: str, *args: object, timeout: float = 3600) -> dict:
    env = {**os.environ, **SINGLE_THREAD, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - this interpreter and our own worker code
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def versions() -> str:
    names = ("numpy", "scipy", "scikit-learn", "pandas", "red-dwarf")
    parts = [f"Python {platform.python_version()}"]
    parts += [f"{n} {metadata.version(n)}" for n in names]
    return ", ".join(parts)


def verdict(ok: bool) -> str:
    return "pass" if ok else "miss"


def why_bounded(real: list[dict]) -> str:
    """In words, from the figures: why no map of the final votes can match Pol.is closely."""
    gap = {r["name"]: r["inertia_polis"] / r["inertia_best"] - 1 for r in real}
    worse = [r for r in real if gap[r["name"]] > 1e-9]
    excess = ", ".join(f"{r['name']} +{100 * gap[r['name']]:.2f}%" for r in worse)
    big = [r for r in real if r["participants"] >= 200]
    close = [r for r in big if gap[r["name"]] < 0.01]
    spread = "; ".join(
        f"{r['name']} {min(x['ari'] for x in r['replays'].values()):.3f} to "
        f"{max(x['ari'] for x in r['replays'].values()):.3f}"
        for r in real
    )
    best_aris = [r["ari_best"] for r in close]
    near = (
        f"On {len(close)} of the {len(big)} conversations of 200 or more participants Pol.is's "
        "partition is within 1% of the best one, yet the best one agrees with it only to ARI "
        f"{min(best_aris):.3f} to {max(best_aris):.3f}: the objective is nearly flat there, "
        "and partitions of almost equal quality split the boundary people differently. "
        if close
        else ""
    )
    return (
        "Why agreement with Pol.is is bounded: Pol.is's groups are not a clustering of the "
        "final votes but the last step of the conversation's history (each Pol.is update "
        "starts its k-means from the previous one), which an export does not carry. On the "
        "final map, Pol.is's own partition has a higher within-group sum of squares than the "
        f"best of 50 k-means runs on {len(worse)} of {len(real)} conversations "
        f"({excess or 'none'}), so clustering the final votes better does not bring a method "
        f"closer to Pol.is. {near}Replaying each export's votes in time order through "
        "cocity's incremental updates, changing nothing but how often the map is updated, "
        f"moves the agreement a lot ({spread}): the ARI against Pol.is measures the "
        "conversation's history as much as the method."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke size")
    args = parser.parse_args(argv)
    polis = shared_data() / "polis"
    if not polis.is_dir():
        print(
            f"bench/opinion.py: real Pol.is exports not found at {polis}; set COCITY_SHARED_DATA",
            file=sys.stderr,
        )
        return 2
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    repeats, n_seeds = (3, 3) if args.quick else (7, 10)
    size = (10_000, 500, 200_000, 2) if args.quick else (100_000, 2_000, 4_000_000, 3)

    real = []
    for folder in sorted(polis.iterdir()):
        print(f"real: {folder.name}", file=sys.stderr)
        real.append(run_worker(REAL_WORKER, folder, repeats, n_seeds))
    print("synthetic", size, file=sys.stderr)
    synth = run_worker(SYNTHETIC_WORKER, *size)

    rows = [
        (
            "machine",
            f"{platform.machine()}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, load average {load:.1f} "
            "at start",
            "",
            "",
        ),
        ("versions", versions(), "", ""),
    ]
    count_ok = all(r["cocity_groups"] == r["polis_groups"] for r in real)
    ratio_ok = True
    for r in real:
        name = f"{r['name']} ({r['participants']} participants, {r['polis_grouped']} grouped "
        name += f"by Pol.is, {r['votes']:,} votes)"
        seeds = sorted(r["cocity_ari_seeds"])
        big = r["participants"] >= 200
        ari_goal = f">= red-dwarf{' and >= 0.9' if big else ''}"
        ari_ok = r["cocity_ari"] >= r["red_dwarf_ari"] and (not big or r["cocity_ari"] >= GOAL_ARI)
        ratio = r["cocity_seconds"] / r["red_dwarf_seconds"]
        ratio_ok &= ratio <= GOAL_RATIO
        rows += [
            (
                f"**{name}**: groups cocity / Pol.is / red-dwarf",
                f"{r['cocity_groups']} / {r['polis_groups']} / {r['red_dwarf_groups']}",
                "cocity = Pol.is",
                verdict(r["cocity_groups"] == r["polis_groups"]),
            ),
            (
                "  ARI vs Pol.is: cocity (seed 0) / red-dwarf",
                f"{r['cocity_ari']:.3f} / {r['red_dwarf_ari']:.3f}",
                ari_goal,
                verdict(ari_ok),
            ),
            (
                f"  cocity over {len(seeds)} seeds: ARI min / median / max; seeds giving "
                "Pol.is's group count",
                f"{seeds[0]:.3f} / {seeds[len(seeds) // 2]:.3f} / {seeds[-1]:.3f}; "
                f"{r['cocity_seeds_right_k']} of {len(seeds)}",
                "",
                "",
            ),
            (
                "  ARI with the plain vote threshold (no Pol.is in-conv set): cocity / red-dwarf",
                f"{r['cocity_ari_default_rule']:.3f} / {r['red_dwarf_ari_default_rule']:.3f}",
                "",
                "",
            ),
            (
                "  time, median wall (CPU): cocity / red-dwarf",
                f"{r['cocity_seconds'] * 1000:.1f} ms ({r['cocity_cpu_seconds'] * 1000:.1f}) / "
                f"{r['red_dwarf_seconds'] * 1000:.1f} ms ({r['red_dwarf_cpu_seconds'] * 1000:.1f})",
                "",
                "",
            ),
            ("  cocity / red-dwarf time", f"{ratio:.3f}x", "<= 0.1x", verdict(ratio <= GOAL_RATIO)),
            (
                "  fit to the final map (within-group sum of squares): Pol.is / cocity / "
                "red-dwarf / best of 50 k-means; ARI of that best vs Pol.is",
                f"{r['inertia_polis']:,.1f} / {r['inertia_cocity']:,.1f} / "
                f"{r['inertia_red_dwarf']:,.1f} / {r['inertia_best']:,.1f}; {r['ari_best']:.3f}",
                "",
                "",
            ),
            (
                "  history replayed through cocity's updates (no kept set): ARI, groups",
                "; ".join(
                    f"{cadence} ({x['updates']:,} updates) {x['ari']:.3f}, {x['groups']}"
                    for cadence, x in r["replays"].items()
                ),
                "",
                "",
            ),
        ]
    label = (
        f"synthetic {synth['participants']:,} participants x {synth['statements']:,} "
        f"statements x {synth['events']:,} vote events ({synth['votes']:,} distinct)"
    )
    rows += [
        (
            f"**{label}**: full recompute (matrix + map), median of {size[3]} wall (CPU)",
            f"{synth['seconds']:.2f} s ({synth['cpu_seconds']:.2f} s); matrix "
            f"{synth['matrix_seconds']:.2f} s",
            f"<= {GOAL_SECONDS:.0f} s" if not args.quick else "",
            verdict(synth["seconds"] <= GOAL_SECONDS),
        ),
        (
            "  peak memory of the process (ru_maxrss; inputs and imports included)",
            f"{synth['ru_maxrss_mb']:.0f} MB (after generating the inputs: "
            f"{synth['rss_inputs_mb']:.0f} MB)",
            f"<= {GOAL_MEMORY_MB:.0f} MB",
            verdict(synth["ru_maxrss_mb"] <= GOAL_MEMORY_MB),
        ),
        ("  update with the previous map (warm start)", f"{synth['update_seconds']:.2f} s", "", ""),
        (
            "  clustered participants, groups; planted-group ARI (participants with >= 40 votes)",
            f"{synth['in_conv']:,}, {synth['groups']}; {synth['planted_ari_40_votes']:.3f}",
            "",
            "",
        ),
    ]
    name = "opinion-quick.md" if args.quick else "opinion.md"
    command = ".venv/bin/python bench/opinion.py" + (" --quick" if args.quick else "")
    lines = [
        "# Opinion map benchmark",
        "",
        f"Run {started} with `{command}`. The machine is shared with other agents working "
        "at the same time, so wall times vary from run to run (the load average at the start "
        "is in the first row); CPU times are given beside them. Both sides run in one process "
        "per conversation, pinned to one BLAS/OpenMP thread, alternating, median of "
        f"{repeats} repeats after a warm-up.",
        "",
        "| figure | value | goal | result |",
        "| --- | --- | --- | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"Group count equal to Pol.is's on every conversation: **{verdict(count_ok)}**. "
        f"cocity <= 0.1x red-dwarf's time on every conversation: **{verdict(ratio_ok)}**.",
        "",
        "How agreement is measured: adjusted Rand index between cocity's (or red-dwarf's) "
        "group of each participant and Pol.is's `group-id`, over the participants Pol.is "
        "grouped only (Pol.is leaves `group-id` empty for the others). Both cocity and "
        "red-dwarf are given Pol.is's grouped participants as participants to keep in the "
        "conversation (Pol.is keeps a participant in once they qualified, a history the "
        "export does not carry; red-dwarf's `keep_participant_ids` exists for this); the row "
        "'plain vote threshold' shows the figure without it (participants then left out count "
        "as one more group). cocity's seed only drives the extra k-means starts. red-dwarf "
        "runs its `run_pipeline` (PCA, k-means on all participants with k chosen by "
        "silhouette, no base clusters) with `random_state=0` on the latest vote of each "
        "participant and statement.",
        "",
        why_bounded(real),
        "",
        "Data: six Pol.is conversations from `../shared/data/polis`. Data was gathered using "
        "the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 "
        "with Attribution to The Computational Democracy Project "
        "(https://compdemocracy.org/case-studies/2014-seattle-15-per-hour, "
        "https://compdemocracy.org/case-studies/2017-brexit-consensus, "
        "https://compdemocracy.org/case-studies/2016-canadian-electoral-reform, "
        "https://compdemocracy.org/case-studies/2022-london-youth-policing, "
        "https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity; "
        "vTaiwan UberX: https://pol.is/3phdex2kjf). Synthetic data: "
        "`cocity.analytics.opinion.synthetic`, seed 42.",
        "",
    ]
    out = ROOT / "bench" / "results" / name
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
