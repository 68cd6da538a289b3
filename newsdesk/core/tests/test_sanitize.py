"""The one sanitizer for HTML that did not come from a trusted editor."""

import pytest

from newsdesk.core.sanitize import EMBED_IFRAME_HOSTS, html_sanitize


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example/"></iframe>',
    ],
)
def test_dangerous_markup_is_removed(dirty):
    clean = html_sanitize(dirty, iframe_hosts=EMBED_IFRAME_HOSTS)
    for marker in ("<script", "onerror", "javascript:", "<style", "onload", "evil.example"):
        assert marker not in clean


def test_allowed_embed_survives_and_refused_iframe_leaves_no_shell():
    html = (
        '<p>Watch:</p><iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>'
        '<iframe src="http://www.youtube.com/embed/plain-http"></iframe>'
    )
    clean = html_sanitize(html, iframe_hosts=EMBED_IFRAME_HOSTS)
    assert '<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>' in clean
    assert clean.count("<iframe") == 1


def test_without_embed_hosts_no_iframe_at_all():
    clean = html_sanitize('<iframe src="https://www.youtube.com/embed/abc"></iframe><p>t</p>')
    assert "iframe" not in clean and "<p>t</p>" in clean


def test_links_get_rel_and_text_is_kept():
    clean = html_sanitize('<p>See <a href="https://a.example/">this</a> &amp; that</p>')
    assert 'rel="noopener noreferrer"' in clean
    assert "this</a> &amp; that" in clean
