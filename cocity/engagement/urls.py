from django.urls import path

from cocity.engagement import views, vote_views

app_name = "engagement"
urlpatterns = [
    path("", views.conversation_list, name="conversation_list"),
    path("new/", views.conversation_create, name="conversation_create"),
    path("import/", views.conversation_import, name="conversation_import"),
    path("<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("<int:pk>/edit/", views.conversation_edit, name="conversation_edit"),
    path("<int:pk>/vote/", vote_views.vote, name="vote"),
    path("<int:pk>/profile/", vote_views.profile, name="profile"),
    path("<int:pk>/statements/new/", vote_views.statement_submit, name="statement_submit"),
    path("<int:pk>/statements/", views.statement_list, name="statement_list"),
    path(
        "<int:pk>/statements/<int:sid>/moderate/",
        views.statement_moderate,
        name="statement_moderate",
    ),
    path("<int:pk>/moderation/", views.moderation_queue, name="moderation_queue"),
    path("<int:pk>/participants/", views.participant_list, name="participant_list"),
    path(
        "<int:pk>/participants/<int:number>/revoke/",
        views.participant_revoke,
        name="participant_revoke",
    ),
    path("<int:pk>/map/", views.opinion_map_page, name="map"),
    path("<int:pk>/report/", views.opinion_report, name="report"),
    path("<int:pk>/export.zip", views.conversation_export, name="export"),
]
