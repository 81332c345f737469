from django.urls import path

from cocity.equity import views

app_name = "equity"
urlpatterns = [
    path("", views.index, name="index"),
    path("map.svg", views.map_svg, name="map_svg"),
    path("curves/", views.curves, name="curves"),
    path("areas/", views.area_table, name="areas"),
    path("assets/", views.asset_list, name="assets"),
    path("reach/", views.reach, name="reach"),
    path("reach/<int:pk>/allocation/", views.allocation_edit, name="allocation"),
    path("what-if/", views.whatif, name="whatif"),
    path("data/", views.data_index, name="data"),
    path("data/import/<slug:kind>/", views.import_upload, name="import"),
    path("data/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("data/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("data/imports/<int:pk>/errors.csv", views.import_errors_csv, name="import_errors"),
    path("data/assets/<int:pk>/delete/", views.batch_delete, name="batch_delete"),
    path("compute/", views.compute, name="compute"),
    path("export/areas.csv", views.export_areas_csv, name="export_areas_csv"),
    path("export/areas.geojson", views.export_areas_geojson, name="export_areas_geojson"),
    path("export/assets.csv", views.export_assets_csv, name="export_assets_csv"),
    path("export/report.json", views.export_report_json, name="export_report"),
]
