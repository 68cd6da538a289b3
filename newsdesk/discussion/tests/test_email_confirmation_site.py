"""The attack of issue 17 (7a) against the served site (gunicorn, the worker, its task queue).

Anyone could type a stranger's address into the comment form with "E-mail me replies"
ticked: every reply then went to the stranger. Now the worker sends the address one
confirmation e-mail (once, however often it is given) and nothing else until its link is
followed; then replies are e-mailed. Its own site, so that no other test's posts count
against this one's client address (rate limits, moderation's posting rate).
"""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.support.servers import RunningSite

pytestmark = pytest.mark.browser

VICTIM = "stranger@example.org"
CONFIRM = re.compile(r"https?://\S+(/discussion/confirm-email/\S+/)")


@pytest.fixture(scope="module")
def site():
    served = RunningSite(
        extra_env={"MODERATION_POSTING_RATE_LIMIT": "100", "DISCUSSION_POSTS_PER_IP": "100"}
    ).start()
    yield served
    served.stop()


class Reader:
    """A browser running the page's script: a cookie jar, the CSRF token from /csrf/, and
    its writes sent to the JSON API, as discussion.js sends them."""

    def __init__(self, site: RunningSite):
        self.site = site
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.site.url + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_comment(self, article_id: int, **fields) -> dict:
        """The posted comment (its ``id``, ``status``...), as the API answers it."""
        _, token = self.get("/csrf/")
        if "parent" in fields:
            fields["parent_id"] = fields.pop("parent")
        request = urllib.request.Request(
            f"{self.site.url}/api/threads/{article_id}/comments",
            data=json.dumps(fields).encode(),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/json",
                "X-CSRFToken": json.loads(token)["token"],
                "Referer": self.site.url + "/",
            },
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 201
            return json.loads(response.read())["comment"]


def _article_id(site: RunningSite) -> int:
    output = site.shell(
        "from newsdesk.articles.models import ArticlePage\n"
        "print(ArticlePage.objects.live().public().order_by('-pk').first().pk)\n"
    )
    return int(output.strip().splitlines()[-1])


def _mail_to(site: RunningSite, address: str) -> list[str]:
    return [m for m in site.sent_mail() if f"To: {address}" in m]


def _wait(condition, *, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"waited {timeout} s for {what}")


def _notifications_done(site: RunningSite, comment_id: int) -> bool:
    """Whether the worker has run the reply e-mails' task of ``comment_id`` (it marks the
    comment before it sends anything), on either queue (database or RQ)."""
    output = site.shell(
        "from newsdesk.discussion.models import Comment\n"
        f"print(Comment.objects.filter(pk={comment_id}, notifications_sent_at__isnull=False)"
        ".exists())\n"
    )
    return output.strip().splitlines()[-1] == "True"


def test_a_strangers_address_gets_one_confirmation_and_no_replies_until_confirmed(site):
    article = _article_id(site)
    attacker, replier = Reader(site), Reader(site)
    ask = {"name": "Mallory", "email": VICTIM, "notify_replies": "on"}
    first = attacker.post_comment(
        article, body="Please tell me of every reply to this comment about the dam talks.", **ask
    )
    assert first["status"] == "published", first
    attacker.post_comment(
        article, body="And of the replies to this one about the spillway too.", **ask
    )
    early = replier.post_comment(
        article,
        body="The spillway figures in the draft look right to me.",
        name="Ned",
        parent=str(first["id"]),
    )
    _wait(lambda: _notifications_done(site, early["id"]), what="the reply's e-mail task")
    received = _wait(lambda: _mail_to(site, VICTIM), what="the confirmation e-mail")
    assert len(received) == 1 and CONFIRM.search(received[0]), received  # no reply e-mail

    # The owner of the address follows the link; replies reach them from then on.
    status, page = Reader(site).get(CONFIRM.search(received[0]).group(1))
    assert status == 200 and "confirmed" in page
    replier.post_comment(
        article, body="A reply after the confirmation.", name="Ned", parent=str(first["id"])
    )
    replies = _wait(
        lambda: [m for m in _mail_to(site, VICTIM) if "/discussion/unsubscribe/" in m],
        what="the reply e-mail",
    )
    assert len(replies) == 1
    assert len([m for m in _mail_to(site, VICTIM) if CONFIRM.search(m)]) == 1
