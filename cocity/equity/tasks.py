"""Background tasks of spatial equity (Django Tasks API, database queue; ``cocity worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from cocity.core.models import ResultStatus
from cocity.equity.models import EquityImport, EquityResult
from cocity.equity.services import (
    equity_import_execute,
    equity_import_fail_unexpectedly,
    equity_result_execute,
)


@task()
def equity_import_run(job_id: int) -> dict[str, Any]:
    """Read, check and save the queued import ``job_id``; progress is written to the job."""
    job = EquityImport.objects.select_related("territory", "created_by").get(pk=job_id)
    if job.is_finished:  # a retry after the job was already finished
        return {"status": job.status}
    try:
        job = equity_import_execute(job=job)
    except BaseException:
        equity_import_fail_unexpectedly(job_id=job_id)
        raise
    return {"status": job.status, "rows": job.rows_total, "errors": job.error_count}


@task()
def equity_result_run(result_id: int) -> dict[str, Any]:
    """Compute the queued equity result ``result_id`` from the territory's current data."""
    result = EquityResult.objects.select_related("territory").defer("payload").get(pk=result_id)
    if result.status not in (ResultStatus.QUEUED, ResultStatus.RUNNING):
        return {"status": result.status}
    result = equity_result_execute(result=result)
    return {"status": result.status, "data_version": result.data_version}
