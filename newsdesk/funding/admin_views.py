"""Wagtail admin for treasurers: campaigns, the ledger (filters, CSV export), manual gifts,
the campaign report, refunds of online gifts from the gift's page, the monthly gifts.
Moderators and editors have no funding permission and see none of it.

The ledger is append-only here too: no one, superusers included, may edit or delete a row;
corrections are new rows (a manual refund).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy

from newsdesk.funding.bar import campaign_bar_forget
from newsdesk.funding.errors import FundingError
from newsdesk.funding.forms import ManualDonationForm, RefundForm
from newsdesk.funding.models import Campaign, Donation, ProviderEvent, RecurringGift
from newsdesk.funding.money import money_format
from newsdesk.funding.selectors import (
    campaign_report,
    recurring_gift_donor,
    recurring_gift_next_charge,
    refund_requests_of,
)
from newsdesk.funding.services.ledger import donation_record_manual
from newsdesk.funding.services.refunds import donation_refund, refund_left, refund_refusal

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell_safe(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a donor's name may start with =)."""
    return "'" + value if value.startswith(CSV_FORMULA_STARTS) else value


class ReadOnlyLedgerPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody may change or delete ledger rows."""

    def user_has_permission(self, user, action):
        if action in {"change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in {"change", "delete"}]
        return super().users_with_any_permission(actions)


class ProviderRecordsPolicy(ReadOnlyLedgerPolicy):
    """Subscriptions and provider events come only from the provider (webhooks, the demo
    checkout): nobody adds one by hand either."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


class KeepCampaignsPolicy(ModelPermissionPolicy):
    """Campaigns are switched off, never deleted: the ledger's rows point at them."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


def user_is_treasurer(user) -> bool:
    return user.is_active and user.has_perm("funding.view_donation")


# --- campaigns --------------------------------------------------------------------------------
class CampaignCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        campaign_bar_forget()
        return instance


class CampaignEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        campaign_bar_forget()
        return instance


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "funding_campaigns"
    icon = "pick"
    menu_label = gettext_lazy("Campaigns")
    list_display = ["name", "kind", "goal", "currency", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active", "kind"]
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    copy_view_enabled = False
    inspect_view_enabled = True


# --- the ledger -------------------------------------------------------------------------------
class DonationIndexView(generic.IndexView):
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        str: {"csv": csv_cell_safe},
    }

    def get_add_url(self):
        if self.user_has_permission("add"):
            return reverse("funding_manual_record")
        return None


def user_may_refund(user) -> bool:
    """Refunding writes to the ledger (through the provider's event): the permission that
    records gifts by hand, which the Treasurers group has."""
    return user.is_active and user.has_perm("funding.add_donation")


def refund_context(*, donation: Donation, user, form: RefundForm | None = None) -> dict:
    """What the gift's page and the refund page show of its refunds, and the form."""
    refusal = refund_refusal(donation=donation)
    left = refund_left(payment=donation) if not refusal else None
    if not refusal and left is not None and left <= 0:
        refusal = _("Nothing is left of this gift to refund.")
    if form is None and not refusal and user_may_refund(user):
        form = RefundForm(currency=donation.currency, left=left)
    return {
        "donation": donation,
        "refund_requests": refund_requests_of(donation=donation),
        "refund_refusal": refusal,
        "refund_left": money_format(left, donation.currency) if left is not None else "",
        "refund_form": form if user_may_refund(user) else None,
        "refund_url": reverse("funding_refund", kwargs={"donation_id": donation.pk}),
    }


class DonationInspectView(generic.InspectView):
    """The gift's page: its fields, then its refunds and, for treasurers, the refund form."""

    template_name = "funding/admin/donation_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(refund_context(donation=self.object, user=self.request.user))
        return context


@require_http_methods(["GET", "POST"])
def donation_refund_view(request, donation_id: int):
    """A treasurer refunds an online gift, whole or in part. The provider is asked; the
    ledger's row comes from its event. Each refusal is said on the form, nothing written."""
    if not user_may_refund(request.user):
        # A 403 that says why (Wagtail would turn PermissionDenied into a redirect home).
        return render(
            request,
            "funding/admin/forbidden.html",
            {
                "page_title": _("Refunds are for treasurers"),
                "text": _("Refunding a gift needs the permission to record gifts (Treasurers)."),
            },
            status=403,
        )
    donation = get_object_or_404(Donation, pk=donation_id)
    inspect_url = reverse("funding_donations:inspect", args=[donation.pk])
    form = None
    status = 200
    if request.method == "POST":
        form = RefundForm(request.POST, currency=donation.currency)
        status = 400
        if form.is_valid():
            try:
                asked = donation_refund(
                    donation=donation,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    attempt_key=form.cleaned_data["attempt"],
                    requested_by=request.user,
                )
            except FundingError as error:
                status = error.status_code
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                refund = asked.request
                amount = money_format(refund.amount, refund.currency, always_decimals=True)
                if not asked.created:
                    messages.warning(
                        request,
                        _("This refund of %(amount)s was already asked for: nothing more.")
                        % {"amount": amount},
                    )
                elif refund.status == refund.Status.SETTLED:
                    messages.success(
                        request,
                        _("Refunded %(amount)s; the ledger has its row.") % {"amount": amount},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Refund of %(amount)s asked of the provider: pending until it "
                            "reports the refund, which then enters the ledger."
                        )
                        % {"amount": amount},
                    )
                return redirect(inspect_url)
    context = refund_context(donation=donation, user=request.user, form=form)
    context.update(
        {
            "page_title": _("Refund: %(gift)s") % {"gift": donation},
            "inspect_url": inspect_url,
        }
    )
    return render(request, "funding/admin/refund.html", context, status=status)


def ledger_add_redirect(request):
    """The viewset's own "new" address. Gifts enter the ledger through services only (the
    generic form would write a row without an amount), so it leads to the treasurer's form."""
    if not request.user.has_perm("funding.add_donation"):
        raise PermissionDenied
    return redirect("funding_manual_record")


class DonationViewSet(ModelViewSet):
    model = Donation
    name = "funding_donations"
    icon = "list-ul"
    menu_label = gettext_lazy("Donations")
    index_view_class = DonationIndexView
    inspect_view_class = DonationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "received_at",
        "kind",
        "amount",
        "currency",
        "campaign",
        "provider",
        "donor_name",
        "provider_reference",
    ]
    list_filter = ["campaign", "provider", "kind", "method", "recurring", "currency", "received_at"]
    search_fields = ["provider_reference", "donor_name", "donor_email", "subscription_id"]
    list_export = [
        "id",
        "received_at",
        "kind",
        "amount",
        "currency",
        "campaign",
        "period_start",
        "provider",
        "method",
        "provider_reference",
        "payment_intent_id",
        "charge_id",
        "related_payment_id",
        "recurring",
        "subscription_id",
        "donor_name",
        "donor_email",
        "message",
        "note",
        "source_page_id",
        "recorded_at",
    ]
    # A fee row (the fees a donor covered) names its payment here, as refunds and disputes do.
    export_headings = {
        "related_payment_id": gettext_lazy("Payment it belongs to"),
        "donor_email": gettext_lazy("Donor e-mail"),
        "source_page_id": gettext_lazy("Given from page"),
    }
    export_filename = "donations"
    form_fields = ["note"]  # unused: the ledger has no edit form; gifts come from services

    @property
    def add_view(self):
        return ledger_add_redirect


class ProviderEventViewSet(ModelViewSet):
    model = ProviderEvent
    name = "funding_provider_events"
    icon = "history"
    menu_label = gettext_lazy("Provider events")
    list_display = ["received_at", "provider", "event_type", "event_id", "status", "note"]
    list_filter = ["provider", "status", "event_type"]
    search_fields = ["event_id", "waits_for"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["note"]


class MonthlyGiftIndexView(generic.IndexView):
    default_ordering = "-created_at"  # the newest gifts first

    def get_base_queryset(self):
        # The campaign column reads each gift's campaign: fetched with the gifts, not per row.
        return super().get_base_queryset().select_related("campaign")


class RecurringGiftViewSet(ModelViewSet):
    model = RecurringGift
    name = "funding_monthly_gifts"
    icon = "repeat"
    menu_label = gettext_lazy("Monthly gifts")
    list_display = [
        Column(
            "donor",
            label=gettext_lazy("Donor"),
            accessor=lambda gift: recurring_gift_donor(gift=gift),
        ),
        Column(
            "amount",
            label=gettext_lazy("Amount a month"),
            accessor=lambda gift: money_format(gift.amount, gift.currency, always_decimals=True),
            sort_key="amount",
        ),
        "status",
        Column("created_at", label=gettext_lazy("Since"), sort_key="created_at"),
        Column(
            "next_charge",
            label=gettext_lazy("Next charge"),
            accessor=lambda gift: recurring_gift_next_charge(gift=gift) or "",
        ),
        "campaign",
        "provider",
    ]
    index_view_class = MonthlyGiftIndexView
    list_filter = ["status", "provider", "campaign"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]


class FundingViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Reader funding")
    menu_icon = "pick"
    menu_order = 250
    items = (CampaignViewSet, DonationViewSet, RecurringGiftViewSet, ProviderEventViewSet)
    # Other parts of the app (the revenue dashboard) add their items on this hook.
    submenu_hook = "register_funding_menu_item"


# --- manual gifts and the report --------------------------------------------------------------
def manual_record(request):
    """A treasurer records a bank transfer, cash or crypto gift (or pays one back)."""
    if not request.user.has_perm("funding.add_donation"):
        raise PermissionDenied
    form = ManualDonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            donation = donation_record_manual(
                campaign=data["campaign"],
                kind=data["kind"],
                amount=data["amount"],
                currency=data["currency"],
                method=data["method"],
                reference=data["reference"],
                refunds_reference=data["refunds_reference"],
                received_at=data["received_at"],
                donor_name=data["donor_name"],
                donor_email=data["donor_email"],
                message=data["message"],
                note=data["note"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Recorded: %(gift)s.") % {"gift": donation})
            return redirect("funding_donations:index")
    return render(
        request,
        "funding/admin/manual_record.html",
        {"form": form, "page_title": _("Record a gift received")},
        status=400 if request.method == "POST" else 200,
    )


def campaign_report_view(request, campaign_id: int | None = None):
    """Totals of one campaign by kind, provider and month, with its stored period totals."""
    if not user_is_treasurer(request.user):
        raise PermissionDenied
    campaigns = list(Campaign.objects.order_by("-starts_at"))
    if campaign_id is None:
        if not campaigns:
            return render(
                request,
                "funding/admin/report.html",
                {"report": None, "campaigns": [], "page_title": _("Campaign report")},
            )
        return redirect("funding_report_campaign", campaign_id=campaigns[0].pk)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    return render(
        request,
        "funding/admin/report.html",
        {
            "report": campaign_report(campaign=campaign),
            "campaigns": campaigns,
            "page_title": _("Report: %(campaign)s") % {"campaign": campaign.name},
        },
    )
