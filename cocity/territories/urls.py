from django.urls import path

from cocity.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("members/", views.member_list, name="member_list"),
]
