"""The watch list: moderators watch a commenter (from a queued comment or their page) or a
story (from the queue's article filter), with a note, and stop; the queue's "Watched" tab
lists what waits by watched commenters or under watched stories and the watched commenters'
recently published comments, and counts them on its tab."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.moderation.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import Report, WatchEntry
from newsdesk.moderation.selectors_dossier import WATCH_RECENT_DAYS, commenter_key
from newsdesk.moderation.services.watch import (
    watch_commenter_add,
    watch_remove,
    watch_story_add,
)
from tests.support import factories

from .conftest import SPAM, guest_reader, member_reader, post, user_in

pytestmark = pytest.mark.django_db

PLAIN = "The reservoir figures in the second table look right to me."


def _rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'class="moderation-item" id="q(\d+)"', html)}


def _watched_count(html: str) -> int:
    return int(re.search(r'data-tab="watched"[^>]*>[^<]*<span data-tab-count>\((\d+)\)', html)[1])


@pytest.fixture
def scene(article, section):
    """A troll (an account) with a held, a published recent and a published old comment; a
    guest with a held comment on another story and a published reported one there; a
    bystander's held comment on the first story."""
    other_story = factories.make_article(section=section, title="Bridges after the drought")
    troll = member_reader("troll", ip="198.51.100.1")
    troll_held = post(article, troll, f"{SPAM} troll")
    troll_recent = post(article, troll, f"{PLAIN} (troll recent)")
    troll_old = post(article, troll, f"{PLAIN} (troll old)")
    Comment.objects.filter(pk=troll_old.pk).update(
        created_at=timezone.now() - timedelta(days=WATCH_RECENT_DAYS + 1)
    )
    guest = guest_reader("203.0.113.5")
    guest_held = post(other_story, guest, f"{SPAM} guest", email="g@example.org")
    guest_reported = post(other_story, guest, f"{PLAIN} (guest)", email="g@example.org")
    Report.objects.create(comment=guest_reported, reporter_key="guest:r", reason="abuse")
    guest_published = post(other_story, guest, f"{PLAIN} (guest, fine)", email="g@example.org")
    bystander = post(article, guest_reader("192.0.2.77"), f"{SPAM} bystander")
    for c in (troll_recent, troll_old, guest_reported, guest_published):
        assert Comment.objects.get(pk=c.pk).status == CommentStatus.PUBLISHED
    return {
        "troll": [troll_held, troll_recent, troll_old],
        "guest": [guest_held, guest_reported, guest_published],
        "bystander": bystander,
        "story": article,
        "other_story": other_story,
    }


def test_the_watched_tab_lists_what_watched_commenters_and_stories_have_waiting(
    client, moderator, scene
):
    troll_held, troll_recent, _ = scene["troll"]
    guest_held, guest_reported, _ = scene["guest"]
    client.force_login(moderator)
    html = client.get("/admin/moderation/?status=watched").content.decode()
    assert _rows(html) == set() and _watched_count(html) == 0
    assert "Nothing waits for review here." in html

    # Watch the troll from their queued comment (the row's button, the "w" key).
    client.post(
        "/admin/moderation/watch/toggle/",
        {"watch_comment": troll_held.pk, "next": "/admin/moderation/"},
    )
    entry = WatchEntry.objects.get()
    assert entry.commenter_key == commenter_key(troll_held) and entry.added_by == moderator
    html = client.get("/admin/moderation/?status=watched").content.decode()
    # Held, and published recently (a watched troll's words are re-read); not the old one.
    assert _rows(html) == {troll_held.pk, troll_recent.pk}
    assert _watched_count(html) == 2

    # Watch the other story from the queue's article filter, with a note.
    filtered = client.get(f"/admin/moderation/?article={scene['other_story'].pk}")
    assert "Watch this story" in filtered.content.decode()
    client.post(
        "/admin/moderation/watch/add/",
        {"article": scene["other_story"].pk, "note": "heated", "next": "/admin/moderation/"},
    )
    html = client.get("/admin/moderation/?status=watched").content.decode()
    # What waits under it (held, reported); not its unreported published comment.
    assert _rows(html) == {troll_held.pk, troll_recent.pk, guest_held.pk, guest_reported.pk}
    assert _watched_count(html) == 4
    assert scene["bystander"].pk not in _rows(html)
    filtered = client.get(f"/admin/moderation/?article={scene['other_story'].pk}").content
    assert "This story is watched" in filtered.decode() and "heated" in filtered.decode()
    # The other tabs show the watched count too, and keep counting what they list.
    held_tab = client.get("/admin/moderation/").content.decode()
    assert _watched_count(held_tab) == 4

    # The watch list page names both; removing the story and unwatching the troll.
    page = client.get("/admin/moderation/watch/").content.decode()
    assert "Bridges after the drought" in page and "troll" in page and "heated" in page
    story = WatchEntry.objects.get(kind="story")
    client.post(f"/admin/moderation/watch/{story.pk}/remove/")
    client.post("/admin/moderation/watch/toggle/", {"watch_comment": troll_held.pk})
    assert WatchEntry.objects.count() == 0
    html = client.get("/admin/moderation/?status=watched").content.decode()
    assert _rows(html) == set()


def test_a_watched_guest_is_matched_by_their_address(client, moderator, scene):
    guest_held, guest_reported, guest_published = scene["guest"]
    watch_commenter_add(commenter_key="email:g@example.org", actor=moderator, note="pitches")
    client.force_login(moderator)
    html = client.get("/admin/moderation/?status=watched").content.decode()
    assert _rows(html) == {guest_held.pk, guest_reported.pk, guest_published.pk}
    assert "Watched</strong> (pitches)" in html


def test_the_history_page_watches_and_unwatches(client, moderator, scene):
    key = commenter_key(scene["troll"][0])
    client.force_login(moderator)
    client.post("/admin/moderation/watch/toggle/", {"watch_commenter": key})
    assert WatchEntry.objects.filter(commenter_key=key).exists()
    page = client.get(f"/admin/moderation/commenters/{key}/").content.decode()
    assert "Unwatch this commenter" in page
    client.post("/admin/moderation/watch/toggle/", {"watch_commenter": key})
    assert not WatchEntry.objects.exists()


def test_bad_watch_requests_change_nothing(client, moderator, scene):
    key = commenter_key(scene["troll"][0])
    watch_commenter_add(commenter_key=key, actor=moderator)
    with pytest.raises(AlreadyDone):
        watch_commenter_add(commenter_key=key, actor=moderator)
    with pytest.raises(InvalidInput):
        watch_commenter_add(commenter_key="nobody", actor=moderator)
    with pytest.raises(InvalidInput):
        watch_story_add(article_id=scene["story"].pk, actor=moderator, note="x" * 201)
    with pytest.raises(NotFound):
        watch_story_add(article_id=999999, actor=moderator)
    with pytest.raises(NotFound):
        watch_remove(entry_id=999999, actor=moderator)
    with pytest.raises(NotAllowed):
        watch_story_add(article_id=scene["story"].pk, actor=user_in(None, "reader9"))
    client.force_login(moderator)
    for data in ({"article": "999999"}, {"article": "x", "watch_commenter": "bad"}, {}):
        response = client.post("/admin/moderation/watch/add/", data, follow=True)
        assert response.status_code == 200, data
    client.post("/admin/moderation/watch/toggle/", {"watch_comment": "999999"})
    assert WatchEntry.objects.count() == 1


def test_the_watched_tab_costs_the_same_for_many_comments(
    client, moderator, article, django_assert_max_num_queries
):
    for n in range(12):
        reader = member_reader(f"watched{n}", ip=f"198.51.{n}.3")
        comment = post(article, reader, f"{SPAM} {n}")
        watch_commenter_add(commenter_key=commenter_key(comment), actor=moderator)
    client.force_login(moderator)
    with django_assert_max_num_queries(30):
        html = client.get("/admin/moderation/?status=watched").content.decode()
    assert len(_rows(html)) == 12 and _watched_count(html) == 12


def test_the_queue_offers_the_shortcuts_in_an_accessible_dialog(client, moderator, scene):
    client.force_login(moderator)
    html = client.get("/admin/moderation/?status=watched").content.decode()
    dialog = re.search(r"<dialog[^>]*>.*?</dialog>", html, re.S)[0]
    assert 'aria-labelledby="queue-shortcuts-title"' in dialog
    assert '<h2 id="queue-shortcuts-title">' in dialog
    for key in "jkxarsbwnh?":
        assert f"<kbd>{key}</kbd>" in dialog, key


@pytest.mark.slow
def test_the_demo_watches_its_troll_and_lead_story(client, django_capture_on_commit_callbacks):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from newsdesk.moderation.models import CommenterNote

    for _ in range(2):  # loading again changes nothing
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", stdout=io.StringIO())
    troll = get_user_model().objects.get(username="gale_force")
    assert CommenterNote.objects.filter(commenter_key=f"account:{troll.pk}").count() == 1
    assert set(WatchEntry.objects.values_list("kind", flat=True)) == {"commenter", "story"}
    assert WatchEntry.objects.count() == 2
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    html = client.get("/admin/moderation/?status=watched").content.decode()
    troll_rows = Comment.objects.filter(user=troll, status=CommentStatus.PUBLISHED)
    assert troll_rows and all(f'id="q{c.pk}"' in html for c in troll_rows)
    assert "Posts a dismissive one-liner" in html
    assert _watched_count(html) == len(_rows(html)) > len(troll_rows)  # the story's too
