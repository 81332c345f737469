"""Stored ecosystem analyses, to read (they are computed by the service or the task)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocity.network.models import NetworkResult


@admin.register(NetworkResult)
class NetworkResultAdmin(admin.ModelAdmin[NetworkResult]):
    list_display = ("territory", "status", "progress", "data_version", "created_at", "finished_at")
    list_filter = ("status", "territory")
    list_select_related = ("territory",)
    exclude = ("payload",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
