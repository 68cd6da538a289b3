"""Reader revenue: campaigns, donations, the append-only ledger."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "newsdesk.funding"
    label = "funding"
    verbose_name = "Funding"

    def ready(self):
        from newsdesk.funding import checks  # noqa: F401 (registers the system checks)
