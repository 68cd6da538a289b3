"""The donate page, the demo provider, the bar, the call to action and the donor wall."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail

from newsdesk.funding.models import CampaignTotal, Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.services.ledger import campaign_totals_recompute, donation_record
from newsdesk.funding.tests.helpers import donate_form_data, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign(goal="4700")


def form_data(campaign_obj, **changes):
    return donate_form_data(campaign_obj, attempt="0f0e0d0c0b0a09080706050403020100", **changes)


def test_the_donate_page_offers_presets_in_the_campaign_currency(client, demo_provider, campaign):
    response = client.get("/donate/")
    assert response.status_code == 200
    html = response.content.decode()
    for preset in ["$10", "$25", "$50", "$100"]:
        assert preset in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "demo payment provider" in html


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"amount": "", "custom_amount": "0"}, "more than zero"),
        ({"amount": "", "custom_amount": "-5"}, "more than zero"),
        ({"amount": "", "custom_amount": "1000000000000"}, "largest gift"),
        ({"amount": "", "custom_amount": "ten dollars"}, "as a number"),
        ({"amount": "", "custom_amount": "1e3"}, "as a number"),
        ({"amount": "", "custom_amount": "NaN"}, "as a number"),
        ({"amount": "", "custom_amount": "12.345"}, "at most 2 decimals"),
        ({"amount": "", "custom_amount": ""}, "Enter an amount"),
        ({"amount": "-25"}, "more than zero"),
        ({"currency": "XYZ"}, "currency XYZ is not supported"),
        ({"currency": "EUR"}, "taken in USD"),
        ({"email": "not-an-address"}, "valid email"),
    ],
)
def test_bad_input_gets_a_clear_error_and_charges_nothing(
    client, demo_provider, campaign, changes, error
):
    response = client.post("/donate/", form_data(campaign, **changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Donation.objects.count() == 0


def test_a_closed_campaign_takes_no_gift(client, demo_provider, campaign):
    ended = make_campaign(days_left=-1)
    inactive = make_campaign(active=False)
    for closed in (ended, inactive):
        response = client.post("/donate/", form_data(closed))
        assert response.status_code == 400
        assert "closed" in response.content.decode()
    response = client.post("/donate/", form_data(campaign, campaign="999999"))
    assert response.status_code == 400
    assert Donation.objects.count() == 0


def test_a_yen_campaign_takes_no_decimals(client, demo_provider):
    yen = make_campaign(currency="JPY", goal="500000")
    response = client.post("/donate/", form_data(yen, amount="", custom_amount="1000.5"))
    assert response.status_code == 400
    assert "JPY have no decimals" in response.content.decode()


def complete_demo(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    demo_url = response["Location"]
    assert demo_url.startswith("/donate/demo/")
    page = client.get(demo_url)
    assert page.status_code == 200
    assert "This is a demo" in page.content.decode()
    return demo_url, client.post(demo_url)


def test_a_demo_gift_goes_through_the_webhook_path_and_moves_the_bar(
    client, demo_provider, campaign, django_capture_on_commit_callbacks, home
):
    before = client.get("/").content.decode()
    assert "$0 raised" in before
    data = form_data(campaign, amount="", custom_amount="1,234.50", donor_name="<i>Zoë</i>")
    with django_capture_on_commit_callbacks(execute=True):
        demo_url, done = complete_demo(client, client.post("/donate/", data))
    assert done.status_code == 302 and done["Location"].startswith("/donate/thanks/")
    donation = Donation.objects.get()
    assert (donation.provider, donation.amount, donation.donor_name) == (
        "demo",
        Decimal("1234.50"),
        "Zoë",
    )
    assert donation.provider_event.event_type == "checkout.session.completed"
    after = client.get("/").content.decode()
    assert "$1,234.50" in after
    # The receipt went out from the task, with no cancel link for a one-time gift (and the
    # welcome of a first gift beside it).
    (receipt,) = [m for m in mail.outbox if m.subject.startswith("Your gift")]
    assert [m.subject.split(",")[0] for m in mail.outbox].count("Welcome") == 1
    assert receipt.to == ["giver@example.org"]
    assert "$1,234.50" in receipt.body and "/donate/cancel/" not in receipt.body
    # Completing the same demo checkout again counts nothing.
    client.post(demo_url)
    assert Donation.objects.count() == 1


def test_a_monthly_demo_gift_can_be_cancelled_from_its_receipt(
    client, demo_provider, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete_demo(client, client.post("/donate/", form_data(campaign, frequency="monthly")))
    donation = Donation.objects.get()
    assert donation.recurring and donation.subscription_id.startswith("sub_demo_")
    gift = RecurringGift.objects.get()
    (receipt,) = [m for m in mail.outbox if m.subject.startswith("Your monthly gift")]
    link = re.search(r"http\S+/donate/cancel/\S+/", receipt.body).group(0)
    path = urlsplit(link).path
    assert "Stop my monthly gift" in client.get(path).content.decode()
    assert client.post(path).status_code == 200
    gift.refresh_from_db()
    assert gift.status == "cancelled"
    assert client.get(path.replace("/cancel/", "/cancel/x")).status_code == 404


def test_a_forged_demo_token_is_refused(client, demo_provider, campaign):
    assert client.get("/donate/demo/forged-token/").status_code == 400
    assert client.post("/donate/demo/forged-token/").status_code == 400
    assert Donation.objects.count() == 0


def test_the_demo_page_is_off_when_stripe_is_configured(client, settings, campaign):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert client.get("/donate/demo/anything/").status_code == 404


def test_donating_is_rate_limited(client, demo_provider, campaign, settings):
    settings.FUNDING_DONATE_RATE = "3"
    codes = [client.post("/donate/", form_data(campaign)).status_code for _ in range(5)]
    assert codes[:3] == [302, 302, 302]
    assert codes[3:] == [429, 429]


def test_the_donate_form_needs_its_csrf_token(demo_provider, campaign):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/donate/", form_data(campaign)).status_code == 403


def test_the_bar_shows_scale_raised_donors_and_days_left(client, campaign, home):
    for reference, amount in [("a", "1000"), ("b", "730")]:
        donation_record(
            provider="manual",
            provider_reference=reference,
            kind="payment",
            amount=Decimal(amount),
            currency="USD",
            campaign=campaign,
        )
    html = client.get("/").content.decode()
    bar = re.search(r'<aside class="campaign-bar.*?</aside>', html, re.S).group(0)
    assert re.findall(r"<li>(.*?)</li>", bar) == ["$0", "$2,350", "$4,700"]
    assert 'role="progressbar"' in bar
    assert 'aria-valuemin="0"' in bar and 'aria-valuemax="4700"' in bar
    assert 'aria-valuenow="1730"' in bar
    assert "$1,730 raised of a $4,700 goal." in bar
    assert "2 donors" in bar and "days left" in bar
    assert "goal reached" not in bar.lower()


def test_past_the_goal_the_bar_says_so(client, home):
    campaign = make_campaign(goal="100")
    donation_record(
        provider="manual",
        provider_reference="big",
        kind="payment",
        amount=Decimal("150"),
        currency="USD",
        campaign=campaign,
    )
    html = client.get("/").content.decode()
    assert "Goal reached: $150 raised, past the goal of $100." in html
    assert 'aria-valuenow="100"' in html


def test_the_bar_is_one_cache_read_once_drawn(client, campaign, home, django_assert_num_queries):
    from newsdesk.funding.bar import campaign_bar_html

    first = campaign_bar_html()
    with django_assert_num_queries(0):
        assert campaign_bar_html() == first


def test_a_monthly_campaign_rolls_to_a_new_month_by_itself(campaign):
    from datetime import datetime

    from django.utils import timezone

    monthly = make_campaign(kind="monthly", goal="500")
    march = timezone.make_aware(datetime(2031, 3, 31, 12))
    april = timezone.make_aware(datetime(2031, 4, 1, 12))
    for reference, when in [("m1", march), ("m2", april)]:
        donation_record(
            provider="manual",
            provider_reference=reference,
            kind="payment",
            amount=Decimal("40"),
            currency="USD",
            campaign=monthly,
            received_at=when,
        )
    totals = dict(
        CampaignTotal.objects.filter(campaign=monthly).values_list("period_start", "raised")
    )
    assert totals == {march.date().replace(day=1): Decimal("40"), april.date(): Decimal("40")}
    assert campaign_totals_recompute() == []


def test_no_open_campaign_means_no_bar_and_no_form(client, home):
    make_campaign(active=False)
    assert 'class="campaign-bar' not in client.get("/").content.decode()
    assert "No campaign is taking gifts" in client.get("/donate/").content.decode()


def test_every_article_ends_with_the_editable_call_to_action(client, article, campaign):
    html = client.get(article.url).content.decode()
    assert "Found this worth your time?" in html
    assert f'href="/donate/?from={article.pk}"' in html
    settings = SupportAskSettings.load()
    settings.new_heading = "Do you like this content? Help us!"
    settings.save()
    html = client.get(article.url).content.decode()
    assert "Do you like this content? Help us!" in html


def test_the_wall_shows_only_names_given_for_it_escaped_and_never_emails(
    client, campaign, django_assert_max_num_queries
):
    gifts = [
        ("w1", "<script>alert(1)</script>Kim", "x@example.org", "Go & win"),
        ("w2", "", "hidden@example.org", "a secret note"),
        ("w3", "Refunded Rae", "", ""),
    ]
    for reference, name, email, message in gifts:
        donation_record(
            provider="manual",
            provider_reference=reference,
            kind="payment",
            amount=Decimal("10"),
            currency="USD",
            campaign=campaign,
            donor_name=name,
            donor_email=email,
            message=message,
        )
    donation_record(
        provider="manual",
        provider_reference="w3-refund",
        kind="refund",
        amount=Decimal("-10"),
        currency="USD",
        related_payment=Donation.objects.get(provider_reference="w3"),
    )
    html = client.get("/donate/wall/").content.decode()
    for number in range(30):
        donation_record(
            provider="manual",
            provider_reference=f"many-{number}",
            kind="payment",
            amount=Decimal("1"),
            currency="USD",
            campaign=campaign,
            donor_name=f"Reader {number}",
        )
    with django_assert_max_num_queries(12):
        many = client.get("/donate/wall/").content.decode()
    assert many.count('class="donor-wall__name"') == 31  # 30 + Kim; not Rae, not anonymous
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Kim" in html
    assert "<script>alert(1)" not in html
    assert "Go &amp; win" in html
    assert "a secret note" not in html
    assert "Refunded Rae" not in html
    assert "@example.org" not in html
