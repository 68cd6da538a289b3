"""The queue's tabs: held comments, reported ones that are not held, both. The count on each
tab and on the admin's menu equals what that tab lists."""

import re

import pytest

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.models import Report

from .conftest import SPAM, guest_reader, member_reader, post

pytestmark = pytest.mark.django_db

PLAIN = "The reservoir figures in the second table look right to me."


def _rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'class="moderation-item" id="q(\d+)"', html)}


def _tab_counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-tab="(\w+)"[^>]*>[^<]*<span data-tab-count>\((\d+)\)', html)
    return {status: int(count) for status, count in found}


@pytest.fixture
def queue(article):
    """Two held comments (one of them reported too), two published reported ones, one
    published comment nobody reported, one whose report was resolved."""
    held = [post(article, guest_reader(f"192.0.2.{n}"), f"{SPAM} {n}") for n in range(2)]
    published = [
        post(article, member_reader(f"reader{n}", ip=f"198.51.100.{n}"), f"{PLAIN} ({n})")
        for n in range(4)
    ]
    assert all(c.status == CommentStatus.PUBLISHED for c in published)
    for n, comment in enumerate([held[1], published[0], published[1], published[3]]):
        Report.objects.create(comment=comment, reporter_key=f"guest:{n}", reason="abuse")
    Report.objects.filter(comment=published[3]).update(resolved_at="2026-01-01T00:00:00Z")
    return {"held": {c.pk for c in held}, "reported": {published[0].pk, published[1].pk}}


def test_each_tab_counts_what_it_lists_and_the_menu_adds_them(client, moderator, queue):
    client.force_login(moderator)
    pages = {
        status: client.get(f"/admin/moderation/?status={status}").content.decode()
        for status in ("held", "reported", "all")
    }
    listed = {status: _rows(html) for status, html in pages.items()}
    assert listed["held"] == queue["held"]
    assert listed["reported"] == queue["reported"]
    assert listed["all"] == queue["held"] | queue["reported"]
    rows = {status: len(ids) for status, ids in listed.items()}
    for status, html in [
        *pages.items(),
        ("held", client.get("/admin/moderation/").content.decode()),
    ]:
        assert f'data-tab="{status}" aria-current="page"' in html
        assert _tab_counts(html) == {**rows, "watched": 0}, status  # nothing is watched
    total = len(listed["held"]) + len(listed["reported"])
    assert f"Comment queue ({total})" in client.get("/admin/").content.decode()
    assert f"Queue ({total})" in pages["all"]


def test_tab_counts_follow_the_moderators_narrowing(client, moderator, queue, article):
    client.force_login(moderator)
    html = client.get("/admin/moderation/?status=reported&reported=1&signal=spam").content.decode()
    counts = _tab_counts(html)
    assert counts["reported"] == len(_rows(html)) == 0
    held = client.get("/admin/moderation/?status=held&signal=spam").content.decode()
    assert _tab_counts(held)["held"] == len(_rows(held)) == 2
    assert "status=held&amp;signal=spam" in held
