"""``cocity ecosystem analyse`` on CSV files: results, errors with line numbers, exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from cocity.filecli.ecosystem import main, register

NODES = """id,name,sector,type,clusters,challenges
lund,Lund University,academia,university,ICT;energy,smart energy
city,City of Lund,public,municipality,ICT,smart energy;mobility
eon,E.ON,industry,utility,energy,smart energy
sme1,Solar SME,industry,SME,energy,smart energy
ngo,Green NGO,civil,NGO,,air quality
coop,Energy coop,citizens,community group,energy,smart energy
lonely,Lonely Ltd,,SME,,
"""
TIES = """source,target,weight,year,end_year,form,status
lund,city,,2018,,research_cooperation,active
lund,eon,,2019,,technical_cooperation,active
city,eon,,2020,2022,public_private_partnership,completed
city,ngo,1.0,2021,,,
lund,sme1,,2022,,research_cooperation,agreed
coop,ngo,,2023,,other,exploring
sme1,sme1,1,2020,,,
"""
JOINT_WORK = """a,b,date,outcome
lund,city,2021-03-01,positive
lund,city,2022.5,positive
city,eon,2021,negative
city,eon,2022,negative
lund,eon,2023-01-15,mixed
"""
RATINGS = """rater,ratee,ability,benevolence,integrity,date
city,eon,5,5,5,2022
eon,city,4,4,3,2022
sme1,lund,5,4,5,2023
coop,lund,4,4,4,2023
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (
        ("nodes", NODES),
        ("ties", TIES),
        ("joint_work", JOINT_WORK),
        ("ratings", RATINGS),
    ):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def arguments(files: dict[str, Path], *extra: str) -> list[str]:
    return [
        "analyse",
        "--nodes",
        str(files["nodes"]),
        "--ties",
        str(files["ties"]),
        "--joint-work",
        str(files["joint_work"]),
        "--ratings",
        str(files["ratings"]),
        *extra,
    ]


def test_analyse_prints_a_summary_and_writes_json_with_file_ids(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    assert main(arguments(files, "--json", str(out))) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("The ecosystem has 7 stakeholders and 6 ties")
    assert "The partnership most worth brokering is City of Lund with Energy coop" in printed
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["nodes"]["id"] == ["lund", "city", "eon", "sme1", "ngo", "coop", "lonely"]
    assert result["nodes"]["sector"][6] is None
    assert result["network"]["isolated"] == ["lonely"]
    assert result["network"]["dropped_self_ties"] == 1
    first = result["recommendations"][0]
    assert (first["a"], first["b"]) == ("city", "coop")
    assert first["shared_partners"] == ["ngo"]
    # City rates E.ON 5/5 but their joint work failed twice: the largest disagreement
    disagreements = result["trust"]["disagreements"]
    assert (disagreements["rater"][0], disagreements["ratee"][0]) == ("city", "eon")
    # the partnership form set the weight: research cooperation, active = 0.8
    assert result["nodes"]["strength"][0] == pytest.approx(0.8 + 0.7 + 0.8 * 0.6)


def test_as_of_cuts_the_network_at_a_year(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    assert main(arguments(files, "--as-of", "2019", "--json", str(out))) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["as_of_year"] == 2019
    assert result["n_ties"] == 2  # lund-city (2018) and lund-eon (2019)


def test_register_adds_the_ecosystem_command(files: dict[str, Path]) -> None:
    parser = argparse.ArgumentParser(prog="cocity")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["ecosystem", *arguments(files)])
    assert args.func(args) == 0


@pytest.mark.parametrize(
    ("which", "text", "message"),
    [
        ("nodes", "id,name\na,A\n", "missing column(s) sector"),
        ("nodes", "id,name,sector\na,A,public\na,B,civil\n", "line 3: id 'a' repeats line 2"),
        ("nodes", "id,name,sector\na,A,public\nb,B,business\n", "line 3: sector 'business'"),
        ("ties", "source,target\nlund,nobody\n", "line 2: target 'nobody' is not an id"),
        ("ties", "source,target,weight\nlund,city,-1\n", "line 2: weight must be > 0"),
        ("ties", "source,target,weight\nlund,city,heavy\n", "line 2: weight 'heavy' is not"),
        ("ties", "source,target,form\nlund,city,marriage\n", "line 2: form 'marriage'"),
        ("ties", "source,target,year,end_year\nlund,city,2020,2010\n", "ends (2010.0) before"),
        ("joint_work", "a,b,date,outcome\nlund,city,2021,great\n", "line 2: outcome 'great'"),
        ("joint_work", "a,b,date,outcome\nlund,city,last week,positive\n", "line 2: date 'last"),
        ("ratings", "rater,ratee,ability,benevolence,integrity,date\ncity,eon,9,3,3,2022\n", "9.0"),
        ("ratings", "rater,ratee\ncity,eon\n", "missing column(s) ability"),
    ],
)
def test_bad_files_exit_2_with_a_clear_message(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    which: str,
    text: str,
    message: str,
) -> None:
    files[which].write_text(text, encoding="utf-8")
    assert main(arguments(files)) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_missing_file_and_missing_arguments(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["nodes"].unlink()
    assert main(arguments(files)) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["analyse"]) == 2  # argparse: --nodes and --ties are required


def test_jobs_must_be_a_whole_number_of_at_least_one(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("0", "-2", "two"):
        assert main(arguments(files, "--jobs", bad)) == 2
        assert f"--jobs: expected a whole number of at least 1, got '{bad}'" in (
            capsys.readouterr().err
        )
