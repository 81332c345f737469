"""``cocity consultation import|export|recompute`` on real Pol.is exports."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cocity.analytics.opinion import read_polis_export
from cocity.engagement.models import Conversation, OpinionResult


def run(*args: str) -> str:
    out = StringIO()
    call_command("consultation", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_consultation_import_export_recompute(
    shared_data: Path, territory: Any, tmp_path: Path
) -> None:
    folder = shared_data / "polis" / "brexit-consensus"
    printed = run("import", str(folder), "--territory", territory.slug, "--status", "open")
    conv = Conversation.objects.get()
    assert f"Imported consultation {conv.pk}" in printed and "204 participants" in printed
    assert "Opinion map version 1: 2 groups" in printed
    assert conv.status == "open" and conv.is_public

    run("export", str(conv.pk), str(tmp_path / "out"), "--territory", territory.slug)
    again = read_polis_export(tmp_path / "out")
    assert again.votes is not None and again.summary_value("groups") == "2"
    run("export", str(conv.pk), str(tmp_path / "out.zip"), "--territory", territory.slug)
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert "votes.csv" in archive.namelist()

    assert "version 2" in run("recompute", str(conv.pk), "--territory", territory.slug)
    assert OpinionResult.objects.filter(conversation=conv).count() == 2


def test_consultation_import_of_a_bad_folder_exits_1_and_saves_nothing(
    territory: Any, tmp_path: Path
) -> None:
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,9\n")
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("consultation", "import", str(tmp_path), stdout=StringIO(), stderr=err)
    assert exited.value.code == 1
    assert "votes.csv line 2" in err.getvalue()
    assert not Conversation.objects.exists()


def test_consultation_export_of_another_territorys_conversation_fails(
    territory: Any, other_territory: Any, tmp_path: Path
) -> None:
    from cocity.engagement.tests.conftest import make_conversation

    conv = make_conversation(other_territory)
    with pytest.raises(CommandError, match="No consultation"):
        run("export", str(conv.pk), str(tmp_path / "x"), "--territory", territory.slug)
    with pytest.raises(CommandError, match="No such file"):
        run("import", str(tmp_path / "missing"), "--territory", territory.slug)
