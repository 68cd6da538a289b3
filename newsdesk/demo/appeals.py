# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Reasons and appeals in the demo (issue 22, item 7).

On the lead story: a demo reader's comment with a link, held by the trust levels ("links
from new commenters are checked first"), whose appeal waits in the admin's Appeals queue;
another reader's comment removed by a moderator as off topic, appealed and reversed by
another moderator (published again, the outcome in the audit log and on the transparency
page). The demo readers and moderators have no password: nobody signs in as them; a site's
own moderator sees the queue, and any reader who signs up sees their own "Your comments".
Everything goes through the moderation and discussion services. Idempotent: each comment
has a demo key, and an appeal or decision already made is left as it is.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.picks import _editor
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.moderation.errors import ModerationError
from newsdesk.moderation.models import Appeal
from newsdesk.moderation.services import comment_moderate
from newsdesk.moderation.services.appeals import appeal_create, appeal_decide

SOURCE = "demo-appeals"
MODERATOR = "desk_lars"

HELD_KEY, HELD_AUTHOR = "held-link", ("kasia_weir", "kasia.weir@example.org")
HELD_BODY = (
    "The weir operators publish their own release log, which shows the gates were opened "
    "twice in June, not once as the article says: https://weir-log.example.org/2026/june"
)
HELD_APPEAL = (
    "The link is the operators’ own public log, not an advertisement: I posted it so others "
    "can check the dates the article gives."
)
REMOVED_KEY, REMOVED_AUTHOR = "removed-aside", ("tomas_brandt", "tomas.brandt@example.org")
REMOVED_BODY = (
    "Off the river for a second: the footbridge in our town was closed for the same reason "
    "last summer, the piers were undermined when the water dropped. Worth a follow-up."
)
REMOVED_APPEAL = (
    "It is about the same low water and what it does to bridges, which is what the article "
    "is about. I was adding a local example, not changing the subject."
)
REVERSAL_NOTE = "Fair point: a local example of the same low water, so on topic."


def _account(username: str, email: str):
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        user = users.create_user(username=username, email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _moderator():
    user = _account(MODERATOR, "lars.denk@example.org")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        user.groups.add(moderators)
    return get_user_model().objects.get(pk=user.pk)  # permissions read again with the group


def _comment(*, article, key: str, author, body: str, stdout) -> Comment | None:
    found = Comment.objects.filter(source=SOURCE, source_id=key, thread__article=article).first()
    if found is not None:
        return found
    try:
        return comment_create(
            article=article,
            reader=Reader(user=author, ip_address="198.51.100.61"),
            draft=CommentDraft(body=body),
            source=SOURCE,
            source_id=key,
        )
    except DiscussionError as error:
        stdout.write(f"Appeals: demo comment {key} refused: {error.message}")
        return None


def load(*, stdout) -> None:
    article = lead_story_find()
    if article is None:
        return
    deciding, reviewing = _moderator(), _editor()
    held_author, removed_author = _account(*HELD_AUTHOR), _account(*REMOVED_AUTHOR)
    try:
        held = _comment(
            article=article, key=HELD_KEY, author=held_author, body=HELD_BODY, stdout=stdout
        )
        if (
            held is not None
            and held.status == CommentStatus.HELD
            and not Appeal.objects.filter(comment=held).exists()
        ):
            appeal_create(user=held_author, comment_id=held.pk, message=HELD_APPEAL)
        removed = _comment(
            article=article,
            key=REMOVED_KEY,
            author=removed_author,
            body=REMOVED_BODY,
            stdout=stdout,
        )
        if removed is not None and not Appeal.objects.filter(comment=removed).exists():
            if removed.status != CommentStatus.REJECTED:
                comment_moderate(
                    comment_id=removed.pk,
                    action="reject",
                    actor=deciding,
                    reason="mod_off_topic",
                    note="This thread is about the river.",
                )
            appeal = appeal_create(
                user=removed_author, comment_id=removed.pk, message=REMOVED_APPEAL
            )
            appeal_decide(
                appeal_id=appeal.pk, actor=reviewing, outcome="reverse", note=REVERSAL_NOTE
            )
    except ModerationError as error:
        stdout.write(f"Appeals: {error.message}")
        return
    stdout.write(f"Appeals: a held comment appealed and a reversed removal on “{article.title}”.")
