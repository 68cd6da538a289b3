"""The discussion's data: a thread per article, its comments (a tree), votes, subscribers.

Each comment row stores its thread, parent, root (the top-level comment a reply hangs under;
empty for a top-level comment, which is a root) and depth (1 for top-level), so a page of a
thread of any size is loaded in two queries and its tree built in Python
(``selectors.thread_page_get``).
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Something shaped like an e-mail address inside a name: "ann@example.org", "Ann <a@b.c>".
_EMAIL_IN_NAME = re.compile(r"([^\s@<>()\"',;:]+)@[^\s@<>()\"',;:]+")


def public_name(name: str) -> str:
    """A name as the public sees it: any e-mail address in it is cut to the part before the
    @, so a username or guest name that is an address never shows the address."""
    return _EMAIL_IN_NAME.sub(r"\1", name)


def body_digest(text: str) -> str:
    """A short fingerprint of a comment's text (stripped), so that the same text posted
    again is found through an index instead of by comparing whole bodies."""
    return hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()[:32]


# Database ids are signed 64-bit integers; a larger number names nothing (and would overflow).
ID_MAX = 2**63 - 1


class Thread(models.Model):
    """The discussion under one article (or an imported one no article matched yet).

    ``is_closed`` stops new comments and replies; ``is_locked`` freezes the thread entirely
    (no comments, edits, deletions or votes). Threads also close by themselves
    ``DISCUSSION_AUTO_CLOSE_DAYS`` after the article was published (``services``).
    """

    article = models.OneToOneField(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_thread",
    )
    title = models.CharField(max_length=300, blank=True, help_text=_("For imported threads."))
    url = models.URLField(max_length=500, blank=True, help_text=_("Where an import found it."))
    is_closed = models.BooleanField(default=False, help_text=_("No new comments."))
    is_locked = models.BooleanField(default=False, help_text=_("No comments, edits or votes."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Where an imported thread came from ("disqus", "wordpress") and its id there.
    source = models.CharField(max_length=20, blank=True, default="")
    source_id = models.CharField(max_length=300, blank=True, default="")
    # Q&A mode: top-level comments are questions, and staff mark their replies as answers
    # (``services.questions``).
    qa_mode = models.BooleanField(
        default=False,
        verbose_name=_("Q&A mode"),
        help_text=_("Readers ask questions; the newsroom's answers are marked and shown first."),
    )
    # Slow mode: a reader (not staff) may post one comment or reply per this many seconds
    # in the thread; 0 is off (``services.slow_mode``).
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, help_text=_("One comment per reader per this many seconds; 0: off.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="unique_imported_thread",
            )
        ]

    def __str__(self) -> str:
        return self.title or (self.article.title if self.article_id else f"Thread {self.pk}")


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for moderation")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")
    DELETED = "deleted", _("Deleted")


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML (imported)")


# The decision's reasons as the comment keeps them (the first says what held it; the
# moderation log keeps every reason whole).
STATUS_REASON_MAX = 300


class Comment(models.Model):
    """A reader's comment, or a reply to one.

    The author is a signed-in user, or a guest with a name and an optional e-mail address
    (for reply notifications only: never shown publicly). ``body_source`` is what the reader
    wrote (kept for moderators); ``body_html`` is what readers see, rendered from a safe
    Markdown subset and sanitized with nh3. The public sees published comments that are not
    shadowed; an author also sees their own held or shadowed ones.
    """

    # Its own index although (thread, depth, status) begins with it: without table
    # statistics SQLite picks the (status, created_at) index for "published in this thread"
    # counts when this one is missing, and reads every published comment of the site.
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Empty for a top-level comment: its id is known only once it is written, and a root that
    # named itself cost every new comment a second write (see ``Comment.root_key``).
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=1)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=80, blank=True, default="")
    guest_email = models.EmailField(blank=True, default="")
    # SHA-256 of the guest's key (the key itself lives only in the guest's signed cookie).
    guest_key_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    notify_replies = models.BooleanField(
        default=False, help_text=_("E-mail the author when someone replies.")
    )

    body_source = models.TextField()
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField()
    # ``body_digest(body_source)``, set by the services that store a text.
    body_digest = models.CharField(max_length=32, blank=True, default="", editable=False)

    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    is_shadowed = models.BooleanField(default=False, help_text=_("Visible to its author only."))
    status_reason = models.CharField(max_length=STATUS_REASON_MAX, blank=True, default="")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(default=False)
    # An editors' pick (``services.picks``): shown as one only while the comment is public.
    picked_at = models.DateTimeField(null=True, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A staff reply marked as the answer to a question of a Q&A thread (``services.questions``).
    is_answer = models.BooleanField(default=False)

    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When reply and subscriber e-mails were queued.")
    )
    # Set by the worker as it takes the sending on (before sending): a task run twice (a
    # retry, a re-queued task) finds it set and sends nothing again.
    notifications_sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When reply and subscriber e-mails were sent.")
    )

    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    # Set when the retention duty cut ``ip_address`` to its network (IPv4 /24, IPv6 /48) and
    # emptied ``user_agent``: the exact address is kept only PRIVACY_IP_RETENTION_DAYS days.
    ip_truncated = models.BooleanField(default=False)

    image = models.ImageField(upload_to="comments/%Y/%m/", blank=True)
    image_thumbnail = models.ImageField(upload_to="comments/%Y/%m/", blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)

    source = models.CharField(max_length=20, blank=True, default="")
    source_id = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "depth", "status"]),
            models.Index(fields=["status", "created_at"]),
            # Moderation counts the identical texts posted lately on every post: a range of
            # recent rows, not a scan of the whole table.
            models.Index(fields=["created_at"], name="comment_by_age"),
            # ... and finds them by their fingerprint: one index range, whatever their length.
            models.Index(fields=["body_digest", "created_at"], name="comment_by_text"),
            # The retention duty's scan: only comments whose exact address is still kept.
            models.Index(
                fields=["created_at"],
                condition=Q(ip_truncated=False, ip_address__isnull=False),
                name="comment_exact_ip_by_age",
            ),
            # The sitewide page of recent picks, and a thread's picks tab: the picks only.
            models.Index(
                fields=["picked_at"],
                condition=Q(picked_at__isnull=False),
                name="comment_picks_by_time",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="unique_imported_comment",
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    @property
    def author_name(self) -> str:
        if self.user_id is not None:
            # The public name a reader gave at sign-up (kept as the first name), else the
            # account's neutral username.
            return public_name(self.user.get_short_name().strip() or self.user.get_username())
        return public_name(self.guest_name) or "Anonymous"

    @property
    def notification_email(self) -> str:
        if self.user_id is not None:
            return self.user.email
        return self.guest_email

    @property
    def is_public(self) -> bool:
        return self.status == CommentStatus.PUBLISHED and not self.is_shadowed

    @property
    def root_key(self) -> int | None:
        """The id of the top-level comment this one hangs under: its root's, or its own."""
        return self.root_id if self.root_id is not None else self.pk


class Vote(models.Model):
    """One reader's vote on one comment: +1 or -1, once.

    ``voter_key`` names the reader: ``user:<id>`` or ``guest:<key hash>``. ``network_key``
    is the fingerprint of the voter's network (``networks.network_key``; empty when the
    address is unknown). Only one vote per comment and network is ``counted`` in the
    comment's tallies: a guest token or a cookie costs nothing to replace, a network does.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    value = models.SmallIntegerField(choices=[(1, _("up")), (-1, _("down"))])
    created_at = models.DateTimeField(auto_now_add=True)
    network_key = models.CharField(max_length=32, blank=True, default="")
    counted = models.BooleanField(
        default=True, help_text=_("False for a vote from a network that already voted.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter_key"], name="one_vote_per_reader"),
            models.UniqueConstraint(
                fields=["comment", "network_key"],
                condition=Q(counted=True) & ~Q(network_key=""),
                name="one_counted_vote_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on comment {self.comment_id}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """Someone who gets an e-mail for every new published comment of a thread.

    ``token`` is the secret of the one-click unsubscribe link in those e-mails.
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "email"], name="one_subscription_per_email")
        ]

    def __str__(self) -> str:
        return f"Subscription to thread {self.thread_id}"


class EmailConfirmation(models.Model):
    """An e-mail address that asked for discussion e-mails, and whether its owner confirmed.

    Double opt-in: reply and thread e-mails go to an address only once it is confirmed here
    (the link of one confirmation e-mail) or is a verified address of the reader's account.
    The address itself is not kept: only the SHA-256 of its normalised form
    (``services.email_confirmations.address_hash``), so a guest who deletes their comment
    still takes their address with it.
    """

    address_hash = models.CharField(max_length=64, unique=True)
    # When a confirmation e-mail was last asked for (one per address while its link is
    # valid) and when the worker took it on (once per request, whatever retries happen).
    requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "unconfirmed"
        return f"E-mail address {self.address_hash[:12]}… ({state})"


# --- readers' own controls (services/reader_controls.py, digests.py) -----------------------
class NotificationFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail each")
    HOURLY = "hourly", _("Once an hour, in one e-mail")
    DAILY = "daily", _("Once a day, in one e-mail")


class ReaderSettings(models.Model):
    """A signed-in reader's discussion settings: how often reply and followed-thread e-mails
    come. A reader without a row gets them immediately (as guests always do)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_settings"
    )
    frequency = models.CharField(
        max_length=10,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    # "Supporter" beside their comments when they give (funding's ``READER_SUPPORTER``): the
    # reader's choice, off until they turn it on (``services/badge.py``).
    show_supporter_badge = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Discussion settings of user {self.user_id}"


class IgnoredCommenter(models.Model):
    """An account whose comments collapse for ``reader``. ``name`` is the public name the
    commenter had when ignored (for the reader's list). Guests cannot be ignored: telling a
    guest's comments apart would mean publishing a stable mark of their browser."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ignored_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "ignored_user"], name="ignore_an_account_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} ignores {self.name}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Reply to your comment")
    THREAD = "thread", _("New comment in a followed discussion")


class Digest(models.Model):
    """One digest e-mail: a reader's pending notifications of one period, gathered once.

    The notifications are tied to it in one transaction (``DigestItem.digest``) before
    anything is sent, so each lands in exactly one digest; ``sent_at`` is set once the mail
    server took it, so a run after a finished one sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=NotificationFrequency.choices)
    period_end = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period_end"], name="one_digest_per_period")
        ]
        indexes = [
            models.Index(fields=["sent_at", "created_at"], name="digest_unsent"),
        ]

    def __str__(self) -> str:
        return f"Digest for user {self.user_id} until {self.period_end:%Y-%m-%d %H:%M}"


class DigestItem(models.Model):
    """A notification waiting for its reader's next digest (hourly or daily readers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    created_at = models.DateTimeField()
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="one_digest_item_per_comment")
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(digest__isnull=True), name="digest_item_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of comment {self.comment_id} for user {self.user_id}"


# The quiet hours live in their own module (this one is long enough); imported here so that
# Django finds the model.
from newsdesk.discussion.models_schedule import QuietHours  # noqa: E402, F401
