"""Discussion tests judge discussion alone: assessors other apps register are set aside
(the gate publishes when none is registered); a test that needs one registers its own."""

import pytest
from wagtail import hooks

from newsdesk.core.hooks import COMMENT_ASSESS


@pytest.fixture(autouse=True)
def _no_outside_assessors(monkeypatch, request):
    if request.node.get_closest_marker("browser"):
        return
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESS, [])
