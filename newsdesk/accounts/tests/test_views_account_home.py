"""The reader's account hub, ``/account/``: signed-in only, never cached, a fixed number of
queries; the name their comments show, changed and validated; a summary with links."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsdesk.accounts.tests import helpers as h
from newsdesk.discussion.services import guest_adoption
from newsdesk.discussion.services.staff import comment_status_set

pytestmark = pytest.mark.django_db
URL = "/account/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_url_is_named_account_home():
    assert reverse("account_home") == URL


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/")


def test_the_page_sums_up_comments_and_gifts_of_verified_addresses_only(article):
    reader = h.make_reader("ann", email="ann@example.org")
    EmailAddress.objects.create(user=reader, email="typed@example.org", verified=False)
    published = h.post(article, h.reader_of(reader), "One.")
    held = h.post(article, h.reader_of(reader), "Two.")
    rejected = h.post(article, h.reader_of(reader), "Three.")
    comment_status_set(comment=held, status="held", reason="links are checked first")
    comment_status_set(comment=rejected, status="rejected", reason="off topic")
    campaign = h.make_campaign()
    h.give(campaign, email="ann@example.org")
    h.monthly_gift(campaign, email="ann@example.org")
    h.give(campaign, email="typed@example.org")  # typed, never verified: not hers here

    response = _signed_in(reader).get(URL)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert published.pk and re.search(r'data-part="comments-summary">\s*3 comments:', html)
    assert re.search(r'data-part="comments-held">1 waiting', html)
    assert re.search(r'data-part="comments-rejected">1 not published', html)
    assert re.search(r'data-part="giving-summary">\s*1 gift in our ledger, 1 monthly gift', html)
    assert "typed@example.org" not in html
    for name in (
        "account_comments",
        "account_discussion",
        "account_giving",
        "newsletters:account",
        "account_privacy_export",
        "account_erase",
    ):
        assert f'href="{reverse(name)}"' in html, name


def _fill(article, reader, *, comments: int, gifts: int) -> None:
    campaign = h.make_campaign(f"Drive {comments}")
    for number in range(comments):
        h.post(article, h.reader_of(reader), f"Comment number {number} on the river.")
    for _ in range(gifts):
        h.give(campaign, email=reader.email)
        h.monthly_gift(campaign, email=reader.email)


def test_the_query_count_is_fixed_whatever_the_number_of_records(
    article, django_assert_num_queries
):
    few = h.make_reader("few", email="few@example.org")
    many = h.make_reader("many", email="many@example.org")
    _fill(article, few, comments=1, gifts=1)
    _fill(article, many, comments=6, gifts=4)
    counts = []
    for reader in (few, many):
        client = _signed_in(reader)
        client.get(URL)  # warm per-process caches (site settings, slots)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client = _signed_in(many)
    client.get(URL)
    # Session, user, verified addresses, comments by status, funding's three counts; then
    # the site's layout (site identity, site, sections, the menu's permission checks).
    with django_assert_num_queries(12):
        client.get(URL)


def test_the_name_is_changed_and_shown_on_comments_and_their_pages_outdated(article, monkeypatch):
    reader = h.make_reader("ann", email="ann@example.org")
    comment = h.post(article, h.reader_of(reader), "Mine.")
    announced: list = []
    monkeypatch.setattr(
        guest_adoption,
        "article_discussion_changed",
        lambda *, article_ids, **kw: announced.append(sorted(article_ids)),
    )
    client = _signed_in(reader)
    response = client.post(URL, {"name": "  Ann   of the  Weir "})
    assert response.status_code == 302 and response["Location"] == URL
    reader.refresh_from_db()
    assert reader.first_name == "Ann of the Weir"
    comment.refresh_from_db()
    assert comment.author_name == "Ann of the Weir"
    assert announced == [[article.pk]]
    assert 'data-part="display-name">Ann of the Weir<' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "name, words",
    [
        ("", "Give the name"),
        ("   ", "Give the name"),
        ("x" * 61, "at most 60"),
        ("<b>Ann</b>", "markup"),
        ("Ann<script>", "markup"),
        ("ann@example.org", "“@”"),
    ],
)
def test_a_bad_name_is_refused_with_a_message_and_changes_nothing(db, name, words):
    reader = h.make_reader("ann", email="ann@example.org")
    reader.first_name = "Ann"
    reader.save()
    response = _signed_in(reader).post(URL, {"name": name})
    assert response.status_code == 400
    assert words in response.content.decode()
    reader.refresh_from_db()
    assert reader.first_name == "Ann"


def test_attack_a_cross_site_post_changes_nothing(db):
    reader = h.make_reader("ann", email="ann@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(URL, {"name": "Forged"})
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.first_name == ""


def test_the_menu_lists_your_account_first_and_your_giving(db):
    html = _signed_in(h.make_reader("ann", email="ann@example.org")).get(URL).content.decode()
    menu = re.search(r'<nav class="account-nav".*?</nav>', html, re.S).group(0)
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", menu)
    assert labels[0] == "Your account"
    assert "Your giving" in labels
    assert re.findall(r'aria-current="page">([^<]+)</a>', menu) == ["Your account"]


def test_a_passwordless_account_is_told_to_set_a_password_before_erasing(db):
    reader = h.make_reader("rosa", email="rosa@example.org")
    reader.set_unusable_password()
    reader.save()
    html = _signed_in(reader).get("/accounts/privacy/erase/").content.decode()
    assert 'data-part="set-password-first"' in html
    assert f'href="{reverse("account_set_password")}"' in html
    with_password = h.make_reader("ann", email="ann@example.org")
    html = _signed_in(with_password).get("/accounts/privacy/erase/").content.decode()
    assert 'data-part="set-password-first"' not in html
