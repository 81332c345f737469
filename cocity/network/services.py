"""Writes of ecosystem intelligence: asking for an analysis and computing it.

Results are stored per data version (:func:`cocity.network.selectors.network_data_version`):
asking again for unchanged data returns the stored (or queued) result. Small territories
are computed at once when asked; large ones run as a task that reports its progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.analytics.network import NetworkInputError
from cocity.core.jobs import result_fail_unexpectedly, results_prune
from cocity.core.models import ResultStatus
from cocity.ecosystem.models import Stakeholder
from cocity.network.models import NetworkResult
from cocity.territories.models import Territory

logger = logging.getLogger(__name__)

Run = Literal["auto", "now", "queue"]
DEFAULT_COMPUTE_NOW_MAX_STAKEHOLDERS = 300
"""``run="auto"`` computes at once up to this many stakeholders (setting
``COCITY_NETWORK_COMPUTE_NOW_MAX_STAKEHOLDERS``), and queues a task above it."""
RESULTS_KEPT = 3


def _computes_now(territory: Territory) -> bool:
    limit = int(
        getattr(
            settings,
            "COCITY_NETWORK_COMPUTE_NOW_MAX_STAKEHOLDERS",
            DEFAULT_COMPUTE_NOW_MAX_STAKEHOLDERS,
        )
    )
    return Stakeholder.objects.filter(territory=territory).count() <= limit


def network_result_request(
    *, territory: Territory, run: Run = "auto", seed: int = 0
) -> NetworkResult:
    """Make sure an analysis exists for the territory's current data.

    Returns the ready, queued or running result of the current data version if there is
    one; otherwise records a new one and computes it now (``run="now"``, or ``"auto"`` for a
    small territory) or queues the task once the transaction commits.
    """
    from cocity.network.selectors import network_data_version

    version = network_data_version(territory=territory)
    current = (
        NetworkResult.objects.filter(territory=territory, data_version=version)
        .exclude(status=ResultStatus.FAILED)
        .defer("payload")
        .order_by("-created_at", "-id")
        .first()
    )
    if current is not None:
        return current
    result = NetworkResult.objects.create(territory=territory, data_version=version)
    if run == "now" or (run == "auto" and _computes_now(territory)):
        return network_result_execute(result=result, seed=seed)
    from cocity.network.tasks import network_result_run

    def enqueue() -> None:
        try:
            task = network_result_run.enqueue(result_id=result.pk, seed=seed)
        except Exception:
            logger.exception("could not queue ecosystem analysis %s", result.pk)
            NetworkResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.FAILED, error=_("The analysis could not be queued.")
            )
            return
        NetworkResult.objects.filter(pk=result.pk).update(task_result_id=str(task.id))

    transaction.on_commit(enqueue)
    return result


def _progress(result_id: int) -> Callable[[int, str], None]:
    def report(percent: int, step: str) -> None:
        # Outside any transaction of the caller's: the page, in another process, reads it.
        NetworkResult.objects.filter(pk=result_id).update(progress=percent, step=step)

    return report


def network_result_execute(
    *, result: NetworkResult, seed: int = 0, n_jobs: int = 1
) -> NetworkResult:
    """Compute ``result`` from the territory's current data and store it; ``n_jobs``
    processes (the worker passes ``COCITY_ANALYSIS_JOBS``; a web request, 1).

    Data the analytics refuse (a stakeholder with a sector that is not a helix sector) marks
    the result failed with the reason; the previous ready result stays on the pages.
    """
    from cocity.network.compute import network_payload_build

    result.status = ResultStatus.RUNNING
    result.started_at = timezone.now()
    result.save(update_fields=["status", "started_at", "updated_at"])
    try:
        version, payload = network_payload_build(
            territory=result.territory, seed=seed, report=_progress(result.pk), n_jobs=n_jobs
        )
    except NetworkInputError as exc:
        result.status = ResultStatus.FAILED
        result.error = _("The ecosystem data cannot be analysed: %(reason)s") % {"reason": exc}
        result.finished_at = timezone.now()
        result.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return result
    except BaseException:
        network_result_fail_unexpectedly(result_id=result.pk)
        raise
    with transaction.atomic():
        result.data_version = version
        result.payload = payload
        result.status = ResultStatus.READY
        result.progress = 100
        result.step = "done"
        result.finished_at = timezone.now()
        result.save()
        results_prune(NetworkResult.objects.filter(territory=result.territory), keep=RESULTS_KEPT)
    return result


def network_result_fail_unexpectedly(*, result_id: int) -> None:
    result_fail_unexpectedly(
        NetworkResult.objects.all(),
        result_id=result_id,
        error=_("The analysis stopped unexpectedly."),
    )
