"""The supporter badge (issue 20, item 5): "Supporter" beside the comments of a reader who
gives, when they chose to show it (off by default, ``ReaderSettings.show_supporter_badge``).

Whether a reader gives is funding's answer, asked through the ``READER_SUPPORTER`` hook
(a gift standing in the ledger from one of the account's *verified* addresses), folded into
the thread's own queries as one annotation (``supporter_badge_annotate``): no query per
comment, and discussion reads no funding row.
"""

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import NotAllowed
from newsdesk.discussion.models import Comment, ReaderSettings
from newsdesk.discussion.readers import Reader

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The annotation ``supporter_badge_annotate`` adds, which the comment tree reads.
SUPPORTER_FLAG = "author_supporter"


def supporter_badge_get(*, user: "User") -> bool:
    """Whether the account chose to show the badge (False without settings). One query."""
    shown = ReaderSettings.objects.filter(user=user).values_list("show_supporter_badge", flat=True)
    return bool(shown.first())


def supporter_badge_set(*, reader: Reader, show: bool) -> bool:
    """Show (or hide) "Supporter" beside the signed-in reader's comments; returns ``show``.

    A guest is ``NotAllowed`` (nothing written): a guest's gifts and comments are not tied
    to an account, so nothing could prove the badge theirs. A change outdates the cached
    pages of every discussion where the reader commented, in the same transaction.
    """
    user = reader.user
    if user is None:
        raise NotAllowed(_("Sign in to choose whether your comments show that you give."))
    show = bool(show)
    with transaction.atomic():
        settings, created = ReaderSettings.objects.get_or_create(
            user=user, defaults={"show_supporter_badge": show}
        )
        if not created and settings.show_supporter_badge == show:
            return show
        if not created:
            settings.show_supporter_badge = show
            settings.save(update_fields=["show_supporter_badge", "updated_at"])
        article_ids = (
            Comment.objects.filter(user=user)
            .order_by()
            .values_list("thread__article_id", flat=True)
            .distinct()
        )
        article_discussion_changed(article_ids=list(article_ids))
    return show


def supporter_badge_annotate(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """``comments`` with ``author_supporter``: True when the comment's account chose the
    badge AND one of its verified addresses gave (every ``READER_SUPPORTER`` hook asked,
    inside this query). Guests' comments are False. Adds no query."""
    givers = hooks.get_hooks(newsdesk_hooks.READER_SUPPORTER)
    if not givers:
        return comments.annotate(**{SUPPORTER_FLAG: Value(False, output_field=BooleanField())})
    from allauth.account.models import EmailAddress  # the accounts' addresses, allauth's

    gave = reduce(or_, (giver(email=Lower(OuterRef("email"))) for giver in givers))
    verified_gave = EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True).filter(gave)
    # One question about the comment's account, found by its primary key: it opted in (its
    # settings row, joined) and one of its verified addresses gave (asked inside).
    author = (
        get_user_model()
        .objects.filter(pk=OuterRef("user_id"), discussion_settings__show_supporter_badge=True)
        .filter(Exists(verified_gave))
    )
    return comments.annotate(**{SUPPORTER_FLAG: Exists(author)})
