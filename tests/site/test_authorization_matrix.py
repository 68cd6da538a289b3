"""Who may open what: every URL pattern and every API operation, by seven roles.

The table is in ``access_matrix.py`` (our views one by one, Wagtail's and Django's admins by
rule); the world it is tried on is in ``access.py``. A refusal is checked to have written
nothing where the request would have written.
"""

import pytest
from django.test import Client

from newsdesk.discussion.models import Comment
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from tests.site.access import (
    DONOR_EMAIL,
    ROLES,
    build_world,
    sign_in,
    without_assessors,
)
from tests.site.access_matrix import CASES, PENDING_ROUTES, RULES, TREASURERS
from tests.site.access_urls import REGEX_SAMPLES, concrete, matches, url_patterns

pytestmark = [
    pytest.mark.django_db,
]


@pytest.fixture
def world(monkeypatch, settings):
    without_assessors(monkeypatch)
    # The webhook is configured, so an unsigned request is refused for its signature.
    settings.STRIPE_WEBHOOK_SECRET = "whsec_matrix_test"
    settings.STRIPE_SECRET_KEY = ""
    return build_world()


def existing_routes() -> set[str]:
    return {route for route, _ in url_patterns()}


def send(client: Client, case, world):
    address = case.address(world)
    method = case.method.lower()
    body = case.body(world)
    if case.json:
        return getattr(client, method)(address, data=body, content_type="application/json")
    if method in {"get", "delete"}:
        return getattr(client, method)(address)
    return getattr(client, method)(address, data=body)


# --- completeness ------------------------------------------------------------------------------
def test_every_url_pattern_is_in_the_table():
    explicit = {case.route for case in CASES}
    unclassified = [
        route
        for route, module in url_patterns()
        if route not in explicit and not any(rule.applies(route, module) for rule in RULES)
    ]
    assert not unclassified, "classify in access_matrix.py (CASES or RULES): " + ", ".join(
        unclassified
    )


def test_the_table_names_no_route_that_is_gone():
    stale = {case.route for case in CASES} - existing_routes() - PENDING_ROUTES
    assert stale == set()


def test_pending_routes_are_only_those_not_built_yet():
    """A route listed as pending that exists now is taken off the list: its cases run like
    any other, and a missing one fails the completeness test again."""
    assert PENDING_ROUTES & existing_routes() == set()
    assert {case.route for case in CASES} >= PENDING_ROUTES


def test_every_regex_route_has_an_address_to_try():
    for route, module in url_patterns():
        if any(rule.applies(route, module) for rule in RULES):
            assert concrete(route).startswith("/")
    assert set(REGEX_SAMPLES) <= existing_routes()


def api_operations(client) -> set[tuple[str, str]]:
    """(method, route) of every operation in the OpenAPI document, routes spelled as the
    resolver spells them: ``/api/threads/{article_id}`` is ``api/threads/<article_id>``."""
    document = client.get("/api/openapi.json").json()
    return {
        (method.upper(), path.lstrip("/").replace("{", "<").replace("}", ">"))
        for path, methods in document["paths"].items()
        for method in methods
    }


def test_every_api_operation_is_in_the_table(client):
    operations = api_operations(client)
    listed = {(case.method, case.route) for case in CASES}
    assert len(operations) >= 6
    assert operations - listed == set()


# --- the matrix ---------------------------------------------------------------------------------
def rule_checks(client, role: str) -> tuple[int, list[str]]:
    tried, wrong = 0, []
    for route, module in url_patterns():
        for rule in RULES:
            if not rule.applies(route, module) or role not in rule.expect:
                continue
            expected = rule.exceptions.get(route, {}).get(role, rule.expect[role])
            address = concrete(route)
            response = client.get(address)
            tried += 1
            if not matches(response, expected):
                wrong.append(
                    f"GET {address} ({rule.name}): {role} should get {expected}, "
                    f"got {response.status_code} {response.get('Location', '')}"
                )
    return tried, wrong


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(role, world):
    client = Client()
    sign_in(client, role)
    present = existing_routes()
    wrong = []
    for case in CASES:
        if case.route in PENDING_ROUTES and case.route not in present:
            continue
        response = send(client, case, world)
        expected = case.expect[role]
        if not matches(response, expected):
            wrong.append(
                f"{case.method} {case.address(world)}: {role} should get {expected}, "
                f"got {response.status_code} {response.get('Location', '')}"
            )
    tried, wrong_by_rule = rule_checks(client, role)
    assert tried > 50
    assert not wrong + wrong_by_rule, "\n".join(wrong + wrong_by_rule)


# --- what the statuses mean for the data ----------------------------------------------------------
def test_readers_change_only_their_own_comments_and_moderators_only_delete(world):
    target = Comment.objects.get(pk=world.comment("reader", "edit"))
    api_target = Comment.objects.get(pk=world.comment("reader", "api_edit"))
    for role in ("anonymous", "another_reader", "moderator", "editor", "treasurer", "admin"):
        client = Client()
        sign_in(client, role)
        client.post(f"/discussion/comments/{target.pk}/edit/", {"body": f"{role} was here."})
        client.patch(
            f"/api/comments/{api_target.pk}",
            data={"body": f"{role} was here."},
            content_type="application/json",
        )
    for comment in (target, api_target):
        before = comment.body_source
        comment.refresh_from_db()
        assert comment.body_source == before
        assert "was here" not in comment.body_html

    doomed = world.comment("reader", "delete")
    another = Client()
    sign_in(another, "another_reader")
    assert another.post(f"/discussion/comments/{doomed}/delete/").status_code == 403
    assert another.delete(f"/api/comments/{doomed}").status_code == 403
    assert Comment.objects.get(pk=doomed).is_public

    moderator = Client()
    sign_in(moderator, "moderator")
    assert moderator.delete(f"/api/comments/{doomed}").status_code == 200
    assert not Comment.objects.get(pk=doomed).is_public

    own = Client()
    sign_in(own, "reader")
    mine = world.comment("reader", "api_delete")
    response = own.patch(
        f"/api/comments/{world.comment('reader', 'api_edit')}",
        data={"body": "I meant the lower river."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "lower river" in response.json()["body_html"]
    assert own.delete(f"/api/comments/{mine}").status_code == 200
    assert not Comment.objects.get(pk=mine).is_public


DONOR_PAGES = [
    "/admin/funding_donations/?export=csv",
    "/admin/funding_donations/?export=xlsx",
    "/admin/funding_donations/?q=generous",
    "/admin/funding/report/{campaign}/",
    "/admin/funding_donations/inspect/{donation}/",
]


def test_only_treasurers_and_administrators_see_donor_data(world):
    for role in ROLES:
        client = Client()
        sign_in(client, role)
        seen = []
        for page in DONOR_PAGES:
            address = page.format(campaign=world.campaign.pk, donation=world.donation.pk)
            response = client.get(address)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if DONOR_EMAIL.encode() in body or b"Generous Donor" in body:
                seen.append(address)
        if role in TREASURERS:
            assert "/admin/funding_donations/?export=csv" in seen, role
            assert f"/admin/funding_donations/inspect/{world.donation.pk}/" in seen, role
        else:
            assert seen == [], role


def test_no_public_page_feed_or_api_answer_shows_an_email_address(world):
    """The donor's and the commenters' addresses, on every public address of the matrix."""
    client = Client()
    emails = [DONOR_EMAIL.encode()] + [f"{r}@example.org".encode() for r in ROLES]
    for case in CASES:
        if case.method != "GET" or case.route.startswith(("admin/", "django-admin/", "accounts/")):
            continue
        if case.route in PENDING_ROUTES and case.route not in existing_routes():
            continue
        body = client.get(case.address(world)).content
        assert not [email for email in emails if email in body], case.address(world)


def test_hand_made_rows_never_enter_the_ledger_or_the_provider_records(world):
    models = (Donation, RecurringGift, ProviderEvent)
    counts = [model.objects.count() for model in models]
    attempts = {
        "/admin/funding_donations/new/": {"note": "made up"},
        "/admin/funding_monthly_gifts/new/": {"status": "active"},
        "/admin/funding_provider_events/new/": {"note": "made up"},
        f"/admin/funding_donations/edit/{world.donation.pk}/": {"note": "changed"},
        f"/admin/funding_donations/delete/{world.donation.pk}/": {},
        f"/admin/funding_provider_events/delete/{world.provider_event.pk}/": {},
    }
    for role in sorted(TREASURERS):
        client = Client()
        sign_in(client, role)
        for address, data in attempts.items():
            response = client.post(address, data)
            assert response.status_code in (302, 403), (role, address)
            location = response.get("Location", "")
            assert location in ("", "/admin/", "/admin/funding/record/"), (role, address)
    assert counts == [model.objects.count() for model in models]
