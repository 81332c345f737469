from django.urls import path

from cocity.core import views

urlpatterns = [
    path("", views.token_list, name="token_list"),
]
