"""The REST API under /api/v1/ (django-ninja): one router per domain app.

Reference: ``/api/v1/openapi.json`` (OpenAPI 3) and the page ``/api/v1/docs`` rendered from
it by cocity itself (no CDN). Shared behaviour (auth, errors, pagination) lives in
:mod:`cocity.core.api_support`.
"""

from cocity.coproduction.api import router as coproduction_router
from cocity.core.api_docs import ApiReference
from cocity.core.api_errors import CocityAPI
from cocity.core.api_support import API_AUTH
from cocity.ecosystem.api import router as ecosystem_router
from cocity.engagement.api import router as engagement_router
from cocity.equity.api import router as equity_router
from cocity.network.api import router as network_router
from cocity.programme.api import router as programme_router
from cocity.readiness.api import router as readiness_router
from cocity.territories.api import router as territories_router

api = CocityAPI(
    title="cocity API",
    version="1",
    description=(
        "Read and edit a territory's ecosystem and programme. Authenticate with a personal "
        "token (`Authorization: Bearer <token>`, made on /accounts/tokens/) or the signed-in "
        "session (send `X-CSRFToken` on writes). Anonymous callers may read public "
        "territories, rate-limited per address. Lists take `?limit=&offset=` and answer "
        '`{"count", "limit", "offset", "items"}`. Every error is '
        '`{"error": {"status", "code", "message", "fields"}}`.'
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=ApiReference(),
)
api.add_router("/territories/", territories_router)
api.add_router("/territories/", ecosystem_router)
api.add_router("/territories/", programme_router)
api.add_router("/territories/", readiness_router)
api.add_router("/territories/", equity_router)
api.add_router("/territories/", network_router)
api.add_router("/territories/", coproduction_router)
api.add_router("/territories/", engagement_router)
