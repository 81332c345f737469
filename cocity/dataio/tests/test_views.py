from __future__ import annotations

import os
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.core.testing import make_member
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.tests.helpers import STAKEHOLDER_HEADER, csv_bytes, stakeholder_rows, xlsx_bytes
from cocity.ecosystem.models import Stakeholder


def url(name: str, territory: Any, *args: Any) -> str:
    return reverse(f"data:{name}", args=[territory.slug, *args])


def upload(
    client: Any,
    territory: Any,
    data: bytes,
    name: str = "orgs.csv",
    kind: str = "stakeholders",
    **extra: str,
) -> Any:
    return client.post(
        url("import", territory),
        {"kind": kind, "file": SimpleUploadedFile(name, data), "file_format": "", **extra},
    )


def imported_names(territory: Any) -> set[str]:
    return set(Stakeholder.objects.filter(territory=territory).values_list("name", flat=True)) - {
        "Lund University"
    }


# --- Index -----------------------------------------------------------------------------------


def test_index_shows_exports_to_anonymous_visitors_of_a_public_territory(
    client: Any, territory: Any
) -> None:
    response = client.get(url("index", territory))
    assert response.status_code == 200
    html = response.content.decode()
    assert url("export", territory, "stakeholders", "csv") in html
    assert 'enctype="multipart/form-data"' not in html
    assert url("export", territory, "trust", "csv") not in html


@pytest.mark.parametrize(
    ("role", "can_import"),
    [
        ("facilitator", True),
        ("officer", True),
        ("partner", False),
        ("citizen", False),
        ("observer", False),
    ],
)
def test_index_upload_form_only_for_editors(
    client_as: Any, territory: Any, role: str, can_import: bool
) -> None:
    html = client_as(role).get(url("index", territory)).content.decode()
    assert ('enctype="multipart/form-data"' in html) is can_import
    assert (url("export", territory, "trust", "xlsx") in html) is (role == "facilitator")


def test_index_of_a_private_territory_is_not_found_for_outsiders(
    client_as: Any, other_territory: Any
) -> None:
    client = client_as("facilitator")
    assert client.get(url("index", other_territory)).status_code == 404
    assert client.get(url("export", other_territory, "stakeholders", "csv")).status_code == 404


# --- Upload ----------------------------------------------------------------------------------


def test_import_upload_small_file_imports_and_shows_the_job(client_as: Any, territory: Any) -> None:
    client = client_as("officer")
    response = upload(client, territory, csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(3)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("job_detail", territory, job.pk)
    assert imported_names(territory) == {"Org 00000", "Org 00001", "Org 00002"}
    page = client.get(response["Location"]).content.decode()
    assert "3 rows imported" in page
    assert job.created_by.username == "oscar"


def test_import_upload_xlsx_detected_by_extension(client_as: Any, territory: Any) -> None:
    response = upload(
        client_as("facilitator"),
        territory,
        xlsx_bytes(STAKEHOLDER_HEADER, stakeholder_rows(2)),
        name="orgs.xlsx",
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().file_format == "xlsx"


def test_import_upload_bad_rows_rerender_with_every_error_and_save_nothing(
    client_as: Any, territory: Any
) -> None:
    rows = stakeholder_rows(10)
    rows[2][1] = "banking"
    rows[6][0] = ""
    response = upload(client_as("officer"), territory, csv_bytes(STAKEHOLDER_HEADER, rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Nothing was imported: 2 problems were found." in html
    assert '<td class="num">4</td><td><code>sector</code></td>' in html
    assert '<td class="num">8</td><td><code>name</code></td>' in html
    assert "banking" in html
    assert '<th scope="col" class="num">Row</th>' in html
    assert imported_names(territory) == set()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ("name,sector\nMalmö,public\n".encode("latin-1"), "orgs.csv", "not UTF-8"),
        (b"", "orgs.csv", "The submitted file is empty."),
        (b"name,sector\n", "orgs.csv", "no rows"),
        (b"PK\x03\x04" + random.Random(1).randbytes(3000), "orgs.xlsx", "not a valid Excel"),
        (random.Random(2).randbytes(3000), "orgs.xlsx", "not a valid Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "orgs.xls", ".xls"),
    ],
)
def test_import_upload_unreadable_file_shows_the_error_by_the_field(
    client_as: Any, territory: Any, data: bytes, name: str, message: str
) -> None:
    response = upload(client_as("officer"), territory, data, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field has-error"' in html
    assert message in html
    assert imported_names(territory) == set()


def test_import_upload_ten_megabytes_of_junk_is_refused_with_400(
    client_as: Any, territory: Any
) -> None:
    junk = os.urandom(10 * 1024 * 1024 + 10)
    response = upload(client_as("officer"), territory, junk, name="junk.csv")
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_import_upload_missing_kind_is_a_form_error(client_as: Any, territory: Any) -> None:
    response = upload(client_as("officer"), territory, b"name,sector\nA,public\n", kind="dragons")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", ["partner", "citizen", "observer"])
def test_import_upload_refused_to_readers(client_as: Any, territory: Any, role: str) -> None:
    response = upload(
        client_as(role), territory, csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(2))
    )
    assert response.status_code == 403
    assert imported_names(territory) == set()


def test_import_upload_anonymous_is_sent_to_sign_in(client: Any, territory: Any) -> None:
    response = upload(client, territory, csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(2)))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_import_upload_into_another_territory_is_not_found(
    client_as: Any, other_territory: Any
) -> None:
    response = upload(
        client_as("facilitator"),
        other_territory,
        csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(2)),
    )
    assert response.status_code == 404
    assert not Stakeholder.objects.filter(territory=other_territory).exists()


def test_import_upload_get_is_not_allowed(client_as: Any, territory: Any) -> None:
    assert client_as("officer").get(url("import", territory)).status_code == 405


# --- Large imports and the job page ----------------------------------------------------------


def test_import_upload_large_file_queues_and_the_page_shows_progress(
    client_as: Any, territory: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cocity.dataio.services import import_job_execute

    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    client = client_as("facilitator")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, territory, csv_bytes(STAKEHOLDER_HEADER, stakeholder_rows(8)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.QUEUED and job.task_result_id

    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page
    assert f'hx-get="{url("job_progress", territory, job.pk)}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'<a href="{url("job_detail", territory, job.pk)}">Refresh</a>' in page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, rows_done=2)
    partial = client.get(url("job_progress", territory, job.pk), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert '<progress aria-label="Import progress" max="8" value="2">25%</progress>' in body
    assert "2 of 8 rows checked (25%)" in body
    assert "HX-Refresh" not in partial.headers
    assert "<html" not in body

    import_job_execute(job=ImportJob.objects.get(pk=job.pk))
    partial = client.get(url("job_progress", territory, job.pk), headers={"HX-Request": "true"})
    assert partial.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in partial.content.decode()
    assert "8 rows imported" in client.get(url("job_detail", territory, job.pk)).content.decode()


def test_import_upload_large_workbook_is_queued_without_reading_it_in_the_request(
    client_as: Any, territory: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.COCITY_IMPORT_TASK_THRESHOLD = 5
    client = client_as("facilitator")
    rows = stakeholder_rows(8)
    rows[3][1] = "nowhere"  # found by the task, not by the request
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, territory, xlsx_bytes(STAKEHOLDER_HEADER, rows), name="big.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.rows_total, job.error_count) == (ImportStatus.QUEUED, 8, 0)
    small = upload(client, territory, xlsx_bytes(STAKEHOLDER_HEADER, rows[:4]), name="small.xlsx")
    assert small.status_code == 400  # read at once: the bad row is shown on the form page
    assert "nowhere" in small.content.decode()


def test_job_detail_lists_errors_and_offers_them_as_csv(client_as: Any, territory: Any) -> None:
    client = client_as("officer")
    rows = stakeholder_rows(3)
    rows[1][1] = "=cmd|' /C calc'!A0"
    upload(client, territory, csv_bytes(STAKEHOLDER_HEADER, rows))
    job = ImportJob.objects.get()
    page = client.get(url("job_detail", territory, job.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing was imported: 1 problem was found." in html
    assert "1 row needs correcting." in html
    report = client.get(url("job_errors", territory, job.pk))
    assert report["Content-Disposition"].startswith("attachment")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "row,column,message"
    assert lines[1].startswith("3,sector,")


@pytest.mark.parametrize("name", ["job_detail", "job_progress", "job_errors"])
def test_job_pages_are_for_editors_of_the_territory_only(
    client_as: Any, territory: Any, other_territory: Any, name: str
) -> None:
    job = ImportJob.objects.create(territory=territory, kind="stakeholders", file_name="a.csv")
    assert client_as("citizen").get(url(name, territory, job.pk)).status_code == 403
    # An officer of another territory does not find Lund's job through their own territory.
    outsider = make_member(other_territory, "facilitator")
    client = client_as("officer")
    client.force_login(outsider)
    assert client.get(url(name, other_territory, job.pk)).status_code == 404
    assert client.get(url(name, territory, job.pk)).status_code == 403


def test_job_list_query_count_does_not_grow_with_jobs(
    client_as: Any, territory: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        ImportJob.objects.create(
            territory=territory,
            kind="stakeholders",
            file_name=f"f{i}.csv",
            created_by=users["officer" if i % 2 else "facilitator"],
            status=ImportStatus.FAILED,
            errors=[{"row": 2, "column": "name", "message": "x"}] * 50,
            error_count=50,
        )
    client = client_as("officer")
    with django_assert_max_num_queries(8):
        response = client.get(url("job_list", territory))
    assert response.content.decode().count("f2") >= 1
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("index", territory)).status_code == 200


# --- Export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    ],
)
def test_export_downloads_a_file(
    client: Any, territory: Any, partner_org: Any, fmt: str, content_type: str
) -> None:
    response = client.get(url("export", territory, "stakeholders", fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="lund-stakeholders-')


def test_export_trust_ratings_refused_to_everyone_but_facilitators(
    client: Any, client_as: Any, territory: Any
) -> None:
    assert client.get(url("export", territory, "trust", "csv")).status_code == 302
    assert client_as("officer").get(url("export", territory, "trust", "csv")).status_code == 403
    assert client_as("facilitator").get(url("export", territory, "trust", "csv")).status_code == 200


@pytest.mark.parametrize(("kind", "fmt"), [("users", "csv"), ("stakeholders", "pdf")])
def test_export_unknown_kind_or_format_is_not_found(
    client: Any, territory: Any, kind: str, fmt: str
) -> None:
    assert client.get(url("export", territory, kind, fmt)).status_code == 404


def test_import_template_has_the_import_columns(client_as: Any, territory: Any) -> None:
    response = client_as("officer").get(url("import_template", territory, "partnerships"))
    assert response.content.decode("utf-8-sig").strip() == (
        "name,form,status,start_date,end_date,value,currency,description,members,draft"
    )
