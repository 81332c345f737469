"""Background task of ecosystem intelligence (Django Tasks API, database queue).

Run by ``cocity worker``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks import task

from cocity.core.models import ResultStatus
from cocity.network.models import NetworkResult
from cocity.network.services import network_result_execute


@task()
def network_result_run(result_id: int, seed: int = 0) -> dict[str, Any]:
    """Compute the queued ecosystem analysis ``result_id``; progress is written to it."""
    result = NetworkResult.objects.select_related("territory").defer("payload").get(pk=result_id)
    if result.status not in (ResultStatus.QUEUED, ResultStatus.RUNNING):
        return {"status": result.status}
    result = network_result_execute(result=result, seed=seed, n_jobs=settings.COCITY_ANALYSIS_JOBS)
    return {"status": result.status, "data_version": result.data_version}
