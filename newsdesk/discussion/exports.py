"""Export threads and their comments as JSON (a backup, or a move to another system).

The export keeps the tree (``parent_id``), authors' public names, dates, statuses and both
the text the reader wrote and its rendered HTML. E-mail and IP addresses are left out.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from newsdesk.discussion.models import Comment, Thread


def _comment_dict(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": comment.author_name,
        "is_guest": comment.user_id is None,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "status": comment.status,
        "is_shadowed": comment.is_shadowed,
        "pinned": comment.pinned,
        "body_source": comment.body_source,
        "body_format": comment.body_format,
        "body_html": comment.body_html,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "image": comment.image.name or None,
        "source": comment.source or None,
        "source_id": comment.source_id or None,
    }


def comments_export(*, article_id: int | None = None) -> dict:
    """Every thread (or the one of ``article_id``) with all its comments, oldest first."""
    threads = Thread.objects.select_related("article").order_by("pk")
    if article_id is not None:
        threads = threads.filter(article_id=article_id)
    threads = list(threads)
    comments = Comment.objects.filter(thread__in=threads).select_related("user")
    by_thread: dict[int, list] = {t.pk: [] for t in threads}
    for comment in comments.order_by("created_at", "pk"):
        by_thread[comment.thread_id].append(_comment_dict(comment))
    return {
        "exported_at": timezone.now().isoformat(),
        "threads": [
            {
                "id": thread.pk,
                "article_id": thread.article_id,
                "article_url": thread.article.full_url if thread.article_id else None,
                "title": str(thread),
                "url": thread.url or None,
                "is_closed": thread.is_closed,
                "is_locked": thread.is_locked,
                "comments": by_thread[thread.pk],
            }
            for thread in threads
        ],
    }


@require_GET
def comments_export_view(request):
    """``/discussion/export.json[?article=ID]``, for staff who may view comments."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # The permission, not Django's is_staff flag: Wagtail's moderators work in Wagtail's
    # admin and are not Django-admin staff.
    if not request.user.has_perm("discussion.view_comment"):
        raise PermissionDenied(_("Exporting comments is for staff."))
    article_id = request.GET.get("article")
    if article_id is not None and not article_id.isdigit():
        return JsonResponse({"detail": _("article must be an article id.")}, status=400)
    data = comments_export(article_id=int(article_id) if article_id else None)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="comments.json"'
    return response
