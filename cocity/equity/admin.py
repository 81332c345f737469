from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocity.equity.models import EquityImport, EquityResult, InvestmentAllocation


class _RecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Imports and results are records of what happened: readable here, made by running them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EquityImport)
class EquityImportAdmin(_RecordAdmin):
    list_display = (
        "file_name",
        "territory",
        "kind",
        "status",
        "rows_total",
        "error_count",
        "created_at",
    )
    list_filter = ("status", "kind", "territory")
    list_select_related = ("territory",)
    search_fields = ("file_name",)
    exclude = ("payload",)


@admin.register(EquityResult)
class EquityResultAdmin(_RecordAdmin):
    list_display = ("territory", "status", "data_version", "created_at", "finished_at")
    list_filter = ("status", "territory")
    list_select_related = ("territory",)
    exclude = ("payload",)


@admin.register(InvestmentAllocation)
class InvestmentAllocationAdmin(admin.ModelAdmin[InvestmentAllocation]):
    """Allocations are edited on the equity pages (checked by the service); shown here to read."""

    list_display = ("initiative", "area", "amount", "territory")
    list_filter = ("territory",)
    list_select_related = ("initiative", "area", "territory")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
