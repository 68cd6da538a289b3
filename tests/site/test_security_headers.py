"""Security headers and the Content Security Policy on the public site and the admins."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_article_page_carries_a_policy_without_inline_scripts(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'", "https://checkout.stripe.com"]
    assert set(policy["img-src"]) == {"'self'", "data:", "https:"}
    assert "https://www.youtube-nocookie.com" in policy["frame-src"]
    assert "https://player.vimeo.com" in policy["frame-src"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/robots.txt", "/no-such-page/", "/api/openapi.json"])
def test_every_public_response_has_the_headers(client, home, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admins_are_outside_the_policy_and_keep_their_inline_scripts(admin_client, home):
    for path in ("/admin/", "/django-admin/"):
        response = admin_client.get(path)
        assert response.status_code == 200
        assert "Content-Security-Policy" not in response
        assert response["X-Frame-Options"] == "DENY"


def test_wagtail_preview_may_frame_the_page_from_the_same_origin(admin_client, article):
    edit = f"/admin/pages/{article.pk}/edit/preview/"
    response = admin_client.get(edit, {"mode": ""})
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Content-Security-Policy" not in response


def test_the_page_wagtail_previews_may_be_framed_by_the_site_and_nothing_else(
    rf, admin_user, article
):
    """Wagtail renders a preview through the whole middleware list with a made-up request for
    the page's address (what the editor's panel frames): the site's policy would refuse the
    frame with ``frame-ancestors 'none'``."""
    request = rf.get(f"/admin/pages/{article.pk}/edit/preview/")
    request.user = admin_user
    response = article.make_preview_request(original_request=request)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    # (Wagtail's preview view sets X-Frame-Options: SAMEORIGIN on what it returns.)
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # the rest of the policy stands


def test_a_visitor_cannot_ask_for_the_previews_framing(client, article):
    for query in ({"is_preview": "1"}, {"in_preview_panel": "true"}):
        response = client.get(article.url, query)
        assert directives(response)["frame-ancestors"] == ["'none'"], query
        assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_out_of_scripts_reach(client, home):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"]
    assert settings.SESSION_COOKIE_HTTPONLY


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_no_template_of_the_public_site_runs_inline_script():
    """script-src 'self' would block them: every script is a file under static/."""
    offenders = []
    templates = sorted(Path(settings.PROJECT_DIR).glob("*/templates/**/*.html"))
    assert templates
    for path in templates:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line}")
    assert not offenders, "\n".join(offenders)
