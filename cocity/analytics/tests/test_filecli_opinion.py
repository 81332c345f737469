"""``cocity opinion analyse|export`` on Pol.is export folders, without a database."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cocity.analytics.opinion import read_polis_export, synthetic_conversation
from cocity.analytics.opinion.polis_build import polis_export_from_votes
from cocity.analytics.opinion.polis_io import write_polis_export
from cocity.analytics.tests.realdata import real_data
from cocity.filecli import opinion as cli


def polis_dir() -> Path:
    return real_data("polis")


@pytest.fixture
def export_folder(tmp_path: Path) -> Path:
    conv = synthetic_conversation(150, 30, 6000, n_groups=2, polarisation=1.0, seed=1)
    export = polis_export_from_votes(
        conv.participant_ids,
        conv.statement_ids,
        conv.votes,
        conv.timestamps + 1_600_000_000_000,
        moderated_out_ids=conv.moderated_statement_ids,
        topic="Night buses",
    )
    write_polis_export(tmp_path / "conv", export)
    return tmp_path / "conv"


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cocity")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_analyse_prints_the_map_and_writes_json(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.json"
    assert run(["opinion", "analyse", str(export_folder), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Night buses" in printed
    assert "Opinion groups: 2" in printed
    data = json.loads(out.read_text())
    assert data["n_groups"] == 2
    assert data["polis_agreement"] is None  # this export carries no Pol.is groups
    assert {"participants", "groups", "statements", "consensus", "state"} <= data.keys()


def test_export_writes_cocity_groups_in_polis_format(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert cli.main(["export", str(export_folder), str(out)]) == 0
    again = read_polis_export(out)
    assert again.summary_value("groups") == "2"
    _, groups = again.polis_groups()
    assert set(groups.tolist()) >= {0, 1}
    # ... and analysing that export agrees perfectly with the groups it carries.
    assert cli.main(["analyse", str(out)]) == 0
    assert "adjusted Rand index 1.000" in capsys.readouterr().out


def test_bad_input_exits_2_with_a_reason(
    tmp_path: Path, export_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["analyse", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,9\n")
    assert cli.main(["analyse", str(broken)]) == 2
    assert "votes.csv line 2: vote 9" in capsys.readouterr().err
    assert cli.main(["analyse", str(export_folder), "--min-votes", "0"]) == 2
    assert cli.main(["export", str(export_folder), str(export_folder)]) == 2
    assert "must differ" in capsys.readouterr().err
    assert cli.main(["analyse"]) == 2  # argparse usage error


def test_module_runs_standalone(export_folder: Path) -> None:
    # The command line is this interpreter and fixed arguments: nothing untrusted.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "cocity.filecli.opinion", "analyse", str(export_folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Opinion groups" in done.stdout
    assert "django" not in done.stderr.lower()


@pytest.mark.realdata
def test_analyse_real_export_reports_agreement_with_polis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brexit.json"
    folder = polis_dir() / "brexit-consensus"
    assert cli.main(["analyse", str(folder), "--keep-polis-groups", "--json", str(out)]) == 0
    agreement = json.loads(out.read_text())["polis_agreement"]
    assert agreement["polis_groups"] == agreement["cocity_groups"] == 2
    assert agreement["participants_compared"] == 197
    assert agreement["adjusted_rand_index"] > 0.85
    assert "Pol.is found 2 groups" in capsys.readouterr().out
