"""Behind the sample nginx configuration, each reader is themselves (finding 6 of issue 17).

The site runs with ``TRUSTED_PROXIES=127.0.0.1``, as docs/production.md says to run it
behind ``deploy/nginx/newsdesk.conf``; nginx runs that sample file unchanged but for its
ports and paths. Each simulated reader connects to nginx from an address of its own: Linux
answers on the whole of 127.0.0.0/8, so a client socket bound to 127.0.0.N is, for nginx, a
reader at 127.0.0.N, exactly as a reader on the internet is one at their public address.
nginx appends that address to X-Forwarded-For and connects to gunicorn from 127.0.0.1, the
one trusted proxy. Nothing the test sends in X-Forwarded-For is believed (a reader that
sends one is still its own address), so the test exercises the real chain with no
test-only trust.

On the code before the fix every reader was 127.0.0.1: twelve readers' comments were held
for flooding and then refused (429), a ban on one reader banned them all, every stored
address was 127.0.0.1, and ten failed sign-ins from one reader locked every reader out.
"""

import http.client
import json
import re
import uuid
from urllib.parse import urlencode

import pytest

from tests.support.nginx import MISSING, NGINX, SAMPLE, nginx_config, nginx_serving
from tests.support.ports import free_port
from tests.support.servers import RunningSite

pytestmark = pytest.mark.skipif(NGINX is None, reason=MISSING)

FLOODING = "comments in "  # the spam signal's reason: "more than 5 comments in 10 minutes"
LOCKED = b"Too many failed login attempts"
PASSWORD = "a long pass 42"


def shell(site: RunningSite, code: str) -> str:
    """Run ``code`` in the site's environment; its stdout (its stderr in the failure)."""
    result = site.manage("shell", "-c", code, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# --- nginx in front of a running site ------------------------------------------------------
@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """(site, nginx port, ids): the site behind nginx, with an article and two accounts."""
    site = RunningSite(
        demo=False,
        extra_env={
            "TRUSTED_PROXIES": "127.0.0.1",
            # A ban reaches every web process at once (no per-process copy lag to wait out).
            "PROCESS_CACHE_CHECK_SECONDS": "0",
        },
    ).start()
    try:
        setup = shell(
            site,
            "import json\n"
            "from allauth.account.models import EmailAddress\n"
            "from django.contrib.auth import get_user_model\n"
            "from tests.support.factories import make_article\n"
            "article = make_article(title='The weir is rebuilt after the winter floods')\n"
            "users = get_user_model().objects\n"
            "admin = users.create_superuser('chief', 'chief@example.org', 'x-unused-9')\n"
            "for name in ('alice', 'bob'):\n"
            f"    u = users.create_user(name, name + '@example.org', {PASSWORD!r})\n"
            "    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)\n"
            "print(json.dumps({'article': article.pk}))\n",
        )
        ids = json.loads(setup.strip().splitlines()[-1])
        prefix = tmp_path_factory.mktemp("nginx")
        port = free_port()
        config = nginx_config(prefix=prefix, port=port, upstream_port=site.port)
        with nginx_serving(config, prefix=prefix, port=port):
            yield site, port, ids
    finally:
        site.stop()


# --- readers at their own addresses --------------------------------------------------------
class Reader:
    """A reader connecting to nginx from ``address`` (a 127.0.0.0/8 address of its own)."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.guest_token = uuid.uuid4().hex

    def call(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie = value.split(";", 1)[0]
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
            return response.status, response.read()
        finally:
            conn.close()

    def comment(self, article_id: int, text: str, *, forwarded_for: str = ""):
        """Post a guest comment through the JSON API: (HTTP status, answer)."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-Guest-Token": self.guest_token,
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        payload = {"body": text, "name": f"Reader at {self.address}"}
        status, body = self.call(
            "POST",
            f"/api/threads/{article_id}/comments",
            body=json.dumps(payload).encode(),
            headers=headers,
        )
        return status, json.loads(body or b"{}")

    def sign_in(self, email: str, password: str) -> tuple[int, bytes]:
        if "csrftoken" not in self.cookies:
            self.call("GET", "/csrf/")
        form = {
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        }
        return self.call(
            "POST",
            "/accounts/login/",
            body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def text(n: int) -> str:
    """A comment no signal minds, different every time (identical texts are a signal)."""
    return (
        f"Reader note {uuid.uuid4().hex[:8]}: the weir's new gates held in week {n}, "
        "and the towpath reopened on Saturday."
    )


def stored(site: RunningSite, comment_ids: list[int]) -> dict[int, dict]:
    """Each comment's stored address, status and the gate's reasons."""
    out = shell(
        site,
        "import json\n"
        "from newsdesk.discussion.models import Comment\n"
        "from newsdesk.moderation.models import Decision\n"
        "rows = {}\n"
        f"for c in Comment.objects.filter(pk__in={comment_ids!r}):\n"
        "    reasons = [r for d in Decision.objects.filter(comment=c) for r in d.reasons]\n"
        "    rows[c.pk] = {'ip': c.ip_address, 'status': c.status,"
        " 'reasons': ' '.join(reasons + [c.status_reason])}\n"
        "print(json.dumps(rows))\n",
    )
    return {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}


# --- the attack ----------------------------------------------------------------------------
def test_twelve_readers_behind_nginx_are_twelve_readers(proxied):
    site, port, ids = proxied
    article = ids["article"]
    readers = [Reader(port, f"127.0.0.{n}") for n in range(11, 23)]
    answers = [reader.comment(article, text(n)) for n, reader in enumerate(readers)]
    assert [status for status, _ in answers] == [201] * 12, answers
    comment_ids = [answer["comment"]["id"] for _, answer in answers]
    rows = stored(site, comment_ids)
    assert [rows[cid]["ip"] for cid in comment_ids] == [r.address for r in readers], (
        "each comment stores its reader's address, not the proxy's"
    )
    held = [rows[cid] for cid in comment_ids if FLOODING in rows[cid]["reasons"]]
    assert held == [], "twelve readers posting once each are not a flood"


def test_one_reader_behind_nginx_is_still_limited_whatever_it_claims(proxied):
    site, port, ids = proxied
    flooder = Reader(port, "127.0.0.30")
    answers = [
        # Half of its posts claim another address; nginx appends the real one.
        flooder.comment(ids["article"], text(n), forwarded_for=f"203.0.113.{n}" if n % 2 else "")
        for n in range(12)
    ]
    statuses = [status for status, _ in answers]
    assert statuses == [201] * 10 + [429] * 2, "DISCUSSION_POSTS_PER_IP: 10 per 5 minutes"
    comment_ids = [answer["comment"]["id"] for _, answer in answers[:10] if answer["comment"]]
    rows = stored(site, comment_ids)
    assert {row["ip"] for row in rows.values()} == {"127.0.0.30"}
    flooded = [cid for cid in comment_ids if FLOODING in rows[cid]["reasons"]]
    assert len(flooded) == 5, "MODERATION_POSTING_RATE_LIMIT: the 6th to 10th are held"


def test_a_ban_on_one_reader_behind_nginx_bans_only_that_reader(proxied):
    site, port, ids = proxied
    shell(
        site,
        "from django.contrib.auth import get_user_model\n"
        "from newsdesk.moderation.services import ban_create\n"
        "chief = get_user_model().objects.get(username='chief')\n"
        "ban_create(kind='ip', target='127.0.0.40', actor=chief, reason='trolling')\n",
    )
    status, banned = Reader(port, "127.0.0.40").comment(ids["article"], text(1))
    assert status == 201 and banned["comment"] is None, "the banned reader's comment is refused"
    neighbour = Reader(port, "127.0.0.41")
    status, answer = neighbour.comment(ids["article"], text(2), forwarded_for="127.0.0.40")
    assert status == 201 and answer["comment"] is not None, answer
    row = stored(site, [answer["comment"]["id"]])[answer["comment"]["id"]]
    assert row["ip"] == "127.0.0.41"
    assert "banned" not in row["reasons"]


def test_failed_sign_ins_from_one_reader_behind_nginx_lock_out_only_that_reader(proxied):
    _, port, _ = proxied
    guesser = Reader(port, "127.0.0.50")
    # ACCOUNT_RATE_LIMITS "login_failed": 10 a minute per address (each guess names another
    # account, so no account's own limit is reached).
    for n in range(10):
        status, body = guesser.sign_in(f"nobody{n}@example.org", "guess")
        assert status == 200 and LOCKED not in body
    status, body = guesser.sign_in("alice@example.org", PASSWORD)
    assert LOCKED in body, "the guesser's address is locked out"
    status, body = Reader(port, "127.0.0.51").sign_in("bob@example.org", PASSWORD)
    assert status == 302, body[:2000]


def test_the_sample_forwards_the_readers_address_and_scheme_from_every_proxied_location():
    """Every location that passes to gunicorn appends the reader's address and sets the
    scheme, and nothing in the sample rewrites the reader's address itself."""
    sample = SAMPLE.read_text()
    locations = re.findall(r"location [^{]*\{(.*?)\n    \}", sample, flags=re.S)
    proxied = [body for body in locations if "proxy_pass" in body]
    # Every proxy_pass sits in a location the pattern found (the probes' and /metrics' too).
    assert len(proxied) == sample.count("proxy_pass ") >= 2
    for body in proxied:
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in body
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in body
    assert "real_ip_header" not in sample and "set_real_ip_from" not in sample
    assert "TRUSTED_PROXIES=127.0.0.1" in sample
