"""The site's address for links made outside a request (core/siteurl.py) and how
``manage.py serve`` sets it: SITE_URL when set, else the address serve binds, else the
default; serve hands it to its processes and points a local Wagtail site at it."""

import signal

import pytest
from django.core.management import call_command
from wagtail.models import Site

from newsdesk.core import siteurl
from newsdesk.core.management.commands import serve


@pytest.fixture(autouse=True)
def _nothing_bound(monkeypatch):
    monkeypatch.setattr(siteurl, "_bound", "")


def test_an_explicit_site_url_wins_then_serves_address_then_the_default(settings):
    settings.SITE_URL = ""
    assert siteurl.site_url() == "http://127.0.0.1:8000"

    assert siteurl.site_url_bind(url="http://127.0.0.1:8400/") == "http://127.0.0.1:8400"
    assert siteurl.site_url() == "http://127.0.0.1:8400"
    assert siteurl.absolute_url(path="/donate/") == "http://127.0.0.1:8400/donate/"

    settings.SITE_URL = "https://news.example.org/"
    assert siteurl.site_url() == "https://news.example.org"
    assert siteurl.site_url_bind(url="http://127.0.0.1:8500") == "https://news.example.org"


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8400, "http://127.0.0.1:8400"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),  # noqa: S104
        ("::", 9000, "http://[::1]:9000"),
        ("::1", 8000, "http://[::1]:8000"),
        ("newsdesk.local", 8080, "http://newsdesk.local:8080"),
    ],
)
def test_the_address_of_what_serve_binds(host, port, address):
    assert siteurl.serve_address(host=host, port=port) == address


@pytest.mark.django_db
def test_a_local_default_site_follows_the_address_and_a_named_one_stays():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()

    assert siteurl.default_site_follow(url="http://127.0.0.1:8400") is True
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8400)
    assert site.root_url == "http://127.0.0.1:8400"
    assert siteurl.default_site_follow(url="http://127.0.0.1:8400") is False

    site.hostname, site.port = "news.example.org", 443
    site.save()
    assert siteurl.default_site_follow(url="http://127.0.0.1:8400") is False
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("news.example.org", 443)


@pytest.mark.django_db
def test_the_site_name_signs_for_the_site():
    site = Site.objects.get(is_default_site=True)
    site.site_name = "The Lantern"
    site.save()
    assert siteurl.site_name() == "The Lantern"


class _Exited:
    """A process that has already finished: serve's loop ends at once."""

    returncode = 0
    args = ["gunicorn"]

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0


def _serve(monkeypatch, *args: str) -> list[dict]:
    started: list[dict] = []

    def popen(command, *, env, cwd):
        started.append(env)
        return _Exited()

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    # Moderation's starter models are not what this test is about.
    monkeypatch.setattr(serve, "run_duties", lambda name: None)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("serve", *args)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return started


@pytest.mark.django_db
def test_serve_hands_the_address_it_binds_to_its_processes_and_the_site(monkeypatch, settings):
    settings.SITE_URL = ""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 8000
    site.save()

    started = _serve(monkeypatch, "--host", "127.0.0.1", "--port", "8400")

    assert [env["SITE_URL"] for env in started] == ["http://127.0.0.1:8400"] * 2  # web, worker
    site.refresh_from_db()
    assert site.root_url == "http://127.0.0.1:8400"


@pytest.mark.django_db
def test_serve_keeps_an_explicit_site_url(monkeypatch, settings):
    settings.SITE_URL = "https://news.example.org"

    started = _serve(monkeypatch, "--port", "8400", "--no-worker")

    assert [env["SITE_URL"] for env in started] == ["https://news.example.org"]
