from django.contrib import admin

from cocity.territories.models import Area, Cluster, Membership, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "territory", "population", "deprivation_decile"]
    list_filter = ["territory"]
    search_fields = ["code", "name"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "territory"]
    list_filter = ["territory"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "territory", "role", "stakeholder"]
    list_filter = ["territory", "role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["stakeholder"]
