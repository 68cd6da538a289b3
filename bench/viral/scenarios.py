"""The write scenarios, for the Python driver: posting (d) and the spike (e), and the check
afterwards that the database holds what the servers acknowledged.

Every comment posted carries a marker no other comment has (``vb<run>x<worker>x<n>``), and
every donation a unique e-mail address, so each acknowledgement can be found again.
"""

import json
import random
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.viral.load import Connection, Outcome
from bench.viral.texts import NAMES, comment_text


@dataclass
class Ack:
    """A write the server acknowledged, and what it answered."""

    kind: str  # "comment" or "donation"
    marker: str
    body: str = ""
    answered_id: int | None = None
    answered_html: str = ""
    # False when the answer names no comment by design (Newsdesk's "rejected" answer).
    named: bool = True


@dataclass
class Shared:
    """What the workers of one drive share: acknowledgements, and ids to reply to."""

    acks: list[Ack] = field(default_factory=list)
    reply_ids: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class WorkerState:
    number: int
    rng: random.Random
    connections: list[Connection]
    csrf: str = ""
    counter: int = 0


def _cookie(headers: dict, name: str) -> str:
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            cookie = SimpleCookie()
            # http.client joins repeated headers with ", "
            for part in re.split(r",\s*(?=[A-Za-z_]+=)", value):
                cookie.load(part)
            if name in cookie:
                return cookie[name].value
    return ""


def csrf_fetch(conn: Connection, paths: list[str]) -> str:
    """A CSRF cookie, as a browser gets one: from the first of ``paths`` that sets it."""
    for path in paths:
        _status, headers, _, _ = conn.request("GET", path)
        token = _cookie(headers, "csrftoken")
        if token:
            return token
    raise RuntimeError(f"no csrftoken cookie from {paths}")


def _marker(run: str, state: WorkerState) -> str:
    state.counter += 1
    return f"vb{run}x{state.number}x{state.counter}"


# --- posting ----------------------------------------------------------------------------------
def newsdesk_post(
    conn: Connection, state: WorkerState, shared: Shared, *, run: str, article_id: int, kind: str
) -> Outcome:
    """One comment (a reply one time in three) through ``POST /api/threads/<id>/comments``."""
    marker = _marker(run, state)
    body = f"{comment_text(state.rng)}\n\n(ref {marker})"
    parent = None
    if shared.reply_ids and state.rng.random() < 0.33:
        parent = state.rng.choice(shared.reply_ids)
    payload = {"body": body, "name": state.rng.choice(NAMES), "parent_id": parent}
    status, _, data, seconds = conn.request(
        "POST",
        f"/api/threads/{article_id}/comments",
        body=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": f"csrftoken={state.csrf}",
            "X-CSRFToken": state.csrf,
        },
    )
    ok = status == 201
    if ok:
        answered = json.loads(data).get("comment")
        answer = answered or {}
        ack = Ack(
            "comment", marker, body, answer.get("id"), answer.get("body_html", ""),
            named=answered is not None,
        )  # fmt: skip
        with shared.lock:
            shared.acks.append(ack)
            if ack.answered_id and answer.get("status") == "published":
                shared.reply_ids.append(ack.answered_id)
    return Outcome(kind, status, seconds, ok)


def isso_post(
    conn: Connection, state: WorkerState, shared: Shared, *, run: str, uri: str
) -> Outcome:
    """One comment (a reply one time in three) through Isso's ``POST /new?uri=...``."""
    marker = _marker(run, state)
    text = f"{comment_text(state.rng)}\n\n(ref {marker})"
    parent = None
    if shared.reply_ids and state.rng.random() < 0.33:
        parent = state.rng.choice(shared.reply_ids)
    payload = {"text": text, "author": state.rng.choice(NAMES), "parent": parent}
    status, _, data, seconds = conn.request(
        "POST",
        f"/new?{urlencode({'uri': uri})}",
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    ok = status in (200, 201, 202)
    if ok:
        answered = json.loads(data).get("id")
        with shared.lock:
            shared.acks.append(Ack("comment", marker, text, answered))
            shared.reply_ids.append(answered)
    return Outcome("post", status, seconds, ok)


# --- donations ----------------------------------------------------------------------------------
INPUT = re.compile(r'<input[^>]*name="(?P<name>[^"]+)"[^>]*>')
VALUE = re.compile(r'value="(?P<value>[^"]*)"')


def _form_values(html: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for match in INPUT.finditer(html):
        value = VALUE.search(match.group(0))
        values.setdefault(match.group("name"), []).append(value.group("value") if value else "")
    return values


def donation_give(
    conn: Connection, state: WorkerState, shared: Shared, *, run: str
) -> list[Outcome]:
    """A reader's gift with the demo provider: the form, its POST, the demo checkout page, and
    its POST; acknowledged when the last answer sends the reader to the thanks page."""
    outcomes = []
    marker = _marker(run, state)
    status, headers, data, seconds = conn.request("GET", "/donate/")
    outcomes.append(Outcome("donate", status, seconds, status == 200))
    csrf = _cookie(headers, "csrftoken")
    if status != 200 or not csrf:
        return outcomes
    fields = _form_values(data.decode("utf-8", "replace"))
    token = fields.get("csrfmiddlewaretoken", [""])[0]
    form = {
        "csrfmiddlewaretoken": token,
        "campaign": fields.get("campaign", [""])[0],
        "currency": fields.get("currency", [""])[0],
        "attempt": fields.get("attempt", [""])[0],
        "amount": state.rng.choice(fields.get("amount") or ["25"]),
        "frequency": "once",
        "email": f"{marker}@example.org",
        "donor_name": state.rng.choice(NAMES),
        "message": "Keep going.",
    }
    cookie = {"Cookie": f"csrftoken={csrf}"}
    form_headers = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _, seconds = conn.request(
        "POST", "/donate/", body=urlencode(form).encode(), headers=form_headers
    )
    location = headers.get("Location", "")
    ok = status == 302 and "/donate/demo/" in location
    outcomes.append(Outcome("donate", status, seconds, ok))
    if not ok:
        return outcomes
    checkout = location[location.index("/donate/demo/") :]
    status, _, _, seconds = conn.request("GET", checkout, headers=cookie)
    outcomes.append(Outcome("donate", status, seconds, status == 200))
    status, headers, _, seconds = conn.request(
        "POST", checkout, body=urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers=form_headers,
    )  # fmt: skip
    ok = status == 302 and "/donate/thanks/" in headers.get("Location", "")
    outcomes.append(Outcome("donate", status, seconds, ok))
    if ok:
        with shared.lock:
            shared.acks.append(Ack("donation", marker))
    return outcomes


# --- the check ----------------------------------------------------------------------------------
@dataclass
class Check:
    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    mismatched: int = 0


_REF_AT_END = re.compile(r"\(ref (vb[^()\s]+)\)\Z")


def _comments_by_marker(con) -> dict[str, list[tuple[int, str]]]:
    """Every stored comment that ends with a benchmark marker, by marker: one scan of the
    table, where a query per acknowledged comment scanned it thousands of times."""
    found: dict[str, list[tuple[int, str]]] = {}
    rows = con.execute(
        "SELECT id, body_source FROM discussion_comment WHERE body_source LIKE '%(ref vb%'"
    )
    for stored_id, body in rows:
        match = _REF_AT_END.search(body)
        if match:
            found.setdefault(match.group(1), []).append((stored_id, body))
    return found


def acks_check(con, acks: list[Ack], *, placeholder: str = "?") -> dict[str, Check]:
    """Every acknowledged comment and donation found exactly once in Newsdesk's database (a
    DB-API connection with ``execute``: sqlite3's, or psycopg's with ``placeholder="%s"``),
    and each comment's answer naming the stored comment (its id, and its text)."""
    checks = {"comment": Check(), "donation": Check()}
    comments = _comments_by_marker(con)
    donation_sql = (
        f"SELECT id FROM funding_donation WHERE donor_email = {placeholder} AND kind = 'payment'"
    )
    for ack in acks:
        check = checks[ack.kind]
        check.acknowledged += 1
        if ack.kind == "donation":
            rows = con.execute(donation_sql, (f"{ack.marker}@example.org",)).fetchall()
        else:
            rows = comments.get(ack.marker, [])
        if not rows:
            check.lost += 1
        elif len(rows) > 1:
            check.duplicated += 1
        elif ack.kind == "comment" and ack.named:
            stored_id, stored_body = rows[0]
            named_right = ack.answered_id == stored_id and stored_body == ack.body
            if not named_right or f"(ref {ack.marker})" not in ack.answered_html:
                check.mismatched += 1
    return checks


def sqlite_connection(db: Path):
    """A read-only connection to a laptop-tier database for ``acks_check``, and its placeholder."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True), "?"
