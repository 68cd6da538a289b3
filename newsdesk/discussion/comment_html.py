"""The comment tree as HTML, built in Python: one call for a whole page of a thread.

A template include per comment cost about half a millisecond each (context pushes, variable
lookups, ``{% url %}`` and ``{% csrf_token %}`` per comment); a page of a long thread shows
hundreds. This renderer writes the same markup (classes, ids, data attributes, forms,
labels) from pieces that are escaped here, once: URLs are reversed once per page and the pk
put in their place, the CSRF input is built once (the page cache then marks it like any
``{% csrf_token %}``), dates are formatted as the ``date`` filter does.

``tests/test_comment_html.py`` holds the markup the discussion script and the other apps'
tests rely on.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as date_formatted
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, is_naive
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.commenters import comment_commenter_key
from newsdesk.discussion.selectors import CommentNode

_PK = 2_147_483_647  # stands for the comment's pk in URLs reversed once per page
_URL_NAMES = ("permalink", "vote", "reply", "edit", "delete")


def csrf_input(csrf_token) -> str:
    """What ``{% csrf_token %}`` writes for this token (nothing without one)."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 (Django's marker)
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'


def _url_parts() -> dict[str, tuple[str, str]]:
    parts = {}
    for name in _URL_NAMES:
        before, after = reverse(f"discussion:{name}", args=[_PK]).split(str(_PK))
        parts[name] = (escape(before), escape(after))
    return parts


def _marks(node: CommentNode) -> str:
    """The editors' pick and Q&A marks of a comment's header."""
    marks = ""
    if node.is_pick:
        text = _("Editors’ pick · picked by %(name)s") % {"name": node.picked_by}  # noqa: RUF001
        marks += (
            '<span class="comment__mark comment__mark--pick" data-role="pick">'
            f"{escape(text)}</span>"
        )
    if node.answered:
        marks += (
            '<span class="comment__mark comment__mark--answered" data-role="answered">'
            f"{escape(pgettext('a question', 'Answered'))}</span>"
        )
    if node.is_answer:
        text = _("Answer from %(name)s, staff") % {"name": node.comment.author_name}
        marks += (
            '<span class="comment__mark comment__mark--answer" data-role="answer">'
            f"{escape(text)}</span>"
        )
    return marks


def _words() -> dict[str, str]:
    """The renderer's fixed words in the active language, escaped, once per page."""
    words = {
        "deleted": _("This comment was deleted."),
        "removed": _("This comment was removed."),
        "supporter": pgettext("a reader who gives", "Supporter"),
        "supporter_title": _("Gives to the newsroom"),
        "edited": pgettext("a comment", "edited"),
        "pinned": pgettext("a comment", "pinned"),
        "pending": _("awaiting moderation"),
        "reply": pgettext("a comment", "Reply"),
        "edit": pgettext("a comment", "Edit"),
        "delete": pgettext("a comment", "Delete"),
        "permalink": _("Link to this comment"),
        "vote_up": _("Vote up"),
        "vote_down": _("Vote down"),
    }
    return {key: escape(value) for key, value in words.items()}


class _Renderer:
    def __init__(self, *, thread_open: bool, csrf_token):
        self.thread_open = thread_open
        self.csrf = csrf_input(csrf_token)
        self.urls = _url_parts()
        self.actions = hooks.get_hooks(newsdesk_hooks.COMMENT_ACTIONS)
        # As the ``date`` filter: local time, the active language's short format.
        self.timezone = get_current_timezone() if settings.USE_TZ else None
        self.date_format = get_format("SHORT_DATETIME_FORMAT")
        self.words = _words()

    def local(self, value: datetime) -> datetime:
        if self.timezone is None or is_naive(value):
            return value
        return value.astimezone(self.timezone)

    def date_shown(self, value: datetime) -> str:
        """``value|date:"SHORT_DATETIME_FORMAT"``, in local time."""
        return date_formatted(value, self.date_format)

    def url(self, name: str, pk: int) -> str:
        before, after = self.urls[name]
        return f"{before}{pk}{after}"

    def node(self, node: CommentNode, out: list[str]) -> None:
        c = node.comment
        pk = c.pk
        classes = "comment"
        if c.pinned:
            classes += " comment--pinned"
        if node.is_own:
            classes += " comment--own"
        # The author's mark for readers' ignore lists (``commenters.py``): accounts only.
        mark = comment_commenter_key(c) if node.shown else ""
        mark = f' data-commenter="{mark}"' if mark else ""
        # Staff controls (the page's script) read whether it is a pick or an answer here.
        if node.is_pick:
            classes += " comment--pick"
            mark += ' data-picked="1"'
        if node.is_answer:
            classes += " comment--answer"
            mark += ' data-answer="1"'
        out.append(
            f'<li class="{classes}" id="c{pk}" data-comment-id="{pk}" data-depth="{c.depth}"'
            f"{mark}>\n"
        )
        if node.shown:
            self.item(node, out)
        else:
            gone = self.words["deleted" if node.placeholder == "deleted" else "removed"]
            out.append(f'\n  <p class="comment__placeholder">{gone}</p>\n')
        out.append('\n  <ol class="comments comments--replies" data-role="replies">')
        for reply in node.replies:
            self.node(reply, out)
        out.append("</ol>\n</li>\n")

    def item(self, node: CommentNode, out: list[str]) -> None:
        c = node.comment
        pk = c.pk
        author = conditional_escape(c.author_name)
        words = self.words
        member = " comment__author--member" if c.user_id else ""
        # The thread's query says it (``services/badge.py``); a word, not only a colour.
        supporter = (
            '<span class="comment__supporter" data-role="supporter" '
            f'title="{words["supporter_title"]}">{words["supporter"]}</span>'
            if getattr(c, "author_supporter", False)
            else ""
        )
        reply_to = (
            '<span class="comment__reply-to">'
            f"{escape(_('in reply to %(name)s') % {'name': node.in_reply_to})}</span>"
            if node.in_reply_to
            else ""
        )
        created = self.local(c.created_at)
        edited = ""
        if c.edited_at:
            edited_on = self.date_shown(self.local(c.edited_at))
            title = escape(_("Edited %(date)s") % {"date": edited_on})
            edited = f'<span class="comment__edited" title="{title}">{words["edited"]}</span>'
        badge = f'<span class="comment__badge">{words["pinned"]}</span>' if c.pinned else ""
        badge += _marks(node)
        pending = (
            f'<span class="comment__pending" data-role="pending">{words["pending"]}</span>'
            if node.awaiting_moderation
            else ""
        )
        # Why it waits is told to its author alone, in plain words, by moderation's
        # COMMENT_ACTIONS listener (with the way to appeal), not here a second time.
        picture = ""
        if c.image:
            full = escape(c.image.url)
            shown = escape(c.image_thumbnail.url) if c.image_thumbnail else full
            picture = (
                f'<figure class="comment__picture"><a href="{full}"><img src="{shown}" '
                f'alt="{escape(_("Picture posted by %(name)s") % {"name": c.author_name})}" '
                'loading="lazy"></a></figure>'
            )
        vote = node.viewer_vote
        locked = " disabled" if vote or node.is_own else ""
        up = (' aria-pressed="true"' if vote == 1 else "") + locked
        down = (' aria-pressed="true"' if vote == -1 else "") + locked
        reply = (
            f'<a class="comment__action" href="{self.url("reply", pk)}" data-js="reply" '
            f'data-parent="{pk}" data-author="{author}">{words["reply"]}</a>'
            if self.thread_open
            else ""
        )
        edit = (
            f'<a class="comment__action" href="{self.url("edit", pk)}" data-js="edit">'
            f"{words['edit']}</a>"
            if node.can_edit
            else ""
        )
        delete = (
            # A GET: the page it opens asks first (the page's script asks in place).
            f'<form class="comment__delete" method="get" action="{self.url("delete", pk)}">'
            f'<button type="submit" class="comment__action">{words["delete"]}</button></form>'
            if node.can_delete
            else ""
        )
        out.append(
            '\n  <article class="comment__item">\n'
            '    <header class="comment__meta">\n'
            f'      <span class="comment__author{member}">{author}</span>{supporter}\n'
            f"      {reply_to}\n"
            f'      <a class="comment__permalink" href="{self.url("permalink", pk)}" '
            f'title="{words["permalink"]}"><time datetime="{created.isoformat()}">'
            f"{self.date_shown(created)}</time></a>\n"
            f"      {edited}\n"
            f"      {badge}\n"
            f"      {pending}\n"
            "    </header>\n"
            f'    <div class="comment__body" data-role="body">{c.body_html}</div>\n'
            f"    {picture}\n"
            '    <footer class="comment__actions">\n'
            f'      <form class="comment__vote" method="post" action="{self.url("vote", pk)}" '
            f'data-js="vote">{self.csrf}\n'
            '        <button type="submit" name="value" value="up" '
            f'aria-label="{words["vote_up"]}"{up}>'
            f'▲ <span data-role="upvotes">{c.upvotes}</span></button>\n'
            '        <button type="submit" name="value" value="down" '
            f'aria-label="{words["vote_down"]}"{down}>'
            f'▼ <span data-role="downvotes">{c.downvotes}</span></button>\n'
            "      </form>\n"
            f"      {reply}\n"
            f"      {edit}\n"
            f"      {delete}\n"
            f"      {self.comment_actions(node)}\n"
            "    </footer>\n"
            "  </article>\n"
        )

    def comment_actions(self, node: CommentNode) -> str:
        # Other apps' hooks return format_html pieces; plain strings are escaped.
        parts = (conditional_escape(hook(node)) for hook in self.actions)
        return "".join(str(part) for part in parts if part)


def comment_tree_html(*, nodes: list[CommentNode], thread_open: bool, csrf_token) -> SafeString:
    """The ``<li>`` of each node, its replies nested in it, and a final newline.

    ``csrf_token`` is the page's token (``get_token(request)``, or the template context's
    ``csrf_token``); without one the forms carry no token, as ``{% csrf_token %}`` does.
    """
    renderer = _Renderer(thread_open=thread_open, csrf_token=csrf_token)
    out: list[str] = []
    for node in nodes:
        renderer.node(node, out)
    out.append("\n")
    return mark_safe("".join(out))


def comment_html(*, node: CommentNode, thread_open: bool, csrf_token) -> SafeString:
    """One comment's ``<li>`` with its replies (what the script inserts after a post)."""
    out: list[str] = []
    _Renderer(thread_open=thread_open, csrf_token=csrf_token).node(node, out)
    return mark_safe("".join(out))
