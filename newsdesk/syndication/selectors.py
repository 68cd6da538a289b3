"""Reads of the syndication app: the admin's listings and what the article editor is told."""

from django.db.models import Count, Q, QuerySet

from newsdesk.syndication.models import Entry, Source


def sources_for_admin() -> QuerySet:
    """Sources with their outlet and section, and how many stories the partner changed after
    an editor did (``partner_changes``), in one query."""
    return Source.objects.select_related("outlet", "section").annotate(
        partner_changes=Count("entries", filter=Q(entries__partner_changed_at__isnull=False))
    )


def entry_partner_change_get(*, article_id: int) -> Entry | None:
    """The entry of an article whose partner changed the story since it was last applied."""
    return (
        Entry.objects.select_related("source__outlet")
        .filter(article_id=article_id, partner_changed_at__isnull=False)
        .first()
    )
