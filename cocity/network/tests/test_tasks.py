"""Large territories are analysed by a task on the real database queue, with progress.

The worker closes connections that are not in autocommit, as after a request; so these tests
run outside the per-test transaction (``transaction=True``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse

from cocity.core.models import ResultStatus
from cocity.core.testing import make_territory
from cocity.network import results, selectors, services
from cocity.network.models import NetworkResult
from cocity.network.tests.helpers import make_town

pytestmark = pytest.mark.django_db(transaction=True)


def test_network_result_run_analyses_a_large_territory_as_a_task(
    settings: Any, worker: Any, client: Any
) -> None:
    settings.COCITY_NETWORK_COMPUTE_NOW_MAX_STAKEHOLDERS = 3
    territory = make_territory(name="Task town", slug="task-town")
    town = make_town(territory)
    with transaction.atomic():
        queued = services.network_result_request(territory=territory)
    queued.refresh_from_db()
    assert queued.status == ResultStatus.QUEUED and queued.task_result_id
    page = client.get(reverse("network:index", args=[territory.slug])).content.decode()
    assert "The ecosystem is being analysed (0% done)" in page
    progress_url = reverse("network:progress", args=[territory.slug, queued.pk])
    assert 'hx-trigger="every 2s"' in client.get(progress_url).content.decode()
    worker()
    polled = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true" and "The analysis is ready." in polled.content.decode()
    done = NetworkResult.objects.get(pk=queued.pk)
    assert done.status == ResultStatus.READY and done.progress == 100
    assert results.top_brokers(done.payload)[0]["id"] == town.hub.pk
    state = selectors.network_state(territory=territory)
    assert state.result == done and state.is_current is True and state.pending is None
    # asked again with unchanged data: the stored result, no new task
    assert services.network_result_request(territory=territory).pk == done.pk


def test_a_worker_given_two_analysis_jobs_stores_the_same_analysis(
    settings: Any, worker: Any
) -> None:
    """COCITY_ANALYSIS_JOBS=2 runs betweenness and communities in a second process: the
    stored analysis must be the one a single process computes."""
    from cocity.network.compute import network_payload_build

    settings.COCITY_NETWORK_COMPUTE_NOW_MAX_STAKEHOLDERS = 3
    settings.COCITY_ANALYSIS_JOBS = 2
    territory = make_territory(name="Two-core town", slug="two-core-town")
    make_town(territory)
    with transaction.atomic():
        queued = services.network_result_request(territory=territory)
    worker()
    done = NetworkResult.objects.get(pk=queued.pk)
    assert done.status == ResultStatus.READY
    steps = done.payload["analysis"].pop("timings")
    assert "waiting for the parallel worker" in steps  # it did run in two processes
    _, alone = network_payload_build(territory=territory, n_jobs=1)
    assert "waiting for the parallel worker" not in alone["analysis"].pop("timings")
    assert done.payload == json.loads(json.dumps(alone, cls=DjangoJSONEncoder))
