"""Readers' own controls in the demo (issue 22, item 4).

A demo reader, Ines (``ines_reads``; no password: set one with ``manage.py changepassword
ines_reads`` to sign in as her), chose hourly digests, follows the lead story's discussion
and ignores the demo's account troll (``gale_force``), whose two comments under the lead
story collapse for her. Two other demo members answer her, and the lead story gets a new
comment: her digest of the last hour, the three of them in one e-mail, is sent while the
demo loads (the console or the mail folder shows it). Everything goes through the
discussion's services. The words are the project's own. Idempotent: each comment has a demo
key, and settings, follows and ignores are made only once.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.readers import demo_account
from newsdesk.discussion.digests import digests_gather
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment, DigestItem
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services import CommentDraft, comment_create, comment_status_set
from newsdesk.discussion.services.reader_controls import (
    commenter_ignore,
    notification_frequency_set,
    thread_follow,
)

SOURCE = "demo-controls"
READER = ("ines_reads", "ines@example.org", "Ines")
TROLL = ("gale_force", "gale.force@example.net", "Gale Force")
OTHERS = {"hydro_kaska": "kaska@example.org", "lotte_v": "lotte@example.org"}


@dataclass(frozen=True)
class DemoEntry:
    key: str
    author: str  # a username
    body: str
    parent: str = ""
    notify: bool = False


ENTRIES: tuple[DemoEntry, ...] = (
    DemoEntry(
        "troll-1",
        TROLL[0],
        "Another drought story. Every summer the same panic, every autumn the same rain. "
        "Wake me when something actually happens.",
    ),
    DemoEntry(
        "troll-2",
        TROLL[0],
        "Funny how nobody here has been outside lately. My lawn is fine. Next topic.",
    ),
    DemoEntry(
        "ines-1",
        READER[0],
        "Does anyone know whether the allotments by the canal are still allowed to draw "
        "water in the evening? The notice at the gate says one thing, the council site another.",
        notify=True,
    ),
    DemoEntry(
        "kaska-answer",
        "hydro_kaska",
        "The canal allotments fall under the district order since Monday: evening watering "
        "is fine with a can, not with a hose. The gate notice is the old one.",
        parent="ines-1",
    ),
    DemoEntry(
        "lotte-answer",
        "lotte_v",
        "Our plot association asked the same thing last week and got the same answer. They "
        "promised a new notice by Friday.",
        parent="ines-1",
    ),
    DemoEntry(
        "lotte-new",
        "lotte_v",
        "The reservoir level chart in the article is worth a second look: the dip in June "
        "is steeper than in any year since 2018.",
    ),
)


def _account(username: str, email: str, name: str = "", *, verified: bool = False):
    return demo_account(username=username, email=email, name=name, verified=verified)


def load(*, stdout) -> None:
    article = lead_story_find()
    if article is None:
        stdout.write("Readers' controls: no article for the demo.")
        return
    ines = Reader(user=_account(*READER, verified=True))
    troll = Reader(user=_account(*TROLL), ip_address="198.18.70.9")
    readers = {READER[0]: ines, TROLL[0]: troll}
    for username, email in OTHERS.items():
        readers[username] = Reader(user=_account(username, email))
    # Her settings first, so the answers below wait for her digest.
    notification_frequency_set(reader=ines, frequency="hourly")
    thread_follow(reader=ines, article=article)

    done = {c.source_id: c for c in Comment.objects.filter(source=SOURCE)}
    created = 0
    for entry in ENTRIES:
        if entry.key in done:
            continue
        parent = done.get(entry.parent) if entry.parent else None
        if entry.parent and parent is None:
            continue
        try:
            comment = comment_create(
                article=article,
                reader=readers[entry.author],
                draft=CommentDraft(
                    body=entry.body,
                    parent_id=parent.pk if parent else None,
                    notify_replies=entry.notify,
                ),
                source=SOURCE,
                source_id=entry.key,
            )
        except DiscussionError as error:
            stdout.write(f"Readers' controls: {entry.key} not posted ({error.message}).")
            continue
        if comment.status != "published":
            # The demo shows the troll's words collapsed: they must be published to be seen.
            comment = comment_status_set(comment=comment, status="published", reason="demo")
        done[entry.key] = comment
        created += 1

    troll_comment = done.get("troll-1")
    if troll_comment is not None:
        commenter_ignore(reader=ines, comment_id=troll_comment.pk)
    # The notifications of this load, as if they came in the last hour: her digest is due.
    waiting = DigestItem.objects.filter(user=ines.user, digest__isnull=True)
    waiting.update(created_at=timezone.now() - timedelta(hours=1))
    digests = digests_gather()
    stdout.write(
        f"Readers' controls: {created} comments; {READER[0]} ignores {TROLL[0]}, follows "
        f"“{article.title}” and got {digests} digest e-mail{'s' if digests != 1 else ''}."
    )
