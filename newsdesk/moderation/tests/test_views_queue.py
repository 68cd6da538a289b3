"""The moderators' screens in Wagtail's admin: only moderators get in; the queue shows
held and reported comments with their reasons and scores; actions, bans, the log, undo."""

import pytest
from django.contrib.auth import get_user_model

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.models import Ban, Decision, Report

from .conftest import SPAM, guest_reader, post, user_in

pytestmark = pytest.mark.django_db

GET_URLS = [
    "/admin/moderation/",
    "/admin/moderation/log/",
    "/admin/moderation/bans/",
    "/admin/moderation/retrain/",
]
POST_URLS = [
    "/admin/moderation/act/",
    "/admin/moderation/log/1/undo/",
    "/admin/moderation/bans/",
    "/admin/moderation/bans/1/lift/",
    "/admin/moderation/retrain/",
]


@pytest.fixture
def held(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return post(article, guest_reader("192.0.2.50"), SPAM, email="deals@example.org")


@pytest.mark.parametrize("who", ["anonymous", "reader", "Editors", "Treasurers"])
def test_every_moderation_url_is_closed_to_everyone_but_moderators(client, held, who):
    if who == "reader":
        client.force_login(user_in(None, "rita"))
    elif who != "anonymous":
        client.force_login(user_in(who, f"someone-{who.lower()}"))
    for url in GET_URLS:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], url
        assert b"deals.example.xyz" not in response.content
    for url in POST_URLS:
        response = client.post(
            url, {"single": f"approve:{held.pk}", "kind": "ip", "target": "10.0.0.1"}
        )
        assert response.status_code in (302, 403), url
    held.refresh_from_db()
    assert held.status == CommentStatus.HELD
    assert not Ban.objects.exists() and not Decision.objects.filter(actor__isnull=False).exists()


def test_a_superuser_and_a_moderator_get_in(client, moderator, held):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    for user in (moderator, boss):
        client.force_login(user)
        for url in GET_URLS:
            assert client.get(url).status_code == 200, url


def test_the_queue_shows_reasons_scores_reports_and_counts(
    client, moderator, held, article, django_assert_max_num_queries
):
    reported = post(article, guest_reader("192.0.2.60"), "A published comment readers dislike.")
    Report.objects.create(comment=reported, reporter_key="guest:a", reason="abuse", text="rude")
    client.force_login(moderator)
    # 20, and the commenters' history (selectors_dossier.DOSSIER_QUERIES) and the watched tab.
    with django_assert_max_num_queries(30):
        page = client.get("/admin/moderation/?status=all")
    html = page.content.decode()
    assert f'id="q{held.pk}"' in html and f'id="q{reported.pk}"' in html
    assert "held: spam" in html and "spam 0." in html
    assert "1 report" in html and "rude" in html
    assert article.title in html
    home = client.get("/admin/").content.decode()
    assert "data-moderation-summary" in home and "Comment queue (2)" in home
    only_reported = client.get("/admin/moderation/?status=all&reported=1").content.decode()
    assert f'id="q{held.pk}"' not in only_reported and f'id="q{reported.pk}"' in only_reported
    by_signal = client.get("/admin/moderation/?signal=hate").content.decode()
    assert f'id="q{held.pk}"' not in by_signal
    by_spam = client.get(f"/admin/moderation/?signal=spam&article={article.pk}").content.decode()
    assert f'id="q{held.pk}"' in by_spam


def test_the_queue_listing_costs_the_same_for_many_comments(
    client, moderator, article, django_assert_max_num_queries
):
    for n in range(30):
        post(article, guest_reader(f"192.0.2.{n}"), f"{SPAM} number {n}")
    client.force_login(moderator)
    # 20, and the commenters' history (selectors_dossier.DOSSIER_QUERIES) and the watched tab.
    with django_assert_max_num_queries(30):
        page = client.get("/admin/moderation/")
    assert page.content.decode().count('class="moderation-item"') == 30


def test_one_and_bulk_actions_from_the_queue(client, moderator, article):
    comments = [post(article, guest_reader(f"192.0.2.{n}"), f"{SPAM} {n}") for n in range(4)]
    client.force_login(moderator)
    response = client.post("/admin/moderation/act/", {"single": f"approve:{comments[0].pk}"})
    assert response.status_code == 302
    client.post(
        "/admin/moderation/act/",
        {"action": "reject", "label": "spam", "comment": [comments[1].pk, comments[2].pk]},
    )
    client.post(
        "/admin/moderation/act/",
        {"single": f"ban:{comments[3].pk}", "ban_kind": "ip", "ban_days": "7"},
    )
    statuses = [c.status for c in article.discussion_thread.comments.order_by("pk")]
    assert statuses == ["published", "rejected", "rejected", "rejected"]
    ban = Ban.objects.get()
    assert ban.network == "192.0.2.3/32" and ban.expires_at is not None
    log = client.get(f"/admin/moderation/log/?actor={moderator.username}").content.decode()
    assert log.count("data-decision-id") == 4


def test_a_ban_with_a_bad_network_is_a_form_error(client, moderator):
    client.force_login(moderator)
    response = client.post("/admin/moderation/bans/", {"kind": "network", "target": "10.0.0.0/99"})
    assert response.status_code == 400
    assert "is not a network in CIDR notation" in response.content.decode()
    assert not Ban.objects.exists()
    response = client.post(
        "/admin/moderation/bans/", {"kind": "network", "target": "10.0.0.0/8", "shadow": "on"}
    )
    assert response.status_code == 302
    assert Ban.objects.get().shadow


def test_undo_from_the_log(client, moderator, held):
    client.force_login(moderator)
    client.post("/admin/moderation/act/", {"single": f"spam:{held.pk}"})
    decision = Decision.objects.get(actor=moderator)
    log = client.get(f"/admin/moderation/log/?comment={held.pk}").content.decode()
    assert f"/admin/moderation/log/{decision.pk}/undo/" in log
    client.post(f"/admin/moderation/log/{decision.pk}/undo/")
    held.refresh_from_db()
    assert held.status == CommentStatus.HELD
    assert Decision.objects.filter(action="undo", actor=moderator).count() == 1
