"""List the partner feeds with their status."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsdesk.syndication.selectors import sources_for_admin


class Command(BaseCommand):
    help = "List partner feeds: id, outlet, address, mode, last result, next poll, last error."

    def handle(self, *args, **options):
        sources = list(sources_for_admin())
        if not sources:
            self.stdout.write("No partner feeds yet (add one with syndication_add_source).")
            return
        for source in sources:
            state = "" if source.enabled else " [paused]"
            next_poll = timezone.localtime(source.next_poll_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"#{source.pk} {source}{state} <{source.feed_url}>\n"
                f"    {source.mode}, {source.content}, every {source.poll_interval_minutes} min, "
                f"section {source.section.title if source.section else '(none)'}\n"
                f"    last result: {source.status()}; next poll {next_poll}"
            )
            if source.partner_changes:
                self.stdout.write(f"    changed by the partner: {source.partner_changes} to review")
            if source.last_error:
                self.stdout.write(f"    last error: {source.error()}")
