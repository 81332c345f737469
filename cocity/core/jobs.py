"""Background work the apps share: queueing an import job, and keeping stored results tidy.

Imports (``dataio``, ``equity``) queue their file as a task once the transaction commits;
analyses (``network``, ``equity``) store one result per data version and keep a few.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cocity.core.models import ResultStatus

logger = logging.getLogger(__name__)

UNFINISHED = (ResultStatus.QUEUED, ResultStatus.RUNNING)


def job_enqueue_on_commit(
    job: models.Model, data: bytes, *, task: Any, fail: Callable[[], object]
) -> models.Model:
    """Keep ``data`` on the job, mark it queued, and queue ``task(job_id=...)`` on commit.

    The job model has ``payload``, ``status`` (with a ``"queued"`` choice), ``started_at``
    and ``task_result_id``. If the queue refuses the task, ``fail()`` records why on the job,
    so the page shows an error instead of waiting for ever.
    """
    with transaction.atomic():
        job.payload = data  # type: ignore[attr-defined]
        job.status = "queued"  # type: ignore[attr-defined]
        job.started_at = None  # type: ignore[attr-defined]
        job.save(update_fields=["payload", "status", "started_at", "updated_at"])

        def enqueue() -> None:
            try:
                result = task.enqueue(job_id=job.pk)
            except Exception:
                logger.exception("could not queue %s %s", type(job).__name__, job.pk)
                fail()
                return
            type(job)._default_manager.filter(pk=job.pk).update(task_result_id=str(result.id))

        transaction.on_commit(enqueue)
    return job


def results_prune(results: models.QuerySet[Any], *, keep: int) -> None:
    """Delete all but the ``keep`` newest ready results of ``results`` (one territory's),
    never one that is queued or running."""
    newest = list(
        results.filter(status=ResultStatus.READY)
        .order_by("-finished_at", "-id")
        .values_list("pk", flat=True)[:keep]
    )
    results.exclude(pk__in=newest).exclude(status__in=UNFINISHED).delete()


def result_fail_unexpectedly(results: models.QuerySet[Any], *, result_id: int, error: str) -> None:
    """Mark a queued or running result failed (its worker died or raised) with ``error``."""
    results.filter(pk=result_id, status__in=UNFINISHED).update(
        status=ResultStatus.FAILED, error=error, finished_at=timezone.now()
    )
