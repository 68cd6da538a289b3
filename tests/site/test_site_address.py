"""Links follow the address the site runs on (issue 23, item 1).

The demo is served by ``manage.py serve`` on a free port (never 8000) with SITE_URL unset, as
``PORT=8400 make demo`` does, its demo content loaded before, while the Wagtail site still
said port 8000. The canonical link, og:url, the sitemap, the feeds and the monthly gift's
cancel link in the receipt the worker e-mails all carry the port served, and the receipt is
signed with the site's name.
"""

import re
import time
import urllib.request
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "mobile": 390}


@pytest.fixture(scope="module")
def served():
    """The demo on a free port, SITE_URL unset: serve's bound address is the site's."""
    site = RunningSite(extra_env={"SITE_URL": ""})
    assert site.port != 8000
    site.start()
    yield site
    site.stop()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical = self.og_url = None
        self.article_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        if tag == "meta" and attrs.get("property") == "og:url":
            self.og_url = attrs.get("content")


def _own_article_path(site: RunningSite) -> str:
    """An article of the site's own (a republished one may name its original as canonical)."""
    output = site.shell(
        "from newsdesk.articles.models import ArticlePage\n"
        "print(next(a.url for a in ArticlePage.objects.live().order_by('pk')"
        " if not a.is_republished))"
    )
    return output.strip().splitlines()[-1]


def test_canonical_og_sitemap_and_feeds_carry_the_port_served(served):
    base = served.url  # http://127.0.0.1:<port>
    path = _own_article_path(served)
    head = _Head()
    head.feed(_get(base + path))
    assert head.canonical == base + path
    assert head.og_url == base + path

    locations = re.findall(r"<loc>([^<]+)</loc>", _get(base + "/sitemap.xml"))
    assert locations and all(loc.startswith(base + "/") for loc in locations), locations[:5]
    assert base + path in locations

    rss = _get(base + "/feeds/rss/")
    links = re.findall(r"<link>([^<]+)</link>", rss)
    assert links and all(link.startswith(base + "/") for link in links), links[:5]
    atom = _get(base + "/feeds/atom/")
    hrefs = re.findall(r'<link[^>]*href="([^"]+)"', atom)
    assert hrefs and all(h.startswith(base + "/") for h in hrefs), hrefs[:5]
    assert ":8000" not in rss + atom


def _receipt(site: RunningSite, address: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # The receipt (a first gift's welcome comes beside it).
        mails = [
            m
            for m in site.sent_mail()
            if f"To: {address}" in m and "Subject: Your monthly gift of" in m
        ]
        if mails:
            return mails[0]
        time.sleep(0.5)
    raise AssertionError(f"no receipt for {address}: {site.log_path.read_text()[-3000:]}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_monthly_gifts_cancel_link_in_its_receipt_works_on_the_port_served(
    served, browser, width
):
    address = f"monthly-{width}@example.org"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served.url + "/donate/")
    page.get_by_label("Or another amount (USD)").fill("12")
    page.get_by_label("Every month").check()
    page.get_by_label("E-mail for your receipt").fill(address)
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/donate/demo/**")
    page.get_by_role("button", name="Complete the demo payment").click()
    page.wait_for_url("**/donate/thanks/**")

    receipt = _receipt(served, address)
    cancel = re.search(r"^(http\S+/donate/cancel/\S+/)$", receipt, re.MULTILINE).group(1)
    assert cancel.startswith(served.url + "/donate/cancel/")
    # Signed with the site's name and its address as served.
    assert f"\n\nThe Lantern\n{served.url}\n" in receipt
    assert "Newsdesk" not in receipt

    page.goto(cancel)
    page.get_by_role("button", name="Stop my monthly gift").click()
    expect(page.locator("[data-part=cancelled]")).to_contain_text("is stopped")
    context.close()
