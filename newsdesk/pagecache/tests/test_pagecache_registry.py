"""What the apps register with the page cache (``PAGECACHE_RULES``, ``registry.py``): the
rules it had written out before, now told by the apps, and how a registration is used."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from wagtail import hooks

from newsdesk.core.hooks import PAGE_NUMBER, PAGECACHE_RULES, PageCacheRules
from newsdesk.discussion import conf as discussion_conf
from newsdesk.pagecache import registry
from newsdesk.pagecache.middleware import _candidate_kind
from newsdesk.pagecache.personal import personal_inputs_sent


@pytest.fixture(autouse=True)
def _fresh_rules():
    hooks.search_for_hooks()
    registry.registered_rules_reset()
    yield
    registry.registered_rules_reset()


def test_the_apps_tell_the_page_cache_exactly_what_it_knew_before():
    assert set(registry.personal_cookies()) == {
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        discussion_conf.GUEST_COOKIE,
    }
    assert set(registry.personal_headers()) == {"Authorization", "X-Guest-Token"}
    assert set(registry.private_prefixes()) == {
        "/admin/",
        "/django-admin/",
        "/api/",
        "/webhooks/",
        "/accounts/",
        "/account/",  # the reader's giving and receipts
        "/donate/",
        # Discussion's own URLs but its page of editors' picks (``/discussion/picks/``).
        "/discussion/articles/",
        "/discussion/comments/",
        "/discussion/unsubscribe/",
        "/discussion/confirm-email/",
        "/discussion/export",
        "/moderation/",
        # The newsletters' sign-up, confirmation and preference pages (the archive of issues,
        # ``/newsletters/``, is a Wagtail page, cached).
        "/newsletter/",
        "/search/",
        "/static/",
        "/media/",
        "/documents/",
    }
    patterns = {
        "sort": r"best|newest|oldest|picks|answered|unanswered",
        "cpage": PAGE_NUMBER,
        "page": PAGE_NUMBER,
    }
    routes = {
        ("", "wagtail_serve"): ("sort", "cpage", "page"),
        ("articles", "tag"): ("page",),
        ("articles", "author"): ("page",),
        ("articles", "feed_rss"): (),
        ("articles", "feed_atom"): (),
        ("articles", "section_feed_rss"): (),
        ("articles", "section_feed_atom"): (),
        ("articles", "sitemap"): ("p",),
        ("articles", "news_sitemap"): (),
        ("discussion", "picks"): ("page",),
        ("moderation", "transparency"): (),
    }
    assert set(registry.registered_rules().public_routes) == set(routes)
    for route, params in routes.items():
        expected = {name: patterns.get(name, PAGE_NUMBER) for name in params}
        assert registry.public_route_params(route) == expected, route
    assert registry.public_route_params(("funding", "donate")) is None


def test_a_registered_cookie_header_and_prefix_make_requests_personal_or_private():
    rules = PageCacheRules(
        personal_cookies=("probe_cookie",),
        personal_headers=("X-Probe",),
        private_prefixes=("/probe/",),
        public_routes={("probe", "page"): {"n": PAGE_NUMBER}},
    )
    with hooks.register_temporarily(PAGECACHE_RULES, lambda: rules):
        registry.registered_rules_reset()
        rf = RequestFactory()
        assert personal_inputs_sent(request=rf.get("/x/", HTTP_COOKIE="probe_cookie=1")) == {
            "probe_cookie"
        }
        assert personal_inputs_sent(request=rf.get("/x/", HTTP_X_PROBE="1")) == {"X-Probe"}
        assert _candidate_kind(rf.get("/x/")) == "anonymous"
        assert _candidate_kind(rf.get("/probe/page/")) is None
        assert registry.public_route_params(("probe", "page")) == {"n": PAGE_NUMBER}


def test_an_operators_pattern_replaces_the_registered_one(settings):
    settings.PAGECACHE_QUERY_PARAMS = {"sort": "best"}
    assert registry.public_route_params(("", "wagtail_serve"))["sort"] == "best"


def test_a_registration_that_is_not_rules_is_refused_by_name():
    def wrong():
        return {"personal_cookies": ["x"]}

    with hooks.register_temporarily(PAGECACHE_RULES, wrong):
        registry.registered_rules_reset()
        with pytest.raises(TypeError, match="wrong must return PageCacheRules"):
            registry.registered_rules()
