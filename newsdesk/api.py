"""The JSON API at /api/, with its OpenAPI document at /api/openapi.json.

Each app contributes a django-ninja Router from its own ``api.py``.
"""

from ninja import NinjaAPI

from newsdesk.discussion.api import router as discussion_router

api = NinjaAPI(
    title="Newsdesk API",
    version="1.0",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", discussion_router)
