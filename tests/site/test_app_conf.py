"""Each app's ``conf.py`` reads its settings at use: ``override_settings`` changes what it
answers, rate limits included, and the value comes back when the override ends."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from newsdesk.accounts import conf as accounts_conf
from newsdesk.core.conf import setting
from newsdesk.core.ratelimit import RateLimit
from newsdesk.discussion import conf as discussion_conf
from newsdesk.funding import conf as funding_conf
from newsdesk.moderation import conf as moderation_conf
from newsdesk.pagecache import conf as pagecache_conf
from newsdesk.syndication import conf as syndication_conf

CASES = [
    # (the conf's answer, the setting, its overriding value, the answer expected)
    (lambda: discussion_conf.DISCUSSION_PAGE_SIZE, "DISCUSSION_PAGE_SIZE", 3, 3),
    (lambda: discussion_conf.RATE_POST, "DISCUSSION_POSTS_PER_IP", 2, RateLimit(2, 300)),
    (lambda: moderation_conf.QUEUE_PAGE_SIZE, "MODERATION_QUEUE_PAGE_SIZE", 7, 7),
    (lambda: moderation_conf.RATE_REPORT, "MODERATION_REPORTS_PER_HOUR", 4, RateLimit(4, 3600)),
    (lambda: accounts_conf.PRIVACY_PLACEHOLDER_NAME, "PRIVACY_PLACEHOLDER_NAME", "Gone", "Gone"),
    (lambda: accounts_conf.RATE_EXPORT, "PRIVACY_EXPORTS_PER_IP", 3, RateLimit(3, 3600)),
    (funding_conf.max_gift, "FUNDING_MAX_GIFT", "250", Decimal("250")),
    (syndication_conf.entries_per_poll, "SYNDICATION_ENTRIES_PER_POLL", 9, 9),
    (pagecache_conf.entry_seconds, "PAGECACHE_SECONDS", 60, 60),
]


@pytest.mark.parametrize(("read", "name", "value", "expected"), CASES, ids=[c[1] for c in CASES])
def test_override_settings_changes_each_apps_conf(read, name, value, expected):
    before = read()
    assert before != expected
    with override_settings(**{name: value}):
        assert read() == expected
    assert read() == before


def test_a_setting_nobody_declared_is_an_error_naming_it():
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_NO_SUCH_SETTING"):
        setting("NEWSDESK_NO_SUCH_SETTING")


def test_a_conf_has_no_attribute_it_does_not_define():
    with pytest.raises(AttributeError):
        discussion_conf.NO_SUCH_SETTING  # noqa: B018
