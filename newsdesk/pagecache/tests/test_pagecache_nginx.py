"""The sample nginx configuration is valid for nginx itself (skipped where nginx is absent)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SAMPLE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsdesk.conf"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_sample_nginx_configuration_passes_nginx_t(tmp_path):
    # The sample's cache directory, moved under the test's own directory.
    site = SAMPLE.read_text().replace("/var/cache/nginx/newsdesk", str(tmp_path / "cache"))
    (tmp_path / "newsdesk.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        f"  access_log {tmp_path}/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/newsdesk.conf;\n"
        "}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_sample_bypasses_the_cache_for_every_personal_cookie():
    from newsdesk.pagecache import registry

    text = SAMPLE.read_text()
    for cookie in registry.personal_cookies():
        assert cookie in text, f"nginx must skip its cache when {cookie} is sent"


def test_sample_keeps_public_pages_and_refreshes_them_one_request_at_a_time():
    text = SAMPLE.read_text()
    for directive in (
        "proxy_cache_valid ",
        "proxy_cache_use_stale updating error timeout",
        "proxy_cache_background_update on;",
        "proxy_cache_lock on;",
        "proxy_cache_revalidate on;",
        "proxy_ignore_headers Vary;",
    ):
        assert directive in text, directive
