"""The supporter badge (issue 20, item 5): "Supporter" beside the comments of readers who give,
their choice, off by default; asked of funding inside the thread's own queries; a change of
choice outdates the cached pages of the threads where the reader commented."""

import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from newsdesk.core.errors import ServiceError
from newsdesk.discussion.models import ReaderSettings
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import thread_page_get
from newsdesk.discussion.services.badge import supporter_badge_get, supporter_badge_set
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.funding.models import Donation
from newsdesk.funding.services.ledger import donation_record

pytestmark = pytest.mark.django_db
BADGE = re.compile(
    r'<span class="comment__author comment__author--member">([^<]+)</span>'
    r'<span class="comment__supporter" data-role="supporter" [^>]*>Supporter</span>'
)


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


def verify(reader: Reader) -> None:
    EmailAddress.objects.create(user=reader.user, email=reader.user.email, verified=True)


def give(email: str, reference: str) -> Donation:
    return donation_record(
        provider=Donation.Provider.MANUAL,
        provider_reference=reference,
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("20.00"),
        currency="USD",
        donor_email=email,
    )


def badges(article) -> list[str]:
    return BADGE.findall(Client().get(article.url).content.decode())


def supporter(username: str) -> Reader:
    reader = member(username)
    verify(reader)
    give(reader.user.email, f"gift-{username}")
    return reader


def test_off_by_default_then_the_readers_choice(article):
    patron = supporter("patron")
    post(article, patron, "The ferry timetable changed in May.")
    post(article, guest(), "A guest's view.", name="Gus")
    assert badges(article) == []
    assert supporter_badge_get(user=patron.user) is False

    assert supporter_badge_set(reader=patron, show=True) is True
    assert badges(article) == ["patron"]
    assert supporter_badge_set(reader=patron, show=False) is False
    assert badges(article) == []


def test_the_badge_is_text_beside_the_author(article):
    patron = supporter("patron")
    supporter_badge_set(reader=patron, show=True)
    post(article, patron, "Words.")
    html = Client().get(article.url).content.decode()
    assert re.search(r'class="comment__supporter"[^>]*>Supporter</span>', html)


def test_no_badge_without_a_standing_gift_from_a_verified_address(article):
    """The attack: an account that names someone else's address (unverified) and the badge."""
    mallory = member("mallory", email="patron@example.org")
    give("patron@example.org", "the-real-patrons-gift")
    supporter_badge_set(reader=mallory, show=True)
    post(article, mallory, "I am a supporter, trust me.")
    assert badges(article) == []
    # A reader who chose the badge but never gave shows nothing either.
    keen = member("keen")
    verify(keen)
    supporter_badge_set(reader=keen, show=True)
    post(article, keen, "Happy to be here.")
    assert badges(article) == []


def test_a_refunded_gift_takes_the_badge_away(article):
    patron = member("patron")
    verify(patron)
    payment = give(patron.user.email, "to-refund")
    supporter_badge_set(reader=patron, show=True)
    post(article, patron, "Words.")
    assert badges(article) == ["patron"]
    donation_record(
        provider=Donation.Provider.MANUAL,
        provider_reference="to-refund-r",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-20.00"),
        currency="USD",
        related_payment=payment,
    )
    from django.core.cache import cache

    cache.clear()  # a refund does not outdate discussion pages: the next rendering knows
    assert badges(article) == []


def test_a_guest_cannot_choose_and_nothing_is_written():
    with pytest.raises(ServiceError):
        supporter_badge_set(reader=guest(), show=True)
    assert not ReaderSettings.objects.exists()


def test_changing_the_choice_outdates_the_cached_pages_where_the_reader_commented(article, section):
    from tests.support.factories import make_article

    elsewhere = make_article(section=section, title="A story she did not comment on")
    patron = supporter("patron")
    post(article, patron, "Words.")
    assert Client().get(article.url)["X-Page-Cache"] == "miss"
    assert Client().get(elsewhere.url)["X-Page-Cache"] == "miss"
    assert Client().get(article.url)["X-Page-Cache"] == "hit"
    supporter_badge_set(reader=patron, show=True)
    page = Client().get(article.url)
    assert page["X-Page-Cache"] == "miss" and BADGE.search(page.content.decode())
    assert Client().get(elsewhere.url)["X-Page-Cache"] == "hit"
    # The same choice again changes nothing, and outdates nothing.
    supporter_badge_set(reader=patron, show=True)
    assert Client().get(article.url)["X-Page-Cache"] == "hit"


def test_the_badge_costs_no_query_per_comment(article, django_assert_num_queries):
    first = supporter("first")
    supporter_badge_set(reader=first, show=True)
    top = post(article, first, "One.")
    reader = Reader()
    page = thread_page_get(article=article, reader=reader)
    assert [n.comment.author_supporter for n in page.nodes] == [True]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        thread_page_get(article=article, reader=reader)
    for n in range(6):
        other = supporter(f"other{n}")
        supporter_badge_set(reader=other, show=n % 2 == 0)
        post(article, other, f"Reply {n}.", parent=top)
        post(article, other, f"Top {n}.")
    with django_assert_num_queries(len(one.captured_queries)):
        page = thread_page_get(article=article, reader=reader)
    flags = {}
    for node in page.nodes:
        for each in [node, *node.replies]:
            flags[each.comment.author_name] = each.comment.author_supporter
    assert flags == {
        "first": True,
        **{f"other{n}": n % 2 == 0 for n in range(6)},
    }


def test_the_settings_page_sets_it(client, article):
    patron = supporter("patron")
    post(article, patron, "Words.")
    client.force_login(patron.user)
    page = client.get("/accounts/discussion/").content.decode()
    assert (
        'name="show_supporter_badge"' in page
        and "checked" not in page.split('name="show_supporter_badge"')[1].split(">")[0]
    )
    answer = client.post(
        "/accounts/discussion/", {"action": "badge", "show_supporter_badge": "on"}, follow=True
    )
    assert "Your comments show that you give" in answer.content.decode()
    assert supporter_badge_get(user=patron.user) is True
    assert badges(article) == ["patron"]
    client.post("/accounts/discussion/", {"action": "badge"})  # unticked: nothing sent
    assert supporter_badge_get(user=patron.user) is False


def test_the_settings_page_is_for_signed_in_readers_only(client):
    answer = client.post("/accounts/discussion/", {"action": "badge", "show_supporter_badge": "on"})
    assert answer.status_code == 302 and "/login" in answer["Location"]
    assert not ReaderSettings.objects.exists()


def test_supporters_are_trusted_commenters(article, settings):
    """Moderation's trust levels count a supporter as trusted (``trust_supporters``), badge
    or not: the badge is what readers see, trust is what the gate decides."""
    from newsdesk.discussion.pipeline import CommentCandidate
    from newsdesk.moderation.selectors import commenter_standing

    patron = supporter("patron")
    candidate = CommentCandidate(
        body="x", thread_key=str(article.pk), author_name="patron", author_user_id=patron.user.pk
    )
    assert commenter_standing(candidate=candidate).supporter is True
    assert supporter_badge_get(user=patron.user) is False
