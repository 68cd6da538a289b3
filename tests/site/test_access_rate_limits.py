"""Rate limits on every write a flood would abuse, per address and per account.

Each limit is made small for the test (2 per window). A request over it gets a 429 with a
message saying to wait (allauth's sign-in: a form error) and writes nothing. The same account
from another address is still limited, as is another account from the same address; another
account from another address is not affected.
"""

import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from newsdesk.discussion.models import Comment, Vote
from newsdesk.moderation.models import Report
from tests.site.access import (
    PASSWORD,
    build_world,
    published_comment,
    sign_in,
    user_for,
    without_assessors,
)

pytestmark = pytest.mark.django_db

HOME_IP, CAFE_IP, LIBRARY_IP = "203.0.113.10", "198.51.100.20", "192.0.2.30"
LIMIT = 2


@pytest.fixture
def world(monkeypatch, settings):
    without_assessors(monkeypatch)
    for name in (
        "DISCUSSION_POSTS_PER_IP",
        "DISCUSSION_POSTS_PER_USER",
        "DISCUSSION_VOTES_PER_IP",
        "DISCUSSION_VOTES_PER_USER",
        "MODERATION_REPORTS_PER_HOUR",
    ):
        setattr(settings, name, LIMIT)
    settings.FUNDING_DONATE_RATE = str(LIMIT)
    settings.STRIPE_SECRET_KEY = ""
    world = build_world()
    # Fresh comments to vote on and report: one per attempt, so no refusal is "already done".
    author = get_user_model().objects.create_user("columnist", "columnist@example.org", PASSWORD)
    world.targets = [
        published_comment(world.article, author, f"Column {n}: the river in the dry season.").pk
        for n in range(8)
    ]
    return world


def at(ip: str, role: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    sign_in(client, role)
    return client


def limited_per_address_and_account(attempt, written, *, message: bytes, ok: int):
    """Drive ``attempt(client, n)`` past the limit from one account and address, then try
    the same account elsewhere, another account at the same address, and a fresh pair."""
    reader = at(HOME_IP, "reader")
    for n in range(LIMIT):
        assert attempt(reader, n).status_code == ok
    before = written()
    over = attempt(reader, LIMIT)
    assert over.status_code == 429
    assert message in over.content
    assert attempt(at(CAFE_IP, "reader"), LIMIT + 1).status_code == 429, "per account"
    assert attempt(at(HOME_IP, "another_reader"), LIMIT + 2).status_code == 429, "per address"
    assert written() == before, "a refused request wrote something"
    assert attempt(at(LIBRARY_IP, "another_reader"), LIMIT + 3).status_code == ok
    assert written() == before + 1


WAIT = b"wait"


def test_posting_comments_by_form(world):
    def attempt(client, n):
        return client.post(
            f"/discussion/articles/{world.article.pk}/comments/",
            {"body": f"Comment number {n} about the river."},
        )

    limited_per_address_and_account(attempt, Comment.objects.count, message=WAIT, ok=303)


def test_posting_comments_through_the_api(world):
    def attempt(client, n):
        return client.post(
            f"/api/threads/{world.article.pk}/comments",
            data={"body": f"Comment number {n} about the river."},
            content_type="application/json",
        )

    limited_per_address_and_account(attempt, Comment.objects.count, message=WAIT, ok=201)


def test_guests_are_limited_by_their_address(world):
    def guest_post(ip, n):
        # As the page's script posts a guest's form: its fields, multipart, to the API.
        return Client(REMOTE_ADDR=ip).post(
            f"/api/threads/{world.article.pk}/comments",
            {"body": f"A guest's comment {n}.", "name": "Passer-by"},
            HTTP_ACCEPT="application/json",
        )

    for n in range(LIMIT):
        assert guest_post(HOME_IP, n).status_code == 201
    before = Comment.objects.count()
    refused = guest_post(HOME_IP, LIMIT)
    assert refused.status_code == 429
    assert "wait" in refused.json()["detail"]
    assert Comment.objects.count() == before
    assert guest_post(CAFE_IP, LIMIT + 1).status_code == 201


def test_voting_by_form(world):
    def attempt(client, n):
        return client.post(f"/discussion/comments/{world.targets[n]}/vote/", {"value": "up"})

    limited_per_address_and_account(attempt, Vote.objects.count, message=WAIT, ok=303)


def test_voting_through_the_api(world):
    def attempt(client, n):
        return client.post(
            f"/api/comments/{world.targets[n]}/votes",
            data={"value": 1},
            content_type="application/json",
        )

    limited_per_address_and_account(attempt, Vote.objects.count, message=WAIT, ok=201)


def test_reporting_comments(world):
    def attempt(client, n):
        return client.post(f"/moderation/comments/{world.targets[n]}/report/", {"reason": "spam"})

    limited_per_address_and_account(attempt, Report.objects.count, message=WAIT, ok=201)


def test_starting_donations(world):
    started = []

    def attempt(client, n):
        response = client.post(
            "/donate/",
            {
                "campaign": world.campaign.pk,
                "currency": world.campaign.currency,
                "custom_amount": str(10 + n),
                "frequency": "once",
                "email": "giver@example.org",
            },
        )
        if response.status_code == 302:
            started.append(response["Location"])
        return response

    limited_per_address_and_account(
        attempt, lambda: len(started), message=b"Please wait a minute", ok=302
    )
    assert all("/donate/demo/" in location for location in started)


# --- accounts: allauth's own limits, from ACCOUNT_RATE_LIMITS ----------------------------------
def verified(role: str):
    user = user_for(role)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in_by_form(ip: str, email: str, password: str):
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_repeated_failed_sign_ins_lock_the_account_then_it_recovers(db, settings):
    window = 3
    settings.ACCOUNT_RATE_LIMITS = {
        **django_settings.ACCOUNT_RATE_LIMITS,
        "login_failed": f"10/m/ip,3/{window}s/key",
    }
    reader, another = verified("reader"), verified("another_reader")
    for _ in range(3):
        client, response = sign_in_by_form(HOME_IP, reader.email, "not my password")
        assert response.status_code == 200
        assert b"not correct" in response.content
    last_failure = time.monotonic()

    # Locked: even the right password is refused, with a clear message, from anywhere.
    for ip in (HOME_IP, CAFE_IP):
        client, response = sign_in_by_form(ip, reader.email, PASSWORD)
        assert response.status_code == 200
        assert b"Too many failed login attempts" in response.content
        assert not signed_in(client)

    # Another account at the same address is not locked.
    client, response = sign_in_by_form(HOME_IP, another.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)

    # After the window the account opens again.
    time.sleep(max(0.0, window + 0.2 - (time.monotonic() - last_failure)))
    client, response = sign_in_by_form(HOME_IP, reader.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_many_failed_sign_ins_from_one_address_stop_it_trying_other_accounts(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **django_settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "3/m/ip,10/m/key",
    }
    reader, another = verified("reader"), verified("another_reader")
    for n in range(3):
        sign_in_by_form(HOME_IP, f"nobody{n}@example.org", "guess")
    client, response = sign_in_by_form(HOME_IP, another.email, PASSWORD)
    assert b"Too many failed login attempts" in response.content
    assert not signed_in(client)
    client, response = sign_in_by_form(CAFE_IP, reader.email, PASSWORD)
    assert response.status_code == 302


def signup(ip: str, n: int):
    return Client(REMOTE_ADDR=ip).post(
        "/accounts/signup/",
        {
            "email": f"newcomer{n}@example.org",
            "username": f"newcomer{n}",
            "password1": "river banks in summer",
            "password2": "river banks in summer",
        },
    )


def test_sign_ups_are_limited_per_address(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    users = get_user_model().objects
    for n in range(2):
        assert signup(HOME_IP, n).status_code == 302
    before = users.count()
    refused = signup(HOME_IP, 2)
    assert refused.status_code == 429
    assert b"Too many attempts" in refused.content, "the site's own 429 page"
    assert users.count() == before
    assert signup(CAFE_IP, 3).status_code == 302
    assert users.count() == before + 1


def reset(ip: str, email: str):
    return Client(REMOTE_ADDR=ip).post("/accounts/password/reset/", {"email": email})


def test_password_resets_are_limited_per_account_and_per_address(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **django_settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "3/m/ip,2/m/key",
    }
    reader, another = verified("reader"), verified("another_reader")
    for _ in range(2):
        assert reset(HOME_IP, reader.email).status_code == 302
    sent = len(mail.outbox)
    assert sent == 2
    assert reset(HOME_IP, reader.email).status_code == 429, "per account"
    assert reset(CAFE_IP, reader.email).status_code == 429, "per account, from anywhere"
    assert len(mail.outbox) == sent
    assert reset(CAFE_IP, another.email).status_code == 302, "another account"
    # The home address has used up its three tries; another address has not.
    assert reset(HOME_IP, another.email).status_code == 429, "per address"
    assert reset(LIBRARY_IP, another.email).status_code == 302
    assert len(mail.outbox) == sent + 2
