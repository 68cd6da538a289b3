"""The JSON API at /api/, with its OpenAPI document at /api/openapi.json.

Each app contributes a django-ninja Router from its own ``api.py``. A service's refusal
(``newsdesk.core.errors.ServiceError``, whatever app raised it) becomes its answer here, in
one handler: the refusal's status and ``{"detail": message}`` (with ``"field"`` when it
concerns one field), so operations raise and never translate.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.parser import Parser

from newsdesk.core.errors import ServiceError, error_body
from newsdesk.discussion.api import router as discussion_router
from newsdesk.discussion.api_controls import router as discussion_controls_router
from newsdesk.discussion.api_counts import router as discussion_counts_router

# What the page's script sends (its form, with a picture); a URL-encoded body stays refused.
SCRIPT_FORM_TYPE = "multipart/form-data"


class BodyParser(Parser):
    """JSON, as the document declares; the site's own page script may send its form's
    fields as they are (multipart, for the picture a comment may carry), under the same
    names and read by the same schema."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type == SCRIPT_FORM_TYPE:
            return {name: request.POST.get(name) for name in request.POST}
        return json.loads(request.body)


api = NinjaAPI(
    title="Newsdesk API",
    version="1.0",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=BodyParser(),
)
api.add_router("/", discussion_router)
api.add_router("/", discussion_controls_router)
api.add_router("/", discussion_counts_router)


@api.exception_handler(ServiceError)
def service_error_answer(request: HttpRequest, error: ServiceError) -> HttpResponse:
    """Every refusal of every app, in one shape: its status and ``{"detail": ...}``."""
    return api.create_response(request, error_body(error), status=error.status_code)
