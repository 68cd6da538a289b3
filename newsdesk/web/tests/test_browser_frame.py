"""The frame and the front page in Debian's chromium against the served demo (gunicorn and
the worker), at 1280 and 390 pixels: full section rows, the lead shown once, the footer's
pages, the favicon, an article's related stories and share links, and its headline in the
first screen on a phone."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (390, 844)]
FOOTER_PAGES = ["About us", "Contact", "Privacy", "Corrections", "Moderation policy"]
# Rounding of layout boxes, in CSS pixels.
SLACK = 2


@pytest.fixture(params=SIZES, ids=[f"{w}px" for w, _ in SIZES])
def visit(request, running_site, browser):
    """A fresh context at the size, recording console errors, failed responses and every
    address the page asked for."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=running_site.url)
    page = context.new_page()
    seen = {"console": [], "requests": [], "failed": [], "errors": []}
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("response", lambda r: r.status >= 400 and seen["failed"].append((r.status, r.url)))
    page.seen = seen
    page.size = (width, height)
    yield page
    context.close()
    assert not seen["errors"], seen["errors"]


def _front(page, running_site):
    page.goto(running_site.url + "/")
    page.wait_for_load_state("networkidle")


def _lead_story(page, running_site) -> str:
    _front(page, running_site)
    return page.locator('[data-part="lead-story"] .card__title a').get_attribute("href")


def test_front_page_section_rows_are_full_and_the_lead_is_not_repeated(visit, running_site):
    page = visit
    _front(page, running_site)
    lead_id = page.locator('[data-part="lead-story"] .card').get_attribute("data-article-id")

    # The sections' blocks (not the "most discussed" list, which has the blocks' look).
    blocks = page.locator(".section-block:not(.most-discussed)")
    assert blocks.count() >= 4
    for index in range(blocks.count()):
        grid = blocks.nth(index).locator(".article-grid")
        ids = grid.locator(".card").evaluate_all("cards => cards.map(c => c.dataset.articleId)")
        assert lead_id not in ids, "the lead story is repeated in its section's block"
        box = grid.bounding_box()
        cards = [c.bounding_box() for c in grid.locator(":scope > .card").all()]
        rows: dict[int, list] = {}
        for card in cards:
            rows.setdefault(round(card["y"]), []).append(card)
        for top, row in rows.items():
            left = min(c["x"] for c in row)
            right = max(c["x"] + c["width"] for c in row)
            assert abs(left - box["x"]) <= SLACK and abs(right - (box["x"] + box["width"])) <= (
                SLACK
            ), f"block {index}, row at {top}: {len(row)} card(s) span {left}..{right} of {box}"


def test_footer_links_lead_to_the_sites_pages(visit, running_site):
    page = visit
    _front(page, running_site)
    footer = page.locator("footer .site-footer__nav")
    expect(footer).to_be_visible()
    assert footer.locator("a").all_inner_texts() == FOOTER_PAGES

    for title in FOOTER_PAGES:
        page.locator("footer .site-footer__nav").get_by_role("link", name=title).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().strip() == title
        assert page.locator(".info-page__body p").count() >= 1
    assert not page.seen["failed"], page.seen["failed"]


def test_favicon_is_served_and_pages_log_no_console_error(visit, running_site):
    page = visit
    answer = page.request.get(running_site.url + "/favicon.ico")
    assert answer.status == 200 and answer.headers["content-type"] == "image/x-icon"
    article = _lead_story(page, running_site)
    icon = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(running_site.url + icon).status == 200

    for path in ["/", article, "/about/"]:
        page.goto(running_site.url + path)
        page.wait_for_load_state("networkidle")
    assert not page.seen["console"], page.seen["console"]
    assert not page.seen["failed"], page.seen["failed"]


def test_article_shows_related_stories_and_share_links_that_load_nothing_elsewhere(
    visit, running_site
):
    page = visit
    path = _lead_story(page, running_site)
    page.seen["requests"].clear()
    page.goto(running_site.url + path)
    page.locator('[data-part="related"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    address = running_site.url + path

    # Nothing the page loaded came from anywhere but the site itself.
    elsewhere = [
        url
        for url in page.seen["requests"]
        if not url.startswith((running_site.url + "/", "data:", "blob:"))
    ]
    assert not elsewhere, elsewhere

    share = page.locator('[data-part="share"]')
    hrefs = share.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) >= 5
    for href in hrefs:
        assert quote(address, safe="") in href, href
    copy = share.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(share.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address

    related = page.locator('[data-part="related"] .related__title')
    assert 1 <= related.count() <= 4
    titles = related.all_inner_texts()
    targets = related.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert path not in targets
    related.first.click()
    page.wait_for_load_state()
    assert page.url.endswith(targets[0])
    assert page.locator("h1").inner_text().strip() == titles[0].strip()


def test_the_article_headline_shows_in_the_first_screen(visit, running_site):
    page = visit
    page.goto(running_site.url + _lead_story(page, running_site))
    page.wait_for_load_state("networkidle")
    width, height = page.size
    headline = page.locator("h1.article__headline").bounding_box()
    assert headline["height"] > 0
    assert headline["y"] + headline["height"] <= height, (width, headline)
    if width > 400:
        return
    # On a phone the frame above the story (campaign bar, masthead, sections) takes at most a
    # quarter of the screen (it took two fifths: the bar alone was three lines).
    main_top = page.locator("main").bounding_box()["y"]
    assert main_top <= height / 4, main_top
    # The campaign bar is one line: its name, amount raised and button side by side.
    bar = page.locator('[data-part="page-top"]')
    if bar.count():
        assert bar.bounding_box()["height"] <= 48, bar.bounding_box()
        parts = ("name", "raised", "donate")
        boxes = [bar.locator(f".campaign-bar__{part}:visible").bounding_box() for part in parts]
        middles = [box["y"] + box["height"] / 2 for box in boxes]
        assert max(middles) - min(middles) <= 6, middles
