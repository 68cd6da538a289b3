"""``{% ask_donor_status as status %}``: the signed-in reader's donor status for the support
ask's personal region (``funding/ask_status.html``), which the page cache draws with only
``request`` and ``user`` in the context."""

from django import template

from newsdesk.funding.selectors_ask import NONE, reader_donor_status_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def ask_donor_status(context) -> str:
    """``"current"``, ``"lapsed"`` or ``"none"`` (always ``"none"`` for a guest, at no
    query: a guest's status is what their own browser recorded after a gift). Kept in the
    cache for a while and computed again at sign-in, so the page cache's fill of a signed-in
    reader's page costs no query more (``selectors_ask.reader_donor_status_cached``)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return NONE
    return reader_donor_status_cached(user_id=user.pk)
