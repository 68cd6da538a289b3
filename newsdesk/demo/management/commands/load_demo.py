"""Load the demo content: sections, articles, the lead story's thread, a campaign.

Idempotent: each part checks what exists and adds only what is missing, so ``make demo``
can run it every time it starts.
"""

from importlib import import_module

from django.core.management.base import BaseCommand

# In dependency order: the thread and the campaign need the articles.
DEMO_PARTS = [
    "newsdesk.demo.site",
    "newsdesk.demo.articles",
    "newsdesk.demo.pages",
    "newsdesk.demo.funding",
    "newsdesk.demo.discussion",
    "newsdesk.demo.live",
    "newsdesk.demo.picks",
    "newsdesk.demo.controls",
    "newsdesk.demo.appeals",
    "newsdesk.demo.observe",
]


class Command(BaseCommand):
    help = "Load Newsdesk's demo content (safe to run again)."

    def handle(self, *args, **options):
        for name in DEMO_PARTS:
            import_module(name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
