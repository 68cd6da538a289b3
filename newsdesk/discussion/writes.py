"""What both ways of writing share: the JSON API (``api.py``, used by the page's script and
by other programs) and the forms for readers without JavaScript (``views.py``).

One place each for who is writing (a guest's key is made here and nowhere else), for the
rate limits of each action, and for the words a reader is told after posting, so the two
ways give the same answers to the same request.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from newsdesk.core.errors import RateLimited
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import (
    Reader,
    guest_cookie_set,
    guest_key_from_request,
    guest_key_new,
    reader_from_request,
)
from newsdesk.discussion.selectors import comment_held_reason
from newsdesk.discussion.services import STATUS_MESSAGES
from newsdesk.discussion.services.email_confirmations import email_confirmation_notice


@dataclass(frozen=True)
class Writer:
    """The reader making a write, and the guest key made for them by this request ("" when
    they had one, or are signed in): the answer hands it back (``guest_key_hand_over``)."""

    reader: Reader
    new_guest_key: str = ""


def writer_from_request(request: HttpRequest, *, create_guest: bool) -> Writer:
    """Who is writing. A guest without a key (no cookie, no ``X-Guest-Token``) gets a new
    one when ``create_guest`` (posting and voting: a guest's first write), so their later
    writes are known as theirs; edits and deletions need the key they already have."""
    guest_key = "" if request.user.is_authenticated else guest_key_from_request(request)
    new_key = ""
    if create_guest and not request.user.is_authenticated and not guest_key:
        new_key = guest_key = guest_key_new()
    return Writer(reader=reader_from_request(request, guest_key=guest_key), new_guest_key=new_key)


def guest_key_hand_over(response: HttpResponse, *, request: HttpRequest, writer: Writer) -> None:
    """Give a guest whose key this request made the signed cookie that carries it (a program
    on the API also gets it as ``guest_token`` in the answer and may send it as a header)."""
    if writer.new_guest_key:
        guest_cookie_set(response, request=request, guest_key=writer.new_guest_key)


# The limits are read from ``conf`` at each call (tests and settings may change them).
def _limits(action: str) -> tuple[RateLimit, RateLimit | None]:
    return {
        "comment-post": (conf.RATE_POST, conf.RATE_POST_USER),
        "comment-edit": (conf.RATE_EDIT, None),
        "comment-vote": (conf.RATE_VOTE, conf.RATE_VOTE_USER),
    }[action]


def rate_limit_check(request: HttpRequest, *, action: str) -> None:
    """Count this request against ``action``'s limits (``comment-post``, ``comment-edit``
    for edits and deletions, ``comment-vote``); raise ``RateLimited`` past them."""
    per_ip, per_user = _limits(action)
    if request_rate_limited(request, action=action, per_ip=per_ip, per_user=per_user):
        raise RateLimited()


def posted_message(*, comment: Comment, asked_for_email: bool) -> str:
    """What a reader is told after posting: the comment's fate (a held one: why, in the
    gate's words), and whether reply e-mails wait for their address to be confirmed."""
    message = str(STATUS_MESSAGES.get(comment.status, STATUS_MESSAGES["held"]))
    reason = comment_held_reason(comment=comment)
    if reason:
        message += " " + _("Why: %(reason)s.") % {"reason": reason}
    return message + email_confirmation_notice(comment=comment, asked=asked_for_email)
