"""Readers' votes: +1 or -1 on a published comment, once per reader, counted once per network.

A guest token or a cookie costs a script nothing to replace, so a vote counts in the
comment's tallies (and so in the "best" order) only if it is the first from the reader's
network (IPv4 /24, IPv6 /64; ``discussion/networks.py``). A later reader of the same network
has their vote stored (it is theirs: shown pressed, not repeatable) but not counted.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import AlreadyDone, InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import Comment, Vote
from newsdesk.discussion.networks import network_key
from newsdesk.discussion.pipeline import reader_refusal
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services.edits import comment_for_change


def _vote_insert(
    *, comment: Comment, reader: Reader, value: int, network: str, counted: bool
) -> None:
    """Insert the vote in a savepoint (IntegrityError when a unique constraint refuses it)."""
    with transaction.atomic():
        Vote.objects.create(
            comment=comment,
            voter_key=reader.voter_key,
            user=reader.user,
            value=value,
            network_key=network,
            counted=counted,
        )


def _vote_store(*, comment: Comment, reader: Reader, value: int, network: str) -> bool:
    """Store the reader's vote; return whether it is counted (the first of its network).

    Two readers of one network voting at once: the partial unique constraint lets one be
    counted, and the other's vote is stored uncounted.
    """
    counted = not (
        network and Vote.objects.filter(comment=comment, network_key=network, counted=True).exists()
    )
    try:
        _vote_insert(comment=comment, reader=reader, value=value, network=network, counted=counted)
        return counted
    except IntegrityError:
        if not counted:  # only the one-vote-per-reader constraint applies
            raise AlreadyDone(_("You have already voted on this comment.")) from None
    # Refused as counted: another reader of the network was counted between the check and
    # the insert (stored uncounted now), or this reader voted already (refused again).
    try:
        _vote_insert(comment=comment, reader=reader, value=value, network=network, counted=False)
    except IntegrityError:
        raise AlreadyDone(_("You have already voted on this comment.")) from None
    return False


def comment_vote(*, comment_id: int, reader: Reader, value: int) -> Comment:
    """Record the reader's one vote (+1 or -1) on a published comment; a second is refused.

    The vote counts in the comment's tallies (and so in the "best" order) only if it is the
    first from the reader's network (IPv4 /24, IPv6 /64; ``networks.py``): rotating guest
    tokens, cookies or addresses within one network adds nothing. A later reader of that
    network has their vote stored (it is theirs, shown pressed) but not counted. A reader
    with no known address (content the site loads itself) counts per reader.
    """
    if value not in (1, -1):
        raise InvalidComment(_("A vote is up (+1) or down (-1)."), field="value")
    comment = comment_for_change(comment_id, reader=reader)
    if not comment.is_public:  # moderators see held comments; nobody votes on them
        raise NotFound(_("That comment does not exist."))
    if comment.thread.is_locked:
        raise NotAllowed(_("This discussion is locked."))
    if reader.wrote(comment):
        raise NotAllowed(_("You cannot vote on your own comment."))
    if not reader.voter_key:
        raise InvalidComment(_("Your browser did not keep our cookie; please try again."))
    refusal = reader_refusal(reader=reader)  # a banned reader (moderation's bans)
    if refusal:
        raise NotAllowed(refusal)
    with transaction.atomic():
        counted = _vote_store(
            comment=comment, reader=reader, value=value, network=network_key(reader.ip_address)
        )
        if counted:
            Comment.objects.filter(pk=comment.pk).update(
                upvotes=F("upvotes") + (1 if value > 0 else 0),
                downvotes=F("downvotes") + (1 if value < 0 else 0),
                score=F("score") + value,
            )
            article_discussion_changed(article_ids=[comment.thread.article_id])
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    return comment
