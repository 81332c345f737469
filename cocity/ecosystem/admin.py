from django.contrib import admin

from cocity.ecosystem.models import (
    Collaboration,
    LeadershipMember,
    LeadershipTeam,
    Partnership,
    PartnershipMember,
    Stakeholder,
    TrustRating,
)


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "sector", "type"]
    list_filter = ["territory", "sector", "type"]
    search_fields = ["name"]
    filter_horizontal = ["clusters", "areas"]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    autocomplete_fields = ["stakeholder"]
    extra = 1


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "form", "status", "start_date", "is_draft"]
    list_filter = ["territory", "form", "status", "is_draft"]
    search_fields = ["name"]
    inlines = [PartnershipMemberInline]
    filter_horizontal = ["initiatives"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "kind", "date", "outcome"]
    list_filter = ["territory", "kind", "outcome"]
    filter_horizontal = ["stakeholders"]


@admin.register(TrustRating)
class TrustRatingAdmin(admin.ModelAdmin):
    list_display = ["rater", "ratee", "ability", "benevolence", "integrity", "rated_on"]
    list_filter = ["territory"]


class LeadershipMemberInline(admin.TabularInline):
    model = LeadershipMember
    autocomplete_fields = ["stakeholder"]
    extra = 1


@admin.register(LeadershipTeam)
class LeadershipTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "challenge"]
    inlines = [LeadershipMemberInline]
