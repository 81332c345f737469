from django.contrib import admin

from cocity.core.models import ActivityEntry, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "last_used_at"]
    search_fields = ["user__username", "name"]


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    list_display = ["summary", "territory", "verb", "created_at"]
    list_filter = ["territory", "verb"]
