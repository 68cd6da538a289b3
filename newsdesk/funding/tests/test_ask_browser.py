"""The support ask in a real browser (Debian's chromium) against a served site: counted in
the reader's browser alone (localStorage), no ask on the first articles, the ask on the
N-th, not again within the days set (then again once the stored date is set back), a
lapsed donor's words for a signed-in lapsed donor, a thank-you for a current one and for a
guest whose browser saw the thank-you page, and the campaign bar adapting with them.

Its own site without the demo: the articles, campaign, rules and donors are made here.
"""

import json

import pytest

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AFTER, DAYS = 3, 7
SETUP = f"""
import json
from datetime import timedelta
from decimal import Decimal
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign
from tests.support.factories import make_article, make_section

make_campaign(name="Summer drive")
ask = SupportAskSettings.load()
ask.articles_before_ask, ask.days_between_asks = {AFTER}, {DAYS}
ask.save()
section = make_section("Rivers")
urls = [make_article(section=section, title=f"River story {{n}}").url for n in range(6)]
for name, email in [("lapsed_lou", "lou@example.org"), ("current_cy", "cy@example.org")]:
    user = get_user_model().objects.create_user(username=name, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
donation_record(provider=Donation.Provider.MANUAL, provider_reference="lou-old",
    kind=Donation.Kind.PAYMENT, amount=Decimal("20"), currency="USD",
    donor_email="lou@example.org", received_at=timezone.now() - timedelta(days=900))
RecurringGift.objects.create(provider=Donation.Provider.DEMO, subscription_id="sub_cy",
    amount=Decimal("8"), currency="USD", donor_email="cy@example.org")
print(json.dumps(urls))
"""
SESSION = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from importlib import import_module
user = get_user_model().objects.get(username="{username}")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(settings.SESSION_COOKIE_NAME, store.session_key)
"""


@pytest.fixture(scope="module")
def site():
    served = RunningSite(demo=False).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def articles(site) -> list[str]:
    return json.loads(site.shell(SETUP).strip().splitlines()[-1])


def signed_in_as(site, page, username: str) -> None:
    name, key = site.shell(SESSION.format(username=username)).strip().splitlines()[-1].split()
    page.context.add_cookies([{"name": name, "value": key, "url": site.url}])


def cta(page):
    return page.locator('[data-ask="cta"]')


def read(site, page, path: str) -> None:
    page.goto(site.url + path)
    # ask.js has run once the CTA says whom it chose for.
    page.wait_for_function(
        "document.querySelector('[data-ask=\"cta\"]').dataset.askReader !== undefined"
    )


def test_a_guest_is_asked_on_the_nth_article_and_not_again_within_the_days(site, articles, page):
    for path in articles[: AFTER - 1]:
        read(site, page, path)
        assert cta(page).is_hidden(), path
    read(site, page, articles[AFTER - 1])
    assert cta(page).is_visible()
    assert page.get_by_role("heading", name="Found this worth your time?").is_visible()
    link = page.get_by_role("link", name="Support our reporting")
    assert link.get_attribute("href").endswith("?from=" + cta(page).get_attribute("data-ask-page"))
    assert not page.get_by_role("heading", name="Welcome back").is_visible()
    # The bar asks as always.
    assert page.locator(".campaign-bar").get_by_role("link", name="Donate").is_visible()

    # Not again within the days, on a new article or the same one.
    read(site, page, articles[AFTER])
    assert cta(page).is_hidden()
    read(site, page, articles[AFTER - 1])
    assert cta(page).is_hidden()
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('newsdesk.ask.read'))")
    assert len(stored) == AFTER + 1  # each article once, by id

    # The stored date set back past the days: asked again.
    page.evaluate(
        f"() => localStorage.setItem('newsdesk.ask.shown', String(Date.now() - {DAYS + 1} * 864e5))"
    )
    read(site, page, articles[AFTER + 1])
    assert cta(page).is_visible()

    # Nothing of it left the browser: no cookie but the site's own script marker.
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert not {name for name in names if "ask" in name}


def test_a_guest_who_gave_is_thanked_and_the_bar_thanks_them(site, articles, page):
    page.goto(site.url + "/donate/thanks/")
    page.wait_for_function("localStorage.getItem('newsdesk.ask.gave') !== null")
    gave = page.evaluate("() => JSON.parse(localStorage.getItem('newsdesk.ask.gave'))")
    assert gave["monthly"] is False and len(gave["on"]) == 10
    read(site, page, articles[0])  # the first article: a thank-you is no ask, never counted
    assert cta(page).is_visible()
    assert page.get_by_role("heading", name="Thank you for your support").is_visible()
    assert not page.get_by_role("link", name="Support our reporting").is_visible()
    bar = page.locator(".campaign-bar")
    assert bar.get_by_text("Thank you for your support").is_visible()
    assert not bar.get_by_role("link", name="Donate").is_visible()

    # A one-off gift older than the lapsing days: a lapsed donor's words.
    page.evaluate(
        "() => localStorage.setItem('newsdesk.ask.gave', "
        "JSON.stringify({on: '2019-01-01', monthly: false}))"
    )
    for path in articles[:AFTER]:
        read(site, page, path)
    assert page.get_by_role("heading", name="Welcome back").is_visible()
    assert page.locator(".campaign-bar").get_by_role("link", name="Renew my support").is_visible()


def test_a_signed_in_lapsed_donor_gets_the_lapsed_words(site, articles, page):
    signed_in_as(site, page, "lapsed_lou")
    for path in articles[: AFTER - 1]:
        read(site, page, path)
        assert cta(page).is_hidden()
    read(site, page, articles[AFTER - 1])
    assert page.get_by_role("heading", name="Welcome back").is_visible()
    assert cta(page).get_attribute("aria-labelledby") == "support-cta-heading-lapsed"
    assert page.get_by_role("link", name="Renew my support").first.is_visible()
    assert not page.get_by_role("heading", name="Found this worth your time?").is_visible()
    bar = page.locator(".campaign-bar")
    assert bar.get_by_role("link", name="Renew my support").is_visible()
    assert not bar.get_by_role("link", name="Donate").is_visible()


def test_a_signed_in_current_donor_is_thanked(site, articles, page):
    signed_in_as(site, page, "current_cy")
    for path in articles[:2]:
        read(site, page, path)
        assert page.get_by_role("heading", name="Thank you for your support").is_visible()
        assert not page.get_by_role("heading", name="Found this worth your time?").is_visible()
    assert cta(page).get_attribute("aria-labelledby") == "support-cta-heading-current"
    assert page.locator(".campaign-bar").get_by_text("Thank you for your support").is_visible()
