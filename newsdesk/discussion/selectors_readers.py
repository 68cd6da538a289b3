"""Reads of the discussion for other apps: who takes part in a part of the site.

The newsletters' "followers of a section" segment folds this condition into its recipient
query: no reader follows a section as such, so a follower is a reader who followed a thread,
or commented, under one of the section's articles lately.
"""

from datetime import datetime

from django.db.models import Exists, Expression, Q

from newsdesk.discussion.models import Comment, CommentStatus, Subscription


def section_participant_exists(
    *, user_id: Expression, email: Expression, section_path: str, since: datetime
) -> Q:
    """True (as a SQL condition for another query) when the reader named by ``user_id``
    (an account, may be NULL) or ``email`` (a guest's address) followed a thread or
    published a comment since ``since`` under an article below the page tree path
    ``section_path`` (a section page's ``path``)."""
    under = {"thread__article__path__startswith": section_path}
    comments = Comment.objects.filter(
        **under, status=CommentStatus.PUBLISHED, created_at__gte=since
    )
    follows = Subscription.objects.filter(**under, created_at__gte=since)
    return (
        Q(Exists(comments.filter(user_id=user_id)))
        | Q(Exists(comments.filter(user__isnull=True, guest_email=email)))
        | Q(Exists(follows.filter(user_id=user_id)))
        | Q(Exists(follows.filter(email=email)))
    )
