from django.urls import path

from cocity.readiness import chart_views
from cocity.readiness.views import benchmark, layers, maturity_models, overview, rounds

app_name = "readiness"
urlpatterns = [
    path("", overview.index, name="index"),
    path("models/", maturity_models.model_list, name="model_list"),
    path(
        "models/install-default/",
        maturity_models.model_install_default,
        name="model_install_default",
    ),
    path("models/<int:pk>/", maturity_models.model_detail, name="model_detail"),
    path("models/<int:pk>/edit/", maturity_models.model_edit, name="model_edit"),
    path("models/<int:pk>/copy/", maturity_models.model_copy, name="model_copy"),
    path(
        "models/<int:pk>/new-version/", maturity_models.model_new_version, name="model_new_version"
    ),
    path("models/<int:pk>/publish/", maturity_models.model_publish, name="model_publish"),
    path("models/<int:pk>/delete/", maturity_models.model_delete, name="model_delete"),
    path(
        "models/<int:pk>/dimensions/new/", maturity_models.dimension_create, name="dimension_create"
    ),
    path(
        "models/<int:pk>/dimensions/<int:dpk>/edit/",
        maturity_models.dimension_edit,
        name="dimension_edit",
    ),
    path(
        "models/<int:pk>/dimensions/<int:dpk>/delete/",
        maturity_models.dimension_delete,
        name="dimension_delete",
    ),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_open, name="round_open"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/answer/", rounds.round_answer, name="round_answer"),
    path("rounds/<int:pk>/invite/", rounds.round_invite, name="round_invite"),
    path(
        "rounds/<int:pk>/invitations/<int:ipk>/delete/",
        rounds.invitation_delete,
        name="invitation_delete",
    ),
    path("rounds/<int:pk>/targets/", rounds.round_targets, name="round_targets"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/export.json", rounds.round_export, name="round_export"),
    path("rounds/<int:pk>/actions/", rounds.action_link_create, name="action_link_create"),
    path(
        "rounds/<int:pk>/actions/<int:lpk>/delete/",
        rounds.action_link_delete,
        name="action_link_delete",
    ),
    path(
        "rounds/<int:pk>/charts/<slug:kind>.<slug:fmt>",
        chart_views.round_chart,
        name="round_chart",
    ),
    path("layers/", layers.layers, name="layers"),
    path("layers/charts/<slug:kind>.<slug:fmt>", chart_views.layer_chart, name="layer_chart"),
    path("layers/interfaces/new/", layers.interface_create, name="interface_create"),
    path("layers/interfaces/<int:pk>/edit/", layers.interface_edit, name="interface_edit"),
    path("layers/interfaces/<int:pk>/delete/", layers.interface_delete, name="interface_delete"),
    path("benchmark/", benchmark.benchmark, name="benchmark"),
    path("benchmark/chart.<slug:fmt>", chart_views.benchmark_chart, name="benchmark_chart"),
    path("benchmark/import/", benchmark.peer_import, name="peer_import"),
    path("benchmark/imports/<int:pk>/delete/", benchmark.peer_delete, name="peer_delete"),
    path("settings/", benchmark.settings_edit, name="settings"),
]
