"""The newsletters' public pages: sign-up, confirmation, preferences, one-click unsubscribe,
a new link, and the reader account's "Newsletters" page. Thin over
``services/subscriptions.py`` and ``selectors.py``; a refusal is shown on the page with its
status (400, 404, 429) and changes nothing.

The sign-up box is the same HTML for everyone (it sits on shared cached pages: the article's
foot, the footer), so its form carries no CSRF token there: the site's script fetches one,
and without script the page cache answers the post with a page that confirms it
(``pagecache/tokenless.py``). The pages under ``/newsletter/`` are never cached: their links
carry a reader's token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsdesk.core.clientaddr import address_group
from newsdesk.core.errors import ServiceError
from newsdesk.core.ratelimit import client_ip
from newsdesk.newsletters import selectors
from newsdesk.newsletters.errors import InvalidSubscription, SubscriptionNotFound
from newsdesk.newsletters.forms import CONSENT_TEXT, LinkRequestForm, SignupForm
from newsdesk.newsletters.models import ConsentSource
from newsdesk.newsletters.services import subscriptions

# The one answer to a sign-up from a form, whatever the address's state: it says nothing
# about whether the address was known, pending or subscribed.
CHECK_INBOX = gettext_lazy(
    "Thank you. Check your inbox: if this address still has to confirm, an e-mail with a "
    "link is on its way. Nothing is sent until you follow it."
)
LINK_SENT = gettext_lazy(
    "If this address is on one of our lists, an e-mail with a link to its preferences is on "
    "its way."
)
# The box's fields that show their own error; any other refused field damages the form.
SHOWN_FIELDS = {"email", "newsletters", "name"}
BOX_HEADINGS = {
    ConsentSource.ARTICLE: gettext_lazy("Get our newsletters"),
    ConsentSource.FOOTER: gettext_lazy("Newsletters"),
    ConsentSource.GIFT: gettext_lazy("Stay in touch: our newsletters"),
}


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _ip(request) -> str:
    return address_group(client_ip(request))


def signup_box_html(
    *, request, source: str, url: str, form=None, message: str = "", compact: bool = False
) -> str:
    """The sign-up box, the same for every reader (its token filled in by the page cache's
    rules); "" when no list is public. ``compact``: the lists and an address only (the
    footer's, on every page)."""
    offered = selectors.newsletters_offered()
    if not offered:
        return ""
    chosen = set(form.data.getlist("newsletters")) if form is not None and form.is_bound else set()
    context = {
        "offered": offered,
        "chosen": chosen,
        "source": source,
        "url": url,
        "box_id": f"signup-{source}",
        "heading": BOX_HEADINGS.get(source) or _("Newsletters"),
        "compact": compact,
        "consent_text": CONSENT_TEXT,
        "form": form,
        "message": message,
    }
    return render_to_string("newsletters/signup_box.html", context, request=request)


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_view(request):
    """GET: a page with the box. POST: ask for the ticked lists (the box's forms post here)."""
    slugs = [o.slug for o in selectors.newsletters_offered()]
    if request.method == "GET":
        box = signup_box_html(request=request, source=ConsentSource.FOOTER, url="")
        return render(request, "newsletters/signup_page.html", {"box": box})
    form = SignupForm(request.POST, slugs=slugs)
    status, error = 400, None
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # A robot filled the field people do not see: answered as anyone, nothing written.
            return _signup_answer(request, message=CHECK_INBOX)
        try:
            subscriber = subscriptions.subscribe(
                email=data["email"],
                newsletters=data["newsletters"],
                source=data["source"],
                url=data["url"],
                consent_text=CONSENT_TEXT,
                name=data["name"],
                user=request.user if request.user.is_authenticated else None,
                ip=_ip(request),
            )
        except ServiceError as refusal:
            status, error = refusal.status_code, refusal
            if refusal.field in form.fields:
                form.add_error(refusal.field, refusal.message)
        else:
            receiving = request.user.is_authenticated and subscriber.user_id == request.user.pk
            if receiving and not subscriber.subscriptions.filter(status="pending").exists():
                return _signup_answer(
                    request, message=_("Done: the newsletters you ticked come to your address.")
                )
            return _signup_answer(request, message=CHECK_INBOX)
    if error is None and set(form.errors) - SHOWN_FIELDS:
        error = InvalidSubscription(_("The form was damaged: reload the page and try again."))
    if _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        detail = error.message if error else _("Please correct the marked fields.")
        return JsonResponse({"detail": detail, "errors": errors}, status=status)
    source = request.POST.get("source", ConsentSource.FOOTER)
    if source not in {s.value for s in ConsentSource}:
        source = ConsentSource.FOOTER
    box = signup_box_html(
        request=request, source=source, url=form.cleaned_data.get("url", ""), form=form
    )
    return render(
        request, "newsletters/signup_page.html", {"box": box, "error": error}, status=status
    )


def _signup_answer(request, *, message: str):
    if _wants_json(request):
        return JsonResponse({"detail": str(message)})
    return render(request, "newsletters/confirm_sent.html", {"message": message})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    """GET: one button (a mail scanner opening the link confirms nothing). POST: confirm."""
    if request.method == "GET":
        return render(request, "newsletters/confirm.html", {"token": token})
    try:
        subscriber = subscriptions.confirm(token=token)
    except ServiceError as refusal:
        return _link_refused(request, refusal)
    states = selectors.list_states(subscriber=subscriber)
    return render(
        request,
        "newsletters/confirm_done.html",
        {"subscriber": subscriber, "states": [s for s in states if s.subscribed]},
    )


def _link_refused(request, refusal: ServiceError):
    return render(
        request,
        "newsletters/preferences_invalid.html",
        {"error": refusal, "form": LinkRequestForm()},
        status=refusal.status_code,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def preferences_view(request, token):
    """Every public list with the address's state; save, or leave them all. No sign-in: the
    token is the proof."""
    subscriber = selectors.subscriber_for_token(token=token)
    if subscriber is None:
        return _link_refused(
            request,
            SubscriptionNotFound(
                _("This link is not valid (or no longer): ask for a new one below.")
            ),
        )
    status, error = 200, None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "leave_all":
                subscriptions.unsubscribe_all(token=token, source="preferences")
                messages.success(
                    request,
                    _(
                        "You have left every newsletter. We will not e-mail "
                        "this address again unless you sign up anew."
                    ),
                )
            else:
                subscriptions.preferences_save(
                    token=token,
                    newsletters=request.POST.getlist("newsletters"),
                    name=request.POST.get("name", ""),
                )
                messages.success(request, _("Your newsletter choices are saved."))
        except ServiceError as refusal:
            status, error = refusal.status_code, refusal
        else:
            return redirect("newsletters:preferences", token=token)
        subscriber.refresh_from_db()
    context = {
        "subscriber": subscriber,
        "states": selectors.list_states(subscriber=subscriber),
        "token": token,
        "error": error,
        "suppressed": selectors.address_suppressed(email=subscriber.email),
    }
    return render(request, "newsletters/preferences.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def link_request_view(request):
    """Ask for the preferences link of an address (the same answer whoever asks)."""
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    status, error = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                subscriptions.link_request(email=form.cleaned_data["email"], ip=_ip(request))
            except ServiceError as refusal:
                status, error = refusal.status_code, refusal
                if refusal.field in form.fields:
                    form.add_error(refusal.field, refusal.message)
            else:
                return render(request, "newsletters/confirm_sent.html", {"message": LINK_SENT})
    return render(
        request,
        "newsletters/preferences_invalid.html",
        {"form": form, "error": error, "asking": True},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click"; the token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token, slug):
    """GET: one button. POST: leave the list at once (idempotent), from the button or a mail
    client's one-click."""
    subscriber = selectors.subscriber_for_token(token=token)
    if subscriber is None:
        return _link_refused(
            request,
            SubscriptionNotFound(
                _("This link is not valid (or no longer): ask for a new one below.")
            ),
        )
    if request.method == "GET":
        state = next(
            (s for s in selectors.list_states(subscriber=subscriber) if s.newsletter.slug == slug),
            None,
        )
        if state is None:
            return _link_refused(
                request,
                SubscriptionNotFound(_("This address is not on that newsletter's list.")),
            )
        return render(request, "newsletters/unsubscribe.html", {"state": state, "token": token})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    try:
        subscription = subscriptions.unsubscribe(
            token=token, newsletter_slug=slug, source="one-click" if one_click else "page"
        )
    except ServiceError as refusal:
        return _link_refused(request, refusal)
    return render(
        request,
        "newsletters/unsubscribe_done.html",
        {"newsletter": subscription.newsletter, "token": token},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    """The signed-in reader's lists at their verified address: tick and save, no e-mail."""
    status, error = 200, None
    if request.method == "POST":
        try:
            subscriptions.account_lists_set(
                user=request.user, newsletters=request.POST.getlist("newsletters")
            )
        except ServiceError as refusal:
            status, error = refusal.status_code, refusal
        else:
            messages.success(request, _("Your newsletter choices are saved."))
            return redirect("newsletters:account")
    email = selectors.verified_email_of(user=request.user)
    context = {
        "states": selectors.account_list_states(user=request.user, email=email),
        "email": email,
        "error": error,
        "consent_text": subscriptions.ACCOUNT_CONSENT_TEXT,
    }
    return render(request, "newsletters/preferences_account.html", context, status=status)
