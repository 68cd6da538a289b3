"""``manage.py check --deploy`` is clean with the production settings."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def deploy_check(tmp_path, **extra_env) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "news.example.org",
        # A live payment provider: without one production refuses to start (funding.E001).
        "STRIPE_SECRET_KEY": "sk_live_" + secrets.token_hex(12),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(12),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The one silenced check is HSTS preloading, an opt-in the operator makes.
    assert "(1 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = deploy_check(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
