"""``cocity equity join`` and ``cocity equity report`` on files, without a database."""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyproj import Transformer

from cocity.analytics.tests.realdata import shared_data_dir
from cocity.analytics.tests.shapefiles import BATH, FIELDS, zipped_shapefile
from cocity.filecli.equity import main, register


def _areas(tmp_path: Path) -> Path:
    features = []
    for i, (code, rank, decile) in enumerate(
        [("A", 1, 1), ("B", 2, 1), ("C", 3, 2), ("D", 4, 2), ("E", 5, 2)]
    ):
        x = i * 0.01
        ring = [[x, 51], [x + 0.01, 51], [x + 0.01, 51.01], [x, 51.01], [x, 51]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "IMD_rank": rank, "IMD_decile": decile},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _points(tmp_path: Path) -> Path:
    rows = ["lon,lat,type"]
    for i, count in enumerate([0, 1, 1, 2, 6]):
        rows += [f"{i * 0.01 + 0.005},51.005,ev_charger"] * count
    rows.append("3.0,51.005,public_wifi")  # outside every area
    path = tmp_path / "points.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cocity")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_join_writes_each_assets_area(tmp_path: Path, capsys) -> None:
    out = tmp_path / "assignment.csv"
    code = _run(
        [
            "equity",
            "join",
            "--areas",
            str(_areas(tmp_path)),
            "--points",
            str(_points(tmp_path)),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["area_code"] for r in rows] == ["B", "C", "D", "D", *["E"] * 6, ""]
    assert rows[0]["row"] == "line 2" and rows[-1]["asset_type"] == "public_wifi"
    assert "11 assets: 10 in 5 areas, 1 outside every area" in capsys.readouterr().out
    # Two processes write the same file.
    out_two = tmp_path / "assignment-two.csv"
    argv = ["equity", "join", "--areas", str(_areas(tmp_path)), "--points", str(_points(tmp_path))]
    assert _run([*argv, "--out", str(out_two), "--jobs", "2"]) == 0
    assert out_two.read_text() == out.read_text()


def test_join_reads_areas_from_a_zipped_shapefile(tmp_path: Path, capsys) -> None:
    archive = zipped_shapefile(tmp_path, BATH, FIELDS)  # British National Grid
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = to_wgs84.transform(375500, 164500)  # inside the second square
    points = tmp_path / "points.csv"
    points.write_text(f"lon,lat,type\n{lon},{lat},kiosk\n")
    out = tmp_path / "assignment.csv"
    argv = ["equity", "join", "--areas", str(archive), "--points", str(points), "--out", str(out)]
    assert _run(argv) == 0
    assert [r["area_code"] for r in csv.DictReader(out.open())] == ["E01014371"]
    assert "1 assets: 1 in 3 areas" in capsys.readouterr().out


def test_report_prints_findings_and_writes_json_and_csv(tmp_path: Path, capsys) -> None:
    indicators = tmp_path / "ind.csv"
    indicators.write_text("code,population\nA,1000\nB,1000\nC,2000\nD,1000\nE,1500\n")
    json_path, csv_path = tmp_path / "report.json", tmp_path / "areas.csv"
    code = main(
        [
            "report",
            "--areas", str(_areas(tmp_path)),
            "--points", str(_points(tmp_path)),
            "--indicators", str(indicators),
            "--type", "ev_charger",
            "--new-assets", "2",
            "--json", str(json_path),
            "--csv", str(csv_path),
        ]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "10 assets (ev_charger, public_wifi) in 5 areas" in out
    assert "Cherry-picking" in out
    data = json.loads(json_path.read_text())
    assert data["measure"].startswith("assets per 1,000 residents")
    assert data["concentration"]["value"] > 0
    assert data["placement"]["area_codes"] == ["A", "B"]
    rows = list(csv.DictReader(csv_path.open()))
    assert [r["count"] for r in rows] == ["0.0", "1.0", "1.0", "2.0", "6.0"]
    assert rows[0]["covered"] == "0"


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, capsys) -> None:
    bad_points = tmp_path / "bad.csv"
    bad_points.write_text("lon,lat\n1,2\nx,3\n")
    areas = str(_areas(tmp_path))
    assert (
        main(
            [
                "join",
                "--areas",
                areas,
                "--points",
                str(bad_points),
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "bad.csv: 1 problem; nothing was imported" in err and "line 3" in err
    assert "Traceback" not in err
    assert (
        main(["report", "--areas", areas, "--points", str(bad_points), "--rank-field", "nope"]) == 2
    )
    assert (
        main(["report", "--areas", str(tmp_path / "missing.geojson"), "--points", str(bad_points)])
        == 2
    )
    assert "file not found" in capsys.readouterr().err
    assert main(["report", "--areas", areas]) == 2  # argparse: --points is required
    good = str(_points(tmp_path))
    assert main(["report", "--areas", areas, "--points", good, "--rank-field", "nope"]) == 2
    assert "indicator 'nope' not found" in capsys.readouterr().err
    assert main(["report", "--areas", areas, "--points", good, "--type", "kiosk"]) == 2
    assert "asset types ['kiosk'] not found" in capsys.readouterr().err
    assert main(["join", "--areas", areas, "--points", good, "--out", "o.csv", "--jobs", "0"]) == 2
    assert "--jobs: expected a whole number of at least 1, got '0'" in capsys.readouterr().err


def test_runs_as_a_module_without_django(tmp_path: Path) -> None:
    code = (
        "import sys; from cocity.filecli.equity import main; rc = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules, 'django was imported'; sys.exit(rc)"
    )
    # This same Python on code written here: no untrusted input.
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            code,
            "report",
            "--areas",
            str(_areas(tmp_path)),
            "--points",
            str(_points(tmp_path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Cherry-picking" in done.stdout


@pytest.mark.realdata
def test_join_on_real_banes_files(tmp_path: Path) -> None:
    places = shared_data_dir() / "places"
    if not places.is_dir():
        pytest.skip(f"real data not found at {places}")
    out = tmp_path / "a.csv"
    argv = ["join", "--areas", str(places / "banes_lsoa11_imd2019.geojson"), "--out", str(out)]
    for path in sorted((places / "banes_assets").glob("*.geojson")):
        argv += ["--points", str(path)]
    assert main(argv) == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 6583
    assert sum(1 for r in rows if r["area_code"]) > 6500
