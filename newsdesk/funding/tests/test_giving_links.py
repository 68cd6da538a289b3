"""The signed link that lets a donor manage a monthly gift from an e-mail without signing in,
and the demo provider's card page (issue 20, item 2)."""

import pytest
from django.test import Client

from newsdesk.funding.services.giving_links import (
    recurring_gift_from_manage_token,
    recurring_gift_manage_token,
    recurring_gift_manage_url,
)
from newsdesk.funding.services.recurring import recurring_gift_cancel_token
from newsdesk.funding.tests.helpers import make_campaign
from newsdesk.funding.tests.test_giving_support import attempt, demo_monthly_gift

pytestmark = pytest.mark.django_db


@pytest.fixture
def gift(demo_provider):
    return demo_monthly_gift(make_campaign(), email="mo@example.org")


def path_of(gift) -> str:
    return f"/donate/manage/{recurring_gift_manage_token(gift=gift)}/"


def test_the_manage_link_is_absolute_and_names_its_gift(gift, settings):
    url = recurring_gift_manage_url(gift=gift)
    assert url.startswith("http") and url.endswith(path_of(gift))
    assert recurring_gift_from_manage_token(token=recurring_gift_manage_token(gift=gift)) == gift


@pytest.mark.parametrize(
    "token",
    [
        lambda gift: recurring_gift_manage_token(gift=gift)[:-3] + "abc",  # altered
        lambda gift: recurring_gift_cancel_token(gift=gift),  # another link's token
        lambda gift: "not-a-token",
    ],
)
def test_a_forged_link_opens_nothing(client, gift, token):
    response = client.get(f"/donate/manage/{token(gift)}/")
    assert response.status_code == 404
    assert "Monthly Mo" not in response.content.decode()
    response = client.post(f"/donate/manage/{token(gift)}/", {"action": "pause"})
    assert response.status_code == 404
    gift.refresh_from_db()
    assert gift.status == "active"


def test_the_manage_page_shows_the_gift_and_changes_it_without_signing_in(client, gift):
    page = client.get(path_of(gift))
    assert page.status_code == 200
    html = page.content.decode()
    assert "$15.00" in html and 'data-status="active"' in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    response = client.post(path_of(gift), {"action": "pause", "attempt": attempt()}, follow=True)
    assert response.status_code == 200
    gift.refresh_from_db()
    assert gift.status == "paused"
    html = response.content.decode()
    assert "You asked to pause your monthly gift. Done" in html
    assert 'data-status="paused"' in html


def test_the_manage_page_needs_its_csrf_token(gift):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_of(gift), {"action": "cancel", "attempt": attempt()})
    assert response.status_code == 403
    gift.refresh_from_db()
    assert gift.status == "active"


def test_a_refused_change_says_why_and_changes_nothing(client, gift):
    response = client.post(path_of(gift), {"action": "resume", "attempt": attempt()})
    assert response.status_code == 409
    assert "not paused" in response.content.decode()


def test_the_demo_card_page_saves_the_card_and_comes_back(client, gift):
    response = client.post(path_of(gift), {"action": "card", "attempt": attempt()})
    assert response.status_code == 302
    card_page = response["Location"]
    assert card_page.startswith("/donate/card/")
    assert "This is a demo." in client.get(card_page).content.decode()
    back = client.post(card_page, {"card": "0005", "exp_month": "11", "exp_year": "2029"})
    assert back.status_code == 302 and back["Location"] == path_of(gift)
    gift.refresh_from_db()
    assert (gift.card_brand, gift.card_last4, gift.card_exp_month, gift.card_exp_year) == (
        "amex",
        "0005",
        11,
        2029,
    )
    assert "Amex ending 0005, expires 11/2029" in client.get(path_of(gift)).content.decode()


def test_the_demo_card_page_refuses_a_bad_expiry(client, gift):
    card_page = client.post(path_of(gift), {"action": "card", "attempt": attempt()})["Location"]
    response = client.post(card_page, {"card": "4242", "exp_month": "13", "exp_year": "2029"})
    assert response.status_code == 400
    assert "expiry" in response.content.decode()
    gift.refresh_from_db()
    assert gift.card_last4 == ""


def test_the_demo_card_page_is_not_there_on_a_site_taking_real_payments(client, gift, settings):
    card_page = client.post(path_of(gift), {"action": "card", "attempt": attempt()})["Location"]
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    assert client.get(card_page).status_code == 404
