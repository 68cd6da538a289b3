"""``{% slot "name" %}``: render what other apps registered for a named place in a page."""

from django import template

from newsdesk.web.slots import slot_render

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str):
    return slot_render(name=name, context=context)
