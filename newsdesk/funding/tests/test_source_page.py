"""The article a gift came from: ``/donate/?from=<page id>`` kept in the form, carried in
the checkout's metadata, recorded on the gift. Only a live page's id; anything else is
ignored silently, and nothing else about the reader is kept."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.services.checkout import demo_gift_read
from newsdesk.funding.tests.helpers import (
    checkout_paid,
    donate_form_data,
    ids,
    make_campaign,
    post_event,
)
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def article(db):
    return factories.make_article(title="The dam, a year on")


def hidden_from(html: str) -> str:
    tag = re.search(r'<input type="hidden" name="from"[^>]*>', html)
    assert tag, "the donate form keeps a hidden 'from' field"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def form_data(campaign_obj, **changes):
    return donate_form_data(campaign_obj, attempt="2f0e0d0c0b0a09080706050403020100", **changes)


def test_the_donate_page_keeps_a_live_pages_id(client, demo_provider, campaign, article):
    html = client.get(f"/donate/?from={article.pk}").content.decode()
    assert hidden_from(html) == str(article.pk)


def test_anything_but_a_live_page_is_ignored_silently(client, demo_provider, campaign, article):
    draft = factories.make_article(title="Not yet out")
    draft.unpublish()
    for value in [str(draft.pk), "999999", "abc", "-1", "1e3", "9" * 40, "<script>"]:
        response = client.get("/donate/", {"from": value})
        assert response.status_code == 200
        assert hidden_from(response.content.decode()) == ""


def pay(client, data):
    response = client.post("/donate/", data)
    assert response.status_code == 302
    path = urlsplit(response["Location"]).path
    gift = demo_gift_read(token=path.rstrip("/").rsplit("/", 1)[-1])
    client.post(path)
    return gift


def test_a_gift_from_an_article_records_it(client, demo_provider, campaign, article):
    gift = pay(client, form_data(campaign, **{"from": str(article.pk)}))
    assert gift.source_page_id == article.pk
    assert Donation.objects.get().source_page_id == article.pk


def test_a_forged_from_in_the_post_is_dropped(client, demo_provider, campaign, article):
    draft = factories.make_article(title="Draft")
    draft.unpublish()
    pay(client, form_data(campaign, **{"from": str(draft.pk)}))
    assert Donation.objects.get().source_page_id is None


def test_a_monthly_gift_from_an_article_records_it_on_the_gift_and_each_charge(
    client, demo_provider, campaign, article
):
    pay(client, form_data(campaign, frequency="monthly", **{"from": str(article.pk)}))
    assert RecurringGift.objects.get().source_page_id == article.pk
    assert Donation.objects.get(kind="payment").source_page_id == article.pk


def test_a_signed_event_names_the_page_in_its_metadata(client, webhook_secret, campaign, article):
    post_event(client, checkout_paid(campaign, source_page_id=str(article.pk)))
    post_event(client, checkout_paid(campaign, ref=ids(), source_page_id="987654321"))
    rows = list(Donation.objects.order_by("pk").values_list("source_page_id", "amount"))
    assert rows == [(article.pk, Decimal("30.00")), (None, Decimal("30.00"))]
