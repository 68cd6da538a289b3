"""An issue's sending in Wagtail's admin, reached from the issue page's header buttons
(``wagtail_hooks_issues.py``):

- ``/admin/newsletters/issues/<id>/test/``: "Send a test to me": the issue's latest draft,
  at once, to the editor's own address (``services.sending.send_test``). Whoever may edit
  the page.
- ``/admin/newsletters/issues/<id>/schedule/``: schedule a send (a segment, now or a date
  and time in the site's time zone) of the published issue, the issue's sends with their
  status, and "Cancel" for one not sent yet (``send_schedule``, ``send_cancel``). Whoever
  may publish the page.

Others get 403 (Wagtail sends the signed-out to sign in); a refusal of the services is
shown as a message and changes nothing.
"""

from django import forms
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from newsdesk.core.errors import ServiceError
from newsdesk.newsletters.models_issues import NewsletterIssuePage
from newsdesk.newsletters.models_sending import Segment, Send, SendStatus


def _issue(page_id: int) -> NewsletterIssuePage:
    issue = NewsletterIssuePage.objects.filter(pk=page_id).select_related("newsletter").first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


class ScheduleForm(forms.Form):
    segment = forms.ChoiceField(
        choices=Segment.choices, initial=Segment.ALL, label=gettext_lazy("Who receives it")
    )
    when = forms.ChoiceField(
        choices=[("now", gettext_lazy("Now")), ("later", gettext_lazy("At a date and time"))],
        initial="now",
        widget=forms.RadioSelect,
        label=gettext_lazy("When"),
    )
    at = forms.DateTimeField(
        required=False,
        label=gettext_lazy("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("when") == "later":
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Give the date and time of the send."))
            elif at <= timezone.now():
                self.add_error("at", _("This time has passed: give a time to come, or send now."))
        else:
            data["at"] = None
        return data


@require_http_methods(["GET", "POST"])
def issue_send_test_view(request, page_id: int):
    issue = _issue(page_id)
    if not issue.permissions_for_user(request.user).can_edit():
        return HttpResponseForbidden(_("You may not edit this issue."))
    edit_url = reverse("wagtailadmin_pages:edit", args=[issue.pk])
    address = (request.user.email or "").strip()
    if request.method == "POST":
        from newsdesk.newsletters.services.sending import send_test

        if not address:
            messages.error(request, _("Your account has no e-mail address to send the test to."))
            return redirect(edit_url)
        try:
            # The latest draft: what the editor just wrote, published or not.
            send_test(issue=issue.get_latest_revision_as_object(), to=address, user=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("A test of “%(title)s” was sent to %(address)s.")
                % {"title": issue.title, "address": address},
            )
        return redirect(edit_url)
    return render(
        request,
        "newsletters/admin/issue_send_test.html",
        {
            "page_title": _("Send a test of “%(title)s”") % {"title": issue.title},
            "issue": issue,
            "address": address,
            "edit_url": edit_url,
            "action_url": request.path,
        },
    )


@require_http_methods(["GET", "POST"])
def issue_schedule_view(request, page_id: int):
    issue = _issue(page_id)
    if not issue.permissions_for_user(request.user).can_publish():
        return HttpResponseForbidden(_("You may not send this issue."))
    here = reverse("newsletters_issue_schedule", args=[issue.pk])
    form = ScheduleForm()
    if request.method == "POST":
        from newsdesk.newsletters.services.sending import send_cancel, send_schedule

        if request.POST.get("action") == "cancel":
            send = Send.objects.filter(pk=request.POST.get("send") or 0, issue=issue).first()
            if send is None:
                messages.error(request, _("No such send of this issue."))
            else:
                try:
                    send_cancel(send=send, user=request.user)
                except ServiceError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("The send is cancelled."))
            return redirect(here)
        form = ScheduleForm(request.POST)
        if form.is_valid() and not issue.live:
            messages.error(
                request, _("Publish the issue first: a send mails its published version.")
            )
        elif form.is_valid():
            try:
                send = send_schedule(
                    issue=issue,
                    segment=form.cleaned_data["segment"],
                    at=form.cleaned_data["at"],
                    user=request.user,
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                when = timezone.localtime(send.scheduled_at)
                messages.success(
                    request,
                    _("Scheduled: %(segment)s of %(list)s, %(when)s (%(time_zone)s).")
                    % {
                        "segment": send.get_segment_display().lower(),
                        "list": issue.newsletter.name,
                        "when": formats.date_format(when, "SHORT_DATETIME_FORMAT"),
                        "time_zone": timezone.get_current_timezone_name(),
                    },
                )
                return redirect(here)
    sends = list(Send.objects.filter(issue=issue).select_related("created_by"))
    return render(
        request,
        "newsletters/admin/issue_schedule.html",
        {
            "page_title": _("Schedule “%(title)s”") % {"title": issue.title},
            "issue": issue,
            "form": form,
            "sends": sends,
            "cancellable": [SendStatus.SCHEDULED.value, SendStatus.SENDING.value],
            "time_zone": timezone.get_current_timezone_name(),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
            "action_url": here,
        },
    )
