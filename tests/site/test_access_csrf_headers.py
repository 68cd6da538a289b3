"""CSRF on every state-changing request, clickjacking protection, the Content Security
Policy on public pages, and HTTPS-only cookies and HSTS with the production settings.

Every POST, PATCH and DELETE of the authorization matrix is sent by a role the matrix lets
through, first without a CSRF token (403, nothing written), then with one (the matrix's
answer): so the refusal is the token's doing. ``manage.py check --deploy`` and the policy's
directives are tested in ``test_deploy_check.py`` and ``test_security_headers.py``.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from newsdesk.discussion.models import Comment, Vote
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.tests.helpers import stripe_signature
from newsdesk.moderation.models import Ban, Decision, Report
from newsdesk.newsletters.urls_anymail import PROVIDERS as ANYMAIL_PROVIDERS
from tests.site.access import PASSWORD, build_world, sign_in, without_assessors
from tests.site.access_matrix import CASES, PENDING_ROUTES
from tests.site.access_urls import DENIED, LOGIN, matches, url_patterns

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_csrf_test"
# Exempt on purpose: the provider signs its webhook; a mail program's one-click unsubscribe
# (RFC 8058) carries its own secret token in the address.
# Their signed token is the credential (only the inbox it was sent to has it).
CSRF_EXEMPT_ROUTES = {
    "webhooks/stripe/",
    "discussion/unsubscribe/<str:token>/",
    "discussion/confirm-email/<str:token>/",
    "newsletter/unsubscribe/<str:token>/<slug:slug>/",
    # The donor e-mails' RFC 8058 one-click unsubscribe: the signed token is the proof.
    "donate/emails/unsubscribe/<str:token>/",
    # The mail providers' tracking webhooks: each checks its provider's signature or auth.
    *(f"newsletter/anymail/{name}/tracking/" for name in ANYMAIL_PROVIDERS),
}
PREFERRED_ROLES = ["reader", "moderator", "treasurer", "admin", "editor", "anonymous"]


@pytest.fixture
def world(monkeypatch, settings):
    without_assessors(monkeypatch)
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""
    return build_world()


def state() -> tuple:
    """What any of these requests could have written."""
    comments = tuple(Comment.objects.order_by("pk").values_list("pk", "status", "body_source"))
    counts = tuple(
        model.objects.count()
        for model in (
            Vote,
            Report,
            Decision,
            Ban,
            Donation,
            RecurringGift,
            ProviderEvent,
            get_user_model(),
        )
    )
    return comments, counts


def writes() -> list:
    """The matrix's state-changing requests, each with a role the matrix lets through."""
    present = {route for route, _ in url_patterns()}
    chosen = []
    for case in CASES:
        if case.method == "GET" or case.route in CSRF_EXEMPT_ROUTES:
            continue
        if case.route in PENDING_ROUTES and case.route not in present:
            continue
        for role in PREFERRED_ROLES:
            expected = case.expect[role]
            if expected not in (LOGIN, DENIED, 403, 405):
                chosen.append((case, role))
                break
    return chosen


def send(client, case, world, *, token: str | None):
    address, body = case.address(world), case.body(world)
    method = case.method.lower()
    if case.json:
        headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
        return getattr(client, method)(
            address, data=json.dumps(body), content_type="application/json", **headers
        )
    if method == "post":
        data = {**body, "csrfmiddlewaretoken": token} if token else body
        return client.post(address, data)
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return getattr(client, method)(address, **headers)


def with_csrf_cookie(client: Client) -> str:
    """The token a page of ours would give this browser (``GET /csrf/``)."""
    return client.get("/csrf/").json()["token"]


def test_every_write_of_ours_needs_the_csrf_token(world):
    cases = writes()
    assert len(cases) >= 15
    wrong = []
    for case, role in cases:
        client = Client(enforce_csrf_checks=True)
        sign_in(client, role)
        before = state()
        refused = send(client, case, world, token=None)
        if refused.status_code != 403 or state() != before:
            wrong.append(
                f"{case.method} {case.address(world)} as {role} without a token: "
                f"{refused.status_code}, wrote {state() != before}"
            )
            continue
        accepted = send(client, case, world, token=with_csrf_cookie(client))
        if not matches(accepted, case.expect[role]):
            wrong.append(
                f"{case.method} {case.address(world)} as {role} with the token: "
                f"{accepted.status_code}, expected {case.expect[role]}"
            )
    assert not wrong, "\n".join(wrong)


OTHER_FORMS = [
    ("anonymous", "/accounts/login/", {"login": "reader@example.org", "password": "x"}),
    ("anonymous", "/accounts/signup/", {"email": "n@example.org", "username": "n"}),
    ("anonymous", "/accounts/password/reset/", {"email": "reader@example.org"}),
    ("reader", "/accounts/logout/", {}),
    ("reader", "/accounts/password/change/", {"oldpassword": "x", "password1": "y"}),
    ("reader", "/accounts/email/", {"email": "other@example.org", "action_add": ""}),
    ("reader", "/accounts/privacy/erase/", {"password": "a long pass 42", "confirm": "on"}),
    ("moderator", "/admin/moderation/retrain/", {}),
    ("treasurer", "/admin/funding/record/", {"amount": "10", "currency": "USD"}),
    ("admin", "/admin/syndication/sources/{source}/poll/", {}),
    ("editor", "/admin/pages/{article}/edit/", {"title": "Changed"}),
    ("admin", "/django-admin/auth/user/add/", {"username": "sneaky"}),
]


def test_account_and_admin_forms_need_the_csrf_token(world):
    for role, address, data in OTHER_FORMS:
        client = Client(enforce_csrf_checks=True)
        user = sign_in(client, role)
        before = state()
        address = address.format(source=world.source.pk, article=world.article.pk)
        response = client.post(address, data)
        assert response.status_code == 403, address
        assert state() == before, address
        if user is not None:
            assert client.session.get("_auth_user_id") == str(user.pk), "still signed in"


def test_a_form_posted_from_a_shared_page_without_its_token_writes_nothing(world):
    """The cached page's empty token field: a confirmation page (403), nothing written."""
    client = Client(enforce_csrf_checks=True)
    before = state()
    response = client.post(
        f"/discussion/articles/{world.article.pk}/comments/",
        {"body": "Posted from a cached page.", "name": "Passer-by", "csrfmiddlewaretoken": ""},
    )
    assert response.status_code == 403
    assert state() == before
    forged = client.post(
        "/donate/",
        {"campaign": world.campaign.pk, "csrfmiddlewaretoken": ""},
        HTTP_ORIGIN="https://evil.example",
    )
    assert forged.status_code == 403
    assert state() == before


def test_the_api_needs_the_token_with_a_session_but_not_with_a_guest_token(world):
    reader = Client(enforce_csrf_checks=True)
    sign_in(reader, "reader")
    before = state()
    post = f"/api/threads/{world.article.pk}/comments"
    refused = reader.post(post, {"body": "No token."}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert state() == before

    guest = Client(enforce_csrf_checks=True)
    first = guest.post(
        post,
        {"body": "A guest without cookies.", "name": "Passer-by"},
        content_type="application/json",
        HTTP_X_GUEST_TOKEN="",
    )
    # A guest's first post, with no guest token yet, is a browser's post like any other.
    assert first.status_code == 403
    assert state() == before
    token_guest = Client(enforce_csrf_checks=True)
    token = token_guest.post(
        post,
        {"body": "I will keep my token.", "name": "Passer-by"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=with_csrf_cookie(token_guest),
    ).json()["guest_token"]
    comment_id = Comment.objects.latest("pk").pk
    edit = Client(enforce_csrf_checks=True).patch(
        f"/api/comments/{comment_id}",
        {"body": "Edited with my guest token, no cookie, no CSRF token."},
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=token,
    )
    assert edit.status_code == 200


def test_the_webhook_is_exempt_from_csrf_but_checks_its_signature(world):
    client = Client(enforce_csrf_checks=True)
    body = json.dumps(
        {
            "id": "evt_csrf_1",
            "object": "event",
            "type": "customer.created",
            "created": 1,
            "livemode": False,
            "data": {"object": {"id": "cus_1"}},
        }
    )
    before = state()
    for signature in ("", "t=1,v1=forged", stripe_signature(body, secret="whsec_other")):
        refused = client.post(
            "/webhooks/stripe/",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )
        assert refused.status_code == 400
        assert refused.json()["detail"]
    assert state() == before
    signed = client.post(
        "/webhooks/stripe/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_signature(body, secret=WEBHOOK_SECRET),
    )
    assert signed.status_code == 200


# --- framing and the policy, on every public page of the matrix -------------------------------
def test_every_public_page_refuses_framing_and_inline_scripts(world):
    client = Client()
    present = {route for route, _ in url_patterns()}
    checked = 0
    for case in CASES:
        if case.method != "GET" or case.route.startswith(("admin/", "django-admin/")):
            continue
        if case.route in PENDING_ROUTES and case.route not in present:
            continue
        response = client.get(case.address(world))
        address = case.address(world)
        assert response["X-Frame-Options"] == "DENY", address
        policy = dict(
            (part.split()[0], part.split()[1:])
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        )
        assert policy["frame-ancestors"] == ["'none'"], address
        assert "'unsafe-inline'" not in policy["script-src"], address
        assert "'unsafe-eval'" not in policy["script-src"], address
        checked += 1
    assert checked >= 30


# --- cookies and HSTS with the production settings ---------------------------------------------
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="news.example.org")
https = client.get("/csrf/", secure=True)
plain = client.get("/csrf/")
cookie = https.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]),
                    "samesite": cookie["samesite"]},
    "hsts": https.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
"""


def test_production_cookies_are_https_only_and_hsts_is_sent(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "news.example.org",
        "PYTHONPATH": str(django_settings.BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["session_cookie_secure"] and seen["session_cookie_httponly"]
    assert seen["csrf_cookie_secure"]
    assert seen["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in seen["hsts"]
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://news.example.org/csrf/"


def test_signing_in_sets_the_session_cookie_https_only_when_the_setting_says(db, settings):
    settings.SESSION_COOKIE_SECURE = True
    user = get_user_model().objects.create_user("reader", "reader@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = Client().post(
        "/accounts/login/", {"login": "reader@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
