"""What editors do in Wagtail outdates the cached pages that show it.

An article published, unpublished, moved or deleted changes its own page and the listings
(front, sections, tags, authors, feeds, sitemaps); any other page (the home page, a section)
may change the navigation of every page, so it outdates the whole site's pages, as does a
saved Wagtail setting (site identity, a call to action...). Which pages are articles is
registered by their app (``registry.is_listed_page``). Each waits for the processes' copies
(``tags.pages_invalidate``'s ``settle``). Connected in ``PageCacheConfig.ready``
so that every process (web, worker, commands) invalidates.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsdesk.pagecache.registry import is_listed_page
from newsdesk.pagecache.tags import LISTINGS_TAG, SITE_TAG, page_tag, pages_invalidate


def page_change_tags(page, *extra_parent_ids: int | None) -> list[str]:
    if not is_listed_page(page.specific_deferred):
        return [SITE_TAG]
    tags = [page_tag(page.pk), LISTINGS_TAG]
    tags.extend(page_tag(pk) for pk in extra_parent_ids if pk)
    return tags


def _published(sender, instance, **kwargs) -> None:
    pages_invalidate(tags=page_change_tags(instance), settle=True)


def _moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs) -> None:
    pages_invalidate(
        tags=page_change_tags(
            instance,
            getattr(parent_page_before, "pk", None),
            getattr(parent_page_after, "pk", None),
        ),
        settle=True,
    )


def _setting_saved(sender, created: bool = False, **kwargs) -> None:
    # A settings row is created holding its defaults the first time a page reads it: the
    # page already showed those.
    if not created:
        pages_invalidate(tags=[SITE_TAG], settle=True)


def connect() -> None:
    for model in apps.get_models():
        if issubclass(model, (BaseGenericSetting, BaseSiteSetting)):
            uid = f"newsdesk.pagecache.setting.{model._meta.label_lower}"
            post_save.connect(_setting_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(_setting_saved, sender=model, dispatch_uid=uid + ".delete")
    page_published.connect(_published, dispatch_uid="newsdesk.pagecache.published")
    page_unpublished.connect(_published, dispatch_uid="newsdesk.pagecache.unpublished")
    post_page_move.connect(_moved, dispatch_uid="newsdesk.pagecache.moved")
