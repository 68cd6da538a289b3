"""Public URLs of the moderation app: readers report comments; the transparency page."""

from django.urls import path

from newsdesk.moderation import views, views_transparency

app_name = "moderation"

urlpatterns = [
    path("moderation/comments/<int:comment_id>/report/", views.report_view, name="report"),
    path("transparency/", views_transparency.transparency, name="transparency"),
]
