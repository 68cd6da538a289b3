"""Per-process copies: loaded once, dropped by a change in this process at once, and by a
change in another process once the shared token is read again (at most a second later)."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from newsdesk.articles.selectors import article_live_public_get
from newsdesk.core import processcache
from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.moderation.models import Ban, BanKind
from newsdesk.moderation.selectors import ban_active_for


class Loader:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def test_a_value_is_loaded_once_while_its_generation_stands():
    load = Loader()
    assert process_cached(generation="test", key="k", load=load) == "value 1"
    assert process_cached(generation="test", key="k", load=load) == "value 1"
    assert process_cached(generation="test", key="other", load=load) == "value 2"
    assert load.calls == 2


@pytest.mark.django_db
def test_a_change_here_is_seen_here_at_once_and_elsewhere_after_the_commit(
    django_capture_on_commit_callbacks,
):
    load = Loader()
    process_cached(generation="test", key="k", load=load)
    token = cache.get(processcache.GENERATION_KEY.format("test"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        generation_bump(generation="test")
        # This process forgot its copy at once...
        assert process_cached(generation="test", key="k", load=load) == "value 2"
        # ...other processes learn of the change only when it commits.
        assert cache.get(processcache.GENERATION_KEY.format("test")) == token
    for callback in callbacks:
        callback()
    assert cache.get(processcache.GENERATION_KEY.format("test")) != token
    assert process_cached(generation="test", key="k", load=load) == "value 3"


def test_another_process_change_is_seen_once_the_token_is_read_again(settings):
    load = Loader()
    settings.PROCESS_CACHE_CHECK_SECONDS = 3600
    process_cached(generation="test", key="k", load=load)
    # Another process bumps the generation: this one keeps its copy until it checks.
    cache.set(processcache.GENERATION_KEY.format("test"), "from another process", None)
    assert process_cached(generation="test", key="k", load=load) == "value 1"
    settings.PROCESS_CACHE_CHECK_SECONDS = 0
    assert process_cached(generation="test", key="k", load=load) == "value 2"
    assert process_cached(generation="test", key="k", load=load) == "value 2"


def test_an_emptied_shared_cache_renews_every_copy(settings):
    settings.PROCESS_CACHE_CHECK_SECONDS = 0
    load = Loader()
    process_cached(generation="test", key="k", load=load)
    cache.clear()
    assert process_cached(generation="test", key="k", load=load) == "value 2"


@pytest.mark.django_db
def test_a_ban_written_anywhere_is_applied_to_the_next_post(django_assert_num_queries):
    assert ban_active_for(ip_address="198.51.100.7") is None
    with django_assert_num_queries(0):
        assert ban_active_for(ip_address="198.51.100.7") is None
    ban = Ban.objects.create(kind=BanKind.NETWORK, network="198.51.100.0/24")
    assert ban_active_for(ip_address="198.51.100.7") == ban
    ban.delete()
    assert ban_active_for(ip_address="198.51.100.7") is None


@pytest.mark.django_db
def test_an_article_unpublished_or_restricted_stops_taking_comments_at_once(article):
    assert article_live_public_get(article_id=article.pk) == article
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    assert article_live_public_get(article_id=article.pk) is None
    restriction.delete()
    assert article_live_public_get(article_id=article.pk) == article
    article.unpublish()
    assert article_live_public_get(article_id=article.pk) is None


@pytest.mark.django_db
def test_each_caller_gets_its_own_copy_of_a_cached_article(article):
    first = article_live_public_get(article_id=article.pk)
    first._state.fields_cache["discussion_thread"] = "attached by one request"
    first.title = "changed by one request"
    second = article_live_public_get(article_id=article.pk)
    assert second.pk == article.pk and second.title == article.title
    assert "discussion_thread" not in second._state.fields_cache
