"""Benchmark: point-in-area assignment and the equity report at national scale.

All 32,844 English LSOAs (2011) with IMD 2019, and 10,000,000 synthetic asset points
given as lon/lat arrays. Measures, each step in its own subprocess (peak memory read
from the child's ``VmHWM``):

- cocity's ``assign_points`` (method "auto": the scan at this size) against ``geopandas.sjoin(...,
  predicate="intersects")`` on the same input, in the same run, as a ratio; checks that
  the two give the same area per point (lowest area index for border points);
- the full ``equity_report`` (assignment, areas, Gini, concentration index, Theil,
  what-if for 100 new assets) on the same input.

Run from the repository root::

    .venv/bin/python bench/equity.py            # full size, writes bench/results/equity.md
    .venv/bin/python bench/equity.py --quick    # 200,000 points, smoke size

Data: boundaries and IMD from the Office for National Statistics and MHCLG (Open
Government Licence v3.0, via the geographr and IMD packages); contains OS data © Crown
copyright and database right.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 0.5
GOAL_SECONDS = 10.0


def shared_data() -> Path:
    env = os.environ.get("COCITY_SHARED_DATA")
    return Path(env) if env else ROOT / ".." / "shared" / "data"


def synthetic_points(bounds: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points spread like people: a random area (LSOAs hold similar populations),
    then a uniform point in that area's bounding box (so some fall in a neighbour, or in
    the sea). ``bounds`` is the (n_areas, 4) array of area bounding boxes."""
    rng = np.random.default_rng(seed)
    area = rng.integers(0, bounds.shape[0], n)
    lon = bounds[area, 0] + rng.random(n) * (bounds[area, 2] - bounds[area, 0])
    lat = bounds[area, 1] + rng.random(n) * (bounds[area, 3] - bounds[area, 1])
    return lon, lat


# Each worker loads its inputs, times only the measured step, and prints one JSON line.
_WORKER = r"""
import json, sys, time
import numpy as np, shapely


def peak_rss_mb():
    # VmHWM is this process's own high-water mark; ru_maxrss would also count the
    # parent's memory at fork time, which Linux carries across exec.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


sys.path.insert(0, {root!r})
tmp = {tmp!r}
polygons = shapely.from_wkb(np.load(tmp + "/polygons.npy", allow_pickle=True))
lon = np.load(tmp + "/lon.npy"); lat = np.load(tmp + "/lat.npy")
rss_inputs = peak_rss_mb()
extra = {{}}
{body}
extra["rss_inputs_mb"] = rss_inputs
extra["peak_rss_mb"] = peak_rss_mb()
print(json.dumps(extra))
"""

_OURS = r"""
from cocity.analytics.equity import assign_points
t = time.perf_counter()
result = assign_points(polygons, lon, lat, n_jobs=JOBS)
extra["method"] = result.method
extra["seconds"] = time.perf_counter() - t
np.save(tmp + "/ours_JOBS.npy", result.area_index)
"""

_GEOPANDAS = r"""
import geopandas as gpd
t = time.perf_counter()
left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat))
right = gpd.GeoDataFrame(geometry=polygons)
joined = gpd.sjoin(left, right, how="left", predicate="intersects")
extra["seconds"] = time.perf_counter() - t
t = time.perf_counter()
lowest = joined["index_right"].groupby(level=0).min()
area = lowest.reindex(range(len(lon))).fillna(-1).astype(np.int64).to_numpy()
extra["tie_break_seconds"] = time.perf_counter() - t
extra["rows"] = int(len(joined))
np.save(tmp + "/geopandas.npy", area)
"""

_REPORT = r"""
import pickle
from cocity.analytics.equity import Areas, Points, equity_report
with open(tmp + "/areas.pkl", "rb") as handle:
    codes, indicators = pickle.load(handle)
t = time.perf_counter()
areas = Areas(codes=codes, polygons=polygons, indicators=indicators)
points = Points(lon=lon, lat=lat, type_codes=np.zeros(len(lon), np.int64), type_names=("sensor",))
report = equity_report(areas, points, rank_indicator="IMD_rank", group_indicator="IMD_decile",
                       new_assets=100)
extra["seconds"] = time.perf_counter() - t
extra["concentration_index"] = report.concentration.value
extra["gini"] = report.gini
"""


def run_worker(tmp: str, body: str) -> dict[str, float]:
    code = _WORKER.format(root=str(ROOT), tmp=tmp, body=body)
    # This same Python runs code written above: no untrusted input.
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    import psutil

    ram = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), {ram:.0f} GiB RAM"
    )


def versions() -> str:
    import geopandas
    import pandas
    import shapely

    return (
        f"Python {platform.python_version()}, numpy {np.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), geopandas "
        f"{geopandas.__version__}, pandas {pandas.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 points (smoke size)")
    parser.add_argument("--points", type=int, help="number of synthetic points")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "equity.md")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    n_points = args.points or (200_000 if args.quick else 10_000_000)

    source = shared_data() / "places" / "england_lsoa11_imd2019.geojson.gz"
    if not source.is_file():
        print(f"bench/equity.py: the LSOA data is missing ({source}); set COCITY_SHARED_DATA")
        return 2
    import pickle

    import shapely

    from cocity.analytics.equity import read_areas_geojson

    t = time.perf_counter()
    imported = read_areas_geojson(source)
    load_seconds = time.perf_counter() - t
    areas = imported.areas
    lon, lat = synthetic_points(shapely.bounds(areas.polygons), n_points, args.seed)
    print(f"{len(areas)} areas read in {load_seconds:.1f} s; {n_points:,} points", flush=True)

    with tempfile.TemporaryDirectory(prefix="cocity-bench-equity-") as tmp:
        np.save(f"{tmp}/polygons.npy", shapely.to_wkb(areas.polygons))
        np.save(f"{tmp}/lon.npy", lon)
        np.save(f"{tmp}/lat.npy", lat)
        with open(f"{tmp}/areas.pkl", "wb") as handle:
            pickle.dump((areas.codes, dict(areas.indicators)), handle)
        del lon, lat
        ours = run_worker(tmp, _OURS.replace("JOBS", "1"))
        print(f"cocity ({ours['method']}): {ours['seconds']:.2f} s", flush=True)
        jobs = os.cpu_count() or 1
        spread = run_worker(tmp, _OURS.replace("JOBS", str(jobs)))
        print(f"cocity, n_jobs={jobs}: {spread['seconds']:.2f} s", flush=True)
        anchor = run_worker(tmp, _GEOPANDAS)
        print(f"geopandas sjoin: {anchor['seconds']:.2f} s", flush=True)
        reference = np.load(f"{tmp}/geopandas.npy")
        same = bool(np.array_equal(np.load(f"{tmp}/ours_1.npy"), reference))
        same_spread = bool(np.array_equal(np.load(f"{tmp}/ours_{jobs}.npy"), reference))
        outside = int((reference < 0).sum())
        report = run_worker(tmp, _REPORT)
        print(f"equity report: {report['seconds']:.2f} s", flush=True)

    ratio = ours["seconds"] / anchor["seconds"]
    loaded = os.getloadavg()[0]
    rows = [
        ("machine", machine(), "", ""),
        ("versions", versions(), "", ""),
        (
            "input",
            f"{len(areas):,} LSOAs (England, 2011), {n_points:,} synthetic points, "
            f"{outside:,} of them in no LSOA",
            "",
            "",
        ),
        ("read the LSOA GeoJSON (gzip), validate, repair", f"{load_seconds:.2f} s", "", ""),
        (
            f"cocity `assign_points` time, one process (method chosen: {ours['method']})",
            f"{ours['seconds']:.2f} s",
            f"< {GOAL_SECONDS:.0f} s",
            "pass" if ours["seconds"] < GOAL_SECONDS else "miss",
        ),
        (
            f"cocity `assign_points(..., n_jobs={jobs})` time (all {jobs} cores)",
            f"{spread['seconds']:.2f} s",
            f"< {GOAL_SECONDS:.0f} s",
            "pass" if spread["seconds"] < GOAL_SECONDS else "miss",
        ),
        (
            "geopandas `sjoin(predicate='intersects')` time (anchor)",
            f"{anchor['seconds']:.2f} s",
            "",
            "",
        ),
        (
            "time ratio cocity / geopandas",
            f"{ratio:.3f}",
            f"<= {GOAL_RATIO}",
            "pass" if ratio <= GOAL_RATIO else "miss",
        ),
        (
            "identical assignment (lowest area index on borders), one process / all cores",
            f"{'yes' if same else 'NO'} / {'yes' if same_spread else 'NO'}",
            "identical",
            "pass" if same and same_spread else "miss",
        ),
        (
            "geopandas extra time to apply the tie-break (groupby min)",
            f"{anchor['tie_break_seconds']:.2f} s",
            "",
            "",
        ),
        (
            "peak memory, cocity assignment process",
            f"{ours['peak_rss_mb']:,.0f} MiB (inputs alone {ours['rss_inputs_mb']:,.0f} MiB)",
            "",
            "",
        ),
        (
            f"peak memory, cocity n_jobs={jobs} (main process; each forked worker shares "
            "the inputs and adds a 4-byte answer per point)",
            f"{spread['peak_rss_mb']:,.0f} MiB",
            "",
            "",
        ),
        (
            "peak memory, geopandas process",
            f"{anchor['peak_rss_mb']:,.0f} MiB (inputs alone {anchor['rss_inputs_mb']:,.0f} MiB)",
            "",
            "",
        ),
        (
            "full equity report (assign, km² areas, Gini, C with SE, Theil, what-if 100)",
            f"{report['seconds']:.2f} s",
            "",
            "",
        ),
        ("peak memory, equity report process", f"{report['peak_rss_mb']:,.0f} MiB", "", ""),
        (
            "concentration index / Gini of the synthetic points",
            f"{report['concentration_index']:.4f} / {report['gini']:.4f}",
            "",
            "",
        ),
    ]
    lines = [
        "# Benchmark: spatial equity (`bench/equity.py`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        + (" (quick size)" if args.quick else "")
        + f"; load average {load_start:.1f} at the start and {loaded:.1f} at the end "
        "(the machine may be shared with other work, so times are indicative).",
        "",
        "| figure | value | goal | result |",
        "| --- | --- | --- | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "Synthetic points: a uniformly chosen LSOA (LSOAs hold similar populations, so the "
        "points follow where people live), then a uniform point in its bounding box; seed "
        f"{args.seed}. Each measured step runs in its own process, which loads the same "
        "inputs from `.npy` files first (not timed); peak memory is that process's "
        "high-water mark (`VmHWM`).",
        "",
        "Data: LSOA boundaries and the English Indices of Deprivation 2019 from the Office "
        "for National Statistics and the Ministry of Housing, Communities and Local "
        "Government, Open Government Licence v3.0 (via the humaniverse geographr and IMD "
        "packages, MIT). Contains OS data © Crown copyright and database right.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if same and same_spread else 1


if __name__ == "__main__":
    raise SystemExit(main())
