"""The support ask that knows its reader (issue 20, item 6), on the server's side: the donor
status by verified addresses, ONE shared page holding every variant's words with no personal
byte for anonymous readers, the signed-in reader's status filled in at serve time at no
query more, the bar's variants, the thank-you page's mark, the editors' settings."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from newsdesk.funding.bar import campaign_bar_html
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors_ask import (
    STATUS_CACHE_KEY,
    donor_status,
    reader_donor_status,
    reader_donor_status_cached,
)
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db
SCRIPT_COOKIE = "newsdesk_js"
STATUS = re.compile(r'data-ask-status="(\w+)"')


@pytest.fixture(autouse=True)
def _one_machine(settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0


def gift(email: str, reference: str, *, days_ago: int = 1) -> Donation:
    return donation_record(
        provider=Donation.Provider.MANUAL,
        provider_reference=reference,
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("25.00"),
        currency="USD",
        donor_email=email,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def monthly(email: str, reference: str, *, status=RecurringGift.Status.ACTIVE) -> RecurringGift:
    return RecurringGift.objects.create(
        provider=Donation.Provider.DEMO,
        subscription_id=reference,
        amount=Decimal("10.00"),
        currency="USD",
        donor_email=email,
        status=status,
    )


def reader(username: str, email: str, *, verified: bool = True):
    user = get_user_model().objects.create_user(
        username=username, email=email, password="a long pass 42"
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[SCRIPT_COOKIE] = "1"
    return client


# --- the status -------------------------------------------------------------------------------
def test_status_by_gifts(django_assert_max_num_queries):
    assert donor_status(emails=[], lapsed_after_days=30) == "none"
    assert donor_status(emails=["nobody@example.org"], lapsed_after_days=30) == "none"
    gift("recent@example.org", "r1", days_ago=3)
    gift("old@example.org", "o1", days_ago=90)
    monthly("monthly@example.org", "sub_1")
    monthly("paused@example.org", "sub_2", status=RecurringGift.Status.PAUSED)
    monthly("stopped@example.org", "sub_3", status=RecurringGift.Status.CANCELLED)
    gift("stopped@example.org", "s1", days_ago=200)
    with django_assert_max_num_queries(2):
        assert donor_status(emails=["Recent@Example.org"], lapsed_after_days=30) == "current"
    assert donor_status(emails=["old@example.org"], lapsed_after_days=30) == "lapsed"
    assert donor_status(emails=["old@example.org"], lapsed_after_days=100) == "current"
    assert donor_status(emails=["monthly@example.org"], lapsed_after_days=30) == "current"
    assert donor_status(emails=["paused@example.org"], lapsed_after_days=30) == "current"
    assert donor_status(emails=["stopped@example.org"], lapsed_after_days=30) == "lapsed"
    # Any one of the reader's addresses counts.
    assert donor_status(emails=["x@example.org", "old@example.org"], lapsed_after_days=30) == (
        "lapsed"
    )


def test_a_refunded_gift_makes_no_donor():
    payment = gift("refunded@example.org", "p1", days_ago=2)
    donation_record(
        provider=Donation.Provider.MANUAL,
        provider_reference="p1-refund",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-25.00"),
        currency="USD",
        related_payment=payment,
    )
    assert donor_status(emails=["refunded@example.org"], lapsed_after_days=30) == "none"


def test_only_verified_addresses_make_a_reader_a_donor():
    """Typing someone else's address into an account proves nothing: the attack."""
    gift("victim@example.org", "v1")
    mallory = reader("mallory", "victim@example.org", verified=False)
    settings = SupportAskSettings.load()
    assert reader_donor_status(user_id=mallory.pk, settings=settings) == "none"
    EmailAddress.objects.filter(user=mallory).update(verified=True)
    assert reader_donor_status(user_id=mallory.pk, settings=settings) == "current"
    assert reader_donor_status(user_id=None, settings=settings) == "none"


def test_the_status_is_kept_and_computed_again_at_sign_in(django_assert_num_queries):
    ann = reader("ann", "ann@example.org")
    assert reader_donor_status_cached(user_id=ann.pk) == "none"
    gift("ann@example.org", "a1")
    with django_assert_num_queries(0):
        assert reader_donor_status_cached(user_id=ann.pk) == "none"  # kept
    Client().get("/robots.txt")  # the site's hooks are loaded, as in every web process
    Client().force_login(ann)
    with django_assert_num_queries(0):
        assert reader_donor_status_cached(user_id=ann.pk) == "current"
    from django.core.cache import cache

    assert cache.get(STATUS_CACHE_KEY.format(user_id=ann.pk)) == "current"


# --- the shared page --------------------------------------------------------------------------
def test_the_article_holds_every_variant_with_the_rules_and_the_source_page(article, campaign):
    ask = SupportAskSettings.load()
    ask.articles_before_ask, ask.days_between_asks = 4, 9
    ask.save()
    html = Client().get(article.url).content.decode()
    cta = html.split('data-ask="cta"')[1].split("</aside>")[0]
    for words in (ask.new_heading, ask.new_button, ask.lapsed_heading, ask.current_heading):
        assert words in cta
    assert 'data-ask-after="4"' in html and 'data-ask-days="9"' in html
    assert f'data-ask-page="{article.pk}"' in html
    assert f'href="/donate/?from={article.pk}"' in cta
    # Without script the "not yet a donor" ask shows; the others wait hidden.
    assert re.search(r'data-ask-variant="none">', cta)
    assert re.search(r'data-ask-variant="lapsed" hidden>', cta)
    assert re.search(r'data-ask-variant="current" hidden>', cta)
    assert re.search(r'<script src="[^"]*funding/js/ask\.js" defer></script>', html)
    assert "FundingSettings" not in html


def test_editors_may_thank_current_donors_or_show_them_nothing(article):
    ask = SupportAskSettings.load()
    ask.current_show = False
    ask.save()
    html = Client().get(article.url).content.decode()
    assert 'data-ask-variant="current"' not in html and ask.current_heading not in html


def test_the_shared_page_has_no_personal_byte_for_anonymous_readers(article, campaign):
    donor = reader("dee", "dee@example.org")
    monthly("dee@example.org", "sub_dee")
    first = Client().get(article.url)
    assert first["X-Page-Cache"] == "miss"
    assert signed_in(donor).get(article.url)["X-Page-Cache"] == "hit-personal"
    again = Client().get(article.url)
    assert again["X-Page-Cache"] == "hit"
    html = again.content.decode()
    assert "data-ask-status" not in html and "newsdesk-personal" not in html
    assert "dee" not in html
    assert first.content == again.content  # the same bytes for every anonymous reader
    assert "public" in again["Cache-Control"]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda email: None, "none"),
        (lambda email: gift(email, f"{email}-old", days_ago=800), "lapsed"),
        (lambda email: monthly(email, f"sub-{email}"), "current"),
    ],
)
def test_a_signed_in_reader_gets_their_status_at_no_query_more(
    article, setup, expected, django_assert_max_num_queries
):
    user = reader("reader", "reader@example.org")
    setup("reader@example.org")
    Client().get(article.url)
    client = signed_in(user)
    with django_assert_max_num_queries(2):  # the session and the user, as before
        page = client.get(article.url)
    assert page["X-Page-Cache"] == "hit-personal"
    assert STATUS.findall(page.content.decode()) == [expected]


def test_a_signed_in_reader_without_the_script_gets_their_status_too(article):
    user = reader("nojs", "nojs@example.org")
    gift("nojs@example.org", "nj", days_ago=800)
    client = Client()
    client.force_login(user)
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "bypass"
    assert STATUS.findall(page.content.decode()) == ["lapsed"]


# --- the bar and the thank-you page -----------------------------------------------------------
def test_the_bar_holds_every_variant_and_forgets_them_when_editors_change_words(campaign, home):
    html = str(campaign_bar_html())
    assert 'data-ask="bar"' in html and re.search(r"funding/js/ask\.js", html)
    assert 'data-ask-variant="none">Donate</a>' in html
    assert 'data-ask-variant="lapsed" hidden>Renew my support</a>' in html
    assert "Thank you for your support</span>" in html
    ask = SupportAskSettings.load()
    ask.lapsed_button = "Come back to us"
    ask.save()
    assert "Come back to us" in str(campaign_bar_html())


def test_the_thank_you_page_leaves_its_mark_for_the_browser(client, campaign):
    html = client.get("/donate/thanks/").content.decode()
    assert re.search(r'data-ask-gave data-ask-monthly="0" hidden', html)
    assert re.search(r"funding/js/ask\.js", html)


def test_editors_find_the_support_ask_in_the_settings(client, campaign):
    admin = get_user_model().objects.create_superuser("editor", "e@example.org", "a pass 42")
    client.force_login(admin)
    page = client.get("/admin/settings/funding/supportasksettings/", follow=True)
    assert page.status_code == 200
    assert "Readers who have not given" in page.content.decode()


@pytest.fixture
def campaign(db):
    return make_campaign()
