"""Views of the donor e-mails: the one-click unsubscribe of marketing mails (public) and the
admin's preview of a message with sample values."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsdesk.funding.models_lifecycle import MARKETING_KINDS, LifecycleMessage
from newsdesk.funding.services.lifecycle import lifecycle_email_from_token, lifecycle_opt_out
from newsdesk.funding.views_links import unknown_link


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click"; the token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a button (a link scanner following the address changes nothing). POST: out of
    the donor marketing mails at once (idempotent), from the button or a mail program."""
    email = lifecycle_email_from_token(token=token)
    if email is None:
        return unknown_link(request, text=_("This unsubscribe link is not valid."))
    if request.method == "POST":
        lifecycle_opt_out(email=email)
        return render(request, "funding/lifecycle/unsubscribed.html", {"email": email})
    return render(request, "funding/lifecycle/unsubscribe.html", {"email": email})


@require_http_methods(["GET"])
def message_preview(request, message_id: int):
    """The mail a message makes, with sample values (as staff last saved it)."""
    from newsdesk.funding.tasks_lifecycle import mail_render, sample_values

    user = request.user
    if not (
        user.has_perm("funding.change_lifecyclemessage")
        or user.has_perm("funding.view_lifecyclemessage")
    ):
        raise PermissionDenied
    message = get_object_or_404(LifecycleMessage, pk=message_id)
    marketing = message.kind in MARKETING_KINDS
    subject, body = mail_render(
        message=message,
        values=sample_values(),
        unsubscribe_url="https://example.org/donate/emails/unsubscribe/sample/"
        if marketing
        else "",
    )
    return render(
        request,
        "funding/lifecycle/admin_preview.html",
        {
            "page_title": _("Preview: %(message)s") % {"message": message},
            "message": message,
            "subject": subject,
            "body": body,
            "marketing": marketing,
        },
    )
