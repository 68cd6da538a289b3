"""The discussion's pages and the forms of readers without JavaScript. Thin: parse, call a
service, answer with a page or a redirect.

The page's script writes through the JSON API (``api.py``) instead; both share the services,
the rate limits, the guest key and the messages (``writes.py``). A refusal (a
``ServiceError``) is answered in one place, ``refusal_page``: the form again with the message,
or the message page, with the refusal's status. Every write view is wrapped in
``refusals_shown``, so a refusal raised anywhere in it gets that answer.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsdesk.articles.models import ArticlePage
from newsdesk.core.errors import ServiceError
from newsdesk.discussion import selectors
from newsdesk.discussion.errors import InvalidComment
from newsdesk.discussion.forms import CommentEditForm, CommentForm, submitted_after
from newsdesk.discussion.readers import Reader, reader_from_request
from newsdesk.discussion.services import (
    CommentDraft,
    comment_create,
    comment_delete,
    comment_edit,
    comment_vote,
)
from newsdesk.discussion.services.edits import comment_delete_check, comment_edit_refusal
from newsdesk.discussion.services.reader_controls import unsubscribe_any
from newsdesk.discussion.writes import (
    guest_key_hand_over,
    posted_message,
    rate_limit_check,
    writer_from_request,
)

MESSAGE_PAGE = "discussion/message_page.html"


def refusal_page(
    request, error: ServiceError, *, template: str = MESSAGE_PAGE, context: dict | None = None
) -> HttpResponse:
    """A form view's answer to a refusal: ``template`` (the form again, its ``error`` shown
    above it) or the message page, with the refusal's status and its words, the same the
    API answers with."""
    context = {**(context or {}), "error": error, "message": error.message, "is_error": True}
    return render(request, template, context, status=error.status_code)


def refusals_shown(view):
    """Answer any ``ServiceError`` the view raises with the message page (``refusal_page``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ServiceError as error:
            return refusal_page(request, error)

    return wrapped


def _article_or_404(article_id: int) -> ArticlePage:
    article = selectors.article_open_get(article_id=article_id)
    if article is None:
        raise Http404("No such article.")
    return article


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


# --- posting --------------------------------------------------------------------------------
@require_POST
@refusals_shown
def comment_post(request, article_id: int):
    article = _article_or_404(article_id)
    rate_limit_check(request, action="comment-post")
    form = CommentForm(request.POST, request.FILES)
    page_context = {"form": form, "article": article, "action_article": article}
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return refusal_page(
            request,
            InvalidComment(first),
            template="discussion/form_page.html",
            context=page_context,
        )
    data = form.cleaned_data
    writer = writer_from_request(request, create_guest=True)
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
        comment = comment_create(article=article, reader=writer.reader, draft=draft)
    except ServiceError as error:
        if draft.parent_id:
            # Shown above the form again: only a comment of this article that this reader
            # may see (the one visibility rule), never one the id merely names. Loaded here,
            # not before posting: a reply that succeeds does not need it.
            page_context["parent"] = selectors.comment_for_reader(
                comment_id=draft.parent_id, reader=writer.reader, article_id=article.pk
            )
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        return refusal_page(
            request, error, template="discussion/form_page.html", context=page_context
        )
    if comment.status == "rejected":
        message = posted_message(
            comment=comment, asked_for_email=data["notify_replies"] or data["subscribe"]
        )
        response = render(request, MESSAGE_PAGE, {"message": message})
    else:
        target = permalink_target(request=request, comment=comment, reader=writer.reader)
        response = HttpResponseRedirect(target, status=303)
    guest_key_hand_over(response, request=request, writer=writer)
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
@refusals_shown
def comment_edit_view(request, comment_id: int):
    reader = reader_from_request(request)
    comment = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if comment is None:
        raise Http404("No such comment.")
    context = {"comment": comment, "article": comment.thread.article}
    if request.method == "GET":
        refusal = comment_edit_refusal(comment=comment, reader=reader)
        if refusal is not None:
            raise refusal
        context["form"] = CommentEditForm(initial={"body": comment.body_source})
        return render(request, "discussion/edit_page.html", context)
    rate_limit_check(request, action="comment-edit")
    form = CommentEditForm(request.POST)
    form.is_valid()
    context["form"] = form
    try:
        comment = comment_edit(
            comment_id=comment_id, reader=reader, body=form.cleaned_data.get("body", "")
        )
    except ServiceError as error:
        if error.field == "body":
            form.add_error("body", error.message)
        return refusal_page(request, error, template="discussion/edit_page.html", context=context)
    return HttpResponseRedirect(
        permalink_target(request=request, comment=comment, reader=reader), status=303
    )


DELETED_MESSAGE = gettext_lazy("Your comment is deleted.")


@require_http_methods(["GET", "POST"])
@refusals_shown
def comment_delete_view(request, comment_id: int):
    """Delete in two steps, without JavaScript too: the comment's "Delete" button (a GET)
    shows the comment and asks; this page's "Delete it" (the POST) deletes it and says so on
    the article. The page's script asks in place and deletes through the API instead."""
    reader = reader_from_request(request)
    if request.method == "GET":
        comment = comment_delete_check(comment_id=comment_id, reader=reader)
        article = comment.thread.article
        back = f"{article.get_url(request)}#c{comment.pk}" if article else "/"
        return render(
            request, "discussion/delete_page.html", {"comment": comment, "back_url": back}
        )
    rate_limit_check(request, action="comment-edit")
    comment = comment_delete(comment_id=comment_id, reader=reader)
    messages.success(request, DELETED_MESSAGE)
    article = comment.thread.article
    target = f"{article.get_url(request)}#discussion" if article else "/"
    return HttpResponseRedirect(target, status=303)


# --- votes ----------------------------------------------------------------------------------
@require_POST
@refusals_shown
def comment_vote_view(request, comment_id: int):
    rate_limit_check(request, action="comment-vote")
    value = {"up": 1, "down": -1}.get(request.POST.get("value", ""), 0)
    writer = writer_from_request(request, create_guest=True)
    comment = comment_vote(comment_id=comment_id, reader=writer.reader, value=value)
    target = permalink_target(request=request, comment=comment, reader=writer.reader)
    response = HttpResponseRedirect(target, status=303)
    guest_key_hand_over(response, request=request, writer=writer)
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
@refusals_shown
def unsubscribe(request, token: str):
    """One click (GET, or the RFC 8058 POST a mail program sends) stops the e-mails."""
    return render(request, MESSAGE_PAGE, {"message": unsubscribe_any(token=token)})
