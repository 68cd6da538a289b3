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
    "newsdesk.demo.moderation_activity",
    "newsdesk.demo.moderators_tools",
    "newsdesk.demo.quiet_hours",
    "newsdesk.demo.newsletters",  # the lists and a few sign-ups, after demo.controls (Ines)
    "newsdesk.demo.newsletter_issues",  # after demo.newsletters (the lists), if there
    "newsdesk.demo.newsletter_history",  # after the other newsletter parts
    "newsdesk.demo.reader_accounts",  # readers with accounts, guest gifts to claim
    "newsdesk.demo.giving",  # monthly gifts to manage (paused, card on file)
    "newsdesk.demo.receipts",  # gifts with fees covered, from articles
    "newsdesk.demo.donor_emails",  # the lifecycle e-mails' words, and some sent
    "newsdesk.demo.support_ask",  # the segmented ask's words and rules, the badge
    "newsdesk.demo.revenue",  # a year of gifts for the reader-revenue dashboard
    "newsdesk.demo.observe",
]


class Command(BaseCommand):
    help = "Load Newsdesk's demo content (safe to run again)."

    def handle(self, *args, **options):
        for name in DEMO_PARTS:
            import_module(name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
