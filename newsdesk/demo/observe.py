"""Health, metrics and logs in the demo (issue 25, item 3).

Nothing to store: the demo's own comments, verdicts, gifts and the receipts and e-mails sent
while it loads are what ``/metrics`` shows. This part runs the readiness checks ``/readyz``
runs and says where to look, so ``make demo`` shows them working. Idempotent: it only reads.
"""

from newsdesk.core.health import readiness
from newsdesk.core.siteurl import site_url


def load(*, stdout) -> None:
    checks = readiness()
    summary = ", ".join(f"{c.name} {'ok' if c.ok else 'DOWN: ' + c.detail}" for c in checks)
    address = site_url()
    stdout.write(f"Readiness: {summary}.")
    stdout.write(
        f"Health and metrics: {address}/healthz, {address}/readyz, and {address}/metrics "
        "(from this machine only; LOG_FORMAT=json for JSON log lines)."
    )
