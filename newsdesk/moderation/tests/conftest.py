"""Helpers for the moderation tests: candidates as the discussion app builds them."""

import pytest

from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.moderation.signals import prepare


def candidate(body: str, **fields) -> CommentCandidate:
    fields.setdefault("thread_key", "42")
    fields.setdefault("author_name", "A reader")
    return CommentCandidate(body=body, **fields)


@pytest.fixture
def no_onnx_model_kept():
    """Each test loads its own ONNX model: nothing from another test's folder stays loaded."""
    from newsdesk.moderation import onnx_model

    onnx_model._loaded.clear()
    yield
    onnx_model._loaded.clear()


@pytest.fixture
def score(db):
    """``score(signal_module, body, **candidate_fields)`` → that signal's SignalResult."""

    def run(signal, body: str, **fields):
        return signal.score_many([prepare(candidate(body, **fields))])[0]

    return run


# --- people and comments, made through the real services ---------------------------------
def user_in(group: str | None, username: str, *, email: str | None = None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password="a long pass 42"
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def moderator(db):
    return user_in("Moderators", "mona")


def guest_reader(ip: str = "192.0.2.10"):
    from newsdesk.discussion.readers import Reader, guest_key_new

    return Reader(guest_key=guest_key_new(), ip_address=ip)


def member_reader(username: str, *, ip: str = "192.0.2.20"):
    from newsdesk.discussion.readers import Reader

    return Reader(user=user_in(None, username), ip_address=ip)


def post(article, reader, body: str = "I read the whole report and the figures add up.", **kw):
    from newsdesk.discussion.services import CommentDraft, comment_create

    draft = CommentDraft(
        body=body,
        guest_name="" if reader.user else kw.pop("name", "Guest"),
        guest_email="" if reader.user else kw.pop("email", ""),
        **kw,
    )
    return comment_create(article=article, reader=reader, draft=draft)


SPAM = "Cheap watches and pills, order now at https://deals.example.xyz"
