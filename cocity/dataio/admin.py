from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocity.dataio.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    """Imports are records of what happened: readable here, changed only by running them."""

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
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
