"""``{% comment_tree nodes thread_open %}``: a page of the comment tree, in one call.

The markup is built by ``discussion/comment_html.py`` (a template include per comment was
the page's main cost); the CSRF token is the template context's, as ``{% csrf_token %}``'s.
"""

from django import template

from newsdesk.discussion.comment_html import comment_tree_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_tree(context, nodes, thread_open):
    return comment_tree_html(
        nodes=nodes, thread_open=thread_open, csrf_token=context.get("csrf_token")
    )
