from django.contrib import admin

from cocity.programme.models import Challenge, Initiative, LayerProgress


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "mission", "is_draft"]
    list_filter = ["territory", "mission", "is_draft"]
    search_fields = ["title"]


class LayerProgressInline(admin.TabularInline):
    model = LayerProgress
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "stage", "lead", "is_draft"]
    list_filter = ["territory", "stage", "is_draft"]
    search_fields = ["title"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["partners", "challenges", "areas"]
    inlines = [LayerProgressInline]
