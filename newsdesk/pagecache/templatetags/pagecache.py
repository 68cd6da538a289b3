"""``{% personal "template" %}...{% endpersonal %}``: a part of a page that depends on who reads.

Rendered as usual everywhere; while the page cache renders a page to share it, the part is
also wrapped in markers naming ``template``, so a signed-in reader served from the shared copy
gets ``template`` rendered for them (with ``request`` and ``user`` only) in its place, and an
anonymous reader gets the part as it rendered (``pagecache/fill.py``). The block's own
content must therefore render the same as ``template`` would for the reader it renders for,
which is easiest when it includes ``template`` in its signed-in branch.
"""

import re

from django import template
from django.utils.safestring import mark_safe

from newsdesk.pagecache import fill

register = template.Library()


class PersonalNode(template.Node):
    def __init__(self, template_name: str, nodelist):
        self.template_name = template_name
        self.nodelist = nodelist

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        request = context.get("request")
        if not getattr(request, "pagecache_rendering", False):
            return inner
        return mark_safe(fill.personal_open(self.template_name) + inner + fill.personal_close())


@register.tag
def personal(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('Usage: {% personal "template/name.html" %}')
    name = bits[1][1:-1]
    if not re.fullmatch(fill.TEMPLATE_NAME, name):
        raise template.TemplateSyntaxError(f"Not a template name: {name!r}")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(name, nodelist)
