"""The discussion of one article in Wagtail's admin (``/admin/discussion/articles/<id>/``):
its Q&A mode, and its editors' picks with a button to withdraw each. Reached from the
article's "Discussion" button (``wagtail_hooks``); editors and moderators only (others get
403, Wagtail sends the signed-out to sign in). Writes go through the services."""

from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from newsdesk.articles.models import ArticlePage
from newsdesk.core.errors import ServiceError
from newsdesk.discussion.models import Thread
from newsdesk.discussion.selectors_picks import thread_picks_list
from newsdesk.discussion.services.picks import comment_pick_set, is_discussion_staff
from newsdesk.discussion.services.questions import thread_qa_set


@require_http_methods(["GET", "POST"])
def article_discussion_view(request, article_id: int):
    if not is_discussion_staff(request.user):
        return HttpResponseForbidden(_("Only editors and moderators may change discussions."))
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    here = reverse("discussion_admin_article", args=[article.pk])
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unpick":
                comment_pick_set(
                    comment_id=request.POST.get("comment", ""), actor=request.user, picked=False
                )
                messages.success(request, _("The pick is withdrawn."))
            else:
                qa_mode = request.POST.get("qa_mode") == "on"
                thread_qa_set(article=article, qa_mode=qa_mode, actor=request.user)
                messages.success(
                    request,
                    _("The discussion is now in Q&A mode.")
                    if qa_mode
                    else _("The discussion is now an ordinary discussion."),
                )
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(here)
    thread = Thread.objects.filter(article=article).first()
    return render(
        request,
        "discussion/admin/article_discussion.html",
        {
            "page_title": _("Discussion of “%(title)s”") % {"title": article.title},
            "article": article,
            "thread": thread,
            "picks": thread_picks_list(thread=thread) if thread else [],
            "action_url": here,
        },
    )
