"""Equity results: asked for after every change, computed now or queued, versioned and pruned."""

from __future__ import annotations

import logging
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.analytics.equity import EquityInputError
from cocity.core.jobs import result_fail_unexpectedly, results_prune
from cocity.core.models import ResultStatus
from cocity.equity.models import EquityImport, EquityResult, ImportKind, ImportStatus
from cocity.territories.models import Area, Territory

logger = logging.getLogger(__name__)

Run = Literal["auto", "now", "queue"]

RESULTS_KEPT = 5
DEFAULT_COMPUTE_NOW_MAX_POINTS = 200_000
DEFAULT_COMPUTE_NOW_MAX_AREAS = 2_000


def _request_after_commit(territory: Territory) -> None:
    def request() -> None:
        try:
            equity_result_request(territory=territory)
        except Exception:
            # The data is saved; the results will say that they are out of date.
            logger.exception("could not request equity results for territory %s", territory.pk)

    transaction.on_commit(request)


def _computes_now(territory: Territory) -> bool:
    max_points = int(
        getattr(settings, "COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS", DEFAULT_COMPUTE_NOW_MAX_POINTS)
    )
    max_areas = int(
        getattr(settings, "COCITY_EQUITY_COMPUTE_NOW_MAX_AREAS", DEFAULT_COMPUTE_NOW_MAX_AREAS)
    )
    if Area.objects.filter(territory=territory).count() > max_areas:
        return False
    points = EquityImport.objects.filter(
        territory=territory, kind=ImportKind.ASSETS, status=ImportStatus.SUCCEEDED
    ).aggregate(n=Sum("rows_total"))["n"]
    return int(points or 0) <= max_points


def equity_result_request(*, territory: Territory, run: Run = "auto") -> EquityResult:
    """Make sure results exist for the territory's current data.

    Returns the ready, queued or running result of the current data version if there is
    one; otherwise records a new one and computes it now (``run="now"``, or ``"auto"`` for a
    territory of up to ``COCITY_EQUITY_COMPUTE_NOW_MAX_AREAS`` areas and
    ``COCITY_EQUITY_COMPUTE_NOW_MAX_POINTS`` assets) or queues the task once committed.
    """
    from cocity.equity.selectors import equity_data_version

    version = equity_data_version(territory=territory)
    current = (
        EquityResult.objects.filter(territory=territory, data_version=version)
        .exclude(status=ResultStatus.FAILED)
        .defer("payload")
        .first()
    )
    if current is not None:
        if run == "now" and current.status == ResultStatus.QUEUED:
            # Waiting for a worker that may not be running: compute it here (the task then
            # finds it done and leaves it).
            return equity_result_execute(result=current)
        return current
    result = EquityResult.objects.create(territory=territory, data_version=version)
    if run == "now" or (run == "auto" and _computes_now(territory)):
        return equity_result_execute(result=result)
    from cocity.equity.tasks import equity_result_run

    def enqueue() -> None:
        try:
            task = equity_result_run.enqueue(result_id=result.pk)
        except Exception:
            logger.exception("could not queue equity result %s", result.pk)
            EquityResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.FAILED, error=_("The computation could not be queued.")
            )
            return
        EquityResult.objects.filter(pk=result.pk).update(task_result_id=str(task.id))

    transaction.on_commit(enqueue)
    return result


def equity_result_execute(*, result: EquityResult) -> EquityResult:
    """Compute ``result`` from the territory's current data and store it.

    Bad data (a stored geometry that cannot be used, an indicator out of range) marks the
    result failed with the reason; the previous ready result stays on the pages.
    """
    from cocity.equity.compute import equity_payload_build

    result.status = ResultStatus.RUNNING
    result.started_at = timezone.now()
    result.save(update_fields=["status", "started_at", "updated_at"])
    try:
        version, payload = equity_payload_build(territory=result.territory)
    except EquityInputError as exc:
        result.status = ResultStatus.FAILED
        result.error = str(exc)
        result.finished_at = timezone.now()
        result.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return result
    except BaseException:
        equity_result_fail_unexpectedly(result_id=result.pk)
        raise
    with transaction.atomic():
        result.data_version = version
        result.payload = payload
        result.status = ResultStatus.READY
        result.finished_at = timezone.now()
        result.save()
        results_prune(EquityResult.objects.filter(territory=result.territory), keep=RESULTS_KEPT)
    return result


def equity_result_fail_unexpectedly(*, result_id: int) -> None:
    result_fail_unexpectedly(
        EquityResult.objects.all(),
        result_id=result_id,
        error=_("The computation stopped unexpectedly."),
    )
