"""Queueing an import job and keeping stored results tidy (cocity.core.jobs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cocity.core.jobs import ResultStatus, job_enqueue_on_commit, results_prune
from cocity.core.models import FileImport
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.services import _fail
from cocity.dataio.tasks import import_job_run
from cocity.equity.models import EquityImport
from cocity.equity.models import ImportStatus as EquityImportStatus
from cocity.network.models import NetworkResult

pytestmark = pytest.mark.django_db


def _job(territory: Any) -> ImportJob:
    return ImportJob.objects.create(territory=territory, kind="stakeholders", file_name="a.csv")


def test_a_queued_job_keeps_its_file_and_its_task_once_committed(
    territory: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(territory)
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue_on_commit(job, b"name\nA\n", task=import_job_run, fail=lambda: None)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and bytes(job.payload) == b"name\nA\n"
    assert job.task_result_id  # the database queue holds it for `cocity worker`


def test_a_job_the_queue_refuses_is_failed_with_a_reason(
    territory: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(territory)
    # The queue this task names is no longer one the site runs: the backend refuses it.
    settings.TASKS = {"default": {**settings.TASKS["default"], "QUEUES": ["elsewhere"]}}
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue_on_commit(job, b"name\nA\n", task=import_job_run, fail=lambda: _fail(job, []))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.task_result_id


def test_prune_keeps_the_newest_ready_results_and_never_unfinished_ones(territory: Any) -> None:
    now = timezone.now()
    ready = [
        NetworkResult.objects.create(
            territory=territory,
            data_version=str(i),
            status=ResultStatus.READY,
            finished_at=now - dt.timedelta(hours=i),
        )
        for i in range(5)
    ]
    running = NetworkResult.objects.create(
        territory=territory, data_version="r", status=ResultStatus.RUNNING
    )
    failed = NetworkResult.objects.create(
        territory=territory, data_version="f", status=ResultStatus.FAILED, finished_at=now
    )
    results_prune(NetworkResult.objects.filter(territory=territory), keep=2)
    left = set(NetworkResult.objects.values_list("pk", flat=True))
    assert left == {ready[0].pk, ready[1].pk, running.pk}
    assert failed.pk not in left


@pytest.mark.parametrize(
    ("model", "statuses"), [(ImportJob, ImportStatus), (EquityImport, EquityImportStatus)]
)
def test_every_import_ends_succeeded_or_failed_and_shows_its_progress(
    territory: Any, model: type[FileImport], statuses: Any
) -> None:
    assert set(FileImport.FINISHED_STATUSES) <= set(statuses.values)
    job = model(territory=territory, kind=model._meta.get_field("kind").choices[0][0])
    job.file_name, job.rows_total, job.rows_done = "a.csv", 8, 2
    assert (job.is_finished, job.percent) == (False, 25)
    job.status = statuses.FAILED
    assert job.is_finished and str(job).startswith("a.csv (")
