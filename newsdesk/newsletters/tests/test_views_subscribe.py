"""The sign-up's pages: the box on shared cached pages (the same HTML for everyone, no token),
the form without script (the page cache's confirmation page, then the answer page) and with
it (JSON), errors tied to fields, the limits, confirmation, preferences, one-click
unsubscribe without a CSRF token, the reader's account page, and each page's queries."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from newsdesk.newsletters.models import (
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from newsdesk.newsletters.selectors import newsletters_offered_forget

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def lists(db):
    daily = Newsletter.objects.create(
        name="The Daily", slug="daily", sort_order=1, description="Every morning at seven."
    )
    weekly = Newsletter.objects.create(name="The Weekly", slug="weekly", sort_order=2)
    Newsletter.objects.create(name="Staff", slug="staff", is_public=False)
    newsletters_offered_forget()
    return daily, weekly


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run the commit's callbacks (the e-mail task is queued at the commit)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def signup(client, commits, **fields):
    data = {"email": "reader@example.org", "newsletters": ["daily"], "source": "article"}
    data["url"] = "/world/rivers/"
    headers = {k: fields.pop(k) for k in list(fields) if k.startswith("HTTP_")}
    data.update(fields)
    return commits(lambda: client.post("/newsletter/subscribe/", data, **headers))


def token_from_mail(message) -> str:
    return re.search(r"/newsletter/confirm/(\S+)/", message.body).group(1)


def test_the_box_follows_an_article_and_is_the_same_for_every_reader(lists, article, settings):
    settings.PAGECACHE_ENABLED = True
    first = Client().get(article.url).content.decode()
    second = Client().get(article.url).content.decode()
    assert 'data-part="newsletter-signup" data-source="article"' in first
    assert 'data-source="footer"' in first
    # The consent's page: the article's own address, the same for every reader.
    assert f'name="url" value="{article.url}"' in first
    box = re.findall(r'<section class="signup-box".*?</section>', first, re.S)
    assert box == re.findall(r'<section class="signup-box".*?</section>', second, re.S)
    # Shared copies carry no reader's token (the script fetches one).
    assert set(TOKEN_INPUT.findall("".join(box))) == {""}
    assert "The Daily" in first and "Every morning at seven." in first
    assert "Staff" not in "".join(box)
    # Labels for every input of the box.
    assert 'for="signup-article-email"' in first and 'id="signup-article-email"' in first


def test_no_box_when_no_list_is_public(db, article):
    newsletters_offered_forget()
    assert "signup-box" not in Client().get(article.url).content.decode()


def test_without_script_a_tokenless_post_gets_a_confirmation_page_then_the_answer(lists, commits):
    client = Client(enforce_csrf_checks=True)
    client.get("/newsletter/subscribe/")  # a CSRF cookie, as any page gives
    data = {
        "csrfmiddlewaretoken": "",
        "email": "reader@example.org",
        "newsletters": "daily",
        "source": "footer",
        "url": "/",
    }
    held = client.post("/newsletter/subscribe/", data)
    assert held.status_code == 403  # the page cache's confirmation: nothing written yet
    assert not Subscriber.objects.exists()
    token = TOKEN_INPUT.search(held.content.decode()).group(1)
    assert token
    answer = commits(
        lambda: client.post("/newsletter/subscribe/", {**data, "csrfmiddlewaretoken": token})
    )
    assert answer.status_code == 200
    assert "Check your inbox" in answer.content.decode()
    assert Subscription.objects.get().consent_source == "footer"
    assert len(mail.outbox) == 1


def test_the_answer_is_the_same_whatever_the_address_state(lists, commits):
    client = Client()
    new = signup(client, commits).content.decode()
    again = signup(client, commits).content.decode()
    Subscription.objects.update(status=SubscriptionStatus.SUBSCRIBED)
    subscribed = signup(client, commits).content.decode()

    def answer(html):
        return re.search(r'data-part="signup-answer">(.*?)</p>', html, re.S).group(1)

    assert answer(new) == answer(again) == answer(subscribed)
    assert len(mail.outbox) == 1


def test_script_answers_in_json_with_errors_by_field(lists, commits):
    client = Client()
    ok = signup(client, commits, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and "Check your inbox" in ok.json()["detail"]
    bad = commits(
        lambda: client.post(
            "/newsletter/subscribe/",
            {"email": "nope", "source": "article"},
            HTTP_ACCEPT="application/json",
        )
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"email", "newsletters"}


@pytest.mark.parametrize(
    ("fields", "marked"),
    [
        ({"email": ""}, "email"),
        ({"email": "no at sign"}, "email"),
        ({"email": "x" * 300 + "@example.org"}, "email"),
        ({"newsletters": []}, "newsletters"),
        ({"newsletters": ["staff"]}, "newsletters"),
        ({"newsletters": ["does-not-exist"]}, "newsletters"),
        ({"name": "n" * 200}, "name"),
        ({"source": "import"}, None),
    ],
)
def test_bad_input_gets_a_page_with_the_field_marked_and_writes_nothing(
    lists, commits, fields, marked
):
    response = signup(Client(), commits, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    if marked:
        # The error sits beside its field, which points at it.
        error = re.search(rf'<[^>]+id="signup-\w+-{marked}-error"[^>]*>([^<]+)<', html)
        assert error and error.group(1).strip(), html
        assert 'aria-describedby="signup-' in html and f"-{marked}-error" in html
    else:
        assert 'role="alert"' in html and "damaged" in html
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_robot_filling_the_hidden_field_is_answered_and_nothing_is_written(lists, commits):
    response = signup(Client(), commits, website="http://spam.example")
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_one_connection_is_limited_and_told_so(lists, commits, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP = 2
    client = Client()
    for n in range(2):
        assert signup(client, commits, email=f"r{n}@example.org").status_code == 200
    limited = signup(client, commits, email="r9@example.org")
    assert limited.status_code == 429
    assert "try again" in limited.content.decode()
    assert not Subscriber.objects.filter(email="r9@example.org").exists()


def test_the_mail_bombing_attack_through_the_form(lists, commits, settings):
    """A stranger posts the victim's address again and again, from many connections."""
    settings.NEWSLETTER_SIGNUPS_PER_IP = 1000
    settings.NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS = 3
    for n in range(30):
        response = signup(
            Client(REMOTE_ADDR=f"203.0.113.{n}"),
            commits,
            email="victim@example.org",
            newsletters=["daily", "weekly"][: 1 + n % 2],
        )
        assert response.status_code == 200
    assert len(mail.outbox) == 1  # one mail within the resend window, whatever the requests


def test_confirming_takes_a_button_press_not_a_link_scanner(lists, commits):
    signup(Client(), commits)
    token = token_from_mail(mail.outbox[0])
    client = Client()
    page = client.get(f"/newsletter/confirm/{token}/")
    assert page.status_code == 200 and "Confirm your subscription" in page.content.decode()
    assert Subscription.objects.get().status == "pending"  # a GET confirms nothing
    done = client.post(f"/newsletter/confirm/{token}/")
    assert done.status_code == 200 and "The Daily" in done.content.decode()
    assert Subscription.objects.get().status == "subscribed"
    bad = client.post("/newsletter/confirm/forged-token/")
    assert bad.status_code == 404 and "not valid" in bad.content.decode()


def test_one_click_unsubscribe_needs_no_csrf_token_and_is_idempotent(lists, commits):
    signup(Client(), commits)
    Subscription.objects.update(status=SubscriptionStatus.SUBSCRIBED)
    token = Subscriber.objects.get().token
    url = f"/newsletter/unsubscribe/{token}/daily/"
    mail_client = Client(enforce_csrf_checks=True)  # a mail client posts no token
    page = mail_client.get(url)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert Subscription.objects.get().status == "subscribed"  # GET changes nothing
    for _ in range(2):
        response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    row = Subscription.objects.get()
    assert (row.status, row.unsubscribe_source) == ("unsubscribed", "one-click")
    assert mail_client.post("/newsletter/unsubscribe/forged/daily/").status_code == 404
    assert mail_client.post(f"/newsletter/unsubscribe/{token}/weekly/").status_code == 404


def test_the_preferences_page_changes_lists_and_leaves_them_all(lists, commits):
    signup(Client(), commits)
    subscriber = Subscriber.objects.get()
    url = f"/newsletter/preferences/{subscriber.token}/"
    client = Client()
    page = client.get(url).content.decode()
    assert "reader@example.org" in page and "The Weekly" in page and "Staff" not in page
    saved = client.post(url, {"action": "save", "newsletters": ["weekly"], "name": "Ada"})
    assert saved.status_code == 302
    states = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert states == {"daily": "unsubscribed", "weekly": "subscribed"}
    bad = client.post(url, {"action": "save", "newsletters": ["staff"]})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    left = client.post(url, {"action": "leave_all"})
    assert left.status_code == 302
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}
    assert Suppression.objects.filter(email="reader@example.org").exists()
    unknown = client.get("/newsletter/preferences/unknown/")
    assert unknown.status_code == 404 and "E-mail me a link" in unknown.content.decode()


def test_asking_for_a_new_link_answers_the_same_for_any_address(lists, commits):
    signup(Client(), commits)
    mail.outbox.clear()
    client = Client()
    known = commits(lambda: client.post("/newsletter/link/", {"email": "reader@example.org"}))
    unknown = commits(lambda: client.post("/newsletter/link/", {"email": "nobody@example.org"}))
    assert known.status_code == unknown.status_code == 200
    assert "on its way" in known.content.decode() and "on its way" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert client.post("/newsletter/link/", {"email": "bad"}).status_code == 400


def test_the_account_page_toggles_lists_without_confirmation(lists, django_user_model):
    client = Client()
    assert client.get("/accounts/newsletters/").status_code == 302  # sign in first
    user = django_user_model.objects.create_user("reader-1", "ada@example.org", "pw")
    client.force_login(user)
    page = client.get("/accounts/newsletters/").content.decode()
    assert 'data-part="verify-first"' in page
    assert client.post("/accounts/newsletters/", {"newsletters": ["daily"]}).status_code == 400
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    page = client.get("/accounts/newsletters/").content.decode()
    assert 'data-part="newsletters-link"' in page and 'aria-current="page"' in page
    assert client.post("/accounts/newsletters/", {"newsletters": ["daily"]}).status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.consent_source) == ("subscribed", "account")
    assert subscription.subscriber.user_id == user.pk
    assert mail.outbox == []
    assert client.post("/accounts/newsletters/", {"newsletters": []}).status_code == 302
    assert Subscription.objects.get().status == "unsubscribed"


def test_the_newsletter_pages_are_never_shared(lists, commits, settings):
    settings.PAGECACHE_ENABLED = True
    signup(Client(), commits)
    token = Subscriber.objects.get().token
    response = Client().get(f"/newsletter/preferences/{token}/")
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_gift_thanks_page_offers_the_box(lists):
    html = Client().get("/donate/thanks/").content.decode()
    assert 'data-source="gift"' in html
    assert 'data-source="footer"' not in html  # one box is enough


# Measured on a site with its home page (the Wagtail site and its identity are read).
QUERY_BUDGETS = {
    "/newsletter/subscribe/": 3,
    "/newsletter/confirm/{confirm}/": 3,
    "/newsletter/preferences/{token}/": 7,
    "/newsletter/unsubscribe/{token}/daily/": 6,
    "/newsletter/link/": 3,
}


@pytest.mark.parametrize("size", [1, 30])
def test_each_page_costs_a_fixed_number_of_queries(
    lists, commits, settings, size, article, django_assert_max_num_queries
):
    settings.PAGECACHE_ENABLED = False
    for n in range(size):
        extra = Newsletter.objects.create(name=f"List {n}", slug=f"list-{n}", sort_order=9)
        del extra
    newsletters_offered_forget()
    signup(Client(), commits, newsletters=["daily", "weekly"])
    subscriber = Subscriber.objects.get()
    values = {"token": subscriber.token, "confirm": token_from_mail(mail.outbox[0])}
    client = Client()
    for pattern, budget in QUERY_BUDGETS.items():
        url = pattern.format(**values)
        client.get(url)  # once before counting: one-off reads (settings rows) are not counted
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_account_page_costs_a_fixed_number_of_queries(
    lists, django_user_model, django_assert_max_num_queries
):
    user = django_user_model.objects.create_user("reader-1", "ada@example.org", "pw")
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    client = Client()
    client.force_login(user)
    client.post("/accounts/newsletters/", {"newsletters": ["daily", "weekly"]})
    client.get("/accounts/newsletters/")
    with django_assert_max_num_queries(10):
        assert client.get("/accounts/newsletters/").status_code == 200


def test_staff_manage_lists_and_read_subscribers_by_address(lists, commits, django_user_model):
    signup(Client(), commits, email="ada@example.org")
    signup(Client(), commits, email="grace@example.org", newsletters=["weekly"])
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("chief", "c@example.org", "pw"))
    found = staff.get("/admin/newsletter_subscribers/?q=ada").content.decode()
    assert "ada@example.org" in found and "grace@example.org" not in found
    by_list = staff.get(f"/admin/newsletter_subscribers/?newsletter={lists[1].pk}")
    assert "grace@example.org" in by_list.content.decode()
    assert "ada@example.org" not in by_list.content.decode()
    # Read-only: consent is the reader's.
    row = Subscription.objects.get(subscriber__email="ada@example.org")
    assert staff.get(f"/admin/newsletter_subscribers/edit/{row.pk}/").status_code in (302, 403)

    # A list renamed in the snippet shows at once in the sign-up box.
    assert "The Daily" in Client().get("/newsletter/subscribe/").content.decode()
    edit = f"/admin/snippets/newsletters/newsletter/edit/{lists[0].pk}/"
    response = staff.post(
        edit,
        {
            "name": "The Morning",
            "slug": "daily",
            "description": "",
            "cadence": "manual",
            "digest_mode": "off",
            "is_public": "on",
            "sort_order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "The Morning" in Client().get("/newsletter/subscribe/").content.decode()
