"""Large imports and results run as tasks on the real database queue, the way a worker runs them.

The worker closes connections that are not in autocommit, as after a request; so these tests
run outside the per-test transaction (``transaction=True``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cocity.core.models import ResultStatus
from cocity.core.testing import make_territory
from cocity.equity import selectors, services
from cocity.equity.models import EquityImport, EquityResult, ImportStatus
from cocity.equity.tests.helpers import areas_file, counts_points, import_file, points_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def town(settings: Any) -> Any:
    territory = make_territory(name="Task town", slug="task-town")
    import_file(territory, "areas", areas_file())
    return territory


def test_large_asset_import_runs_as_a_task_and_then_computes_results(
    town: Any, settings: Any, worker: Any, monkeypatch: Any
) -> None:
    settings.COCITY_EQUITY_TASK_THRESHOLD_BYTES = 100
    monkeypatch.setattr("cocity.equity.services.asset_imports.CHUNK_POINTS", 4)
    data = counts_points([0, 3, 4, 5])
    with transaction.atomic():
        job = services.equity_import_create(
            territory=town, actor=None, kind="assets", file_name="big.csv", data=data
        )
        assert not DBTaskResult.objects.exists()  # queued only once the job is committed
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and bytes(job.payload) == data
    task = DBTaskResult.objects.get(id=job.task_result_id)
    assert task.task_path == "cocity.equity.tasks.equity_import_run"
    assert selectors.asset_page(territory=town, offset=0, limit=5).count == 0

    worker()

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.rows_total, job.rows_done, job.payload) == (12, 12, None)
    assert job.chunks.count() == 3
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"status": "succeeded", "rows": 12, "errors": 0}
    state = selectors.equity_state(territory=town)
    assert state.is_current
    assert [a["count"] for a in state.payload["areas"]] == [0, 3, 4, 5]


def test_asset_import_task_with_bad_rows_saves_nothing(
    town: Any, settings: Any, worker: Any
) -> None:
    settings.COCITY_EQUITY_TASK_THRESHOLD_BYTES = 10
    data = points_csv([["0.005", "51.005", "wifi"], ["x", "51", "wifi"]])
    job = services.equity_import_create(
        territory=town, actor=None, kind="assets", file_name="bad.csv", data=data
    )
    worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert [e["row"] for e in job.errors] == ["line 3"]
    assert not job.chunks.exists() and job.payload is None


def test_results_of_a_large_territory_are_computed_by_a_task(
    town: Any, settings: Any, worker: Any
) -> None:
    settings.COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS = 0
    import_file(town, "assets", counts_points([1, 1, 1, 1]))
    queued = EquityResult.objects.filter(territory=town).latest("created_at")
    assert queued.status == ResultStatus.QUEUED
    assert selectors.equity_state(territory=town).pending == queued
    task = DBTaskResult.objects.get(id=queued.task_result_id)

    worker()

    queued.refresh_from_db()
    assert queued.status == ResultStatus.READY
    task.refresh_from_db()
    assert task.return_value == {"status": "ready", "data_version": queued.data_version}
    state = selectors.equity_state(territory=town)
    assert state.result == queued and state.is_current and state.pending is None


def test_import_job_the_task_finds_finished_is_left_alone(town: Any, worker: Any) -> None:
    from cocity.equity.tasks import equity_import_run

    job = import_file(town, "assets", counts_points([1]))
    equity_import_run.enqueue(job_id=job.pk)
    worker()
    assert EquityImport.objects.get(pk=job.pk).status == ImportStatus.SUCCEEDED
    assert DBTaskResult.objects.get().return_value == {"status": "succeeded"}
