"""The commenter's history beside each queued comment: counts and the latest of their
comments, decisions, reports and bans, loaded for the whole page in a fixed number of
queries whatever its length; the history page of one commenter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.models import Report
from newsdesk.moderation.queue import QueueFilters, queue_comments
from newsdesk.moderation.selectors_dossier import (
    DOSSIER_QUERIES,
    commenter_dossier_get,
    commenter_key,
    dossiers_for_comments,
)
from newsdesk.moderation.services import ban_create, ban_lift, comments_moderate
from newsdesk.moderation.services.notes import commenter_note_add

from .conftest import SPAM, guest_reader, member_reader, post

pytestmark = pytest.mark.django_db

PLAIN = "The reservoir figures in the second table look right to me."


def _commenters(article, moderator, count: int, tag: str) -> dict[str, dict]:
    """``count`` commenters, accounts and guests (by e-mail and by key alone) in turn, each
    with a published comment, a rejected one (a moderator's decision), a reported one and
    a held one; by their key: what each has."""
    made = {}
    for n in range(count):
        ip = f"198.{18 + n % 2}.{n}.{7 if tag == 'a' else 9}"
        kind = n % 3
        if kind == 0:
            reader, extra = member_reader(f"{tag}member{n}", ip=ip), {}
        else:
            reader = guest_reader(ip)
            extra = {"email": f"{tag}.guest{n}@Example.org"} if kind == 1 else {}
        published = post(article, reader, f"{PLAIN} ({tag}{n} a)", **extra)
        rejected = post(article, reader, f"{PLAIN} ({tag}{n} b)", **extra)
        reported = post(article, reader, f"{PLAIN} ({tag}{n} c)", **extra)
        held = post(article, reader, f"{SPAM} {tag}{n}", **extra)
        assert held.status == CommentStatus.HELD
        comments_moderate(comment_ids=[rejected.pk], action="reject", actor=moderator)
        Report.objects.create(comment=reported, reporter_key=f"guest:{tag}{n}", reason="abuse")
        Report.objects.create(
            comment=published,
            reporter_key=f"guest:{tag}{n}x",
            reason="spam",
            resolved_at="2026-01-01T00:00:00Z",
        )
        made[commenter_key(held)] = {"held": held, "reader": reader, "kind": kind}
    return made


def _page() -> list:
    return list(queue_comments(filters=QueueFilters(status="all")))


def test_a_page_of_commenters_costs_the_same_queries_whatever_its_length(article, moderator):
    few = _commenters(article, moderator, 3, "a")
    page = _page()
    with CaptureQueriesContext(connection) as small:
        dossiers = dossiers_for_comments(comments=page)
    assert set(dossiers) == set(few)
    many = _commenters(article, moderator, 9, "b")
    page = _page()
    with CaptureQueriesContext(connection) as large:
        dossiers = dossiers_for_comments(comments=page)
    assert set(dossiers) == set(few) | set(many)
    assert len(page) == 2 * 12  # each commenter's held and reported comments wait
    assert len(small.captured_queries) == len(large.captured_queries) == DOSSIER_QUERIES
    with CaptureQueriesContext(connection) as empty:
        assert dossiers_for_comments(comments=[]) == {}
    assert len(empty.captured_queries) == 0


def test_the_history_counts_and_lists_each_kind_of_record(article, moderator):
    made = _commenters(article, moderator, 3, "c")
    email_key = next(key for key, facts in made.items() if facts["kind"] == 1)
    assert email_key.startswith("email:c.guest1@example.org")  # an address is lower-cased
    member_key = next(key for key, facts in made.items() if facts["kind"] == 0)
    member = made[member_key]["held"].user
    ban_create(kind="account", user=member, actor=moderator, reason="insults")
    old = ban_create(kind="email", target="c.guest1@example.org", actor=moderator)
    ban_lift(ban_id=old.pk, actor=moderator)
    commenter_note_add(commenter_key=member_key, body="Warned once by e-mail.", actor=moderator)

    dossiers = dossiers_for_comments(comments=_page())
    for key, dossier in dossiers.items():
        assert dossier.comment_counts == {"published": 2, "rejected": 1, "held": 1}, key
        assert dossier.comment_total == 4
        assert dossier.comments[0]["status"] == CommentStatus.HELD  # newest first
        assert dossier.open_reports == 1 and dossier.past_reports == 1
        assert {r.resolved_at is None for r in dossier.reports} == {True, False}
        assert dossier.decision_counts.get("rejected") == 1
        assert any(d.action == "rejected" and d.actor == moderator for d in dossier.decisions)
    assert [b.reason for b in dossiers[member_key].active_bans] == ["insults"]
    assert [n.body for n in dossiers[member_key].notes] == ["Warned once by e-mail."]
    assert dossiers[email_key].active_bans == [] and len(dossiers[email_key].past_bans) == 1
    key_only = next(key for key, facts in made.items() if facts["kind"] == 2)
    assert key_only.startswith("key:") and dossiers[key_only].bans == []


def test_the_queue_shows_each_commenters_history_and_the_page_of_one(
    client, article, moderator, django_assert_max_num_queries
):
    made = _commenters(article, moderator, 3, "d")
    client.force_login(moderator)
    html = client.get("/admin/moderation/?status=all").content.decode()
    assert html.count("data-history") == 6  # beside each waiting comment
    # Four automatic decisions and the moderator's rejection; one open report, one past.
    assert html.count("History: 4 comments, 5 decisions, 2 reports, 0 bans") == 6
    for key in made:
        assert f'href="/admin/moderation/commenters/{key}/"' in html
    member_key = next(key for key, facts in made.items() if facts["kind"] == 0)
    # Wagtail's own (session, account, permissions, menu), then the history and its latest comment.
    with django_assert_max_num_queries(12 + DOSSIER_QUERIES + 1):
        page = client.get(f"/admin/moderation/commenters/{member_key}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Comments (4)" in text and "1 open, 1 past" in text
    assert made[member_key]["held"].body_source[:40] in text
    for bad in ("account:nope", "email:NoSuch@Example.org", "key:xyz", "account:999999"):
        assert client.get(f"/admin/moderation/commenters/{bad}/").status_code == 404, bad


def test_the_history_page_is_for_moderators_only(client, article, moderator):
    made = _commenters(article, moderator, 1, "e")
    key = next(iter(made))
    reader = made[key]["held"].user
    client.force_login(reader)
    response = client.get(f"/admin/moderation/commenters/{key}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_commenter_page_finds_what_the_dossier_selector_finds(article, moderator):
    made = _commenters(article, moderator, 2, "f")
    for key in made:
        dossier = commenter_dossier_get(key=key)
        assert dossier is not None and dossier.comment_total == 4
    assert commenter_dossier_get(key="email:nobody@example.org") is None


def test_a_guest_known_by_address_is_found_from_every_browser_on_their_page(article):
    """The queue finds a guest known by e-mail address by the guest keys their waiting
    comments carry (indexed); their own page finds every comment with the address."""
    home, phone = guest_reader("198.51.100.30"), guest_reader("198.51.100.31")
    held = post(article, home, f"{SPAM} from home", email="Kim@example.org")
    post(article, home, f"{PLAIN} (home)", email="kim@example.org")
    post(article, phone, f"{PLAIN} (phone)", email="KIM@example.org")
    key = commenter_key(held)
    assert key == "email:kim@example.org"
    in_queue = dossiers_for_comments(comments=[held])[key]
    assert in_queue.comment_total == 2  # the comments written with the home browser's key
    page = commenter_dossier_get(key=key)
    assert page is not None and page.comment_total == 3
    assert any(c["excerpt"].endswith("(phone)") for c in page.comments)
