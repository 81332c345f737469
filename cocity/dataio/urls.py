from django.urls import path

from cocity.dataio import views

app_name = "data"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("import/template/<slug:kind>.csv", views.import_template, name="import_template"),
    path("imports/", views.job_list, name="job_list"),
    path("imports/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/errors.csv", views.job_errors_csv, name="job_errors"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
]
