from django.contrib import admin

from cocity.coproduction.models import (
    Proposal,
    ProposalComment,
    ProposalStatusChange,
    Workshop,
    WorkshopOutput,
)


class ProposalCommentInline(admin.TabularInline):
    model = ProposalComment
    extra = 0
    fields = ["author", "body", "created_at", "hidden_by_moderator", "hidden_reason"]
    readonly_fields = ["author", "created_at"]


class ProposalStatusChangeInline(admin.TabularInline):
    """The history is written by the workflow only; the admin shows it."""

    model = ProposalStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "by", "at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "challenge", "status", "created_at"]
    list_filter = ["territory", "status"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "challenge", "initiative"]
    readonly_fields = ["status"]  # statuses move through the workflow, with their history
    inlines = [ProposalStatusChangeInline, ProposalCommentInline]


class WorkshopOutputInline(admin.TabularInline):
    model = WorkshopOutput
    extra = 0
    raw_id_fields = ["owner", "initiative", "proposal"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "starts_at", "place", "people_count"]
    list_filter = ["territory"]
    search_fields = ["title", "place"]
    raw_id_fields = ["challenge", "created_by"]
    filter_horizontal = ["stakeholders"]
    inlines = [WorkshopOutputInline]
