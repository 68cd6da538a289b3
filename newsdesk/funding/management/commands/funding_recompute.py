"""Recompute every campaign total from the ledger and report drift (exit status 1 on drift).

``--fix`` also sets the stored totals to the ledger's sums (the ledger is the truth).
"""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.funding.services.ledger import campaign_totals_recompute


class Command(BaseCommand):
    help = "Check the stored campaign totals against the donations ledger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Set drifting totals to the ledger's sums."
        )

    def handle(self, *args, fix: bool, **options):
        drifts = campaign_totals_recompute(fix=fix)
        for drift in drifts:
            self.stdout.write(
                f"Drift in campaign {drift.campaign_id}, period from {drift.period_start}: "
                f"stored {drift.stored_raised} by {drift.stored_donors} donors, "
                f"ledger {drift.ledger_raised} by {drift.ledger_donors} donors"
                + (" (fixed)" if fix else "")
            )
        if drifts:
            raise CommandError(
                f"{len(drifts)} campaign total(s) differed from the ledger"
                + ("; they are fixed now." if fix else "."),
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Every campaign total matches the ledger."))
