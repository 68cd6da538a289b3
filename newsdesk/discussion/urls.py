"""Public URLs of the discussion app (the thread itself is rendered into the article page)."""

from django.urls import path

from newsdesk.discussion import views, views_email, views_picks
from newsdesk.discussion.exports import comments_export_view
from newsdesk.discussion.live import views as live_views

app_name = "discussion"

urlpatterns = [
    path("discussion/articles/<int:article_id>/comments/", views.comment_post, name="post"),
    path("discussion/articles/<int:article_id>/more/", views.thread_more, name="more"),
    path("discussion/articles/<int:article_id>/live", live_views.thread_live, name="live"),
    path(
        "discussion/articles/<int:article_id>/live/comments",
        live_views.thread_live_comments,
        name="live_comments",
    ),
    path("discussion/comments/<int:comment_id>/", views.comment_permalink, name="permalink"),
    path("discussion/comments/<int:comment_id>/reply/", views.comment_reply_page, name="reply"),
    path("discussion/comments/<int:comment_id>/edit/", views.comment_edit_view, name="edit"),
    path("discussion/comments/<int:comment_id>/delete/", views.comment_delete_view, name="delete"),
    path("discussion/comments/<int:comment_id>/vote/", views.comment_vote_view, name="vote"),
    path("discussion/picks/", views_picks.picks_page, name="picks"),
    path("discussion/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "discussion/confirm-email/<str:token>/",
        views_email.email_confirm_view,
        name="email_confirm",
    ),
    path("discussion/export.json", comments_export_view, name="export"),
]
