"""axe-core on every public page and form of the served demo, at 1280 and 390 pixels, for a
guest and for a signed-in reader: no serious or critical violation anywhere.

One site (``running_site``: gunicorn and the worker, as ``make demo``), one browser, one
context per kind of visitor; ``tour`` walks the demo once to find the addresses (an article
with its thread, its section, tag and author, a monthly gift's checkout and cancel pages, a
comment to report and the reader's own comment to edit). Each page is then one test, named
``[page-visitor-width]``. A failure prints every violation: rule, impact, help page, and the
CSS target and markup of each element. Moderate and minor findings do not fail the test.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PIL import Image

from tests.support.axe import axe_violations, blocking, violations_text

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
GUEST, READER = "guest", "reader"
EMAIL = "rhea.audit@example.org"
PASSWORD = "lanterns along the quay 2040"
# Password resets asked for this address (it has no account) until the site refuses: the
# allauth limit per address is 5 a minute, so the 429 page is reached without spending the
# per-network budget other tests' sign-ins use.
RESET_ADDRESS = "nobody.audit@example.org"
HUMAN_PAUSE_MS = 3500  # the comment gate holds forms sent faster than a person types


@dataclass
class Tour:
    url: str
    contexts: dict
    article: str
    section: str
    tag: str
    author: str
    search_word: str
    checkout: str
    thanks: str
    cancel: str
    other_comment: str
    own_comment: str
    newsletter_token: str = ""  # the demo's confirmed newsletter guest's preferences link


def _setup_shell(running_site) -> tuple[str, str]:
    """The reader's account (verified address), the lead story's path, and the cancel path
    of the newest monthly gift."""
    output = running_site.shell(
        "from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.funding.models import RecurringGift; "
        "from newsdesk.funding.services.recurring import recurring_gift_cancel_token; "
        "users = get_user_model().objects; "
        f"u = users.filter(email='{EMAIL}').first() or "
        f"users.create_user('rhea_audits', '{EMAIL}', '{PASSWORD}'); "
        f"EmailAddress.objects.get_or_create(user=u, email='{EMAIL}', "
        "defaults={'verified': True, 'primary': True}); "
        "gift = RecurringGift.objects.order_by('-pk').first(); "
        "print(lead_story_find().url); "
        "print(recurring_gift_cancel_token(gift=gift) if gift else '')"
    )
    article, token = output.strip().splitlines()[-2:]
    assert token, "the monthly gift made by the tour is not in the database"
    return article, f"/donate/cancel/{token}/"


def _monthly_gift(page, url: str) -> tuple[str, str]:
    """A guest gives monthly through the demo provider: the checkout page's and the thanks
    page's addresses."""
    page.goto(url + "/donate/")
    page.get_by_label("Every month").check()
    page.locator("main input[name=email]").fill("giver.audit@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/donate/demo/"))
    checkout = page.url.removeprefix(url)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/donate/thanks/"))
    return checkout, page.url.removeprefix(url)


def _sign_in(page, url: str) -> None:
    page.goto(url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


def _own_comment(page, article_url: str) -> str:
    """The reader comments on the article; the id of their comment."""
    body = "Rhea: the quay lights were out again on the night of the vote."
    page.goto(article_url)
    form = page.locator("#comment-form")
    form.locator("textarea").fill(body)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.locator("button[type=submit]").click()
    mine = page.locator("li.comment", has=page.locator(".comment__body", has_text=body)).last
    mine.wait_for()
    return mine.get_attribute("data-comment-id")


@pytest.fixture(scope="module")
def tour(running_site, browser):
    url = running_site.url
    guest = browser.new_context()
    page = guest.new_page()
    checkout, thanks = _monthly_gift(page, url)
    article, cancel = _setup_shell(running_site)
    shown = running_site.shell(
        "from newsdesk.newsletters.models import Subscriber; "
        "print(Subscriber.objects.get(email='maren.holt@example.org').token)"
    )
    newsletter_token = shown.strip().splitlines()[-1]

    page.goto(url + article)
    section = page.locator(".article__section").first.get_attribute("href")
    tag = page.locator("a[rel=tag]").first.get_attribute("href")
    author = page.locator("a[rel=author]").first.get_attribute("href")
    other_comment = page.locator("li.comment[data-comment-id]").first.get_attribute(
        "data-comment-id"
    )
    headline = page.locator("h1").first.inner_text()
    search_word = max(re.findall(r"[A-Za-z]+", headline), key=len)
    page.close()

    reader = browser.new_context()
    page = reader.new_page()
    _sign_in(page, url)
    own_comment = _own_comment(page, url + article)
    page.close()

    yield Tour(
        url=url,
        contexts={GUEST: guest, READER: reader},
        article=article,
        section=section,
        tag=tag,
        author=author,
        search_word=search_word,
        checkout=checkout,
        thanks=thanks,
        cancel=cancel,
        other_comment=other_comment,
        own_comment=own_comment,
        newsletter_token=newsletter_token,
    )
    guest.close()
    reader.close()


# --- pages that need more than an address ---------------------------------------------------
def _rate_limited(page, tour: Tour) -> None:
    """The site's own 429 page, as allauth's limit on password resets answers it."""
    for _ in range(8):
        page.goto(tour.url + "/accounts/password/reset/")
        page.locator("main input[name=email]").fill(RESET_ADDRESS)
        with page.expect_navigation() as navigation:
            page.locator("main form button[type=submit]").click()
        if navigation.value.status == 429:
            return
    raise AssertionError("eight password resets for one address were never refused (429)")


def _tokenless_confirmation(page, tour: Tour) -> None:
    """The confirmation page a comment sent without the site's script gets (the form carried
    no token), with a picture attached so the page asks for it again."""
    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    page.goto(tour.url + tour.article)
    page.locator("#comment-form textarea").fill("Sent from a reader whose script did not load.")
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 120, 150)).save(picture, format="PNG")
    page.locator("#comment-form input[type=file]").set_input_files(
        {"name": "quay.png", "mimeType": "image/png", "buffer": picture.getvalue()}
    )
    with page.expect_navigation() as navigation:
        page.locator("#comment-form button[type=submit]").click()
    assert navigation.value.status == 403
    page.unroute(re.compile(r".*\.js(\?.*)?$"))
    assert page.locator("[data-role=confirm-post]").count() == 1


def _goto(path: Callable[[Tour], str]) -> Callable:
    def visit(page, tour: Tour) -> None:
        page.goto(tour.url + path(tour))

    return visit


BOTH, GUEST_ONLY, READER_ONLY = (GUEST, READER), (GUEST,), (READER,)
PAGES: dict[str, tuple[tuple[str, ...], Callable]] = {
    "front": (BOTH, _goto(lambda t: "/")),
    "section": (BOTH, _goto(lambda t: t.section)),
    "tag": (BOTH, _goto(lambda t: t.tag)),
    "author": (BOTH, _goto(lambda t: t.author)),
    "article": (BOTH, _goto(lambda t: t.article)),
    "search": (BOTH, _goto(lambda t: f"/search/?q={t.search_word}")),
    "search-nothing-found": (BOTH, _goto(lambda t: "/search/?q=zzqxjv")),
    "donate": (BOTH, _goto(lambda t: "/donate/")),
    "demo-checkout": (BOTH, _goto(lambda t: t.checkout)),
    "thanks": (BOTH, _goto(lambda t: t.thanks)),
    "donor-wall": (BOTH, _goto(lambda t: "/donate/wall/")),
    "editors-picks": (BOTH, _goto(lambda t: "/discussion/picks/")),
    "newsletters-archive": (BOTH, _goto(lambda t: "/newsletters/")),
    "newsletter-issue": (BOTH, _goto(lambda t: "/newsletters/demo-morning-briefing/")),
    "newsletter-signup": (BOTH, _goto(lambda t: "/newsletter/subscribe/")),
    "newsletter-confirm": (BOTH, _goto(lambda t: "/newsletter/confirm/any-link/")),
    "newsletter-preferences": (
        BOTH,
        _goto(lambda t: f"/newsletter/preferences/{t.newsletter_token}/"),
    ),
    "newsletter-unsubscribe": (
        BOTH,
        _goto(lambda t: f"/newsletter/unsubscribe/{t.newsletter_token}/daily/"),
    ),
    "newsletter-link": (BOTH, _goto(lambda t: "/newsletter/link/")),
    "newsletter-link-not-valid": (GUEST_ONLY, _goto(lambda t: "/newsletter/preferences/x/")),
    "cancel-monthly-gift": (BOTH, _goto(lambda t: t.cancel)),
    "report-comment": (BOTH, _goto(lambda t: f"/moderation/comments/{t.other_comment}/report/")),
    "reply-page": (BOTH, _goto(lambda t: f"/discussion/comments/{t.other_comment}/reply/")),
    "transparency": (BOTH, _goto(lambda t: "/transparency/")),
    "not-found-404": (BOTH, _goto(lambda t: "/no-such-page-here/")),
    "too-many-429": (BOTH, _rate_limited),
    "sign-in": (GUEST_ONLY, _goto(lambda t: "/accounts/login/")),
    "sign-up": (GUEST_ONLY, _goto(lambda t: "/accounts/signup/")),
    "password-reset": (GUEST_ONLY, _goto(lambda t: "/accounts/password/reset/")),
    "password-reset-sent": (GUEST_ONLY, _goto(lambda t: "/accounts/password/reset/done/")),
    "account-erased": (GUEST_ONLY, _goto(lambda t: "/accounts/privacy/erased/")),
    "tokenless-post-confirmation": (GUEST_ONLY, _tokenless_confirmation),
    "privacy-and-export": (READER_ONLY, _goto(lambda t: "/accounts/privacy/")),
    "your-comments": (READER_ONLY, _goto(lambda t: "/accounts/comments/")),
    "erase-account": (READER_ONLY, _goto(lambda t: "/accounts/privacy/erase/")),
    "discussion-settings": (READER_ONLY, _goto(lambda t: "/accounts/discussion/")),
    "account-newsletters": (READER_ONLY, _goto(lambda t: "/accounts/newsletters/")),
    "account-email": (READER_ONLY, _goto(lambda t: "/accounts/email/")),
    "password-change": (READER_ONLY, _goto(lambda t: "/accounts/password/change/")),
    "sign-out": (READER_ONLY, _goto(lambda t: "/accounts/logout/")),
    "edit-comment": (READER_ONLY, _goto(lambda t: f"/discussion/comments/{t.own_comment}/edit/")),
    "your-account": (READER_ONLY, _goto(lambda t: "/account/")),
    "your-giving": (READER_ONLY, _goto(lambda t: "/account/giving/")),
    "sign-in-by-code": (GUEST_ONLY, _goto(lambda t: "/accounts/login/code/")),
}
CASES = [
    pytest.param(name, who, width, id=f"{name}-{who}-{width}")
    for name, (visitors, _) in PAGES.items()
    for who in visitors
    for width in WIDTHS
]


@pytest.mark.parametrize(("name", "who", "width"), CASES)
def test_page_has_no_serious_or_critical_violation(tour, name, who, width):
    page = tour.contexts[who].new_page()
    page.set_viewport_size({"width": width, "height": 900})
    try:
        PAGES[name][1](page, tour)
        # The site's script finishes its work first (the token, the reader's own comments).
        page.wait_for_load_state("networkidle")
        if who == READER:
            assert "/accounts/login/" not in page.url, f"{name}: the reader was signed out"
        found = blocking(axe_violations(page))
    finally:
        page.close()
    assert not found, "\n" + violations_text(found, where=f"{name} ({who}, {width} px)")


def test_the_check_fails_on_a_planted_violation(tour):
    """The check sees what it is for: an unlabelled field and faint text put into a real page
    (under its real Content Security Policy) are found, with their impact and target."""
    page = tour.contexts[GUEST].new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    try:
        page.goto(tour.url + "/")
        page.evaluate(
            """() => {
              const field = document.createElement('input');
              field.id = 'planted-field';
              const faint = document.createElement('p');
              faint.id = 'planted-text';
              faint.style.color = '#eeeeee';
              faint.textContent = 'Hard to read';
              document.querySelector('main').append(field, faint);
            }"""
        )
        found = blocking(axe_violations(page))
    finally:
        page.close()
    by_rule = {v["id"]: v for v in found}
    assert by_rule["label"]["impact"] == "critical"
    assert by_rule["label"]["nodes"][0]["target"] == ["#planted-field"]
    assert by_rule["color-contrast"]["impact"] == "serious"
    assert by_rule["color-contrast"]["nodes"][0]["target"] == ["#planted-text"]
    text = violations_text(found, where="front")
    assert "label (critical)" in text and "#planted-field" in text and "help: https://" in text
