from django.urls import path

from cocity.readiness import chart_views, views

app_name = "readiness"
urlpatterns = [
    path("", views.index, name="index"),
    path("models/", views.model_list, name="model_list"),
    path("models/install-default/", views.model_install_default, name="model_install_default"),
    path("models/<int:pk>/", views.model_detail, name="model_detail"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/copy/", views.model_copy, name="model_copy"),
    path("models/<int:pk>/new-version/", views.model_new_version, name="model_new_version"),
    path("models/<int:pk>/publish/", views.model_publish, name="model_publish"),
    path("models/<int:pk>/delete/", views.model_delete, name="model_delete"),
    path("models/<int:pk>/dimensions/new/", views.dimension_create, name="dimension_create"),
    path("models/<int:pk>/dimensions/<int:dpk>/edit/", views.dimension_edit, name="dimension_edit"),
    path(
        "models/<int:pk>/dimensions/<int:dpk>/delete/",
        views.dimension_delete,
        name="dimension_delete",
    ),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/answer/", views.round_answer, name="round_answer"),
    path("rounds/<int:pk>/invite/", views.round_invite, name="round_invite"),
    path(
        "rounds/<int:pk>/invitations/<int:ipk>/delete/",
        views.invitation_delete,
        name="invitation_delete",
    ),
    path("rounds/<int:pk>/targets/", views.round_targets, name="round_targets"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/export.json", views.round_export, name="round_export"),
    path("rounds/<int:pk>/actions/", views.action_link_create, name="action_link_create"),
    path(
        "rounds/<int:pk>/actions/<int:lpk>/delete/",
        views.action_link_delete,
        name="action_link_delete",
    ),
    path(
        "rounds/<int:pk>/charts/<slug:kind>.<slug:fmt>",
        chart_views.round_chart,
        name="round_chart",
    ),
    path("layers/", views.layers, name="layers"),
    path("layers/charts/<slug:kind>.<slug:fmt>", chart_views.layer_chart, name="layer_chart"),
    path("layers/interfaces/new/", views.interface_create, name="interface_create"),
    path("layers/interfaces/<int:pk>/edit/", views.interface_edit, name="interface_edit"),
    path("layers/interfaces/<int:pk>/delete/", views.interface_delete, name="interface_delete"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("benchmark/chart.<slug:fmt>", chart_views.benchmark_chart, name="benchmark_chart"),
    path("benchmark/import/", views.peer_import, name="peer_import"),
    path("benchmark/imports/<int:pk>/delete/", views.peer_delete, name="peer_delete"),
    path("settings/", views.settings_edit, name="settings"),
]
