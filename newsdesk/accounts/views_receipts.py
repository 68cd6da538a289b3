"""A donor's receipts as PDF: one per gift, and a statement per year for tax purposes.

Signed-in readers only, and only gifts given from one of the reader's *verified* addresses
(``selectors.user_verified_emails``): anything else, another reader's gift or one given from
an address merely typed into the account, is a 404, the same as a gift that does not exist,
so the URL tells nothing about other readers' gifts. Never cached: each file is one person's.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from newsdesk.accounts.selectors import user_verified_emails
from newsdesk.funding.receipts_pdf import receipt_pdf, statement_pdf
from newsdesk.funding.selectors_receipts import receipt_donation, statement_rows


def _pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_GET
def account_receipt(request, donation_id: int):
    emails = user_verified_emails(user=request.user)
    donation = receipt_donation(donation_id=donation_id, emails=emails)
    if donation is None:
        raise Http404("No such gift of yours.")
    return _pdf_response(receipt_pdf(donation=donation), filename=f"receipt-{donation.pk}.pdf")


@never_cache
@login_required
@require_GET
def account_statement(request, year: int):
    emails = user_verified_emails(user=request.user)
    # A year with nothing of the reader's has no statement: 404 as for a receipt.
    if not statement_rows(emails=emails, year=year).exists():
        raise Http404("No gifts of yours in that year.")
    return _pdf_response(
        statement_pdf(emails=emails, year=year), filename=f"gifts-{year}-statement.pdf"
    )
