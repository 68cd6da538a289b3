"""Query budgets: every public page and every public GET of the API costs a fixed number of
queries whatever the size of the site, asserted at a small and a large size with one budget.

The page cache is off here (a hit costs no query at all): these are the costs of a miss. Each
address is asked once before it is counted, so one-off writes (image renditions, settings
rows made on first read) are not counted.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from newsdesk.api import api
from newsdesk.discussion.models import Comment, Thread
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign
from tests.support.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

SMALL = {"articles": 3, "comments": 10, "gifts": 3}
LARGE = {"articles": 30, "comments": 500, "gifts": 30}

# Address -> at most this many queries, at every size.
BUDGETS = {
    "front": 18,  # 17, and one for discussion's "Most discussed" (``selectors_counts``)
    "section": 16,
    "article with its thread": 22,
    "article, comments page 2": 22,
    "tag": 12,
    "author": 12,
    "search": 11,
    "feed rss": 8,
    "feed atom": 8,
    "section feed rss": 10,
    "section feed atom": 10,
    "sitemap": 13,
    "news sitemap": 9,
    "donate": 4,
    "donor wall": 5,
    "editors' picks": 12,
    "api thread": 6,
    "api thread, page 2": 6,
    "api mine (signed in)": 11,
    "api discussion controls (signed in)": 6,
    "api staff controls (signed in)": 6,
    "api comment counts": 1,
    "api openapi": 0,
    "api docs": 0,
}
# The API's GET operations and the budget entries that cover them.
API_GETS = {
    "/api/threads/{article_id}": "api thread",
    "/api/threads/{article_id}/mine": "api mine (signed in)",
    "/api/threads/{article_id}/staff": "api staff controls (signed in)",
    "/api/discussion/controls": "api discussion controls (signed in)",
    "/api/comment-counts": "api comment counts",
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGECACHE_ENABLED = False


class Site:
    """A site that grows: sections, articles with tags, an author and pictures, one long
    thread, a campaign and its gifts."""

    def __init__(self):
        self.section = make_section("World")
        self.author = make_author("Ann Writer")
        self.picture = make_image("Dry riverbed")
        self.articles = []
        self.campaign = make_campaign(goal="5000")
        self.gifts = 0
        self.reader = get_user_model().objects.create_user(
            username="reader", email="reader@example.org", password="a long pass 42"
        )
        self.main = self._article()
        self.thread = Thread.objects.create(article=self.main)

    def _article(self):
        article = make_article(
            section=self.section,
            title=f"Rivers report {len(self.articles) + 1}",
            tags=["rivers"],
            authors=[self.author],
            lead_image=self.picture,
        )
        self.articles.append(article)
        return article

    def grow(self, *, articles: int, comments: int, gifts: int) -> None:
        while len(self.articles) < articles:
            self._article()
        have = Comment.objects.filter(thread=self.thread).count()
        now = timezone.now()
        tops = Comment.objects.bulk_create(
            Comment(thread=self.thread, depth=1, guest_name=f"Reader {i}", created_at=now,
                    user=self.reader if i % 7 == 0 else None,
                    body_source="A view.", body_html="<p>A view.</p>")
            for i in range(have, have + (comments - have) // 2)
        )  # fmt: skip
        Comment.objects.bulk_create(
            Comment(thread=self.thread, parent=top, root_id=top.pk, depth=2, created_at=now,
                    guest_name="Replier", body_source="A reply.", body_html="<p>A reply.</p>")
            for top in tops
        )  # fmt: skip
        while self.gifts < gifts:
            self.gifts += 1
            donation_record(
                provider="demo",
                provider_reference=f"gift-{self.gifts}",
                kind="payment",
                amount=Decimal("25.00"),
                currency="USD",
                campaign=self.campaign,
                donor_name=f"Donor {self.gifts}",
                message="For the rivers desk.",
            )

    def addresses(self) -> dict[str, tuple[str, bool]]:
        """Budget name -> (address, signed in)."""
        main, section = self.main, self.section
        return {
            "front": ("/", False),
            "section": (section.url, False),
            "article with its thread": (main.url, False),
            "article, comments page 2": (main.url + "?cpage=2", False),
            "tag": ("/tags/rivers/", False),
            "author": (f"/authors/{self.author.slug}/", False),
            "search": ("/search/?q=rivers", False),
            "feed rss": ("/feeds/rss/", False),
            "feed atom": ("/feeds/atom/", False),
            "section feed rss": (f"/feeds/{section.slug}/rss/", False),
            "section feed atom": (f"/feeds/{section.slug}/atom/", False),
            "sitemap": ("/sitemap.xml", False),
            "news sitemap": ("/news-sitemap.xml", False),
            "donate": ("/donate/", False),
            "donor wall": ("/donate/wall/", False),
            "editors' picks": ("/discussion/picks/", False),
            "api thread": (f"/api/threads/{main.pk}", False),
            "api thread, page 2": (f"/api/threads/{main.pk}?page=2", False),
            "api mine (signed in)": (f"/api/threads/{main.pk}/mine", True),
            "api discussion controls (signed in)": (
                f"/api/discussion/controls?article_id={main.pk}",
                True,
            ),
            "api staff controls (signed in)": (f"/api/threads/{main.pk}/staff", True),
            "api comment counts": (
                "/api/comment-counts?articles=" + ",".join(str(a.pk) for a in self.articles),
                False,
            ),
            "api openapi": ("/api/openapi.json", False),
            "api docs": ("/api/docs", False),
        }


def _within_budgets(site: Site, size: str, django_assert_max_num_queries) -> None:
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(site.reader)
    for name, (address, personal) in site.addresses().items():
        client = signed_in if personal else anonymous
        warm = client.get(address)
        assert warm.status_code == 200, (name, address, warm.status_code)
        with django_assert_max_num_queries(BUDGETS[name], info=f"{name} ({size} site)"):
            client.get(address)


def test_every_public_address_keeps_its_query_budget_at_any_size(django_assert_max_num_queries):
    site = Site()
    site.grow(**SMALL)
    _within_budgets(site, "small", django_assert_max_num_queries)
    site.grow(**LARGE)
    assert Comment.objects.filter(thread=site.thread).count() >= LARGE["comments"]
    assert len(site.articles) == LARGE["articles"]
    _within_budgets(site, "large", django_assert_max_num_queries)


def test_every_public_get_of_the_api_has_a_budget():
    schema = api.get_openapi_schema()
    gets = {path for path, operations in schema["paths"].items() if "get" in operations}
    assert gets == set(API_GETS), "a new GET in the API needs its query budget here"
