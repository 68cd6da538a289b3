"""The API against its own OpenAPI document (schemathesis, in-process through the WSGI app).

Every operation of ``/api/openapi.json`` gets generated requests, valid and invalid: no
answer may be a server error, use a status code or content type the document does not
declare, or break the declared response schema. Half the generated ids are swapped for a real
article and comment, so the operations' success paths run too, not only their 404s.
"""

import hashlib

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 20}
# A guest token lets generated writes through without a browser's CSRF cookie.
GUEST_TOKEN = "schemathesis-guest-token"


@pytest.fixture
def wsgi_keeps_the_test_connection(db):
    """Called through WSGI, Django closes the database connection at each request's end, as
    a server should; the test's transaction lives on that connection, so keep it open (as
    Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(article) -> dict[str, int]:
    guest = Reader(guest_key=guest_key_new(), ip_address="192.0.2.40")
    top = comment_create(
        article=article, reader=guest, draft=CommentDraft(body="A first word.", guest_name="Ann")
    )
    reply = comment_create(
        article=article,
        reader=Reader(guest_key=GUEST_TOKEN, ip_address="192.0.2.41"),
        draft=CommentDraft(body="A reply.", guest_name="Ben", parent_id=top.pk),
    )
    return {"article_id": article.pk, "comment_id": reply.pk, "parent_id": top.pk}


def _swapped(value: int) -> bool:
    """Three generated ids in four, by a digest of the value: hypothesis favours round
    numbers (0, 300, 4096), so "odd ones" can miss the real rows for a whole run."""
    return hashlib.sha256(str(value).encode()).digest()[0] % 4 != 0


def _real_ids_swapped(case, real_ids: dict[str, int]) -> None:
    """Point most generated ids at real rows: votes at someone else's comment, edits and
    deletions at the token's own reply; a post without a name gets one."""
    own = "votes" not in case.operation.path
    ids = {**real_ids, "comment_id": real_ids["comment_id" if own else "parent_id"]}
    for name, value in (case.path_parameters or {}).items():
        if name in ids and isinstance(value, int) and _swapped(value):
            case.path_parameters[name] = ids[name]
    if isinstance(case.body, dict):
        parent_id = case.body.get("parent_id")
        if isinstance(parent_id, int) and _swapped(parent_id):
            case.body["parent_id"] = real_ids["parent_id"]
        name = case.body.get("name")
        if case.operation.path.endswith("/comments") and not (isinstance(name, str) and name):
            case.body["name"] = "Generated Guest"


def _operation_run(operation, mode, *, real_ids: dict[str, int], counts: dict[str, int]) -> None:
    label = f"{operation.method.upper()} {operation.path} ({mode.value})"

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_within_schema(case):
        cache.clear()  # rate limits would turn every later example into a 429
        _real_ids_swapped(case, real_ids)
        response = case.call_and_validate(checks=CHECKS, headers={"X-Guest-Token": GUEST_TOKEN})
        key = f"{label} {response.status_code}"
        counts[key] = counts.get(key, 0) + 1

    answers_within_schema()


def test_every_operation_answers_within_its_schema(wsgi_keeps_the_test_connection, real_ids):
    # schemathesis's own pytest plugin does not run on pytest 9: each operation is driven
    # here by hypothesis, with the strategies schemathesis derives from the document.
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "GET /api/threads/{article_id}",
        "POST /api/threads/{article_id}/comments",
        "PATCH /api/comments/{comment_id}",
        "DELETE /api/comments/{comment_id}",
        "POST /api/comments/{comment_id}/votes",
    }
    counts: dict[str, int] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _operation_run(operation, mode, real_ids=real_ids, counts=counts)
    print("\nschemathesis cases by operation, mode and status:")
    for key, count in sorted(counts.items()):
        print(f"  {key}: {count}")
    print(f"  total: {sum(counts.values())}")
    # The success paths ran too, not only refusals.
    assert any(key.endswith(" 201") and "comments (positive)" in key for key in counts)
    assert any(
        key.startswith("GET /api/threads/{article_id} ") and key.endswith(" 200") for key in counts
    )
