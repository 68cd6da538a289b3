"""One tree of refusals (``newsdesk.core.errors``) and one way the API answers them.

Every app names its refusals by subclassing its app root and one of core's kinds; the kind
alone sets the status. Whatever refusal an operation raises, the API's one handler answers
with that status and ``{"detail": message}`` (``"field"`` added when the refusal names one).
"""

import importlib
import inspect
import json
from pathlib import Path

import pytest
from django.apps import apps

import newsdesk
from newsdesk.core import errors as core
from newsdesk.core.errors import KINDS, ServiceError

pytestmark = pytest.mark.django_db


def _project_errors_loaded() -> None:
    """Import every app's ``errors`` module (and the modules that raise refusals of their
    own), so ``__subclasses__`` sees every refusal the project defines."""
    for config in apps.get_app_configs():
        if config.name.startswith("newsdesk."):
            try:
                importlib.import_module(f"{config.name}.errors")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.errors":
                    raise
    importlib.import_module("newsdesk.discussion.api")


def _all_refusals() -> list[type[ServiceError]]:
    _project_errors_loaded()
    found, stack = [], [ServiceError]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in found and sub.__module__.startswith("newsdesk."):
                found.append(sub)
                stack.append(sub)
    return found


def _app_roots() -> list[type[ServiceError]]:
    return [c for c in _all_refusals() if c.__bases__ == (ServiceError,) and c not in KINDS]


def test_the_apps_refusals_are_one_tree_whose_statuses_are_cores_kinds():
    refusals = _all_refusals()
    roots = {c.__module__.split(".")[1]: c for c in _app_roots()}
    assert {"discussion", "moderation", "accounts", "funding"} <= set(roots)
    for cls in refusals:
        if cls in KINDS or cls in roots.values():
            continue
        # A refusal is of exactly one kind, and its status is that kind's.
        kinds = [kind for kind in KINDS if issubclass(cls, kind)]
        assert len(kinds) == 1, f"{cls.__module__}.{cls.__name__} is of kinds {kinds}"
        assert "status_code" not in vars(cls), (
            f"{cls.__module__}.{cls.__name__} sets its own status; subclass a kind instead"
        )
        app = cls.__module__.split(".")[1]
        if app in roots:
            assert issubclass(cls, roots[app]), f"{cls.__name__} is not a {roots[app].__name__}"


def test_no_other_exception_tree_of_refusals_is_defined():
    """The three copies of the hierarchy are gone: outside core, no module defines a class
    that sets an HTTP status of its own."""
    offenders = []
    for path in Path(newsdesk.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "status_code = " not in text or "/tests/" in path.as_posix():
            continue
        if path.as_posix().endswith("newsdesk/core/errors.py"):
            continue
        for line in text.splitlines():
            if line.startswith("    status_code = "):
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


def _refusal_cases():
    cases = []
    for cls in _all_refusals():
        if inspect.isabstract(cls):
            continue
        cases.append(pytest.param(cls, id=f"{cls.__module__.split('.')[1]}.{cls.__name__}"))
    return cases


@pytest.mark.parametrize("field", [None, "body"])
@pytest.mark.parametrize("refusal", _refusal_cases())
def test_every_refusal_raised_through_the_api_gets_one_json_shape(
    client, article, monkeypatch, refusal, field
):
    from newsdesk.discussion import api as discussion_api

    error = refusal(f"Refused as {refusal.__name__}.", field=field)

    def refuse(article_id):
        raise error

    monkeypatch.setattr(discussion_api, "_article", refuse)
    response = client.get(f"/api/threads/{article.pk}")
    assert response.status_code == refusal.status_code
    assert response["Content-Type"].startswith("application/json")
    expected = {"detail": f"Refused as {refusal.__name__}."}
    if field:
        expected["field"] = field
    assert json.loads(response.content) == expected


def test_a_refusal_without_words_says_its_kinds_default():
    assert core.RateLimited().message == core.RateLimited.default_message
    assert core.RateLimited().status_code == 429
