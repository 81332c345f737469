from django.urls import path

from cocity.network import views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("network.json", views.graph_json, name="graph"),
    path("stakeholders.csv", views.stakeholders_csv, name="stakeholders_csv"),
    path("compute/", views.compute, name="compute"),
    path("analyses/<int:pk>/progress/", views.progress, name="progress"),
]
