from django.urls import path

from cocity.equity.views import data, downloads, overview, reach, tables, whatif

app_name = "equity"
urlpatterns = [
    path("", overview.index, name="index"),
    path("map.svg", overview.map_svg, name="map_svg"),
    path("curves/", overview.curves, name="curves"),
    path("areas/", tables.area_table, name="areas"),
    path("assets/", tables.asset_list, name="assets"),
    path("reach/", reach.reach, name="reach"),
    path("reach/<int:pk>/allocation/", reach.allocation_edit, name="allocation"),
    path("what-if/", whatif.whatif, name="whatif"),
    path("data/", data.data_index, name="data"),
    path("data/import/<slug:kind>/", data.import_upload, name="import"),
    path("data/imports/<int:pk>/", data.import_detail, name="import_detail"),
    path("data/imports/<int:pk>/progress/", data.import_progress, name="import_progress"),
    path("data/imports/<int:pk>/errors.csv", data.import_errors_csv, name="import_errors"),
    path("data/assets/<int:pk>/delete/", data.batch_delete, name="batch_delete"),
    path("compute/", data.compute, name="compute"),
    path("export/areas.csv", downloads.export_areas_csv, name="export_areas_csv"),
    path("export/areas.geojson", downloads.export_areas_geojson, name="export_areas_geojson"),
    path("export/assets.csv", downloads.export_assets_csv, name="export_assets_csv"),
    path("export/report.json", downloads.export_report_json, name="export_report"),
]
