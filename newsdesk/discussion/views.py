"""The discussion's pages and form endpoints. Thin: parse, call a service, answer.

Every write answers in two ways: a redirect (or a page with the error) for a plain form
post, and JSON for the page's script (``Accept: application/json``): ``201`` with the
rendered comment, or a 4xx with ``{"detail": ...}``.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsdesk.articles.models import ArticlePage
from newsdesk.core.ratelimit import request_rate_limited
from newsdesk.discussion import conf, selectors
from newsdesk.discussion.comment_html import comment_html
from newsdesk.discussion.errors import DiscussionError, NotFound
from newsdesk.discussion.forms import CommentEditForm, CommentForm, submitted_after
from newsdesk.discussion.readers import (
    Reader,
    guest_cookie_set,
    guest_key_from_request,
    guest_key_new,
    reader_from_request,
)
from newsdesk.discussion.selectors import CommentNode
from newsdesk.discussion.services import (
    STATUS_MESSAGES,
    CommentDraft,
    comment_create,
    comment_delete,
    comment_edit,
    comment_vote,
    subscription_cancel,
)
from newsdesk.discussion.services.edits import comment_edit_refusal
from newsdesk.discussion.services.email_confirmations import email_confirmation_notice


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _article_or_404(article_id: int) -> ArticlePage:
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise Http404("No such article.")
    return article


def _error(request, error: DiscussionError, *, template: str = "", context=None):
    if wants_json(request) or not template:
        body = {"detail": error.message}
        if error.field:
            body["field"] = error.field
        if not wants_json(request):
            return render(
                request,
                "discussion/message_page.html",
                {"message": error.message, "is_error": True},
                status=error.status_code,
            )
        return JsonResponse(body, status=error.status_code)
    return render(request, template, {**(context or {}), "error": error}, status=error.status_code)


def _too_many(request):
    message = "You are doing that too often; wait a few minutes and try again."
    if wants_json(request):
        return JsonResponse({"detail": message}, status=429)
    return render(
        request, "discussion/message_page.html", {"message": message, "is_error": True}, status=429
    )


def permalink_target(*, request, comment, reader: Reader, sort: str | None = None) -> str:
    """The article's address that opens its thread at ``comment``, on the right page."""
    article = comment.thread.article
    if article is None:
        raise Http404("This comment belongs to no article.")
    page = selectors.comment_page_number(comment=comment, reader=reader, sort=sort)
    query = {}
    if sort and sort != selectors.DEFAULT_SORT:
        query["sort"] = sort
    if page > 1:
        query["cpage"] = page
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{article.get_url(request)}{suffix}#c{comment.pk}"


def _node_html(request, *, comment, reader: Reader) -> str:
    node = CommentNode(
        comment=comment,
        shown=True,
        awaiting_moderation=not comment.is_public,
        is_own=True,
        can_edit=True,
        can_delete=True,
    )
    return comment_html(node=node, thread_open=True, csrf_token=get_token(request))


# --- posting --------------------------------------------------------------------------------
@require_POST
def comment_post(request, article_id: int):
    article = _article_or_404(article_id)
    if request_rate_limited(
        request, action="comment-post", per_ip=conf.RATE_POST, per_user=conf.RATE_POST_USER
    ):
        return _too_many(request)
    form = CommentForm(request.POST, request.FILES)
    page_context = {"form": form, "article": article, "action_article": article}
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _error(
            request,
            DiscussionError(first),
            template="discussion/form_page.html",
            context=page_context,
        )
    data = form.cleaned_data
    guest_key = "" if request.user.is_authenticated else guest_key_from_request(request)
    new_guest_key = not request.user.is_authenticated and not guest_key
    if new_guest_key:
        guest_key = guest_key_new()
    reader = reader_from_request(request, guest_key=guest_key)
    draft = CommentDraft(
        body=data["body"],
        guest_name=data["name"],
        guest_email=data["email"],
        parent_id=data["parent"],
        image=data["image"] or None,
        notify_replies=data["notify_replies"],
        subscribe=data["subscribe"],
        submitted_after=submitted_after(data["started"]),
        honeypot=data["website"],
    )
    try:
        comment = comment_create(article=article, reader=reader, draft=draft)
    except DiscussionError as error:
        if draft.parent_id:
            # Shown above the form again: only a comment of this article that this reader
            # may see (the one visibility rule), never one the id merely names. Loaded here,
            # not before posting: a reply that succeeds does not need it.
            page_context["parent"] = selectors.comment_for_reader(
                comment_id=draft.parent_id, reader=reader, article_id=article.pk
            )
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        return _error(request, error, template="discussion/form_page.html", context=page_context)
    message = STATUS_MESSAGES.get(comment.status, STATUS_MESSAGES["held"])
    message += email_confirmation_notice(
        comment=comment, asked=data["notify_replies"] or data["subscribe"]
    )
    if wants_json(request):
        visible = comment.status != "rejected"
        response = JsonResponse(
            {
                "id": comment.pk,
                "parent_id": comment.parent_id,
                "status": comment.status,
                "message": message,
                "html": _node_html(request, comment=comment, reader=reader) if visible else "",
            },
            status=201,
        )
    elif comment.status == "rejected":
        response = render(request, "discussion/message_page.html", {"message": message})
    else:
        target = permalink_target(request=request, comment=comment, reader=reader)
        response = HttpResponseRedirect(target, status=303)
    if new_guest_key:
        guest_cookie_set(response, request=request, guest_key=guest_key)
    return response


@require_GET
def comment_reply_page(request, comment_id: int):
    """The reply form for a browser without JavaScript."""
    reader = reader_from_request(request)
    parent = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if parent is None or parent.thread.article is None:
        raise Http404("No such comment.")
    form = CommentForm(initial={"parent": parent.pk})
    return render(
        request,
        "discussion/form_page.html",
        {"form": form, "article": parent.thread.article.specific, "parent": parent},
    )


# --- editing and deleting ---------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def comment_edit_view(request, comment_id: int):
    reader = reader_from_request(request)
    comment = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if comment is None:
        raise Http404("No such comment.")
    context = {"comment": comment, "article": comment.thread.article}
    if request.method == "GET":
        refusal = comment_edit_refusal(comment=comment, reader=reader)
        if refusal is not None:
            return _error(request, refusal)
        context["form"] = CommentEditForm(initial={"body": comment.body_source})
        return render(request, "discussion/edit_page.html", context)
    if request_rate_limited(request, action="comment-edit", per_ip=conf.RATE_EDIT):
        return _too_many(request)
    form = CommentEditForm(request.POST)
    form.is_valid()
    context["form"] = form
    try:
        comment = comment_edit(
            comment_id=comment_id, reader=reader, body=form.cleaned_data.get("body", "")
        )
    except DiscussionError as error:
        if error.field == "body":
            form.add_error("body", error.message)
        return _error(request, error, template="discussion/edit_page.html", context=context)
    if wants_json(request):
        return JsonResponse(
            {
                "id": comment.pk,
                "status": comment.status,
                "body_html": comment.body_html,
                "message": STATUS_MESSAGES.get(comment.status, ""),
            }
        )
    return HttpResponseRedirect(
        permalink_target(request=request, comment=comment, reader=reader), status=303
    )


@require_POST
def comment_delete_view(request, comment_id: int):
    if request_rate_limited(request, action="comment-edit", per_ip=conf.RATE_EDIT):
        return _too_many(request)
    reader = reader_from_request(request)
    try:
        comment = comment_delete(comment_id=comment_id, reader=reader)
    except DiscussionError as error:
        return _error(request, error)
    if wants_json(request):
        return JsonResponse({"id": comment.pk, "status": comment.status})
    article = comment.thread.article
    target = f"{article.get_url(request)}#discussion" if article else "/"
    return HttpResponseRedirect(target, status=303)


# --- votes ----------------------------------------------------------------------------------
@require_POST
def comment_vote_view(request, comment_id: int):
    if request_rate_limited(
        request, action="comment-vote", per_ip=conf.RATE_VOTE, per_user=conf.RATE_VOTE_USER
    ):
        return _too_many(request)
    value = {"up": 1, "down": -1}.get(request.POST.get("value", ""), 0)
    guest_key = "" if request.user.is_authenticated else guest_key_from_request(request)
    new_guest_key = not request.user.is_authenticated and not guest_key
    if new_guest_key:
        guest_key = guest_key_new()
    reader = reader_from_request(request, guest_key=guest_key)
    try:
        comment = comment_vote(comment_id=comment_id, reader=reader, value=value)
    except DiscussionError as error:
        return _error(request, error)
    if wants_json(request):
        response = JsonResponse(
            {
                "id": comment.pk,
                "upvotes": comment.upvotes,
                "downvotes": comment.downvotes,
                "score": comment.score,
                "vote": value,
            },
            status=201,
        )
    else:
        target = permalink_target(request=request, comment=comment, reader=reader)
        response = HttpResponseRedirect(target, status=303)
    if new_guest_key:
        guest_cookie_set(response, request=request, guest_key=guest_key)
    return response


# --- reading --------------------------------------------------------------------------------
@require_GET
def comment_permalink(request, comment_id: int):
    """``/discussion/comments/ID/``: open the article's thread at that comment."""
    reader = reader_from_request(request)
    comment = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if comment is None or comment.thread.article is None or not comment.thread.article.live:
        raise Http404("No such comment.")
    target = permalink_target(
        request=request, comment=comment, reader=reader, sort=request.GET.get("sort")
    )
    return HttpResponseRedirect(target)


@require_GET
def thread_more(request, article_id: int):
    """The next page of top-level comments, as HTML for the script's "load more" (JSON)."""
    article = _article_or_404(article_id)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    thread_page = selectors.thread_page_get(
        article=article,
        reader=reader_from_request(request),
        sort=request.GET.get("sort"),
        page=page,
    )
    html = render_to_string(
        "discussion/comment_list.html",
        {"nodes": thread_page.nodes, "thread_open": thread_page.is_open},
        request=request,
    )
    return JsonResponse({"html": html, "has_more": thread_page.has_more, "page": thread_page.page})


@csrf_exempt  # the token is the credential; mail programs POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One click (GET, or the RFC 8058 POST a mail program sends) stops the e-mails."""
    try:
        message = subscription_cancel(token=token)
    except NotFound as error:
        return _error(request, error)
    return render(request, "discussion/message_page.html", {"message": message})
