"""``cocity equity_import`` and ``cocity equity_results``: files into a territory from the shell."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cocity.analytics.tests.shapefiles import BATH, FIELDS, zipped_shapefile
from cocity.core.models import ResultStatus
from cocity.equity.models import EquityImport, EquityResult, ImportStatus
from cocity.equity.tests.helpers import areas_file, counts_points, points_csv
from cocity.territories.models import Area


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_equity_import_command_reads_areas_from_a_zipped_shapefile(
    territory: Any, tmp_path: Path
) -> None:
    archive = zipped_shapefile(tmp_path, BATH, FIELDS)
    out, _err = run("equity_import", "areas", str(archive), "--territory", "lund")
    assert "Imported 3 rows of areas.zip into lund" in out
    names = Area.objects.filter(territory=territory).order_by("code").values_list("name", flat=True)
    assert list(names) == FIELDS["LSOA11NM"]


def test_equity_import_command_imports_areas_and_assets_then_results_print(
    territory: Any, tmp_path: Path, settings: Any
) -> None:
    settings.COCITY_EQUITY_MAX_BYTES = 10  # the command reads from disk: no upload limit
    areas = tmp_path / "areas.geojson"
    areas.write_bytes(areas_file())
    out, _err = run("equity_import", "areas", str(areas), "--territory", "lund")
    assert "Imported 4 rows of areas.geojson into lund" in out
    assert Area.objects.filter(territory=territory).count() == 4
    assets = tmp_path / "chargers.csv"
    assets.write_bytes(counts_points([0, 1, 2, 6], asset_type="x"))
    out, _err = run(
        "equity_import", "assets", str(assets), "--territory", "lund", "--type", "ev_charger"
    )
    assert "Saving: 9 of 9 (100%)" in out
    assert EquityImport.objects.get(kind="assets").counts_by_type == {"ev_charger": 9}
    out, _err = run("equity_results", "--territory", "lund")
    assert out.startswith("- Cherry-picking")
    assert EquityResult.objects.filter(status=ResultStatus.READY).exists()


def test_equity_import_command_lists_every_problem_and_fails(
    territory: Any, tmp_path: Path
) -> None:
    run_file = tmp_path / "areas.geojson"
    run_file.write_bytes(areas_file())
    run("equity_import", "areas", str(run_file), "--territory", "lund")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(points_csv([["x", "51", "wifi"], ["0.005", "", "wifi"]]))
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems found"):
        call_command("equity_import", "assets", str(bad), "--territory", "lund", stderr=err)
    assert err.getvalue().splitlines()[0].startswith("line 2:")
    assert EquityImport.objects.get(kind="assets").status == ImportStatus.FAILED


def test_equity_import_command_queues_in_the_background(territory: Any, tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_bytes(areas_file())
    out, _err = run("equity_import", "areas", str(path), "--territory", "lund", "--background")
    assert "queued" in out
    assert EquityImport.objects.get().status == ImportStatus.QUEUED


def test_equity_results_command_explains_a_failure(territory: Any) -> None:
    with pytest.raises(CommandError, match="import the areas first"):
        run("equity_results", "--territory", "lund")
