"""The page a discussion e-mail's confirmation link opens (double opt-in).

Opening the link confirms, as the account e-mails' links do (``ACCOUNT_CONFIRM_EMAIL_ON_GET``):
only someone who reads the inbox has it. A forged, damaged or expired link changes nothing
and says why (400).
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsdesk.discussion.services.email_confirmations import email_confirm
from newsdesk.discussion.views import MESSAGE_PAGE, refusals_shown


@csrf_exempt  # the signed token is the credential; there is no session to protect
@never_cache
@require_http_methods(["GET", "POST"])
@refusals_shown
def email_confirm_view(request, token: str):
    return render(request, MESSAGE_PAGE, {"message": email_confirm(token=token)})
