from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from cocity.api import api
from cocity.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", include("cocity.core.token_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("t/<slug:territory>/", include("cocity.territories.urls")),
    path("t/<slug:territory>/ecosystem-intelligence/", include("cocity.network.urls")),
    path("t/<slug:territory>/ecosystem/", include("cocity.ecosystem.urls")),
    path("t/<slug:territory>/programme/", include("cocity.programme.urls")),
    path("t/<slug:territory>/data/", include("cocity.dataio.urls")),
    path("t/<slug:territory>/readiness/", include("cocity.readiness.urls")),
    path("t/<slug:territory>/consultations/", include("cocity.engagement.urls")),
    path("t/<slug:territory>/equity/", include("cocity.equity.urls")),
    path("t/<slug:territory>/co-creation/", include("cocity.coproduction.urls")),
]

handler400 = "cocity.core.views.bad_request"
handler403 = "cocity.core.views.permission_denied"
handler404 = "cocity.core.views.page_not_found"
handler500 = "cocity.core.views.server_error"
