"""Writes of spatial equity: imports of areas, indicators and assets; allocations; results.

Imports are all or nothing. Areas and indicators are checked completely, then written in one
transaction. Assets are read and checked, placed in areas, then written chunk by chunk, each
chunk committed at once so that the import page, in another process, sees the progress; the
points count only once the import is marked imported, in the last transaction, and a failed
import deletes what it had written. Every successful write asks for new results
(:func:`equity_result_request`) once it is committed.

The import jobs live in :mod:`.import_jobs`, reading areas and indicators in
:mod:`.area_imports`, assets in :mod:`.asset_imports`, allocations in :mod:`.allocations` and
results in :mod:`.results`; callers keep importing them from here.
"""

from cocity.equity.services.allocations import (
    investment_allocation_reset,
    investment_allocation_set,
)
from cocity.equity.services.asset_imports import asset_batch_delete
from cocity.equity.services.import_jobs import (
    OPTIONS,
    SUFFIXES,
    equity_import_create,
    equity_import_execute,
    equity_import_fail_unexpectedly,
)
from cocity.equity.services.import_progress import ProgressCallback
from cocity.equity.services.results import (
    DEFAULT_COMPUTE_NOW_MAX_AREAS,
    DEFAULT_COMPUTE_NOW_MAX_POINTS,
    RESULTS_KEPT,
    Run,
    equity_result_execute,
    equity_result_fail_unexpectedly,
    equity_result_request,
)

__all__ = [
    "DEFAULT_COMPUTE_NOW_MAX_AREAS",
    "DEFAULT_COMPUTE_NOW_MAX_POINTS",
    "OPTIONS",
    "RESULTS_KEPT",
    "SUFFIXES",
    "ProgressCallback",
    "Run",
    "asset_batch_delete",
    "equity_import_create",
    "equity_import_execute",
    "equity_import_fail_unexpectedly",
    "equity_result_execute",
    "equity_result_fail_unexpectedly",
    "equity_result_request",
    "investment_allocation_reset",
    "investment_allocation_set",
]
