from django.contrib import admin

from cocity.readiness.models import (
    AssessmentRound,
    Dimension,
    ExternalPeer,
    ExternalResult,
    InterfaceItem,
    Invitation,
    MaturityModel,
    ReadinessSettings,
    Target,
)


class DimensionInline(admin.StackedInline):
    model = Dimension
    extra = 0


@admin.register(MaturityModel)
class MaturityModelAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "territory", "is_default"]
    list_filter = ["territory", "status"]
    search_fields = ["name"]
    inlines = [DimensionInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["user", "stakeholder"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "model", "status", "created_at"]
    list_filter = ["territory", "status"]
    inlines = [InvitationInline, TargetInline]


@admin.register(InterfaceItem)
class InterfaceItemAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "layer_a", "layer_b", "kind", "significance"]
    list_filter = ["territory", "kind"]


class ExternalResultInline(admin.TabularInline):
    model = ExternalResult
    extra = 0


@admin.register(ExternalPeer)
class ExternalPeerAdmin(admin.ModelAdmin):
    list_display = ["round_title", "territory", "named", "kind", "population_band"]
    inlines = [ExternalResultInline]


admin.site.register(ReadinessSettings)
