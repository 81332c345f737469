from django.urls import path

from cocity.coproduction import views

app_name = "coproduction"
urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("proposals/<int:pk>/comments/", views.proposal_comment, name="proposal_comment"),
    path("proposals/<int:pk>/comments/<int:cpk>/hide/", views.comment_hide, name="comment_hide"),
    path(
        "proposals/<int:pk>/comments/<int:cpk>/restore/",
        views.comment_restore,
        name="comment_restore",
    ),
    path("proposals/<int:pk>/status/", views.proposal_transition, name="proposal_transition"),
    path(
        "proposals/<int:pk>/initiative/",
        views.proposal_make_initiative,
        name="proposal_make_initiative",
    ),
    path("workshops/", views.workshop_list, name="workshop_list"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/delete/", views.workshop_delete, name="workshop_delete"),
    path("workshops/<int:pk>/outputs/new/", views.output_create, name="output_create"),
    path("workshops/<int:pk>/outputs/<int:opk>/edit/", views.output_edit, name="output_edit"),
    path("workshops/<int:pk>/outputs/<int:opk>/delete/", views.output_delete, name="output_delete"),
]
