"""Production refuses to start when gifts would move no money: the demo provider (no
``STRIPE_SECRET_KEY``) or Stripe test-mode keys, unless the operator opts in
(``FUNDING_TEST_PAYMENTS=1``, for a staging site); and when Stripe's webhook secret is
missing (readers would pay and the ledger would never hear of it).

Through Django's check framework (what ``manage.py migrate``, ``serve`` and ``worker`` run),
and through the WSGI module gunicorn loads, which runs no system checks by itself.
"""

import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.core import checks

ENV_NAMES = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "FUNDING_TEST_PAYMENTS")


def funding_errors(monkeypatch, settings_fixture, *, production: bool, **env) -> list[str]:
    """The funding checks' errors with ``env``'s values as the settings would read them from
    the environment (newsdesk/settings/funding.py: unset is ""); the subprocess tests below
    go through the environment itself."""
    for name in ENV_NAMES:
        setattr(settings_fixture, name, env.get(name, ""))
    settings_fixture.NEWSDESK_PRODUCTION = production
    return [
        message.id
        for message in checks.run_checks(tags=["funding"])
        if message.level >= checks.ERROR
    ]


def test_production_with_the_demo_provider_is_a_check_error(monkeypatch, settings):
    assert funding_errors(monkeypatch, settings, production=True) == ["funding.E001"]


def test_production_with_stripe_test_keys_is_a_check_error(monkeypatch, settings):
    errors = funding_errors(
        monkeypatch,
        settings,
        production=True,
        STRIPE_SECRET_KEY="sk_test_" + "x" * 24,
        STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    assert errors == ["funding.E001"]


def test_production_with_stripe_and_no_webhook_secret_is_a_check_error(monkeypatch, settings):
    errors = funding_errors(
        monkeypatch, settings, production=True, STRIPE_SECRET_KEY="sk_live_" + "x" * 24
    )
    assert errors == ["funding.E002"]


def test_production_with_live_stripe_keys_passes(monkeypatch, settings):
    errors = funding_errors(
        monkeypatch,
        settings,
        production=True,
        STRIPE_SECRET_KEY="sk_live_" + "x" * 24,
        STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    assert errors == []


def test_a_staging_site_may_opt_in_to_the_demo_provider(monkeypatch, settings):
    assert funding_errors(monkeypatch, settings, production=True, FUNDING_TEST_PAYMENTS="1") == []


def test_the_laptop_tier_runs_the_demo_provider(monkeypatch, settings):
    assert funding_errors(monkeypatch, settings, production=False) == []


def _production_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "news.example.org",
        **extra,
    }
    for name in (*ENV_NAMES, "REDIS_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def _run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_manage_py_and_gunicorn_refuse_the_demo_provider(tmp_path):
    env = _production_env(tmp_path)
    check = _run("manage.py", "check", env=env)
    assert check.returncode != 0 and "funding.E001" in check.stderr, check.stderr[-2000:]
    # What gunicorn does: import the WSGI module. It must fail, not serve.
    wsgi = _run("-c", "import newsdesk.wsgi", env=env)
    assert wsgi.returncode != 0 and "funding.E001" in wsgi.stderr, wsgi.stderr[-2000:]
    allowed = _run(
        "-c", "import newsdesk.wsgi", env=_production_env(tmp_path, FUNDING_TEST_PAYMENTS="1")
    )
    assert allowed.returncode == 0, allowed.stderr[-2000:]
