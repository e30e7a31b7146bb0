"""The JSON API under /api/v1/: one NinjaAPI, with a router per domain app."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="WPS Monitor API",
    version="1",
    urls_namespace="api-v1",
    openapi_url="/schema",
    docs_url="/docs",
)
