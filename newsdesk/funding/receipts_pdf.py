"""Receipts as PDF (fpdf2): one gift's receipt, and a donor's statement of a year.

Text is set in DejaVu Sans when the machine has it (every name and currency sign prints), else
in the PDF core font Helvetica, which knows only Latin-1: then each character it lacks is
spelled with the nearest Latin letters (``Œ`` → ``OE``, ``Ł`` → ``L``) or ``?``, so a donor's
name never stops a receipt. Amounts are written by ``money.money_format``, in the site's
language, always with their cents.
"""

import unicodedata
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from newsdesk.core.siteurl import site_name
from newsdesk.funding import conf
from newsdesk.funding.models import Donation
from newsdesk.funding.money import money_format
from newsdesk.funding.selectors_receipts import receipt_parts, statement_for

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
FONT = "receipt"
# Letters NFKD does not take apart into Latin-1 ones.
SPELLED = {"Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l", "Ø": "O", "ß": "ss", "€": "EUR"}
SPACES = {"\u00a0", "\u202f", "\u2009", "\u2007"}
KIND_LABELS: dict[str, str] = {
    Donation.Kind.PAYMENT: gettext_lazy("Gift"),
    Donation.Kind.FEE_COVER: gettext_lazy("Card fees you covered"),
    Donation.Kind.REFUND: gettext_lazy("Refunded to you"),
    Donation.Kind.DISPUTE: gettext_lazy("Withdrawn by a dispute"),
    Donation.Kind.DISPUTE_REVERSAL: gettext_lazy("Dispute won: returned"),
}


def _dejavu() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _latin1(text: str) -> str:
    """``text`` in the characters Helvetica has: spelled out, else ``?``."""
    out = []
    for char in text:
        if char in SPACES:
            out.append(" ")
            continue
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            spelled = SPELLED.get(char)
            if spelled is None:
                base = unicodedata.normalize("NFKD", char)
                spelled = "".join(c for c in base if not unicodedata.combining(c))
                try:
                    spelled.encode("latin-1")
                except UnicodeEncodeError:
                    spelled = "?"
            out.append(spelled or "?")
        else:
            out.append(char)
    return "".join(out)


class _Document:
    """An A4 page with the issuer's heading, and a way to write safe text on it."""

    def __init__(self, *, title: str, fonts: tuple[Path, Path] | None = None):
        self.pdf = FPDF(format="A4")
        self.pdf.set_creator("Newsdesk")
        self.pdf.set_margins(20, 20, 20)
        self.pdf.set_auto_page_break(auto=True, margin=20)
        fonts = _dejavu() if fonts is None else fonts
        self.unicode = bool(fonts)
        if fonts:
            self.pdf.add_font(FONT, "", str(fonts[0]))
            self.pdf.add_font(FONT, "B", str(fonts[1]))
            self.family = FONT
        else:
            self.family = "Helvetica"
        self.pdf.set_title(self.safe(title))
        self.pdf.add_page()
        issuer = conf.receipt_issuer_lines() or [site_name()]
        self.font(size=14, bold=True)
        self.line(issuer[0], height=8)
        self.font(size=9)
        for extra in issuer[1:]:
            self.line(extra, height=5)
        self.pdf.ln(6)
        self.font(size=16, bold=True)
        self.line(title, height=10)
        self.font(size=10)

    def safe(self, text: str) -> str:
        text = " ".join(str(text).split()) if "\n" not in str(text) else str(text)
        return text if self.unicode else _latin1(text)

    def font(self, *, size: int, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def line(self, text: str, *, height: float = 6) -> None:
        self.pdf.multi_cell(0, height, self.safe(text), new_x="LMARGIN", new_y="NEXT")

    def row(self, label: str, amount: str, *, bold: bool = False, width: float = 50) -> None:
        self.font(size=10, bold=bold)
        usable = self.pdf.w - self.pdf.l_margin - self.pdf.r_margin
        self.pdf.cell(usable - width, 7, self.safe(label), border="B")
        self.pdf.cell(
            width, 7, self.safe(amount), border="B", align="R", new_x="LMARGIN", new_y="NEXT"
        )
        self.font(size=10)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _money(amount: Decimal, currency: str) -> str:
    return money_format(amount, currency, always_decimals=True)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def receipt_pdf(*, donation: Donation, fonts: tuple[Path, Path] | None = None) -> bytes:
    """The receipt of one payment: its number (the provider's reference), date, donor,
    campaign, the gift, the fees the donor covered, the total charged, and any refunds or
    disputes of it since. A demo gift says that no money moved. ``fonts`` (regular, bold)
    overrides the fonts found on the machine; ``()`` forces the core font."""
    parts = receipt_parts(payment=donation)
    currency = donation.currency
    doc = _Document(title=_("Receipt for your gift"), fonts=fonts)
    doc.line(_("Receipt number: %(reference)s") % {"reference": donation.provider_reference})
    doc.line(_("Date: %(date)s") % {"date": _day(donation.received_at)})
    donor = donation.donor_name or _("Anonymous donor")
    if donation.donor_email:
        doc.line(
            _("Donor: %(donor)s <%(email)s>") % {"donor": donor, "email": donation.donor_email}
        )
    else:
        doc.line(_("Donor: %(donor)s") % {"donor": donor})
    if donation.campaign is not None:
        doc.line(_("For: %(campaign)s") % {"campaign": donation.campaign.name})
    if donation.provider == Donation.Provider.MANUAL:
        doc.line(_("Paid by: %(method)s") % {"method": donation.get_method_display()})
    else:
        doc.line(_("Paid through: %(provider)s") % {"provider": donation.get_provider_display()})
    if donation.recurring:
        doc.line(_("A monthly gift: this receipt is for this month's charge."))
    doc.pdf.ln(4)
    doc.row(_("Gift"), _money(donation.amount, currency))
    if parts.fee is not None:
        doc.row(_("Card fees you covered"), _money(parts.fee.amount, currency))
    doc.row(_("Total charged"), _money(parts.charged, currency), bold=True)
    for row in parts.reversals:
        values = {
            "kind": KIND_LABELS.get(row.kind, row.get_kind_display()),
            "date": _day(row.received_at),
        }
        if row.related_payment_id != donation.pk:
            label = _("%(kind)s, %(date)s (of the fees)") % values
        else:
            label = _("%(kind)s, %(date)s") % values
        doc.row(label, _money(row.amount, currency))
    if parts.reversals:
        doc.row(_("Kept after refunds"), _money(parts.net, currency), bold=True)
    doc.pdf.ln(6)
    if donation.provider == Donation.Provider.DEMO:
        doc.font(size=11, bold=True)
        doc.line(_("Demo gift: no money moved. This receipt is not valid for tax purposes."))
        doc.font(size=10)
    doc.line(_("Thank you for supporting independent reporting."))
    return doc.bytes()


def statement_pdf(*, emails: list[str], year: int, fonts: tuple[Path, Path] | None = None) -> bytes:
    """A year's statement for tax purposes: every payment, fee covered, refund and dispute
    of ``year`` given from ``emails``, by date, with totals per currency."""
    statement = statement_for(emails=emails, year=year)
    doc = _Document(title=_("Your gifts in %(year)s") % {"year": year}, fonts=fonts)
    doc.line(_("For: %(emails)s") % {"emails": ", ".join(sorted({e.lower() for e in emails}))})
    doc.pdf.ln(4)
    if not statement.rows:
        doc.line(_("No gifts were recorded in %(year)s.") % {"year": year})
    demo = False
    for row in statement.rows:
        demo = demo or row.provider == Donation.Provider.DEMO
        reference = row.provider_reference
        if row.related_payment is not None and row.kind != Donation.Kind.FEE_COVER:
            reference = row.related_payment.provider_reference
        # The date, the kind and the amount on one line; the receipt number (long, a
        # provider's) and the campaign on a small line of their own, wrapped if need be.
        doc.row(
            f"{_day(row.received_at)}  {KIND_LABELS.get(row.kind, row.kind)}",
            _money(row.amount, row.currency),
            width=40,
        )
        campaign = (
            row.campaign.name
            if row.campaign is not None and row.kind == Donation.Kind.PAYMENT
            else ""
        )
        demo_row = row.provider == Donation.Provider.DEMO
        values = {"reference": reference, "campaign": campaign}
        if campaign and demo_row:
            detail = _("Receipt number %(reference)s, %(campaign)s (demo)") % values
        elif campaign:
            detail = _("Receipt number %(reference)s, %(campaign)s") % values
        elif demo_row:
            detail = _("Receipt number %(reference)s (demo)") % values
        else:
            detail = _("Receipt number %(reference)s") % values
        doc.font(size=8)
        doc.line(detail, height=4)
        doc.font(size=10)
    for total in statement.totals:
        doc.pdf.ln(4)
        code = total.currency
        doc.row(_("Gifts in %(currency)s") % {"currency": code}, _money(total.gifts, code))
        doc.row(
            _("Card fees you covered in %(currency)s") % {"currency": code},
            _money(total.fees, code),
        )
        if total.returned:
            doc.row(
                _("Refunded or withdrawn in %(currency)s") % {"currency": code},
                _money(total.returned, code),
            )
        doc.row(
            _("Total given in %(currency)s") % {"currency": code},
            _money(total.net, code),
            bold=True,
        )
    doc.pdf.ln(6)
    if demo:
        doc.line(_("Gifts marked by the demo provider moved no money."))
    return doc.bytes()
