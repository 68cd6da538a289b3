"""The reader's account hub, ``/account/``: the name their comments show (a form to change
it) and a summary linking to each of their pages: comments, discussion e-mails, newsletters,
gifts, privacy. Signed-in readers only; never cached (``/account/`` is private to the page
cache, and the view says so too)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.accounts.errors import AccountError
from newsdesk.accounts.forms import DisplayNameForm
from newsdesk.accounts.selectors import account_overview
from newsdesk.accounts.services_account import display_name_set


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_home(request):
    status = 200
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            try:
                display_name_set(user=request.user, name=form.cleaned_data["name"])
            except AccountError as error:
                form.add_error("name", error.message)
                status = error.status_code
            else:
                messages.success(request, _("Your name is changed on all your comments."))
                return redirect("account_home")
        else:
            status = 400
    else:
        form = DisplayNameForm(initial={"name": request.user.first_name})
    return render(
        request,
        "accounts/home.html",
        {"form": form, "overview": account_overview(user=request.user)},
        status=status,
    )
