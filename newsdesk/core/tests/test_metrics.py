"""``/metrics`` in-process: who may read it, that it is never cached, and that its series move
by exactly what happened (a request, a comment, a gift, an e-mail sent or failed, a task
queued). Across gunicorn's workers: ``test_metrics_gunicorn.py``."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from prometheus_client.parser import text_string_to_metric_families
from wagtail import hooks

from newsdesk.core.hooks import COMMENT_ASSESS
from newsdesk.core.metrics.figures import CACHE_KEY
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Figures read at every scrape (the 15 s cache is tested on its own below)."""
    settings.METRICS_CACHE_SECONDS = 0
    cache.delete(CACHE_KEY)


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content[:300]
    series = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            series[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return series


def value(series, name: str, **labels) -> float:
    return series.get((name, tuple(sorted(labels.items()))), 0.0)


# --- who may read it ------------------------------------------------------------------------
def test_loopback_may_read_the_metrics_and_they_are_never_cached(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # Through a proxy on the same machine (whose own address is loopback), for a client
        # elsewhere: refused even where TRUSTED_PROXIES is not set.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer "},
    ],
)
def test_others_get_a_404(client, extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 404
    assert b"newsdesk_" not in response.content
    assert response["Cache-Control"] == "no-store"


def test_the_token_opens_the_metrics_and_a_wrong_one_does_not(client, settings):
    settings.METRICS_TOKEN = "a-scraper-secret-0123456789"
    far = {"REMOTE_ADDR": "203.0.113.9"}
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-scraper-secret-012345678X", **far)
    assert wrong.status_code == 404
    basic = client.get("/metrics", HTTP_AUTHORIZATION="Basic a-scraper-secret-0123456789", **far)
    assert basic.status_code == 404
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-scraper-secret-0123456789", **far)
    assert right.status_code == 200 and b"newsdesk_http_requests_total" in right.content


def test_an_allowed_network_may_read_them(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1", "10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 404


def test_a_scraper_is_not_rate_limited(client):
    # More scrapes than any per-address limit of the site allows in a window.
    statuses = {client.get("/metrics").status_code for _ in range(60)}
    assert statuses == {200}


# --- what it counts -------------------------------------------------------------------------
def test_a_request_is_counted_once_by_route_and_status_class(client):
    before = scrape(client)
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/no-such-page-here/").status_code == 404
    after = scrape(client)
    ok = {"method": "GET", "route": "robots_txt", "status": "2xx"}
    assert value(after, "newsdesk_http_requests_total", **ok) == (
        value(before, "newsdesk_http_requests_total", **ok) + 1
    )
    timed = {"method": "GET", "route": "robots_txt"}
    assert value(after, "newsdesk_http_request_duration_seconds_count", **timed) == (
        value(before, "newsdesk_http_request_duration_seconds_count", **timed) + 1
    )
    missing = sum(
        v
        for (name, labels), v in after.items()
        if name == "newsdesk_http_requests_total" and ("status", "4xx") in labels
    ) - sum(
        v
        for (name, labels), v in before.items()
        if name == "newsdesk_http_requests_total" and ("status", "4xx") in labels
    )
    assert missing == 1
    # The probes and the scrapes themselves are not counted.
    assert not any("metrics" in dict(labels).get("route", "") for _, labels in after)


def test_an_answered_request_carries_a_request_id(client):
    mine = client.get("/robots.txt", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert mine["X-Request-ID"] == "abcdef0123456789"
    made = client.get("/robots.txt", HTTP_X_REQUEST_ID="<not an id>")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "<not an id>"


def test_a_posted_comment_moves_the_verdicts_and_the_comment_counts(client, monkeypatch):
    from newsdesk.discussion.tests.helpers import guest, post

    # The gate without the scoring models: it publishes (moderation still logs the verdict).
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESS, [])
    article = make_article()
    before = scrape(client)
    post(article, guest(), "A first comment on the story.")
    after = scrape(client)
    verdicts = "newsdesk_comment_verdicts_total"
    assert value(after, verdicts, verdict="published") == (
        value(before, verdicts, verdict="published") + 1
    )
    assert value(after, "newsdesk_comments", status="published") == (
        value(before, "newsdesk_comments", status="published") + 1
    )
    assert value(after, "newsdesk_comment_verdicts_total", verdict="held") == value(
        before, "newsdesk_comment_verdicts_total", verdict="held"
    )


def test_a_settled_gift_and_its_receipt_move_the_gift_and_email_series(
    client, django_capture_on_commit_callbacks
):
    from newsdesk.funding.services.ledger import donation_record

    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            provider="demo",
            provider_reference="metrics-test-1",
            kind="payment",
            amount=Decimal("12.50"),
            currency="USD",
            donor_email="giver@example.org",
        )
    # The receipt, and the welcome of a first gift from that address.
    assert sorted(m.subject.split(",")[0] for m in mail.outbox) == [
        "Welcome",
        "Your gift of $12.50 (demo): thank you",
    ]
    after = scrape(client)
    gift = {"kind": "payment", "provider": "demo", "currency": "USD"}
    assert (
        value(after, "newsdesk_gifts_total", **gift)
        == value(before, "newsdesk_gifts_total", **gift) + 1
    )
    assert value(after, "newsdesk_gifts_amount_total", **gift) == pytest.approx(
        value(before, "newsdesk_gifts_amount_total", **gift) + 12.5
    )
    sent = {"kind": "receipt", "outcome": "sent"}
    assert (
        value(after, "newsdesk_emails_total", **sent)
        == value(before, "newsdesk_emails_total", **sent) + 1
    )
    failed = {"kind": "receipt", "outcome": "failed"}
    assert value(after, "newsdesk_emails_total", **failed) == value(
        before, "newsdesk_emails_total", **failed
    )


def test_an_email_that_cannot_be_sent_is_counted_failed(
    client, settings, django_capture_on_commit_callbacks
):
    from newsdesk.funding.services.ledger import donation_record
    from tests.support.ports import free_port

    # A mail server that is not there.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            provider="demo",
            provider_reference="metrics-test-2",
            kind="payment",
            amount=Decimal("5"),
            currency="USD",
            donor_email="giver@example.org",
        )
    after = scrape(client)
    for outcome, moved in (("failed", 1), ("sent", 0)):
        labels = {"kind": "receipt", "outcome": outcome}
        assert (
            value(after, "newsdesk_emails_total", **labels)
            == value(before, "newsdesk_emails_total", **labels) + moved
        )


def test_the_queue_depth_counts_a_waiting_task(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from newsdesk.funding.tasks import donation_receipt_send

    before = scrape(client)
    donation_receipt_send.enqueue(donation_id=0)
    after = scrape(client)
    assert (
        value(after, "newsdesk_task_queue_depth", backend="database")
        == value(before, "newsdesk_task_queue_depth", backend="database") + 1
    )
    assert value(after, "newsdesk_task_queue_oldest_age_seconds", backend="database") >= 0
    assert value(after, "newsdesk_metrics_reader_up", reader="task_queue") == 1


def test_the_figures_are_read_at_most_once_per_cache_period(
    client, settings, django_assert_max_num_queries, monkeypatch
):
    from newsdesk.discussion.tests.helpers import guest, post

    settings.METRICS_CACHE_SECONDS = 60
    hooks.search_for_hooks()
    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESS, [])
    article = make_article()
    with django_assert_max_num_queries(6):
        first = scrape(client)
    post(article, guest(), "A comment the cached figures do not see yet.")
    # Within the period: no query at all, and the figures of the first scrape.
    with django_assert_max_num_queries(0):
        second = scrape(client)
    assert value(second, "newsdesk_comments", status="published") == value(
        first, "newsdesk_comments", status="published"
    )
    cache.delete(CACHE_KEY)  # the period has passed
    third = scrape(client)
    assert (
        value(third, "newsdesk_comments", status="published")
        == value(first, "newsdesk_comments", status="published") + 1
    )


def test_a_failing_reader_costs_only_its_own_figures(client, settings):
    settings.METRICS_FIGURES = [
        *settings.METRICS_FIGURES,
        "newsdesk.core.tests.test_metrics.broken",
    ]
    series = scrape(client)
    assert value(series, "newsdesk_metrics_reader_up", reader="broken") == 0
    assert value(series, "newsdesk_metrics_reader_up", reader="comment_figures") == 1


def broken():
    raise RuntimeError("a reader that fails")
