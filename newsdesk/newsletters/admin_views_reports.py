"""The newsletters' reports, import and export in Wagtail's admin (under
``/admin/newsletters/``): the sends with their figures, one send's report, a list's growth
over 26 weeks as a chart drawn on the server with a table of the same figures, the upload of
a Mailchimp or Substack export into a list, and a list's CSV export.

Who: reports and exports need ``newsletters.view_subscriber`` (the subscribers' addresses
are in the exports), the import ``newsletters.add_subscriber``; superusers have both. The
figures are ``selectors_reports``'; the writes are ``importers``'.
"""

from functools import wraps

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from newsdesk.core.conf import setting
from newsdesk.newsletters.errors import NewsletterError
from newsdesk.newsletters.exports import (
    export_check,
    export_filename,
    subscribers_export_rows,
)
from newsdesk.newsletters.importers import FORMATS, MAX_BYTES, subscribers_import
from newsdesk.newsletters.models import Newsletter, Send
from newsdesk.newsletters.selectors_reports import (
    GROWTH_WEEKS,
    list_growth,
    lists_summary,
    send_links,
    sends_figures,
    sends_report,
)
from newsdesk.web.charts import Series, bar_chart, legend

VIEW_PERMISSION = "newsletters.view_subscriber"
IMPORT_PERMISSION = "newsletters.add_subscriber"
# At least 3:1 against white (WCAG's non-text contrast); the legend and table tell them apart.
SUBSCRIBED_COLOUR, UNSUBSCRIBED_COLOUR = "#1b7837", "#b2182b"
REFUSED_SHOWN = 500  # refused rows listed on the result page (the command prints them all)


def _required(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and user.is_active):
                return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
            if not user.has_perm(permission):
                return render(request, "newsletters/admin/report_forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_sees_reports(user) -> bool:
    return bool(user.is_active and user.has_perm(VIEW_PERMISSION))


@require_GET
@_required(VIEW_PERMISSION)
def reports_view(request):
    """Every list with its counts and the latest sends with their figures."""
    return render(
        request,
        "newsletters/admin/report_index.html",
        {
            "page_title": _("Newsletter reports"),
            "lists": lists_summary(),
            "sends": sends_report(),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
        },
    )


@require_GET
@_required(VIEW_PERMISSION)
def send_report_view(request, send_id: int):
    """One send: what became of its messages, and its most followed links."""
    send = get_object_or_404(Send.objects.select_related("issue", "newsletter"), pk=send_id)
    figures = sends_figures(send_ids=[send.pk])[send.pk]
    rows = [
        (_("Recipients"), figures.recipients, ""),
        (_("Handed over"), figures.sent, ""),
        (_("Refused by the server"), figures.failed, ""),
        (_("Skipped (suppressed or left before their turn)"), figures.skipped, ""),
        (_("Waiting"), figures.pending, ""),
        (_("Delivered"), figures.delivered, figures.rate(figures.delivered)),
        (_("Bounced"), figures.bounced, figures.rate(figures.bounced)),
        (_("Complaints (marked as spam)"), figures.complaints, figures.rate(figures.complaints)),
        (
            _("Unsubscribed after this send"),
            figures.unsubscribes,
            figures.rate(figures.unsubscribes),
        ),
        (_("Link clicks"), figures.clicks, ""),
    ]
    return render(
        request,
        "newsletters/admin/report_send.html",
        {
            "page_title": _("Send report: %(subject)s")
            % {"subject": send.subject or send.issue.title},
            "send": send,
            "figures": figures,
            "rows": rows,
            "links": send_links(send=send),
            "click_counts": bool(setting("NEWSLETTER_CLICK_COUNTS")),
        },
    )


def _week_label(start) -> str:
    """The week's first day, as "3 Mar" in English (the language's day and month)."""
    # A day and a short month: the order is the language's (a translator may change it).
    return formats.date_format(start, pgettext("week label, a date format", "j M"))


@require_GET
@_required(VIEW_PERMISSION)
def list_report_view(request, newsletter_id: int):
    """A list's growth over the last 26 weeks: a chart and the same figures as a table."""
    newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
    growth = list_growth(newsletter=newsletter)
    labels = [_week_label(week.start) for week in growth.weeks]
    series = [
        Series(_("Subscribed"), SUBSCRIBED_COLOUR, [week.subscribed for week in growth.weeks]),
        Series(
            _("Unsubscribed"), UNSUBSCRIBED_COLOUR, [week.unsubscribed for week in growth.weeks]
        ),
    ]
    chart = bar_chart(
        chart_id="chart-growth",
        title=_("%(list)s: subscribed and unsubscribed readers per week")
        % {"list": newsletter.name},
        description=ngettext(
            "Readers who subscribed and who left, per week, for the last %(weeks)s week; "
            "the table beside it gives the same figures and the list's size.",
            "Readers who subscribed and who left, per week, for the last %(weeks)s weeks; "
            "the table beside it gives the same figures and the list's size.",
            GROWTH_WEEKS,
        )
        % {"weeks": GROWTH_WEEKS},
        categories=labels,
        series=series,
        stacked=False,
        unit=_("readers"),
    )
    exports = reverse("newsletters_export", args=[newsletter.pk])
    return render(
        request,
        "newsletters/admin/report_list.html",
        {
            "page_title": _("List report: %(list)s") % {"list": newsletter.name},
            "newsletter": newsletter,
            "growth": growth,
            "weeks": list(zip(labels, growth.weeks, strict=True)),
            "chart": chart,
            "legend": legend(series),
            "exports": [
                (_("Subscribed, Mailchimp CSV"), f"{exports}?format=mailchimp&status=subscribed"),
                (_("Subscribed, Substack CSV"), f"{exports}?format=substack&status=subscribed"),
                (
                    _("Unsubscribed, Mailchimp CSV"),
                    f"{exports}?format=mailchimp&status=unsubscribed",
                ),
            ],
        },
    )


@require_GET
@_required(VIEW_PERMISSION)
def export_view(request, newsletter_id: int):
    """A list's subscribers as CSV (``?format=mailchimp|substack&status=subscribed|
    unsubscribed``), streamed; a shape that does not exist is a 400 with its reason."""
    newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
    source_format = request.GET.get("format", "mailchimp")
    status = request.GET.get("status", "subscribed")
    try:
        export_check(source_format=source_format, status=status)
    except NewsletterError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        subscribers_export_rows(newsletter=newsletter, source_format=source_format, status=status),
        content_type="text/csv; charset=utf-8",
    )
    name = export_filename(newsletter=newsletter, source_format=source_format, status=status)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ImportForm(forms.Form):
    newsletter = forms.ModelChoiceField(
        queryset=Newsletter.objects.order_by("sort_order", "name"),
        label=gettext_lazy("Into the list"),
        empty_label=None,
    )
    source_format = forms.ChoiceField(
        choices=list(FORMATS.items()), initial="auto", label=gettext_lazy("The file comes from")
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=format_lazy(
            gettext_lazy(
                "Mailchimp: the subscribed_members_export_….csv of an audience's export (unzip "
                "it first). Substack: the email_list….csv of the subscriber export. At most "
                "{megabytes} MB."
            ),
            megabytes=MAX_BYTES // (1024 * 1024),
        ),
    )


@require_http_methods(["GET", "POST"])
@_required(IMPORT_PERMISSION)
def import_view(request):
    """The upload form; a POST imports the file and shows what became of each row."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context = {
        "page_title": _("Import subscribers"),
        "form": form,
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error(
                "file",
                _("This file is larger than %(megabytes)s MB: split it and import each part.")
                % {"megabytes": context["max_mb"]},
            )
        else:
            try:
                report = subscribers_import(
                    newsletter=form.cleaned_data["newsletter"],
                    data=upload.read(),
                    filename=upload.name,
                    source_format=form.cleaned_data["source_format"],
                )
            except NewsletterError as error:
                form.add_error(
                    "file" if error.field in {None, "file"} else error.field, error.message
                )
            else:
                return render(
                    request,
                    "newsletters/admin/import_result.html",
                    {
                        "page_title": _("Import subscribers: the result"),
                        "report": report,
                        "format_name": FORMATS[report.source_format],
                        "refused": report.refused[:REFUSED_SHOWN],
                        "refused_hidden": max(len(report.refused) - REFUSED_SHOWN, 0),
                    },
                )
    return render(
        request, "newsletters/admin/import.html", context, status=400 if form.errors else 200
    )
