"""Properties of reporting a comment, whatever a reader sends (hypothesis).

Any reason, note and comment id, by form or by the page's script: either one Report is
stored with a reason from the list and its note as plain text (no markup, no NUL, at most
the note limit), or a 4xx says why and nothing is written.
"""

import itertools
import re

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsdesk.moderation import conf
from newsdesk.moderation.models import Decision, Report, ReportReason

from .conftest import guest_reader, post

pytestmark = pytest.mark.django_db
PROPERTY_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    # The article fixture is shared by the examples; each posts its own comment and counts.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE_NOTES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a\x00b",
    "x" * (conf.REPORT_TEXT_MAX + 50),
    "  ",
    "<b>bold</b> claim",
]
reason = st.one_of(st.sampled_from(ReportReason.values), st.text(max_size=12))
note = st.one_of(st.sampled_from(HOSTILE_NOTES), st.text(st.characters(codec="utf-8")))


_addresses = itertools.count(1)


def _counts() -> tuple[int, int]:
    return Report.objects.count(), Decision.objects.count()


@PROPERTY_SETTINGS
@given(
    reason=reason,
    text=note,
    target=st.one_of(st.just("comment"), st.integers(min_value=-(2**70), max_value=2**70)),
    wants_json=st.booleans(),
)
def test_any_report_is_stored_as_plain_text_or_refused(article, reason, text, target, wants_json):
    cache.clear()  # the reporting rate limit is not what this test is about
    # A fresh address, name and text each time: the flood and duplicate signals would hold
    # a stream of identical comments from one address.
    n = next(_addresses)
    comment = post(
        article,
        guest_reader(ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"),
        f"Reader {n} checked the council's budget table {n * 7} and found it adds up.",
        name=f"Reader {n}",
    )
    event(f"comment {comment.status}")
    comment_id = comment.pk if target == "comment" else target
    headers = {"HTTP_ACCEPT": "application/json"} if wants_json else {}
    before = _counts()
    if isinstance(comment_id, int) and comment_id < 0:
        return  # the URL pattern takes no sign
    response = Client().post(
        f"/moderation/comments/{comment_id}/report/", {"reason": reason, "text": text}, **headers
    )
    event(f"report answered {response.status_code}")
    if response.status_code == 201:
        assert Report.objects.count() == before[0] + 1
        report = Report.objects.latest("pk")
        # A drawn id may name an earlier example's comment, which a reader may report too.
        assert report.comment_id == int(comment_id)
        assert report.reason in ReportReason.values
        assert len(report.text) <= conf.REPORT_TEXT_MAX
        assert "\x00" not in report.text
        assert not re.search(r"<[a-zA-Z/!?]", report.text), report.text
        return
    assert 400 <= response.status_code < 500, response.status_code
    if wants_json or response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"].strip()
    else:
        assert b"error" in response.content.lower()
    assert _counts() == before
