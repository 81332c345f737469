from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cocity.core.models import ActivityEntry
from cocity.core.testing import make_stakeholder, make_territory
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.services import import_job_create, import_job_execute
from cocity.dataio.tests.helpers import STAKEHOLDER_HEADER, csv_bytes, stakeholder_rows, xlsx_bytes
from cocity.ecosystem.models import Partnership, PartnershipMember, Stakeholder
from cocity.territories.models import Area, Cluster

PARTNERSHIP_HEADER = (
    "name",
    "form",
    "status",
    "start_date",
    "end_date",
    "value",
    "currency",
    "description",
    "members",
)


def run_import(
    territory: Any, kind: str, data: bytes, file_name: str = "file.csv", **kw: Any
) -> ImportJob:
    return import_job_create(
        territory=territory, actor=None, kind=kind, file_name=file_name, data=data, **kw
    )


def errors_of(job: ImportJob) -> list[tuple[int | None, str]]:
    return [(e["row"], e["column"]) for e in job.errors]


# --- Stakeholders ----------------------------------------------------------------------------


def test_import_job_create_stakeholders_accepts_codes_labels_and_any_case(territory: Any) -> None:
    Cluster.objects.create(territory=territory, name="ICT")
    Area.objects.create(territory=territory, code="E01000001", name="Centre")
    data = csv_bytes(
        STAKEHOLDER_HEADER,
        [
            [
                "Acme",
                "Industry & business",
                "SME",
                "Makes things",
                "acme.example",
                "CEO",
                "ict; Health",
                "E01000001",
            ],
            ["Lund kommun", "PUBLIC", "municipality", "", "https://lund.se", "", "", ""],
        ],
    )
    job = run_import(territory, "stakeholders", data)

    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.rows_imported == 2
    acme = Stakeholder.objects.get(territory=territory, name="Acme")
    assert (acme.sector, acme.type, acme.website) == ("industry", "sme", "https://acme.example")
    assert sorted(c.name for c in acme.clusters.all()) == ["Health", "ICT"]
    assert [a.code for a in acme.areas.all()] == ["E01000001"]
    assert Cluster.objects.filter(territory=territory).count() == 2  # "ict" matched "ICT"
    assert any("Health" in n for n in job.notes)
    assert (
        ActivityEntry.objects.filter(territory=territory, verb="stakeholders_imported").count() == 1
    )


def test_import_job_create_stakeholders_from_xlsx(territory: Any) -> None:
    data = xlsx_bytes(STAKEHOLDER_HEADER, stakeholder_rows(3))
    job = run_import(territory, "stakeholders", data, file_name="orgs.xlsx")
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.file_format == "xlsx"
    assert Stakeholder.objects.filter(territory=territory, name__startswith="Org ").count() == 3


def test_import_job_create_missing_and_unknown_columns_are_named(territory: Any) -> None:
    job = run_import(territory, "stakeholders", b"name,secter,colour\nAcme,public,red\n")
    assert job.status == ImportStatus.FAILED
    messages = " ".join(e["message"] for e in job.errors)
    assert "Required column missing: sector" in messages
    assert "Unknown column: secter, colour" in messages
    assert {e["row"] for e in job.errors} == {1}


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        (["", "public"], "name", "blank"),
        (["A", ""], "sector", "sector is required"),
        (["A", "banking"], "sector", "not a known sector"),
        (["A", "public", "spaceship"], "type", "not a known type"),
        (["A" * 201, "public"], "name", "at most 200"),
        (["A", "public", "", "", "not a url at all"], "website", "valid URL"),
        (["A", "public", "", "", "", "", "", "E0NOPE"], "areas", "No area with the code E0NOPE"),
        (["A", "public", "", "", "", "", "", "", "surplus"], "", "beyond the last named column"),
    ],
)
def test_import_job_create_bad_stakeholder_row_names_row_and_column(
    territory: Any, row: list[str], column: str, text: str
) -> None:
    good = ["Good org", "public"]
    width = len(STAKEHOLDER_HEADER)
    rows = [good + [""] * (width - 2), row + [""] * (width - len(row))]
    job = run_import(territory, "stakeholders", csv_bytes(STAKEHOLDER_HEADER, rows))
    assert job.status == ImportStatus.FAILED
    assert (3, column) in errors_of(job), job.errors
    assert any(text in e["message"] for e in job.errors), job.errors
    assert not Stakeholder.objects.filter(territory=territory, name="Good org").exists()


def test_import_job_create_duplicate_names_in_file_and_in_database(territory: Any) -> None:
    make_stakeholder(territory, name="Existing")
    rows = [["New", "public"], ["Existing", "public"], ["New", "civil"]]
    job = run_import(territory, "stakeholders", csv_bytes(["name", "sector"], rows))
    assert job.status == ImportStatus.FAILED
    by_row = {e["row"]: e["message"] for e in job.errors}
    assert "already exists" in by_row[3]
    assert "already on row 2" in by_row[4]
    assert 2 not in by_row


def test_import_job_create_names_of_another_territory_do_not_clash(
    territory: Any, other_territory: Any
) -> None:
    make_stakeholder(other_territory, name="Acme")
    Area.objects.create(territory=other_territory, code="B1", name="Bristol area")
    job = run_import(territory, "stakeholders", csv_bytes(["name", "sector"], [["Acme", "public"]]))
    assert job.status == ImportStatus.SUCCEEDED
    # ...but an area code of the other territory is unknown here.
    job = run_import(
        territory,
        "stakeholders",
        csv_bytes(["name", "sector", "areas"], [["Beta", "public", "B1"]]),
    )
    assert errors_of(job) == [(2, "areas")]


def test_import_job_create_one_bad_row_among_fifty_saves_nothing(territory: Any) -> None:
    rows = stakeholder_rows(50)
    rows.insert(25, ["Bad org", "nonsense-sector", "", "", "", "", "", ""])
    before = (Stakeholder.objects.count(), Cluster.objects.count(), ActivityEntry.objects.count())
    job = run_import(territory, "stakeholders", csv_bytes(STAKEHOLDER_HEADER, rows))
    assert job.status == ImportStatus.FAILED
    assert errors_of(job) == [(27, "sector")]
    assert "nonsense-sector" in job.errors[0]["message"]
    assert (
        Stakeholder.objects.count(),
        Cluster.objects.count(),
        ActivityEntry.objects.count(),
    ) == before


def test_import_job_create_reports_every_bad_row_not_only_the_first(territory: Any) -> None:
    rows = [["A", "x"], ["B", "public"], ["", "y"], ["D", "z"]]
    job = run_import(territory, "stakeholders", csv_bytes(["name", "sector"], rows))
    assert sorted(errors_of(job)) == [(2, "sector"), (4, "name"), (4, "sector"), (5, "sector")]
    assert job.error_count == 4


def test_import_job_create_unreadable_file_fails_with_one_clear_error(territory: Any) -> None:
    job = run_import(territory, "stakeholders", "name,sector\nMalmö,public\n".encode("cp1252"))
    assert job.status == ImportStatus.FAILED
    assert errors_of(job) == [(None, "")]
    assert "not UTF-8" in job.errors[0]["message"]


# --- Partnerships ----------------------------------------------------------------------------


@pytest.fixture
def orgs(territory: Any) -> list[Stakeholder]:
    return [
        make_stakeholder(territory, name="Lund kommun"),
        make_stakeholder(territory, name="Sony: Lund", sector="industry"),
        make_stakeholder(territory, name="Region Skåne"),
    ]


def partnership_row(**over: str) -> list[str]:
    values = {
        "name": "Smart lighting",
        "form": "ppp",
        "status": "active",
        "start_date": "2024-01-01",
        "end_date": "2025-12-31",
        "value": "125000.50",
        "currency": "",
        "description": "",
        "members": "Lund kommun:lead; Sony: Lund",
    }
    values.update(over)
    return [values[c] for c in PARTNERSHIP_HEADER]


def test_import_job_create_partnerships_with_members_and_roles(territory: Any, orgs: Any) -> None:
    rows = [
        partnership_row(),
        partnership_row(
            name="Data lab",
            form="Research cooperation",
            status="",
            start_date="",
            end_date="",
            value="",
            currency="eur",
            members="lund KOMMUN; Region Skåne:Funder; Sony: Lund:partner",
        ),
    ]
    job = run_import(territory, "partnerships", csv_bytes(PARTNERSHIP_HEADER, rows))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    lighting = Partnership.objects.get(territory=territory, name="Smart lighting")
    assert (lighting.form, lighting.status, str(lighting.value), lighting.currency) == (
        "ppp",
        "active",
        "125000.50",
        "SEK",
    )
    assert sorted((m.stakeholder.name, m.role) for m in lighting.members.all()) == [
        ("Lund kommun", "lead"),
        ("Sony: Lund", "partner"),
    ]
    lab = Partnership.objects.get(territory=territory, name="Data lab")
    assert (lab.form, lab.status, lab.currency, lab.start_date) == (
        "research",
        "exploring",
        "EUR",
        None,
    )
    assert sorted(lab.members.values_list("role", flat=True)) == ["funder", "partner", "partner"]


@pytest.mark.parametrize(
    ("over", "column", "text"),
    [
        ({"members": "Lund kommun"}, "members", "at least two"),
        ({"members": "Lund kommun; Nobody AB"}, "members", "No stakeholder named “Nobody AB”"),
        ({"members": "Lund kommun; Lund kommun:funder"}, "members", "listed twice"),
        ({"members": "Lund kommun:boss; Region Skåne"}, "members", "not a role"),
        ({"form": "handshake"}, "form", "not a known form"),
        ({"form": ""}, "form", "required"),
        ({"status": "sleeping"}, "status", "not a known status"),
        ({"start_date": "01/02/2024"}, "start_date", "YYYY-MM-DD"),
        ({"end_date": "2024-02-30"}, "end_date", "YYYY-MM-DD"),
        ({"end_date": "2023-01-01"}, "end_date", "before the start date"),
        ({"value": "1,500.00"}, "value", "dot for decimals"),
        ({"value": "123456789012345"}, "value", "digits"),
        ({"currency": "euro"}, "currency", "three letters"),
    ],
)
def test_import_job_create_bad_partnership_row_names_row_and_column(
    territory: Any, orgs: Any, over: dict[str, str], column: str, text: str
) -> None:
    rows = [partnership_row(name="Fine"), partnership_row(**over)]
    job = run_import(territory, "partnerships", csv_bytes(PARTNERSHIP_HEADER, rows))
    assert job.status == ImportStatus.FAILED
    assert (3, column) in errors_of(job), job.errors
    assert any(text in e["message"] for e in job.errors), job.errors
    assert not Partnership.objects.exists()
    assert not PartnershipMember.objects.exists()


def test_import_job_create_partnership_draft_column(territory: Any, orgs: Any) -> None:
    header = [*PARTNERSHIP_HEADER, "draft"]
    rows = [[*partnership_row(name="A"), "yes"], [*partnership_row(name="B"), ""]]
    job = run_import(territory, "partnerships", csv_bytes(header, rows))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert dict(Partnership.objects.values_list("name", "is_draft")) == {"A": True, "B": False}
    entry = ActivityEntry.objects.get(verb="partnerships_imported")
    assert (entry.summary, entry.is_public) == ("2 partnerships imported from file.csv", False)
    bad = run_import(
        territory, "partnerships", csv_bytes(header, [[*partnership_row(name="C"), "maybe"]])
    )
    assert errors_of(bad) == [(2, "draft")]


def test_import_job_create_existing_partnership_name_is_refused(territory: Any, orgs: Any) -> None:
    first = run_import(
        territory, "partnerships", csv_bytes(PARTNERSHIP_HEADER, [partnership_row()])
    )
    assert first.status == ImportStatus.SUCCEEDED
    again = run_import(
        territory, "partnerships", csv_bytes(PARTNERSHIP_HEADER, [partnership_row()])
    )
    assert errors_of(again) == [(2, "name")]
    assert Partnership.objects.count() == 1


# --- Background task -------------------------------------------------------------------------


# The worker closes connections that are not in autocommit, as after a request; so these tests
# run outside the per-test transaction, the way a real worker sees the database.


@pytest.mark.django_db(transaction=True)
def test_import_job_create_over_threshold_runs_as_a_task_on_the_database_queue(
    territory: Any, settings: Any, worker: Any
) -> None:
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    data = csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(12))
    with transaction.atomic():
        job = run_import(territory, "stakeholders", data)
        assert not DBTaskResult.objects.exists()  # queued only once the job is committed
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert (job.rows_total, job.rows_done) == (12, 0)
    assert bytes(job.payload) == data
    assert (
        not Stakeholder.objects.filter(territory=territory).exclude(name="Lund University").exists()
    )
    result = DBTaskResult.objects.get(id=job.task_result_id)
    assert result.task_path == "cocity.dataio.tasks.import_job_run"

    worker()

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.rows_done, job.rows_imported, job.payload) == (12, 12, None)
    assert Stakeholder.objects.filter(territory=territory, name__startswith="Org ").count() == 12
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"status": "succeeded", "rows_imported": 12, "errors": 0}


@pytest.mark.django_db(transaction=True)
def test_import_job_task_with_a_bad_row_saves_nothing_and_lists_it(
    territory: Any, settings: Any, worker: Any
) -> None:
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    rows = stakeholder_rows(12)
    rows[7][1] = "galactic"
    job = run_import(territory, "stakeholders", csv_bytes(STAKEHOLDER_HEADER, rows))
    worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert errors_of(job) == [(9, "sector")]
    assert job.rows_done == 12  # every row was checked
    assert not Stakeholder.objects.filter(name__startswith="Org ").exists()


def test_import_job_create_at_threshold_runs_at_once(territory: Any, settings: Any) -> None:
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    job = run_import(territory, "stakeholders", csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(5)))
    assert job.status == ImportStatus.SUCCEEDED
    assert job.task_result_id == ""
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_import_job_execute_commits_progress_while_checking(settings: Any) -> None:
    """Progress is written outside any transaction, so another process sees it move."""
    territory = make_territory(name="Progress town")
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    job = run_import(
        territory, "stakeholders", csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(120)), run="queue"
    )
    seen: list[tuple[str, int, int, bool]] = []

    def watch(j: ImportJob) -> None:
        stored = ImportJob.objects.values_list("status", "rows_done").get(pk=j.pk)
        seen.append((*stored, j.rows_done, transaction.get_connection().in_atomic_block))

    import_job_execute(job=ImportJob.objects.get(pk=job.pk), on_progress=watch)

    checking = [s for s in seen if s[0] == ImportStatus.VALIDATING]
    done = [stored for _status, stored, _mem, _atomic in checking]
    assert done == sorted(done) and done[-1] == 120 and len(set(done)) > 10
    assert all(stored == mem and not atomic for _s, stored, mem, atomic in checking)
    assert seen[-1][0] == ImportStatus.SUCCEEDED
    assert Stakeholder.objects.filter(territory=territory).count() == 120
