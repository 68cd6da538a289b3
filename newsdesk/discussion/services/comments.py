"""Readers' writes: post, reply, unsubscribe. Edits and deletions are in ``edits``, votes
in ``votes``.

Every check runs before anything is written, so a refused request changes nothing: the
service raises a ``DiscussionError`` whose message is meant for the reader. Every new or
edited text passes ``pipeline.comment_assess`` before it is stored; listeners hear of the
stored result inside the comment's transaction (so the audit log commits with it); reply
e-mails are queued with that transaction too (see ``core/taskqueue.py``).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.discussion import conf
from newsdesk.discussion.errors import (
    InvalidComment,
    NotAllowed,
    NotFound,
)
from newsdesk.discussion.images import ImageRejected, image_process
from newsdesk.discussion.models import (
    STATUS_REASON_MAX,
    Comment,
    CommentStatus,
    Subscription,
    Thread,
    body_digest,
)
from newsdesk.discussion.pipeline import (
    CommentCandidate,
    Verdict,
    comment_assess,
    comment_assessed_notify,
)
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.rendering import markdown_to_html
from newsdesk.discussion.selectors_posting import ReplyParent, posting_place_get
from newsdesk.discussion.services.email_confirmations import email_confirmation_request
from newsdesk.discussion.services.quiet_hours import quiet_hours_check
from newsdesk.discussion.services.slow_mode import slow_mode_claim

if TYPE_CHECKING:
    from newsdesk.articles.models import ArticlePage

STATUS_OF_VERDICT = {
    Verdict.PUBLISH: CommentStatus.PUBLISHED,
    Verdict.HOLD: CommentStatus.HELD,
    Verdict.REJECT: CommentStatus.REJECTED,
}
UNSUBSCRIBE_SALT = "newsdesk.discussion.unsubscribe"
# What the reader is told after posting, by the status the assessment gave their comment.
STATUS_MESSAGES = {
    "published": gettext_lazy("Your comment is published."),
    "held": gettext_lazy(
        "Thank you: your comment is awaiting moderation. Until then only you can see it."
    ),
    "rejected": gettext_lazy(
        "Your comment was not published: it breaks the rules of this discussion."
    ),
}


@dataclass(frozen=True)
class CommentDraft:
    """What a reader sent to post a comment (from the form or the API)."""

    body: str
    guest_name: str = ""
    guest_email: str = ""
    parent_id: int | None = None
    image: object | None = None  # an uploaded file
    notify_replies: bool = False
    subscribe: bool = False
    submitted_after: float | None = None
    honeypot: str = ""


# --- threads --------------------------------------------------------------------------------
def thread_get_or_create(*, article: "ArticlePage") -> Thread:
    """The article's thread, created on first use (a race creates one, not two)."""
    thread = Thread.objects.filter(article=article).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            return Thread.objects.create(article=article, title=article.title[:300])
    except IntegrityError:
        return Thread.objects.get(article=article)


def article_auto_closed(article: "ArticlePage | None", *, now: datetime | None = None) -> bool:
    """True when the article is older than ``DISCUSSION_AUTO_CLOSE_DAYS`` (0 disables it)."""
    days = conf.DISCUSSION_AUTO_CLOSE_DAYS
    published = getattr(article, "first_published_at", None) if article else None
    if not days or published is None:
        return False
    return published < (now or timezone.now()) - timedelta(days=days)


def thread_is_open(thread: Thread | None, *, article: "ArticlePage | None" = None) -> bool:
    """Whether the thread (or the article, before it has one) takes new comments."""
    if thread is not None:
        if thread.is_closed or thread.is_locked:
            return False
        article = article or thread.article
    return not article_auto_closed(article)


# --- posting --------------------------------------------------------------------------------
_NOT_STORABLE = re.compile("[\x00\ud800-\udfff]")


def _text_storable(text: str, *, field: str) -> str:
    """Refuse text no database stores as sent: NUL characters (PostgreSQL refuses them) and
    lone surrogates (not encodable as UTF-8), which JSON can carry as ``\\u0000``/``\\ud800``."""
    if _NOT_STORABLE.search(text):
        raise InvalidComment(
            _(
                "The text has characters that are not text (a NUL or half a surrogate pair); "
                "remove them and try again."
            ),
            field=field,
        )
    return text


def _body_clean(body: str) -> str:
    body = _text_storable((body or "").replace("\r\n", "\n").strip(), field="body")
    if not body:
        raise InvalidComment(_("Write something before posting."), field="body")
    if len(body) > conf.DISCUSSION_BODY_MAX_CHARS:
        raise InvalidComment(
            _("A comment can be at most %(limit)s characters long (this one has %(length)s).")
            % {
                "limit": number_format(conf.DISCUSSION_BODY_MAX_CHARS, force_grouping=True),
                "length": number_format(len(body), force_grouping=True),
            },
            field="body",
        )
    return body


def _guest_details_clean(*, reader: Reader, draft: CommentDraft) -> tuple[str, str]:
    if reader.is_signed_in:
        return "", ""
    name = _text_storable(" ".join((draft.guest_name or "").split()), field="name")
    if not name:
        raise InvalidComment(_("Give a name to post as a guest."), field="name")
    if len(name) > conf.DISCUSSION_NAME_MAX_CHARS:
        raise InvalidComment(
            _("A name can be at most %(limit)s characters.")
            % {"limit": conf.DISCUSSION_NAME_MAX_CHARS},
            field="name",
        )
    email = _text_storable((draft.guest_email or "").strip(), field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidComment(_("That e-mail address is not valid."), field="email") from None
    elif draft.notify_replies or draft.subscribe:
        raise InvalidComment(_("Give an e-mail address to be told of replies."), field="email")
    if not reader.guest_key:
        raise InvalidComment(_("Your browser did not keep our cookie; please try again."))
    return name, email


def _parent_for_reply(
    *, parent: ReplyParent | None, thread: Thread | None, reader: Reader
) -> ReplyParent:
    """The comment replied to (``parent``, as ``selectors_posting.posting_place_get`` found
    the asked-for id) if a reply may answer it: in this thread (whose article the caller
    found live and public), and one the thread shows this reader
    (``selectors.comment_shown_in_thread``). The refusals name no text or author, only why."""
    from newsdesk.discussion import selectors  # selectors import this module

    if parent is None:
        raise NotFound(_("The comment you are replying to does not exist."), field="parent")
    # A comment the reader may not see is as missing as one that never was: no answer tells
    # a stranger that a held or rejected comment exists (a deleted one leaves a placeholder).
    hidden = parent.status != CommentStatus.DELETED and not selectors.comment_shown_in_thread(
        comment=parent, reader=reader
    )
    if hidden:
        raise NotFound(_("The comment you are replying to does not exist."), field="parent")
    if thread is None or parent.thread_id != thread.pk:
        raise InvalidComment(
            _("The comment you are replying to belongs to another article."), field="parent"
        )
    if parent.status == CommentStatus.DELETED:
        raise InvalidComment(_("You cannot reply to a deleted comment."), field="parent")
    return parent


def _notifications_enqueue(comment: Comment) -> None:
    from newsdesk.discussion.tasks import comment_notifications_send

    # With the comment's own transaction where the queue allows it: a web process killed
    # right after the commit lost the reply e-mails.
    task_enqueue_with_commit(comment_notifications_send, comment_id=comment.pk)


def comment_create(
    *,
    article: "ArticlePage",
    reader: Reader,
    draft: CommentDraft,
    created_at: datetime | None = None,
    source: str = "",
    source_id: str = "",
) -> Comment:
    """Post a comment (or a reply, with ``draft.parent_id``) under ``article``.

    ``created_at`` and ``source``/``source_id`` are for content the site loads itself (the
    demo): a past date, and a key that finds the comment again.

    The returned comment's ``status`` tells what the assessment decided (published, held or
    rejected). Raises ``DiscussionError`` (nothing written) for bad input, a closed thread,
    quiet hours (``quiet_hours.CommentsQuiet``, for everyone), a reader's post too soon after
    their last in a slow-mode thread (``slow_mode.SlowModeWait``, staff exempt), or a parent
    that is deleted, hidden or in another article.
    """
    body = _body_clean(draft.body)
    guest_name, guest_email = _guest_details_clean(reader=reader, draft=draft)
    # One read: the thread and, for a reply, the parent (selectors_posting).
    place = posting_place_get(article_id=article.pk, parent_id=draft.parent_id)
    thread = place.thread
    if not thread_is_open(thread, article=article):
        raise NotAllowed(_("This discussion is closed to new comments."))
    if not source:  # the site's own content (``source``: the demo) is loaded at any hour
        quiet_hours_check(article=article)
    parent = None
    if draft.parent_id is not None:
        parent = _parent_for_reply(parent=place.parent, thread=thread, reader=reader)
    processed = None
    if draft.image is not None:
        try:
            processed = image_process(draft.image)
        except ImageRejected as error:
            raise InvalidComment(str(error), field="image") from None

    author_name = (
        (reader.user.get_short_name().strip() or reader.user.get_username())
        if reader.user
        else guest_name
    )
    assessment = comment_assess(
        candidate=CommentCandidate(
            body=body,
            thread_key=str(article.pk),
            author_name=author_name,
            author_email=reader.user.email if reader.user else guest_email,
            author_user_id=reader.user.pk if reader.user else None,
            ip_address=reader.ip_address,
            user_agent=reader.user_agent,
            parent_body=parent.body_source if parent else "",
            submitted_after=draft.submitted_after,
            honeypot=draft.honeypot,
            has_image=processed is not None,
            author_guest_key_hash="" if reader.user else reader.guest_hash,
        )
    )
    status = STATUS_OF_VERDICT[assessment.verdict]
    now = created_at or timezone.now()
    comment = Comment(
        parent_id=parent.id if parent else None,
        root_id=parent.root_key if parent else None,
        depth=min(parent.depth + 1, 32_000) if parent else 1,
        user=reader.user,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_key_hash="" if reader.user else reader.guest_hash,
        notify_replies=draft.notify_replies,
        body_source=body,
        body_digest=body_digest(body),
        body_html=markdown_to_html(body),
        status=status,
        is_shadowed=assessment.shadow,
        status_reason="; ".join(assessment.reasons)[:STATUS_REASON_MAX],
        created_at=now,
        ip_address=reader.ip_address or None,
        user_agent=reader.user_agent,
        source=source,
        source_id=source_id,
    )
    notify = comment.is_public
    if notify:
        comment.notified_at = now
    stored_files: list[str | None] = []
    # Last of the checks: a post refused by any other keeps the reader's turn. The site's own
    # content (``source``: the demo) is no reader's.
    claim = slow_mode_claim(thread=thread if not source else None, reader=reader)
    try:
        with transaction.atomic():
            comment.thread = thread or thread_get_or_create(article=article)
            if processed is not None:
                # image_process names both files (a ContentFile's name is optional in general).
                assert processed.image.name is not None
                assert processed.thumbnail.name is not None
                comment.image.save(processed.image.name, processed.image, save=False)
                comment.image_thumbnail.save(
                    processed.thumbnail.name, processed.thumbnail, save=False
                )
                stored_files = [comment.image.name, comment.image_thumbnail.name]
                comment.image_width, comment.image_height = processed.width, processed.height
            comment.save(force_insert=True)
            email = reader.user.email if reader.user else guest_email
            if draft.subscribe and email:
                Subscription.objects.get_or_create(
                    thread=comment.thread, email=email, defaults={"user": reader.user}
                )
            if (draft.notify_replies or draft.subscribe) and email:
                # Double opt-in: nothing goes to the address until its owner confirms it.
                email_confirmation_request(
                    comment=comment,
                    email=email,
                    user_id=reader.user.pk if reader.user else None,
                    ip_address=reader.ip_address,
                )
            # A task only when someone may be told: most comments are neither replies to a
            # reader who asked for e-mail nor in a thread with subscribers.
            if notify and ((parent is not None and parent.notify_replies) or place.has_subscribers):
                _notifications_enqueue(comment)
            comment_assessed_notify(comment=comment, assessment=assessment)
    except Exception:
        claim.release()
        for name in stored_files:
            if name is not None:  # FieldFile.save named both: for the type checker only
                comment.image.storage.delete(name)
        raise
    return comment


# --- unsubscribing --------------------------------------------------------------------------
def reply_unsubscribe_token(*, comment: Comment) -> str:
    """The signed token of the "stop e-mailing me replies to this comment" link."""
    return signing.dumps({"reply": comment.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_cancel(*, token: str) -> str:
    """Stop the e-mails a one-click unsubscribe link names; return what was stopped.

    The token is a thread subscription's own token, or a signed reply-notification token.
    A thread link is spent once used; a reply link can be used again.
    """
    subscription = Subscription.objects.select_related("thread").filter(token=token).first()
    if subscription is not None:
        title = str(subscription.thread)
        subscription.delete()
        return _("You will no longer get e-mails about new comments on “%(title)s”.") % {
            "title": title
        }
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise NotFound(_("This unsubscribe link is not valid.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("reply"), int):
        raise NotFound(_("This unsubscribe link is not valid."))
    Comment.objects.filter(pk=payload["reply"]).update(notify_replies=False)
    return _("You will no longer get e-mails about replies to that comment.")
