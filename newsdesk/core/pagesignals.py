"""One way to hear that the set of live, public pages may have changed.

Apps that keep a per-process copy of something read from the page tree (which articles are
live, the footer's links) must hear of every change that alters it: a page published,
unpublished, moved or deleted, or a view restriction added or removed. Wagtail and Django
signal each separately; ``pages_changed_connect`` connects a receiver to all of them, once.
"""

from collections.abc import Callable


def pages_changed_connect(receiver: Callable[..., None], *, uid: str) -> None:
    """Call ``receiver(**signal_kwargs)`` on any change to which pages are live and public.
    ``uid`` names the receiver (Django's ``dispatch_uid``), so connecting twice is harmless."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(receiver, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(receiver, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(receiver, dispatch_uid=f"{uid}.moved")
    post_delete.connect(receiver, sender=Page, dispatch_uid=f"{uid}.deleted")
    post_save.connect(receiver, sender=PageViewRestriction, dispatch_uid=f"{uid}.restricted")
    post_delete.connect(receiver, sender=PageViewRestriction, dispatch_uid=f"{uid}.unrestricted")
