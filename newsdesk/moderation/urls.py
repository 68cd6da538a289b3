"""Public URLs of the moderation app: readers report comments."""

from django.urls import path

from newsdesk.moderation import views

app_name = "moderation"

urlpatterns = [
    path("moderation/comments/<int:comment_id>/report/", views.report_view, name="report"),
]
