from __future__ import annotations

import io
import json
import signal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cocity.core.testing import make_stakeholder
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.tests.helpers import STAKEHOLDER_HEADER, csv_bytes, stakeholder_rows, xlsx_bytes
from cocity.ecosystem import services as eco
from cocity.ecosystem.models import Stakeholder


def run(*args: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def orgs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(4)))
    return path


def test_import_command_imports_a_small_file(territory: Any, orgs_csv: Path) -> None:
    out, _err = run("import", "stakeholders", str(orgs_csv), "--territory", "lund")
    assert "Imported 4 stakeholders from orgs.csv into lund" in out
    assert Stakeholder.objects.filter(territory=territory, name__startswith="Org ").count() == 4
    assert ImportJob.objects.get().created_by is None


def test_import_command_xlsx_with_explicit_format(territory: Any, tmp_path: Path) -> None:
    path = tmp_path / "export-without-extension"
    path.write_bytes(xlsx_bytes(STAKEHOLDER_HEADER, stakeholder_rows(2)))
    out, _err = run("import", "stakeholders", str(path), "--territory", "lund", "--format", "xlsx")
    assert "Imported 2 stakeholders" in out


def test_import_command_without_territory_uses_the_only_one(territory: Any, orgs_csv: Path) -> None:
    out, _err = run("import", "stakeholders", str(orgs_csv))
    assert "into lund" in out


def test_import_command_needs_territory_when_there_are_several(
    territory: Any, other_territory: Any, orgs_csv: Path
) -> None:
    with pytest.raises(CommandError, match="--territory: bristol, lund"):
        run("import", "stakeholders", str(orgs_csv))
    with pytest.raises(CommandError, match="No territory"):
        run("import", "stakeholders", str(orgs_csv), "--territory", "atlantis")


def test_import_command_bad_rows_print_every_error_and_save_nothing(
    territory: Any, tmp_path: Path
) -> None:
    rows = stakeholder_rows(5)
    rows[1][1] = "mystery"
    rows[3][0] = ""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(STAKEHOLDER_HEADER, rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported from bad\.csv: 2 problem"):
        call_command("import", "stakeholders", str(path), "--territory", "lund", stderr=err)
    assert "row 3, column sector: “mystery” is not a known sector" in err.getvalue()
    assert "row 5, column name:" in err.getvalue()
    assert not Stakeholder.objects.filter(name__startswith="Org ").exists()


def test_import_command_missing_file_is_a_clear_error(territory: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run("import", "stakeholders", str(tmp_path / "nope.csv"), "--territory", "lund")


def test_import_command_large_file_prints_progress(
    territory: Any, tmp_path: Path, settings: Any
) -> None:
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    path = tmp_path / "many.csv"
    path.write_bytes(csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(100)))
    out, _err = run("import", "stakeholders", str(path), "--territory", "lund")
    lines = out.splitlines()
    assert "Checking rows: 0 of 100 (0%)" in lines
    assert "Checking rows: 50 of 100 (50%)" in lines
    assert "Checking rows: 100 of 100 (100%)" in lines
    assert "All 100 rows are correct; saving…" in lines
    assert lines[-1].startswith("Imported 100 stakeholders")


@pytest.mark.django_db(transaction=True)  # the worker runs as it would: in autocommit
def test_import_command_background_then_status(territory: Any, orgs_csv: Path) -> None:
    out, _err = run("import", "stakeholders", str(orgs_csv), "--territory", "lund", "--background")
    job = ImportJob.objects.get()
    assert f"Import {job.pk} queued (4 rows)" in out
    out, _err = run("import", "status", str(job.pk))
    assert "Waiting to start, 0 of 4 rows checked (0%)" in out

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        run("worker", "--batch", "--interval", "0")
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)

    out, _err = run("import", "status", str(job.pk))
    assert f"Imported 4 stakeholders from orgs.csv into lund (import {job.pk})" in out
    with pytest.raises(CommandError, match="No import"):
        run("import", "status", "12345")


def test_export_command_writes_csv_and_xlsx_files(territory: Any, tmp_path: Path) -> None:
    make_stakeholder(territory, name="Acme", sector="industry")
    out_csv = tmp_path / "s.csv"
    run("export", "stakeholders", "--territory", "lund", "--out", str(out_csv))
    assert out_csv.read_bytes().decode("utf-8-sig").splitlines()[1].startswith("Acme,industry,")
    out_xlsx = tmp_path / "s.xlsx"
    run("export", "stakeholders", "--territory", "lund", "--format", "xlsx", "--out", str(out_xlsx))
    sheet = load_workbook(out_xlsx).worksheets[0]
    assert sheet["A2"].value == "Acme"
    with pytest.raises(CommandError, match="--out"):
        run("export", "stakeholders", "--territory", "lund", "--format", "xlsx")


def test_export_command_is_public_unless_private_is_asked_for(territory: Any) -> None:
    a = make_stakeholder(territory, name="A")
    b = make_stakeholder(territory, name="B")
    eco.partnership_create(
        territory=territory,
        actor=None,
        name="Hush",
        form="other",
        members=[(a, "partner"), (b, "partner")],
        is_draft=True,
    )
    out, _err = run("export", "partnerships", "--territory", "lund", "--format", "json")
    assert json.loads(out)["items"] == []
    out, _err = run(
        "export", "partnerships", "--territory", "lund", "--format", "json", "--include-private"
    )
    assert [i["name"] for i in json.loads(out)["items"]] == ["Hush"]
    with pytest.raises(CommandError, match="--include-private"):
        run("export", "trust", "--territory", "lund")
    out, _err = run("export", "trust", "--territory", "lund", "--include-private")
    assert (
        out.splitlines()[0].lstrip("\ufeff")
        == "rater,rated,ability,benevolence,integrity,date,comment"
    )


def test_export_command_private_territory_needs_private_flag(other_territory: Any) -> None:
    with pytest.raises(CommandError, match="--include-private"):
        run("export", "stakeholders", "--territory", "bristol")
    out, _err = run("export", "stakeholders", "--territory", "bristol", "--include-private")
    assert out.startswith("name,sector")


def test_import_then_status_of_a_finished_failed_job(territory: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError):
        run("import", "stakeholders", str(path), "--territory", "lund")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", "status", str(job.pk), stderr=err)
    assert "file: The file is empty." in err.getvalue()
