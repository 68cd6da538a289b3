"""The reader's path in Spanish (``LANGUAGE_CODE=es``), in Debian's chromium against a served
demo: the front page, an article, a guest's comment, a gift with the demo provider, its
receipt e-mail, signing in by the e-mailed code and the account page. No English interface
text may show on any of them: every English sentence the catalogues translate is looked for
in each page's text (the articles, comments and other demo content left out: they stay as
written) and in the e-mails."""

import json
import re
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HUMAN_PAUSE_MS = 3500
ADDRESS = "lectora@example.org"
CODE = re.compile(r"\b([A-Z0-9]{4}-?[A-Z0-9]{4})\b")
# Content, not interface: the articles, their teasers, the comments, names of sections.
CONTENT = (
    ".article__body, .article__headline, .article__standfirst, .article__byline, "
    ".article__attribution, .article__tags, .article-grid, .article-list, .comment__body, "
    ".comment__author, .comment__quoted, .sections-nav, .campaign-bar__name, "
    ".donate__campaign, .masthead__tagline, script, style, [hidden]"
)
PAGE_TEXT = f"""() => {{
    const body = document.body.cloneNode(true);
    body.querySelectorAll({json.dumps(CONTENT)}).forEach((node) => node.remove());
    return body.textContent.replace(/\\s+/g, " ");
}}"""


def _english_sentences() -> list[str]:
    """The English source texts the Spanish catalogues translate otherwise: two words or
    more, without placeholders (whose filled-in form the page shows)."""
    found = set()
    for path in Path(settings.BASE_DIR).glob("newsdesk/*/locale/es/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                source = message.id if isinstance(message.id, str) else message.id[0]
                translated = message.string if isinstance(message.string, str) else ""
                if (
                    source
                    and len(source.split()) >= 2
                    and not re.search(r"[%{<]", source)
                    and translated != source
                ):
                    found.add(" ".join(source.split()))
    return sorted(found, key=len, reverse=True)


ENGLISH = _english_sentences()


def _english_in(text: str) -> list[str]:
    text = " ".join(text.split())
    return [sentence for sentence in ENGLISH if sentence in text]


def _check(page) -> str:
    text = page.evaluate(PAGE_TEXT)
    assert not _english_in(text), f"English on {page.url}: {_english_in(text)}"
    return text


@pytest.fixture(scope="module")
def site():
    served = RunningSite(
        extra_env={
            "LANGUAGE_CODE": "es",
            "MODERATION_POSTING_RATE_LIMIT": "100",
            "DISCUSSION_POSTS_PER_IP": "100",
        }
    ).start()
    yield served
    served.stop()


def _mails_to(site, address: str, *, after: int = 0, count: int = 1) -> list[str]:
    """The subjects and plain-text bodies of the e-mails to ``address`` (from the
    ``after``-th on), once at least ``count`` arrived."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = [
            f"{message['Subject']}\n{message.get_body(preferencelist=('plain',)).get_content()}"
            for message in site.smtp.parsed()[after:]
            if address in str(message["To"])
        ]
        if len(found) >= count:
            return found
        time.sleep(0.3)
    raise AssertionError(f"fewer than {count} e-mails to {address}")


def test_a_reader_finds_no_english_from_the_front_page_to_their_account(site, browser):
    assert len(ENGLISH) > 300, "the Spanish catalogues are missing or nearly empty"
    story = json.loads(
        site.shell(
            "import json; from newsdesk.demo.discussion import lead_story_find; "
            "print(json.dumps(lead_story_find().url))"
        )
        .strip()
        .splitlines()[-1]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The front page and the lead story, with its thread.
    page.goto(site.url + "/")
    assert page.locator("html").get_attribute("lang") == "es"
    front = _check(page)
    assert "Ir al contenido" in front or "Saltar al contenido" in front
    page.goto(site.url + story)
    _check(page)

    # A guest's comment: its form, and what the page says once it is sent.
    form = page.locator("#comment-form")
    page.locator("#comment-form-name").fill("Lectora")
    page.locator("#comment-form-email").fill(ADDRESS)
    form.locator("textarea").fill("Gracias por contar lo que pasó en el puerto esta semana.")
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.locator("button[type=submit]").click()
    page.locator(".comment__body", has_text="Gracias por contar").last.wait_for()
    _check(page)

    # A gift of 40 US$ with the demo provider, and its receipt.
    page.goto(site.url + "/donate/")
    _check(page)
    page.locator("#id_custom_amount").fill("40")
    page.locator("#id_email").fill(ADDRESS)
    page.locator("form.donate__form button[type=submit]").click()
    page.wait_for_url("**/donate/demo/**")
    _check(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/donate/thanks/**")
    _check(page)
    # The receipt, and the welcome a first gift brings.
    mails = _mails_to(site, ADDRESS, count=2)
    assert all("40,00\xa0US$" in mail for mail in mails), mails
    assert not _english_in("\n".join(mails)), _english_in("\n".join(mails))

    # Sign in by the e-mailed code, and the account with the comment and the gift.
    page.goto(site.url + "/accounts/login/code/")
    _check(page)
    before = len(site.sent_mail())
    page.locator("#id_email").fill(ADDRESS)
    page.locator("form:has(#id_email) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    _check(page)
    (body,) = _mails_to(site, ADDRESS, after=before)
    assert not _english_in(body), _english_in(body)
    page.locator("#id_code").fill(CODE.search(body.split("\n", 1)[1]).group(1))
    page.locator("form:has(#id_code) button[type=submit]:not([form])").click()
    page.wait_for_url(re.compile(r"/account/$"))
    _check(page)
    page.goto(site.url + "/account/giving/")
    giving = _check(page)
    # (the page's text has its spaces, the amount's no-break one included, made plain)
    assert re.search(r"\b40,00 US\$", giving), giving
    context.close()
    assert not errors, errors
