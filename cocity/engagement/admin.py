from django.contrib import admin

from cocity.engagement.models import Conversation, OpinionResult, Participant, Statement


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    list_display = ["title", "territory", "status", "is_public", "version", "created_at"]
    list_filter = ["territory", "status", "is_public"]
    search_fields = ["title"]
    raw_id_fields = ["challenge", "created_by"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin[Statement]):
    list_display = ["number", "text", "conversation", "status", "is_seed", "created_at"]
    list_filter = ["status", "is_seed"]
    search_fields = ["text"]
    raw_id_fields = ["conversation", "author", "moderated_by"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin[Participant]):
    # Numbers only: the admin shows no token and no link to a user from here.
    list_display = [
        "number",
        "conversation",
        "sector",
        "profile_answered",
        "revoked_at",
        "created_at",
    ]
    list_filter = ["sector", "profile_answered"]
    exclude = ["user"]
    raw_id_fields = ["conversation", "area"]


@admin.register(OpinionResult)
class OpinionResultAdmin(admin.ModelAdmin[OpinionResult]):
    list_display = [
        "conversation",
        "version",
        "computed_at",
        "n_participants",
        "n_votes",
        "seconds",
    ]
    raw_id_fields = ["conversation"]
    exclude = ["payload", "state"]
