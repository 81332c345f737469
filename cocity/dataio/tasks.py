"""Background tasks of imports (Django Tasks API, database queue; run by ``cocity worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from cocity.dataio.models import ImportJob
from cocity.dataio.services import import_job_execute, import_job_fail_unexpectedly


@task()
def import_job_run(job_id: int) -> dict[str, Any]:
    """Check and save the queued import ``job_id``; progress is written to the job as it goes."""
    job = ImportJob.objects.select_related("territory", "created_by").get(pk=job_id)
    if job.is_finished:  # a retry after the job was already finished
        return {"status": job.status}
    try:
        job = import_job_execute(job=job)
    except BaseException:
        import_job_fail_unexpectedly(job_id=job_id)
        raise
    return {"status": job.status, "rows_imported": job.rows_imported, "errors": job.error_count}
