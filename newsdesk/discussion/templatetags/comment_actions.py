"""``{% comment_actions node %}``: actions other apps add under each comment.

Discussion does not know moderation (moderation depends on it, not the reverse). An app adds
a link or small form under every comment by registering a Wagtail hook::

    @hooks.register(newsdesk_hooks.COMMENT_ACTIONS)
    def report_link(node) -> str: ...

``node`` is the comment's tree node (``node.comment``, ``node.is_own`` ...). The HTML it
returns must be built safely (format_html); plain strings are escaped.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks

register = template.Library()


@register.simple_tag
def comment_actions(node):
    parts = [
        conditional_escape(renderer(node))
        for renderer in hooks.get_hooks(newsdesk_hooks.COMMENT_ACTIONS)
    ]
    return mark_safe("".join(str(p) for p in parts if p))
