"""The project's URLs plus the readiness API, so its tests run before the API mounts it."""

from django.urls import path

from cocity.core.api_support import API_AUTH, CocityAPI
from cocity.readiness.api import router
from cocity.urls import urlpatterns as project_urlpatterns

api = CocityAPI(
    title="readiness API under test",
    version="readiness-test",
    urls_namespace="readiness-test-api",
    auth=API_AUTH,
)
api.add_router("/territories/", router, url_name_prefix="readiness-test")

urlpatterns = [path("api/readiness-test/", api.urls), *project_urlpatterns]
